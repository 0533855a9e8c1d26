/**
 * CloudTrail rules: what CloudTrail itself refuses when it creates or updates a trail.
 */
import type { Rule } from '../rule';

/** Global condition keys CloudTrail does not support in its CloudWatch Logs role's trust policy. */
const UNSUPPORTED_TRUST_KEYS = ['aws:sourcearn', 'aws:sourceaccount'];

export const CLOUDTRAIL_RULES: readonly Rule[] = [
  {
    id: 'GR-CT-1',
    info: "A trail's CloudWatch Logs role trusts cloudtrail.amazonaws.com without aws:SourceArn or aws:SourceAccount.",
    explanation:
      'CloudTrail does not support the aws:SourceArn and aws:SourceAccount conditions in the trust policy ' +
      'of the role it uses to deliver to CloudWatch Logs; CreateTrail and UpdateTrail then fail with ' +
      'InvalidCloudWatchLogsRoleArnException (CloudTrail user guide, "Role policy document for CloudTrail ' +
      'to use CloudWatch Logs for monitoring"). Keep those conditions on the bucket and key policies, ' +
      'where CloudTrail supports them.',
    resourceTypes: ['aws_cloudtrail'],
    severity: 'error',
    check: (trail, { stack }) => {
      const role = stack.follow(trail, 'cloud_watch_logs_role_arn');
      if (role?.type !== 'aws_iam_role') return [];
      return (stack.policyStatements(role.config.assume_role_policy) ?? [])
        .filter(
          (s) =>
            s.effect === 'Allow' &&
            s.principals.some(
              (p) => p.type === 'Service' && p.identifiers.includes('cloudtrail.amazonaws.com'),
            ),
        )
        .flatMap((s) => s.conditions)
        .filter((c) => UNSUPPORTED_TRUST_KEYS.includes(c.variable.toLowerCase()))
        .map(
          (c) => `the trust policy of ${role.address} conditions cloudtrail.amazonaws.com on ${c.variable}`,
        );
    },
  },
];
