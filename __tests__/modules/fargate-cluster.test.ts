import { Testing } from 'cdktf';
import { FargateCluster, type FargateClusterProps } from '../../modules/fargate-cluster';

type Body = Record<string, unknown>;
const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };

function synthCluster(overrides: Partial<FargateClusterProps> = {}) {
  const json = Testing.synthScope((scope) => {
    new FargateCluster(scope, 'cluster', {
      context,
      name: 'proj-dev',
      execLogGroupName: '/proj-dev/ecs/exec',
      execLogRetentionDays: 14,
      logsKmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/logs',
      ...overrides,
    });
  });
  const config = JSON.parse(json) as { resource: Record<string, Record<string, Body>> };
  const only = (type: string) => Object.values(config.resource[type])[0];
  const idOf = (type: string) => Object.keys(config.resource[type])[0];
  return { json, config, only, idOf };
}

describe('FargateCluster', () => {
  const { only, idOf, config } = synthCluster();

  test('Container Insights is on', () => {
    expect(only('aws_ecs_cluster').setting).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
  });

  test('every exec session is encrypted with the exec key and logged (OVERRIDE) to the exec log group', () => {
    expect(only('aws_ecs_cluster').configuration).toEqual({
      execute_command_configuration: {
        kms_key_id: `\${aws_kms_key.${idOf('aws_kms_key')}.arn}`,
        logging: 'OVERRIDE',
        log_configuration: {
          cloud_watch_log_group_name: `\${aws_cloudwatch_log_group.${idOf('aws_cloudwatch_log_group')}.name}`,
          cloud_watch_encryption_enabled: true,
        },
      },
    });
  });

  test('the exec log group is encrypted and expires', () => {
    expect(only('aws_cloudwatch_log_group')).toMatchObject({
      name: '/proj-dev/ecs/exec',
      retention_in_days: 14,
      kms_key_id: 'arn:aws:kms:ap-northeast-1:123456789012:key/logs',
    });
  });

  test('the exec key rotates', () => {
    expect(only('aws_kms_key')).toMatchObject({ enable_key_rotation: true });
    expect(Object.values(config.resource.aws_kms_alias)[0].name).toBe('alias/proj-dev-ecs-exec');
  });

  test('FARGATE and FARGATE_SPOT are available to services', () => {
    expect(only('aws_ecs_cluster_capacity_providers').capacity_providers).toEqual([
      'FARGATE',
      'FARGATE_SPOT',
    ]);
  });

  test('setting containerInsights false switches it off', () => {
    expect(synthCluster({ containerInsights: false }).only('aws_ecs_cluster').setting).toEqual([
      { name: 'containerInsights', value: 'disabled' },
    ]);
  });
});
