/**
 * IAM rules: identity policies grant no wildcard action on every resource.
 */
import type { Rule } from '../rule';
import { asStrings, blocks, type PolicyStatement } from '../synthesized';
import { isWildcardAction } from './helpers';

/** AWS managed policies that amount to `*` on `*`. */
const ADMIN_MANAGED_POLICY = /:policy\/(AdministratorAccess|PowerUserAccess)$/;

/** Allow statements that grant wildcard actions on every resource, described. */
function wildcardGrants(statements: readonly PolicyStatement[] | undefined): string[] {
  return (statements ?? []).flatMap((s) => {
    if (s.effect !== 'Allow' || !(s.resources.includes('*') || s.notResources.length > 0)) return [];
    const broad = [
      ...s.actions.filter(isWildcardAction),
      ...(s.notActions.length > 0 ? [`NotAction ${s.notActions.join(', ')}`] : []),
    ];
    return broad.length > 0 ? [`allows ${broad.join(', ')} on resource *`] : [];
  });
}

export const IAM_RULES: readonly Rule[] = [
  {
    id: 'GR-IAM-1',
    info: 'IAM identity policies grant no wildcard action (`*`, `service:*`, NotAction) on resource `*`.',
    explanation:
      'Least privilege. Exceptions AWS requires are allowed as they are: actions without resource-level ' +
      'permissions (ecr:GetAuthorizationToken, ssmmessages:CreateControlChannel, cloudwatch:PutMetricData...) ' +
      'must name resource `*` but are named actions, not wildcards; KMS key policies are resource ' +
      'policies, where `*` means the key itself (see GR-KMS-2). Attaching AdministratorAccess or ' +
      "PowerUserAccess counts as a wildcard grant. A policy used as a role's permissions boundary grants " +
      'nothing by itself (IAM user guide, "Permissions boundaries for IAM entities") and is not checked.',
    resourceTypes: [
      'aws_iam_policy',
      'aws_iam_role_policy',
      'aws_iam_user_policy',
      'aws_iam_group_policy',
      'aws_iam_role',
      'aws_iam_role_policy_attachment',
      'aws_iam_user_policy_attachment',
      'aws_iam_group_policy_attachment',
      'aws_iam_policy_attachment',
    ],
    severity: 'error',
    check: (resource, { stack }) => {
      if (stack.isPermissionsBoundary(resource)) return [];
      const c = resource.config;
      const policies =
        resource.type === 'aws_iam_role' ? blocks(c.inline_policy).map((p) => p.policy) : [c.policy];
      const managed = [...asStrings(c.policy_arn), ...asStrings(c.managed_policy_arns)];
      return [
        ...policies.flatMap((policy) => wildcardGrants(stack.policyStatements(policy))),
        ...managed.filter((arn) => ADMIN_MANAGED_POLICY.test(arn)).map((arn) => `attaches ${arn}`),
      ];
    },
  },
];
