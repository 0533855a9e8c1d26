import { Testing } from 'cdktf';
import { DailyBackups, type DailyBackupsProps } from '../../modules/backup-plan';
import { resourcesOf, type SynthesizedConfig } from '../helpers';

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };
const base: DailyBackupsProps = {
  context,
  name: 'proj-prod-data',
  kmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/k',
  resourceArns: ['arn:db', 'arn:efs'],
  retentionDays: 35,
};

function synth(overrides: Partial<DailyBackupsProps> = {}): { json: string; config: SynthesizedConfig } {
  const json = Testing.synthScope((scope) => {
    new DailyBackups(scope, 'backups', { ...base, ...overrides });
  });
  return { json, config: JSON.parse(json) as SynthesizedConfig };
}

describe('DailyBackups', () => {
  const { json, config } = synth();

  test('a vault encrypted with the key that a destroy does not empty by default', () => {
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_backup_vault' },
      { name: 'proj-prod-data', kms_key_arn: base.kmsKeyArn, force_destroy: false },
    );
  });

  test('a daily rule into the vault that keeps each recovery point the given days', () => {
    const [plan] = resourcesOf(config, 'aws_backup_plan');
    expect(plan.rule).toEqual([
      expect.objectContaining({
        rule_name: 'daily',
        schedule: 'cron(0 16 * * ? *)',
        target_vault_name: expect.stringMatching(/aws_backup_vault\.backups_vault_.*\.name/),
        lifecycle: { delete_after: 35 },
      }),
    ]);
  });

  test('selects the resources by ARN through its own role', () => {
    const [selection] = resourcesOf(config, 'aws_backup_selection');
    expect(selection).toMatchObject({
      resources: ['arn:db', 'arn:efs'],
      iam_role_arn: expect.stringMatching(/aws_iam_role\.backups_role_.*\.arn/),
    });
    expect(
      resourcesOf(config, 'aws_iam_role_policy_attachment')
        .map((attachment) => attachment.policy_arn)
        .sort(),
    ).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
    const [trust] = Object.values(config.data?.aws_iam_policy_document ?? {});
    expect(trust).toMatchObject({
      statement: [{ principals: [{ type: 'Service', identifiers: ['backup.amazonaws.com'] }] }],
    });
  });

  test('vault lock is off by default and keeps recovery points the retention when on', () => {
    expect(resourcesOf(config, 'aws_backup_vault_lock_configuration')).toHaveLength(0);
    expect(resourcesOf(synth({ vaultLock: true }).config, 'aws_backup_vault_lock_configuration')).toEqual([
      expect.objectContaining({ min_retention_days: 35 }),
    ]);
  });

  test('setting vaultLockChangeableForDays makes the lock compliance mode after that many days', () => {
    const [lock] = resourcesOf(
      synth({ vaultLock: true, vaultLockChangeableForDays: 3 }).config,
      'aws_backup_vault_lock_configuration',
    );
    expect(lock.changeable_for_days).toBe(3);
  });

  test('vaultLockChangeableForDays below 3 or without vaultLock fails at construction', () => {
    expect(() => synth({ vaultLock: true, vaultLockChangeableForDays: 2 })).toThrow(
      'vaultLockChangeableForDays needs vaultLock and at least 3 days (AWS Backup), got 2',
    );
    expect(() => synth({ vaultLockChangeableForDays: 3 })).toThrow('needs vaultLock');
  });

  test('a retention below one day fails at construction', () => {
    expect(() => synth({ retentionDays: 0 })).toThrow('retentionDays must be at least 1, got 0');
  });
});
