/**
 * SNS rules: topics encrypted with KMS.
 */
import type { Rule } from '../rule';
import { isSet } from '../synthesized';
import { failIf } from './helpers';

export const SNS_RULES: readonly Rule[] = [
  {
    id: 'GR-SNS-1',
    info: 'SNS topics are encrypted with KMS.',
    explanation:
      'Messages at rest in SNS are encrypted only with kms_master_key_id. A topic that CloudWatch alarms ' +
      'publish to needs a customer key whose policy lets cloudwatch.amazonaws.com use it.',
    resourceTypes: ['aws_sns_topic'],
    severity: 'error',
    check: (topic) => failIf(!isSet(topic.config.kms_master_key_id), 'kms_master_key_id is not set'),
  },
];
