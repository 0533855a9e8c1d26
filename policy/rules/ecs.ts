/**
 * ECS rules: ECS Exec sessions encrypted and logged.
 */
import type { Rule } from '../rule';
import { block, isSet, isTrue } from '../synthesized';
import { failIf } from './helpers';

export const ECS_RULES: readonly Rule[] = [
  {
    id: 'GR-ECS-1',
    info: 'ECS Exec sessions are encrypted with KMS and logged to an encrypted destination.',
    explanation:
      'ECS Exec is a shell in production: its session data must use a customer key ' +
      '(execute_command_configuration.kms_key_id) and every session must be logged (logging = OVERRIDE ' +
      'to a CloudWatch log group or S3 bucket, with encryption enabled).',
    resourceTypes: ['aws_ecs_cluster'],
    severity: 'error',
    check: (cluster) => {
      const exec = block(block(cluster.config.configuration).execute_command_configuration);
      const logs = block(exec.log_configuration);
      const logged =
        exec.logging === 'OVERRIDE' &&
        ((isSet(logs.cloud_watch_log_group_name) && isTrue(logs.cloud_watch_encryption_enabled)) ||
          (isSet(logs.s3_bucket_name) && isTrue(logs.s3_bucket_encryption_enabled)));
      return [
        ...failIf(
          !isSet(exec.kms_key_id),
          'configuration.execute_command_configuration.kms_key_id is not set',
        ),
        ...failIf(
          !logged,
          'execute_command_configuration does not log (OVERRIDE) to an encrypted log group or bucket',
        ),
      ];
    },
  },
];
