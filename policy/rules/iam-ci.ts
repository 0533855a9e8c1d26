/**
 * Rules for the roles GitHub Actions assumes (`modules/ci-roles.ts`): who may assume them, and
 * what they may do. A CI role is any role tagged `ci-role` or trusting GitHub's OIDC provider.
 */
import { ATTACHABLE_AWS_POLICIES } from '../../modules/ci-identity-permissions';
import { CI_ROLE_TAG } from '../../modules/ci-roles';
import { actionMatches, DATA_PLANE_READS } from '../../modules/ci-read-permissions';
import { GITHUB_OIDC_HOST, STS_AUDIENCE } from '../../modules/github-oidc';
import type { Rule } from '../rule';
import {
  asStrings,
  block,
  blocks,
  type PolicyStatement,
  type SynthesizedResource,
  type SynthesizedStack,
} from '../synthesized';
import { isWildcardAction } from './helpers';

const GITHUB_PROVIDER = new RegExp(`oidc-provider/${GITHUB_OIDC_HOST.replace(/\./g, '\\.')}$`);
const GITHUB_PROVIDER_RESOURCE = /^\$\{aws_iam_openid_connect_provider\.[^.]+\.arn\}$/;

/** `repo:<o>/<n>:environment:<env>:job_workflow_ref:<o>/<n>/.github/workflows/<file>@<ref>`, nothing else. */
const SUBJECT =
  /^repo:([A-Za-z0-9-]+\/[A-Za-z0-9._-]+):environment:[A-Za-z0-9._-]+:job_workflow_ref:([A-Za-z0-9-]+\/[A-Za-z0-9._-]+)\/\.github\/workflows\/[A-Za-z0-9._-]+\.ya?ml@(.+)$/;
/** Refs a deploy role trusts: one branch, no pattern. */
const EXACT_BRANCH = /^refs\/heads\/[A-Za-z0-9._/-]+$/;
/** The one pattern a plan role may trust besides exact branches: any pull request's merge ref. */
const PULL_REQUEST_MERGE = 'refs/pull/*/merge';

/** `arn:<partition>:iam::<account>:policy/<prefix>-ci-boundary`: the prefix the boundary caps. */
const CI_BOUNDARY = /^arn:([^:]+):iam::\d{12}:policy\/(.+)-ci-boundary$/;

const trustsGitHub = (s: PolicyStatement) =>
  s.principals.some(
    (p) =>
      p.type === 'Federated' &&
      p.identifiers.some((id) => GITHUB_PROVIDER.test(id) || GITHUB_PROVIDER_RESOURCE.test(id)),
  );

function ciRoleKind(role: SynthesizedResource, stack: SynthesizedStack): string | undefined {
  const tag = block(role.config.tags)[CI_ROLE_TAG];
  if (typeof tag === 'string') return tag;
  const trust = stack.policyStatements(role.config.assume_role_policy) ?? [];
  return trust.some(trustsGitHub) ? 'untagged' : undefined;
}

/** Every permission statement of a role (inline, attached in the stack), or the reasons it cannot be read. */
function permissionsOf(
  role: SynthesizedResource,
  stack: SynthesizedStack,
): { statements: PolicyStatement[]; unreadable: string[] } {
  const statements: PolicyStatement[] = [];
  const unreadable: string[] = [];
  const read = (policy: unknown, where: string) => {
    const found = stack.policyStatements(policy);
    if (found === undefined) unreadable.push(`the policy of ${where} cannot be read at synth`);
    else statements.push(...found);
  };
  for (const inline of blocks(role.config.inline_policy)) read(inline.policy, `${role.address} inline`);
  for (const policy of stack.referencing('aws_iam_role_policy', 'role', role))
    read(policy.config.policy, policy.address);
  const attached = [
    ...asStrings(role.config.managed_policy_arns),
    ...stack.referencing('aws_iam_role_policy_attachment', 'role', role).map((a) => a.config.policy_arn),
  ];
  for (const arn of attached) {
    const policy = stack.get(
      typeof arn === 'string' ? /^\$\{(aws_iam_policy\.[^.]+)\.arn\}$/.exec(arn)?.[1] : undefined,
    );
    if (policy) read(policy.config.policy, policy.address);
    else unreadable.push(`attaches ${String(arn)}, whose statements the synth cannot see`);
  }
  return { statements, unreadable };
}

