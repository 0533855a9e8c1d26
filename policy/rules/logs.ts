/**
 * CloudWatch Logs rules: log groups encrypted under a key CloudWatch Logs may use, and expiring.
 */
import { actionMatches } from '../../modules/ci-read-permissions';
import type { Rule } from '../rule';
import { asNumber, isSet, type PolicyStatement } from '../synthesized';
import { failIf } from './helpers';

/** CloudWatch Logs' regional service principal (`logs.<region>.amazonaws.com`). */
const LOGS_PRINCIPAL = /^logs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** What CloudWatch Logs does with a log group's key: encrypt new data and read it back. */
const LOGS_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'];

function admitsLogs(statement: PolicyStatement): boolean {
  return (
    statement.effect === 'Allow' &&
    statement.principals.some(
      (p) => p.type === 'Service' && p.identifiers.some((id) => LOGS_PRINCIPAL.test(id)),
    ) &&
    LOGS_KEY_ACTIONS.every((action) => statement.actions.some((pattern) => actionMatches(pattern, action)))
  );
}

export const LOGS_RULES: readonly Rule[] = [
  {
    id: 'GR-LOG-1',
    info: 'CloudWatch log groups are encrypted with KMS.',
    explanation: 'Logs carry request data and secrets by accident; kms_key_id puts them under a key policy.',
    resourceTypes: ['aws_cloudwatch_log_group'],
    severity: 'error',
    check: (group) => failIf(!isSet(group.config.kms_key_id), 'kms_key_id is not set'),
  },
  {
    id: 'GR-LOG-2',
    info: 'CloudWatch log groups have a retention period.',
    explanation: 'A log group without retention_in_days keeps (and bills) every event forever.',
    resourceTypes: ['aws_cloudwatch_log_group'],
    severity: 'error',
    check: (group) => {
      const days = asNumber(group.config.retention_in_days);
      return failIf(days === undefined || days < 1, 'retention_in_days is not set (events never expire)');
    },
  },
  {
    id: 'GR-LOG-3',
    info: "A log group's KMS key (in the same stack) lets CloudWatch Logs use it.",
    explanation:
      'CloudWatch Logs encrypts with the key as the service principal logs.<region>.amazonaws.com, so the ' +
      'key policy must allow it kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and ' +
      'kms:Describe* (CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS Key ' +
      'Management Service", step 2); without it CreateLogGroup and AssociateKmsKey fail at apply, after ' +
      'the plan looked fine. IAM delegation in the key policy does not cover a service principal. A key ' +
      'from another stack is not visible here and is not checked.',
    resourceTypes: ['aws_cloudwatch_log_group'],
    severity: 'error',
    check: (group, { stack }) => {
      const key = stack.follow(group, 'kms_key_id');
      if (key === undefined || key.type !== 'aws_kms_key') return [];
      const statements = stack.policyStatements(key.config.policy);
      if (statements === undefined) return [];
      return statements.some(admitsLogs)
        ? []
        : [
            `the policy of its key ${key.address} does not allow logs.<region>.amazonaws.com ${LOGS_KEY_ACTIONS.join(', ')}`,
          ];
    },
  },
];
