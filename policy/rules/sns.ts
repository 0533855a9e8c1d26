/**
 * Amazon SNS rules: topics encrypted with a customer key, and an alarm topic's key usable by CloudWatch.
 */
import { actionMatches } from '../../modules/ci-read-permissions';
import type { Rule } from '../rule';
import {
  asStrings,
  isSet,
  referencedAddress,
  type PolicyStatement,
  type SynthesizedResource,
} from '../synthesized';
import { failIf } from './helpers';

const CLOUDWATCH = 'cloudwatch.amazonaws.com';

/** What CloudWatch does with an encrypted topic's key when an alarm publishes. */
const ALARM_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

/** The AWS managed SNS key, whose policy no one can change to admit CloudWatch. */
const AWS_MANAGED_SNS_KEY = /(^|:)alias\/aws\/sns$/;

function admitsCloudWatch(statement: PolicyStatement): boolean {
  return (
    statement.effect === 'Allow' &&
    statement.principals.some((p) => p.type === 'Service' && p.identifiers.includes(CLOUDWATCH)) &&
    ALARM_KEY_ACTIONS.every((action) => statement.actions.some((pattern) => actionMatches(pattern, action)))
  );
}

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
  {
    id: 'GR-SNS-2',
    info: "An alarm's encrypted topic (in the same stack) has a customer key that CloudWatch may use.",
    explanation:
      'CloudWatch publishes an alarm to an encrypted topic as cloudwatch.amazonaws.com, so the key must be ' +
      'customer managed and its policy must allow that principal kms:Decrypt and kms:GenerateDataKey* ' +
      '(SNS developer guide, "Enable compatibility between event sources from AWS services and encrypted ' +
      'topics"); the AWS managed key alias/aws/sns cannot be given that grant. Otherwise every ' +
      'notification is dropped while the alarm itself looks healthy. A topic or key from another stack is ' +
      'not visible here and is not checked.',
    resourceTypes: ['aws_cloudwatch_metric_alarm'],
    severity: 'error',
    check: (alarm, { stack }) => {
      const actions = [
        ...asStrings(alarm.config.alarm_actions),
        ...asStrings(alarm.config.ok_actions),
        ...asStrings(alarm.config.insufficient_data_actions),
      ];
      const topics = [...new Set(actions.map(referencedAddress))]
        .map((address) => stack.get(address))
        .filter((topic): topic is SynthesizedResource => topic?.type === 'aws_sns_topic');
      return topics.flatMap((topic) => {
        const keyId = topic.config.kms_master_key_id;
        if (typeof keyId === 'string' && AWS_MANAGED_SNS_KEY.test(keyId))
          return [
            `topic ${topic.address} uses the AWS managed key alias/aws/sns, which CloudWatch may not use`,
          ];
        const key = stack.follow(topic!, 'kms_master_key_id');
        if (key?.type !== 'aws_kms_key') return [];
        const statements = stack.policyStatements(key.config.policy);
        if (statements === undefined || statements.some(admitsCloudWatch)) return [];
        return [
          `the policy of ${key.address}, the key of topic ${topic.address}, does not allow ${CLOUDWATCH} ${ALARM_KEY_ACTIONS.join(', ')}`,
        ];
      });
    },
  },
];