/** Whether a data-plane read on `resources` is one of the plan role's state exceptions. */
function stateException(action: string, resources: readonly string[]): boolean {
  if (resources.length === 0 || resources.includes('*')) return false;
  if (action === 's3:GetObject') return resources.every((r) => r.endsWith('.tfstate'));
  if (action === 'dynamodb:GetItem')
    return resources.every((r) => /^\$\{aws_dynamodb_table\.[^.]+\.arn\}$/.test(r));
  if (action === 'kms:Decrypt') return resources.every((r) => /^\$\{aws_kms_key\.[^.]+\.arn\}$/.test(r));
  return false;
}

export const CI_ROLE_RULES: readonly Rule[] = [
  {
    id: 'GR-CI-1',
    info: 'CI roles trust GitHub tokens for STS only, with a sub naming repo, environment, workflow, ref.',
    explanation:
      'IAM evaluates only the aud and sub claims of GitHub tokens (IAM User Guide, "Configure a role for ' +
      'GitHub OIDC identity provider"; GitHub Docs: custom claims are unavailable in AWS), so the ' +
      'repository OIDC subject template carries job_workflow_ref in sub, and every sub value must be ' +
      '`repo:<o>/<n>:environment:<env>:job_workflow_ref:<o>/<n>/.github/workflows/<file>@<ref>` with the ' +
      'same repository twice. A deploy role trusts exact branch refs only (StringEquals); a plan role may ' +
      'also trust `refs/pull/*/merge`, the ref of every pull request, in an environment whose required ' +
      'reviewers gate it. Any role trusting GitHub must carry the ci-role tag, so these rules see it.',
    resourceTypes: ['aws_iam_role'],
    severity: 'error',
    check: (role, { stack }) => {
      const kind = ciRoleKind(role, stack);
      if (kind === undefined) return [];
      if (kind !== 'plan' && kind !== 'deploy')
        return [`trusts GitHub but its ${CI_ROLE_TAG} tag is ${kind}, not plan or deploy`];
      const trust = stack.policyStatements(role.config.assume_role_policy);
      if (trust === undefined) return ['its trust policy cannot be read at synth'];
      return trust.flatMap((s) => {
        if (s.effect !== 'Allow') return [];
        if (!trustsGitHub(s))
          return [
            `trusts ${s.principals.map((p) => `${p.type}:${p.identifiers.join(',')}`).join(' ')}, not only GitHub`,
          ];
        const reasons: string[] = [];
        if (s.actions.join() !== 'sts:AssumeRoleWithWebIdentity')
          reasons.push(`allows ${s.actions.join(', ')}`);
        const condition = (key: string) =>
          s.conditions.filter((c) => c.variable === `${GITHUB_OIDC_HOST}:${key}`);
        const aud = condition('aud');
        if (aud.length !== 1 || aud[0].test !== 'StringEquals' || aud[0].values.join() !== STS_AUDIENCE)
          reasons.push(`aud is not StringEquals ${STS_AUDIENCE}`);
        const sub = condition('sub');
        if (sub.length !== 1 || !['StringEquals', 'StringLike'].includes(sub[0].test))
          return [...reasons, 'sub is not pinned by one StringEquals or StringLike'];
        for (const value of sub[0].values) {
          const match = SUBJECT.exec(value);
          if (!match || match[1] !== match[2]) {
            reasons.push(
              `sub ${value} is not repo:<o>/<n>:environment:<env>:job_workflow_ref:<o>/<n>/.github/workflows/<file>@<ref>`,
            );
            continue;
          }
          const ref = match[3];
          const allowed =
            EXACT_BRANCH.test(ref) ||
            (kind === 'plan' && sub[0].test === 'StringLike' && ref === PULL_REQUEST_MERGE);
          if (!allowed) reasons.push(`sub ${value}: a ${kind} role may not trust ref ${ref}`);
        }
        return reasons;
      });
    },
  },
  {
    id: 'GR-CI-2',
    info: 'CI roles grant no `*` or `service:*` action and no NotAction, on any resource.',
    explanation:
      'The pipeline runs code from the repository: what its roles may do is reviewed action by action. ' +
      'Prefix patterns (`ec2:Describe*`) stay allowed; whole services do not, and neither do policies the ' +
      'synth cannot read (AWS managed policies such as ReadOnlyAccess, which reads data too).',
    resourceTypes: ['aws_iam_role'],
    severity: 'error',
    check: (role, { stack }) => {
      if (ciRoleKind(role, stack) === undefined) return [];
      const { statements, unreadable } = permissionsOf(role, stack);
      return [
        ...unreadable,
        ...statements
          .filter((s) => s.effect === 'Allow')
          .flatMap((s) => [
            ...s.actions.filter(isWildcardAction).map((a) => `allows ${a}`),
            ...(s.notActions.length > 0 ? [`allows NotAction ${s.notActions.join(', ')}`] : []),
          ]),
      ];
    },
  },
  {
    id: 'GR-CI-3',
    info: 'The CI plan role allows no data-plane read beyond its state, and explicitly denies every one.',
    explanation:
      'Pull requests plan with this role. Object contents, log events, image layers, parameter and secret ' +
      'values are data, not configuration (Service Authorization Reference); only the state files ' +
      '(s3:GetObject on `*.tfstate` keys), the lock items (dynamodb:GetItem on the lock table) and the ' +
      'state key (kms:Decrypt) are allowed. An explicit Deny of every data-plane read keeps a policy ' +
      'attached later from granting them (IAM User Guide, "Policy evaluation logic").',
    resourceTypes: ['aws_iam_role'],
    severity: 'error',
    check: (role, { stack }) => {
      if (ciRoleKind(role, stack) !== 'plan') return [];
      const { statements } = permissionsOf(role, stack);
      const granted = statements
        .filter((s) => s.effect === 'Allow')
        .flatMap((s) =>
          s.actions.flatMap((pattern) =>
            DATA_PLANE_READS.filter(
              (action) => actionMatches(pattern, action) && !stateException(action, s.resources),
            ).map(
              (action) =>
                `allows ${action}${pattern === action ? '' : ` (through ${pattern})`} on ${s.resources.join(', ')}`,
            ),
          ),
        );
      const denied = (action: string) =>
        statements.some(
          (s) =>
            s.effect === 'Deny' &&
            s.conditions.length === 0 &&
            s.actions.some((pattern) => actionMatches(pattern, action)) &&
            (s.resources.includes('*') || s.notResources.length > 0),
        );
      const undenied = DATA_PLANE_READS.filter((action) => !denied(action));
      return [
        ...granted,
        ...(undenied.length > 0 ? [`does not explicitly deny ${undenied.join(', ')}`] : []),
      ];
    },
  },
  {
    id: 'GR-CI-4',
    info: 'Roles under the CI boundary are named `<prefix>-*` and attach only policies it allows.',
    explanation:
      'The deploy role creates and changes only roles named `<project>-<env>-*` that carry its boundary, and ' +
      'attaches only the project’s own policies and the AWS managed policies it lists (modules/' +
      'ci-identity-permissions.ts). IAM checks this at apply time, after a reviewed merge; the synth checks ' +
      'it first, so a new role or attachment the pipeline could not make fails the pull request instead.',
    resourceTypes: ['aws_iam_role'],
    severity: 'error',
    check: (role, { stack }) => {
      const boundary = CI_BOUNDARY.exec(String(role.config.permissions_boundary ?? ''));
      if (!boundary || block(role.config.tags)[CI_ROLE_TAG] !== undefined) return [];
      const [, partition, prefix] = boundary;
      const reasons: string[] = [];
      const name = role.config.name;
      if (typeof name !== 'string' || !name.startsWith(`${prefix}-`))
        reasons.push(`its name ${String(name ?? role.config.name_prefix)} does not start with ${prefix}-`);
      const attached = [
        ...asStrings(role.config.managed_policy_arns),
        ...stack
          .referencing('aws_iam_role_policy_attachment', 'role', role)
          .map((a) => String(a.config.policy_arn)),
      ];
      const allowed = (arn: string) =>
        /^\$\{aws_iam_policy\.[^.]+\.arn\}$/.test(arn) ||
        ATTACHABLE_AWS_POLICIES.some((policy) => arn === `arn:${partition}:iam::aws:policy/${policy}`);
      for (const arn of attached.filter((arn) => !allowed(arn)))
        reasons.push(`attaches ${arn}, which the deploy role may not attach`);
      return reasons;
    },
  },
];
