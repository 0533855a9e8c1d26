import { z } from 'zod';

/**
 * The GitHub repository whose workflow plans and deploys this environment, for the CI roles of the
 * `<env>-state` stack (see `modules/ci-roles.ts`). Without it the state stack creates no CI roles.
 *
 * The roles trust a token only when its `sub` claim names this repository, the GitHub environment
 * and the workflow file with its ref. AWS evaluates only the `aud` and `sub` claims of GitHub's
 * tokens (GitHub Docs, "Configuring OpenID Connect in Amazon Web Services": custom claims are not
 * supported in AWS), so the repository must put `job_workflow_ref` into `sub`: its OIDC subject
 * template must be `include_claim_keys: ["repo", "context", "job_workflow_ref"]` (docs/ci.md).
 */

// GitHub owner and repository names: letters, digits, `-`, `_` and `.`; no `:` (the sub delimiter).
const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
// GitHub environment names: no `:` (it would make the sub claim ambiguous) and no wildcards.
const GITHUB_ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;
const WORKFLOW_PATH = /^\.github\/workflows\/[A-Za-z0-9._-]+\.ya?ml$/;
const BRANCH = /^[A-Za-z0-9._/-]+$/;

const githubEnvironment = z
  .string()
  .regex(GITHUB_ENVIRONMENT, 'must be letters, digits, ".", "_" or "-" (no ":" or wildcards)');
const workflowPath = z
  .string()
  .regex(WORKFLOW_PATH, 'must be a workflow file such as .github/workflows/infrastructure.yml');

export const githubSchema = z
  .object({
    /** `owner/name` of the repository. */
    repository: z.string().regex(REPOSITORY, 'must be "owner/name" such as example-org/aws-and-infra'),
    /** The only branch the deploy role trusts. @default 'main' */
    deployBranch: z
      .string()
      .regex(BRANCH, 'must be a branch name (letters, digits, ".", "_", "/", "-"; no wildcards)')
      .default('main'),
    /** The workflow that plans pull requests and deploys the deploy branch. @default '.github/workflows/infrastructure.yml' */
    workflowPath: workflowPath.default('.github/workflows/infrastructure.yml'),
    /** The scheduled drift workflow; it plans the deploy branch with the plan role. @default '.github/workflows/drift.yml' */
    driftWorkflowPath: workflowPath.default('.github/workflows/drift.yml'),
    /** GitHub environment names the jobs run in. */
    environments: z
      .object({
        /** Pull-request plans; protect it with required reviewers. Unset: `<env>-plan`. */
        plan: githubEnvironment.optional(),
        /** Scheduled drift plans of the deploy branch. Unset: `<env>-drift`. */
        drift: githubEnvironment.optional(),
        /** Deploys of the deploy branch. Unset: `<env>`. */
        deploy: githubEnvironment.optional(),
      })
      .strict()
      .default({}),
    /**
     * This environment creates the account's GitHub OIDC provider (IAM allows one provider per URL
     * and account). Exactly one environment of each account does; the others reference it.
     * @default true
     */
    createOidcProvider: z.boolean().default(true),
  })
  .strict();

export type GitHubConfig = z.output<typeof githubSchema>;

/** The GitHub settings with every default resolved. */
export interface ResolvedGitHub extends Omit<GitHubConfig, 'environments'> {
  readonly environments: { readonly plan: string; readonly drift: string; readonly deploy: string };
}

/** The GitHub settings of environment `name`, with the environment names it defaults to. */
export function resolveGitHub(name: string, github: GitHubConfig): ResolvedGitHub {
  return {
    ...github,
    environments: {
      plan: github.environments.plan ?? `${name}-plan`,
      drift: github.environments.drift ?? `${name}-drift`,
      deploy: github.environments.deploy ?? name,
    },
  };
}

interface GitHubSource {
  readonly name: string;
  readonly accountId: string;
  readonly github?: GitHubConfig;
}

/**
 * Across environments: in every account where some environment has CI roles, exactly one
 * environment creates the OIDC provider (a second create fails at apply with EntityAlreadyExists;
 * none leaves the roles trusting a provider that does not exist).
 */
export function checkOidcProviders(environments: readonly GitHubSource[], ctx: z.RefinementCtx): void {
  const byAccount = new Map<string, number[]>();
  environments.forEach((environment, index) => {
    if (environment.github === undefined) return;
    byAccount.set(environment.accountId, [...(byAccount.get(environment.accountId) ?? []), index]);
  });
  for (const [accountId, indexes] of byAccount) {
    const creators = indexes.filter((index) => environments[index].github?.createOidcProvider);
    if (creators.length === 0) {
      const [first] = indexes;
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [first, 'github', 'createOidcProvider'],
        message: `no environment of account ${accountId} creates the GitHub OIDC provider; set it on one of ${indexes.map((index) => environments[index].name).join(', ')}`,
      });
    }
    for (const index of creators.slice(1)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [index, 'github', 'createOidcProvider'],
        message: `environment ${environments[creators[0]].name} already creates the GitHub OIDC provider of account ${accountId}; set this one to false`,
      });
    }
  }
}
