import { checkRepositorySettings, expectedEnvironments } from '../../scripts/check-repo-settings';

/** A fake GitHub API: routes to JSON bodies; records the requests. */
function fakeFetch(routes: Record<string, unknown>) {
  const requests: { url: string; headers: Record<string, string> }[] = [];
  const fetch = async (url: string, init: { headers: Record<string, string> }) => {
    requests.push({ url, headers: init.headers });
    const route = url.replace('https://api.github.com/repos/acme/infra', '');
    const body = routes[route];
    return { ok: body !== undefined, status: body === undefined ? 404 : 200, json: async () => body };
  };
  return { fetch, requests };
}

const mainOnly = { protected_branches: false, custom_branch_policies: true };
const reviewers = [
  { type: 'required_reviewers', reviewers: [{ type: 'Team', reviewer: { slug: 'platform' } }] },
];
const policies = (names: string[]) => ({ branch_policies: names.map((name) => ({ name, type: 'branch' })) });
const expected = expectedEnvironments([{ name: 'prod', deletionProtection: true }]);

describe('expectedEnvironments', () => {
  test('each environment needs a deploy, a plan and a drift environment', () => {
    expect(expected).toEqual([
      { name: 'prod', mainOnly: true, reviewers: true },
      { name: 'prod-plan', mainOnly: false, reviewers: true },
      { name: 'prod-drift', mainOnly: true, reviewers: false },
    ]);
    expect(expectedEnvironments([{ name: 'dev', deletionProtection: false }])[0]).toEqual({
      name: 'dev',
      mainOnly: true,
      reviewers: false,
    });
  });
});

describe('checkRepositorySettings (fake GitHub API)', () => {
  const good = {
    '/environments?per_page=100': {
      environments: [
        { name: 'prod', protection_rules: reviewers, deployment_branch_policy: mainOnly },
        { name: 'prod-plan', protection_rules: reviewers, deployment_branch_policy: null },
        { name: 'prod-drift', protection_rules: [], deployment_branch_policy: mainOnly },
      ],
    },
    '/environments/prod/deployment-branch-policies?per_page=100': policies(['main']),
    '/environments/prod-drift/deployment-branch-policies?per_page=100': policies(['main']),
  };

  test('settings as documented: no problems, read with the token', async () => {
    const { fetch, requests } = fakeFetch(good);
    expect(
      await checkRepositorySettings({ repository: 'acme/infra', token: 't0k', expected, fetch }),
    ).toEqual([]);
    expect(requests[0].headers.Authorization).toBe('Bearer t0k');
    expect(requests.map((r) => r.url.split('/repos/acme/infra')[1])).toEqual([
      '/environments?per_page=100',
      '/environments/prod/deployment-branch-policies?per_page=100',
      '/environments/prod-drift/deployment-branch-policies?per_page=100',
    ]);
  });

  test('every branch, protected branches, another branch, no reviewers, a missing environment: each named', async () => {
    const { fetch } = fakeFetch({
      '/environments?per_page=100': {
        environments: [
          { name: 'prod', protection_rules: [], deployment_branch_policy: null },
          {
            name: 'prod-drift',
            protection_rules: [],
            deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
          },
        ],
      },
    });
    expect(await checkRepositorySettings({ repository: 'acme/infra', token: 't', expected, fetch })).toEqual([
      'prod: no required reviewers',
      'prod: any branch may deploy (set Deployment branches and tags to "Selected": main)',
      'prod-plan: no such environment (Settings > Environments > New environment)',
      'prod-drift: every protected branch may deploy, not main only (use "Selected": main)',
    ]);
    const { fetch: another } = fakeFetch({
      ...good,
      '/environments/prod/deployment-branch-policies?per_page=100': policies(['main', 'release/*']),
    });
    expect(
      await checkRepositorySettings({ repository: 'acme/infra', token: 't', expected, fetch: another }),
    ).toEqual([
      'prod: deployment branch policies are [branch:main, branch:release/*], expected [branch:main]',
    ]);
  });

  test('an API error is an error, not a pass', async () => {
    const { fetch } = fakeFetch({});
    await expect(
      checkRepositorySettings({ repository: 'acme/infra', token: 't', expected, fetch }),
    ).rejects.toThrow('GET /environments?per_page=100: HTTP 404');
  });
});
