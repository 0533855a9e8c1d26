/**
 * `npm run check:github [-- --repo owner/name]`: reads the repository's GitHub environments through the REST
 * API and checks the settings the workflows rely on (docs/ci.md, "Repository settings"):
 *   - `<env>` (deploy) and `<env>-drift`: deployment branches restricted to `main` only;
 *   - `<env>-plan` and the protected environments' `<env>`: at least one required reviewer.
 * Needs GITHUB_TOKEN (or GH_TOKEN) with read access to the repository's administration; without one it says
 * so and checks nothing (exit 0). GITHUB_REPOSITORY names the repository unless --repo does.
 */
import { parseArgs } from 'node:util';

export interface EnvironmentExpectation {
  readonly name: string;
  /** Only `main` may deploy to it. */
  readonly mainOnly: boolean;
  /** A person must approve each job that uses it. */
  readonly reviewers: boolean;
}

/** What each application environment needs on GitHub: its deploy, plan and drift environments. */
export function expectedEnvironments(
  environments: readonly { name: string; deletionProtection: boolean }[],
): EnvironmentExpectation[] {
  return environments.flatMap((environment) => [
    { name: environment.name, mainOnly: true, reviewers: environment.deletionProtection },
    // Pull-request plans run from the pull request's branch: reviewers gate them, not a branch policy.
    { name: `${environment.name}-plan`, mainOnly: false, reviewers: true },
    { name: `${environment.name}-drift`, mainOnly: true, reviewers: false },
  ]);
}

type Fetch = (
  url: string,
  init: { headers: Record<string, string> },
) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

interface GitHubEnvironment {
  readonly name: string;
  readonly protection_rules?: readonly { type: string; reviewers?: readonly unknown[] }[];
  readonly deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
}

/** Every problem with the repository's environments, in words; empty when all is set. */
export async function checkRepositorySettings(options: {
  readonly repository: string;
  readonly token: string;
  readonly expected: readonly EnvironmentExpectation[];
  readonly fetch: Fetch;
  /** @default https://api.github.com */
  readonly apiUrl?: string;
}): Promise<string[]> {
  const api = options.apiUrl ?? 'https://api.github.com';
  const get = async (route: string): Promise<unknown> => {
    const response = await options.fetch(`${api}/repos/${options.repository}${route}`, {
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${options.token}`,
        'X-GitHub-Api-Version': '2022-11-28',
      },
    });
    if (!response.ok) throw new Error(`GET ${route}: HTTP ${response.status}`);
    return response.json();
  };
  const listed = (await get('/environments?per_page=100')) as { environments?: GitHubEnvironment[] };
  const byName = new Map((listed.environments ?? []).map((environment) => [environment.name, environment]));
  const problems: string[] = [];
  for (const expected of options.expected) {
    const environment = byName.get(expected.name);
    if (environment === undefined) {
      problems.push(`${expected.name}: no such environment (Settings > Environments > New environment)`);
      continue;
    }
    if (expected.reviewers) {
      const reviewers = (environment.protection_rules ?? []).find(
        (rule) => rule.type === 'required_reviewers',
      );
      if ((reviewers?.reviewers ?? []).length === 0) problems.push(`${expected.name}: no required reviewers`);
    }
    if (expected.mainOnly) {
      const policy = environment.deployment_branch_policy;
      if (policy === null || policy === undefined) {
        problems.push(
          `${expected.name}: any branch may deploy (set Deployment branches and tags to "Selected": main)`,
        );
      } else if (!policy.custom_branch_policies) {
        problems.push(
          `${expected.name}: every protected branch may deploy, not main only (use "Selected": main)`,
        );
      } else {
        const route = `/environments/${encodeURIComponent(expected.name)}/deployment-branch-policies?per_page=100`;
        const branches =
          ((await get(route)) as { branch_policies?: { name: string; type?: string }[] }).branch_policies ??
          [];
        const names = branches.map((branch) => `${branch.type ?? 'branch'}:${branch.name}`);
        if (names.length !== 1 || names[0] !== 'branch:main') {
          problems.push(
            `${expected.name}: deployment branch policies are [${names.join(', ')}], expected [branch:main]`,
          );
        }
      }
    }
  }
  return problems;
}

async function main(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { repo: { type: 'string' } } });
  const token = nonEmpty(process.env.GITHUB_TOKEN) ?? nonEmpty(process.env.GH_TOKEN);
  const repository = values.repo ?? nonEmpty(process.env.GITHUB_REPOSITORY);
  if (token === undefined) {
    console.log('check:github skipped: no GITHUB_TOKEN or GH_TOKEN to read the repository settings with.');
    return;
  }
  if (repository === undefined)
    throw new Error('Name the repository: --repo owner/name (or set GITHUB_REPOSITORY).');
  // Loaded here, not at the top: the config needs node_modules, the pure check above does not.
  const { loadEnvironments } = await import('../config');
  const problems = await checkRepositorySettings({
    repository,
    token,
    expected: expectedEnvironments(loadEnvironments()),
    fetch: fetch as unknown as Fetch,
  });
  if (problems.length > 0) {
    console.error(
      `${repository}: ${problems.length} setting${problems.length === 1 ? '' : 's'} to fix:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    process.exitCode = 1;
    return;
  }
  console.log(`${repository}: every environment is set as docs/ci.md says.`);
}

/** An unset and an empty variable alike are absent. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
