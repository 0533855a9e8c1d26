import { Testing } from 'cdktf';
import { WebTierResources, type WebTierResourcesProps } from '../../modules/web-tier-resources';

type Body = Record<string, unknown>;
interface Config {
  resource: Record<string, Record<string, Body>>;
  data: Record<string, Record<string, Body>>;
}

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };

function synth(overrides: Partial<WebTierResourcesProps> = {}): Config {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new WebTierResources(scope, 'web', {
        context,
        namePrefix: 'proj-dev',
        logRetentionDays: 14,
        ...overrides,
      });
    }),
  ) as Config;
}

describe('WebTierResources', () => {
  const config = synth();
  const keyRef = expect.stringMatching(/^\$\{aws_kms_key\.web_key_[0-9A-F]+\.arn\}$/);

  test('four log groups /<namePrefix>/web/<log>, with the retention given, under the key', () => {
    const byName = (a: Body, b: Body) => String(a.name).localeCompare(String(b.name));
    expect(Object.values(config.resource.aws_cloudwatch_log_group).sort(byName)).toEqual(
      ['apache-access', 'apache-error', 'cloud-init-output', 'php-fpm-error'].map((log) => ({
        name: `/proj-dev/web/${log}`,
        retention_in_days: 14,
        kms_key_id: keyRef,
        tags: { Name: `/proj-dev/web/${log}` },
      })),
    );
  });

  test("the key admits CloudWatch Logs for this account's log groups only (encryption context)", () => {
    const policy = Object.values(config.data.aws_iam_policy_document)[0] as { statement: Body[] };
    expect(policy.statement[1]).toEqual({
      sid: 'AllowCloudWatchLogs',
      principals: [{ type: 'Service', identifiers: ['logs.ap-northeast-1.amazonaws.com'] }],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      condition: [
        {
          test: 'ArnLike',
          variable: 'kms:EncryptionContext:aws:logs:arn',
          values: ['arn:aws:logs:ap-northeast-1:123456789012:log-group:*'],
        },
      ],
    });
    expect(Object.values(config.resource.aws_kms_alias)[0].name).toBe('alias/proj-dev-web');
  });

  test('the administrator secret is created under the key with no value: the first install stores it', () => {
    expect(Object.values(config.resource.aws_secretsmanager_secret)).toEqual([
      {
        name: 'proj-dev/wordpress/admin',
        description: 'WordPress administrator (username, password, email), written by the first install',
        kms_key_id: keyRef,
        recovery_window_in_days: 30,
      },
    ]);
    expect(config.resource.aws_secretsmanager_secret_version).toBeUndefined();
  });

  test('the recovery window follows the setting (0 frees the name at once)', () => {
    const secret = Object.values(
      synth({ secretRecoveryWindowInDays: 0 }).resource.aws_secretsmanager_secret,
    )[0];
    expect(secret.recovery_window_in_days).toBe(0);
  });
});
