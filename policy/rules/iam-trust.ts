/**
 * Service trust rules: a role a service assumes carries the confused-deputy guard that service
 * documents (`modules/iam/trust.ts` builds them; this refuses a hand-written trust without it).
 */
import type { Rule } from '../rule';

/**
 * Service principals whose guide documents both `aws:SourceAccount` and `aws:SourceArn` in the trust
 * policy of the role they assume: ECS tasks (Amazon ECS Developer Guide, "Amazon ECS task IAM role"),
 * VPC flow logs (Amazon VPC User Guide, "IAM role for publishing flow logs to CloudWatch Logs"), RDS
 * Enhanced Monitoring (Amazon RDS User Guide, "Setting up and enabling Enhanced Monitoring").
 */
export const SOURCE_GUARDED_PRINCIPALS: readonly string[] = [
  'ecs-tasks.amazonaws.com',
  'vpc-flow-logs.amazonaws.com',
  'monitoring.rds.amazonaws.com',
];

const GUARD_KEYS = ['aws:SourceAccount', 'aws:SourceArn'];

/** Actions that allow sts:AssumeRole (condition keys and actions are case-insensitive). */
const ASSUME_ROLE = /^(\*|sts:\*|sts:AssumeRole)$/i;

export const IAM_TRUST_RULES: readonly Rule[] = [
  {
    id: 'GR-IAM-2',
    info: 'Roles trusting ecs-tasks, vpc-flow-logs or monitoring.rds require aws:SourceAccount and aws:SourceArn.',
    explanation:
      'The guides of ECS, VPC Flow Logs and RDS Enhanced Monitoring give both keys for the trust policy of ' +
      'the role the service assumes and recommend them, so that no other account can have the service act ' +
      'with the role (Amazon ECS Developer Guide, "Amazon ECS task IAM role"; Amazon VPC User Guide, "IAM ' +
      'role for publishing flow logs to CloudWatch Logs"; Amazon RDS User Guide, "Setting up and enabling ' +
      'Enhanced Monitoring"). Build such roles with serviceRole (modules/iam/trust.ts).',
    resourceTypes: ['aws_iam_role'],
    severity: 'error',
    check: (role, { stack }) =>
      (stack.policyStatements(role.config.assume_role_policy) ?? [])
        .filter((s) => s.effect === 'Allow' && s.actions.some((a) => ASSUME_ROLE.test(a)))
        .flatMap((s) => {
          const guarded = s.principals
            .filter((p) => p.type === 'Service')
            .flatMap((p) => p.identifiers)
            .filter((identifier) => SOURCE_GUARDED_PRINCIPALS.includes(identifier));
          const present = new Set(s.conditions.map((c) => c.variable.toLowerCase()));
          const missing = GUARD_KEYS.filter((key) => !present.has(key.toLowerCase()));
          return guarded.length === 0 || missing.length === 0
            ? []
            : [`the trust of ${guarded.join(', ')} lacks ${missing.join(' and ')}`];
        }),
  },
];
