import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseEnvironments } from '../../config';
import { environments } from '../../config/environments';
import { githubSchema, resolveGitHub } from '../../config/github';
import { CI_ROLE_OUTPUTS } from '../../stacks/state-stack';
import { configProblems } from '../helpers';

const github = { repository: 'acme/infra' };

describe('github settings', () => {
  test('defaults: main, the infrastructure and drift workflows, environments named after the environment', () => {
    const [environment] = parseEnvironments([
      { name: 'stg', accountId: '123456789012', deletionProtection: false, github },
    ]);
    expect(resolveGitHub(environment.name, environment.github!)).toEqual({
      repository: 'acme/infra',
      deployBranch: 'main',
      workflowPath: '.github/workflows/infrastructure.yml',
      driftWorkflowPath: '.github/workflows/drift.yml',
      environments: { plan: 'stg-plan', drift: 'stg-drift', deploy: 'stg' },
      createOidcProvider: true,
    });
  });

  test('every shipped environment has CI roles and creates the OIDC provider of its own account', () => {
    const parsed = parseEnvironments(environments);
    expect(parsed.map((e) => [e.name, e.github?.createOidcProvider])).toEqual([
      ['dev', true],
      ['stg', true],
      ['prod', true],
    ]);
  });

  test('two environments of one account cannot both create the provider (either order)', () => {
    const raw = [
      { name: 'dev', accountId: '123456789012', deletionProtection: false, github },
      {
        name: 'stg',
        accountId: '123456789012',
        deletionProtection: false,
        github,
        observability: { auditTrail: { owner: false } },
      },
    ];
    const message = 'already creates the GitHub OIDC provider of account 123456789012; set this one to false';
    expect(configProblems(raw)).toEqual([`stg: github.createOidcProvider: environment dev ${message}`]);
    expect(configProblems([...raw].reverse())).toEqual([
      `dev: github.createOidcProvider: environment stg ${message}`,
    ]);
  });

  test('an account where no environment creates the provider is rejected; one creator is accepted', () => {
    const second = {
      name: 'stg',
      accountId: '123456789012',
      deletionProtection: false,
      github: { ...github, createOidcProvider: false },
      observability: { auditTrail: { owner: false } },
    };
    expect(
      configProblems([
        {
          name: 'dev',
          accountId: '123456789012',
          deletionProtection: false,
          github: { ...github, createOidcProvider: false },
        },
        second,
      ]),
    ).toEqual([
      'dev: github.createOidcProvider: no environment of account 123456789012 creates the GitHub OIDC provider; set it on one of dev, stg',
    ]);
    expect(() =>
      parseEnvironments([
        { name: 'dev', accountId: '123456789012', deletionProtection: false, github },
        second,
      ]),
    ).not.toThrow();
  });

  test('a repository, branch, environment or workflow that could widen the sub claim is rejected', () => {
    expect(
      configProblems([
        {
          name: 'dev',
          accountId: '123456789012',
          deletionProtection: false,
          github: {
            repository: 'acme/*',
            deployBranch: 'release/*',
            workflowPath: 'infrastructure.yml',
            environments: { plan: 'dev:plan' },
          },
        },
      ]),
    ).toEqual([
      'dev: github.repository: must be "owner/name" such as example-org/aws-and-infra',
      'dev: github.deployBranch: must be a branch name (letters, digits, ".", "_", "/", "-"; no wildcards)',
      'dev: github.workflowPath: must be a workflow file such as .github/workflows/infrastructure.yml',
      'dev: github.environments.plan: must be letters, digits, ".", "_" or "-" (no ":" or wildcards)',
    ]);
  });

  test('docs/ci.md lists every setting with its default, and the outputs the workflow reads', () => {
    const doc = readFileSync(path.join(__dirname, '../../docs/ci.md'), 'utf8');
    const settings = doc.slice(doc.indexOf('Settings (all under `github`')).replace(/\s+/g, ' ');
    const [environment] = parseEnvironments([
      { name: 'dev', accountId: '123456789012', deletionProtection: false, github },
    ]);
    const defaults = resolveGitHub('<env>', environment.github!);
    expect(Object.keys(githubSchema.shape).filter((key) => !settings.includes(`\`${key}`))).toEqual([]);
    for (const value of [defaults.deployBranch, defaults.workflowPath, defaults.driftWorkflowPath])
      expect(settings).toContain(`(\`${value}\`)`);
    expect(settings).toContain(
      `(\`${defaults.environments.plan}\`, \`${defaults.environments.drift}\`, \`${defaults.environments.deploy}\`)`,
    );
    for (const output of Object.values(CI_ROLE_OUTPUTS)) expect(doc).toContain(output);
  });
});
