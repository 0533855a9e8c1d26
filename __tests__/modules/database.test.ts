import { TerraformOutput, Testing } from 'cdktf';
import { MysqlDatabase, type MysqlDatabaseProps } from '../../modules/database';
import { resourcesOf, type SynthesizedConfig } from '../helpers';

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };
const base: MysqlDatabaseProps = {
  context,
  identifier: 'proj-dev-mysql',
  engineVersion: '8.0',
  instanceClass: 'db.t4g.medium',
  subnetIds: ['subnet-a', 'subnet-c'],
  securityGroupIds: ['sg-db'],
  kmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/k',
  databaseName: 'wordpress',
};

function synth(overrides: Partial<MysqlDatabaseProps> = {}): { json: string; config: SynthesizedConfig } {
  const json = Testing.synthScope((scope) => {
    new MysqlDatabase(scope, 'mysql', { ...base, ...overrides });
  });
  return { json, config: JSON.parse(json) as SynthesizedConfig };
}

function instanceOf(config: SynthesizedConfig): Record<string, unknown> {
  const [instance] = resourcesOf(config, 'aws_db_instance');
  return instance;
}

describe('MysqlDatabase', () => {
  const { json, config } = synth();
  const instance = instanceOf(config);

  test('private MySQL on encrypted gp3 storage that grows from 20 GB up to the ceiling', () => {
    expect(instance).toMatchObject({
      identifier: 'proj-dev-mysql',
      engine: 'mysql',
      engine_version: '8.0',
      instance_class: 'db.t4g.medium',
      storage_type: 'gp3',
      allocated_storage: 20,
      max_allocated_storage: 100,
      storage_encrypted: true,
      kms_key_id: base.kmsKeyArn,
      port: 3306,
      publicly_accessible: false,
      vpc_security_group_ids: ['sg-db'],
      db_name: 'wordpress',
    });
  });

  test('no password anywhere: RDS keeps the master secret, encrypted with the key', () => {
    expect(instance).toMatchObject({
      username: 'dbadmin',
      manage_master_user_password: true,
      master_user_secret_kms_key_id: base.kmsKeyArn,
    });
    expect(instance).not.toHaveProperty('password');
  });

  test('IAM authentication, Performance Insights, enhanced monitoring, tags on snapshots, minor upgrades', () => {
    expect(instance).toMatchObject({
      iam_database_authentication_enabled: true,
      performance_insights_enabled: true,
      performance_insights_kms_key_id: base.kmsKeyArn,
      performance_insights_retention_period: 7,
      monitoring_interval: 60,
      monitoring_role_arn: expect.stringMatching(/^\$\{aws_iam_role\.mysql_monitoring-role_.*\.arn\}$/),
      copy_tags_to_snapshot: true,
      auto_minor_version_upgrade: true,
    });
  });

  test('the monitoring role can only be assumed by RDS monitoring for this account and this instance', () => {
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_iam_role_policy_attachment' },
      { policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole' },
    );
    const trust = Object.entries(config.data?.aws_iam_policy_document ?? {}).find(([id]) =>
      id.includes('monitoring-trust'),
    )?.[1];
    expect(trust).toEqual({
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['monitoring.rds.amazonaws.com'] }],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] },
            {
              test: 'ArnLike',
              variable: 'aws:SourceArn',
              values: ['arn:aws:rds:ap-northeast-1:123456789012:db:proj-dev-mysql'],
            },
          ],
        },
      ],
    });
  });

  test('backups kept 30 days in the 19:00 UTC window, maintenance on Saturday 20:00 UTC', () => {
    expect(instance).toMatchObject({
      backup_retention_period: 30,
      backup_window: '19:00-19:30',
      maintenance_window: 'sat:20:00-sat:20:30',
    });
  });

  test('its own parameter group: mysql8.0 family, utf8mb4, slow query log to file, TLS required', () => {
    const [group] = resourcesOf(config, 'aws_db_parameter_group');
    expect(group).toMatchObject({ family: 'mysql8.0', name_prefix: 'proj-dev-mysql-mysql80-' });
    expect(group.name).toBeUndefined();
    expect(group.lifecycle).toEqual({ create_before_destroy: true });
    expect(group.parameter).toEqual(
      expect.arrayContaining([
        { name: 'character_set_server', value: 'utf8mb4' },
        { name: 'require_secure_transport', value: '1' },
        { name: 'slow_query_log', value: '1' },
        { name: 'log_output', value: 'FILE' },
      ]),
    );
    expect(instance.parameter_group_name).toMatch(/aws_db_parameter_group\.mysql_parameter-group_/);
  });

  test('engine_lifecycle_support is always explicit: disabled by default, enrolled when asked', () => {
    expect(instance.engine_lifecycle_support).toBe('open-source-rds-extended-support-disabled');
    expect(instanceOf(synth({ extendedSupport: true }).config).engine_lifecycle_support).toBe(
      'open-source-rds-extended-support',
    );
  });

  test('MySQL 8.4 gets the mysql8.4 family and an 8.4 option group', () => {
    const { config: config84 } = synth({ engineVersion: '8.4' });
    expect(resourcesOf(config84, 'aws_db_parameter_group')[0].family).toBe('mysql8.4');
    expect(resourcesOf(config84, 'aws_db_option_group')[0].major_engine_version).toBe('8.4');
  });

  test('the family follows a pinned engine version', () => {
    const [group] = resourcesOf(synth({ engineVersion: '8.0.40' }).config, 'aws_db_parameter_group');
    expect(group.family).toBe('mysql8.0');
  });

  test('its own option group for MySQL 8.0', () => {
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_db_option_group' },
      { engine_name: 'mysql', major_engine_version: '8.0', name_prefix: 'proj-dev-mysql-mysql80-' },
    );
    const [optionGroup] = resourcesOf(config, 'aws_db_option_group');
    expect([optionGroup.name, optionGroup.lifecycle]).toEqual([undefined, { create_before_destroy: true }]);
    expect(instance.option_group_name).toMatch(/aws_db_option_group\.mysql_option-group_/);
  });

  test('a subnet group over the given subnets', () => {
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_db_subnet_group' },
      { name: 'proj-dev-mysql', subnet_ids: ['subnet-a', 'subnet-c'] },
    );
  });

  test('error and slow-query logs go to encrypted groups with retention, created before the instance', () => {
    expect(instance.enabled_cloudwatch_logs_exports).toEqual(['error', 'slowquery']);
    const groups = resourcesOf(config, 'aws_cloudwatch_log_group');
    expect(groups.map((group) => [group.name, group.retention_in_days, group.kms_key_id])).toEqual([
      ['/aws/rds/instance/proj-dev-mysql/error', 30, base.kmsKeyArn],
      ['/aws/rds/instance/proj-dev-mysql/slowquery', 30, base.kmsKeyArn],
    ]);
    expect(instance.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_cloudwatch_log_group\.mysql_error-log-group_/),
        expect.stringMatching(/^aws_cloudwatch_log_group\.mysql_slowquery-log-group_/),
      ]),
    );
  });

  test('protected by default: deletion protection, a stable final snapshot, backups kept, prevent_destroy', () => {
    expect(instance).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'proj-dev-mysql-final',
      delete_automated_backups: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('unprotected: one destroy removes it, with no snapshot to clean up by hand', () => {
    expect(instanceOf(synth({ protect: false }).config)).toMatchObject({
      deletion_protection: false,
      skip_final_snapshot: true,
      delete_automated_backups: true,
      lifecycle: { prevent_destroy: false },
    });
  });

  test('multi-AZ is a setting', () => {
    expect(instance.multi_az).toBe(false);
    expect(instanceOf(synth({ multiAz: true }).config).multi_az).toBe(true);
  });

  test('monitoring off creates no role', () => {
    const off = synth({ monitoringIntervalSeconds: 0, performanceInsights: false }).config;
    expect(resourcesOf(off, 'aws_iam_role')).toHaveLength(0);
    expect(instanceOf(off)).toMatchObject({ monitoring_interval: 0, performance_insights_enabled: false });
    expect(instanceOf(off)).not.toHaveProperty('monitoring_role_arn');
  });

  test('exposes the endpoint, port, secret ARN and identifier as instance attributes', () => {
    const outputs = (
      JSON.parse(
        Testing.synthScope((scope) => {
          const db = new MysqlDatabase(scope, 'mysql', base);
          new TerraformOutput(scope, 'secret', { value: db.masterSecretArn });
          new TerraformOutput(scope, 'address', { value: db.address });
          new TerraformOutput(scope, 'port', { value: db.port });
          new TerraformOutput(scope, 'identifier', { value: db.instanceIdentifier });
        }),
      ) as { output: Record<string, { value: string }> }
    ).output;
    expect(outputs.secret.value).toMatch(
      /^\$\{aws_db_instance\.mysql_instance_.*\.master_user_secret\[0\]\.secret_arn\}$/,
    );
    expect(outputs.address.value).toMatch(/^\$\{aws_db_instance\.mysql_instance_.*\.address\}$/);
    expect(outputs.port.value).toMatch(/^\$\{aws_db_instance\.mysql_instance_.*\.port\}$/);
    expect(outputs.identifier.value).toMatch(/^\$\{aws_db_instance\.mysql_instance_.*\.identifier\}$/);
  });

  test('fewer than two subnets fail at construction', () => {
    expect(() => synth({ multiAz: true, subnetIds: ['subnet-a'] })).toThrow(
      'subnetIds must name subnets in at least two zones (multiAz is on), got 1',
    );
  });

  test('storage outside 20 GB to the ceiling fails at construction', () => {
    expect(() => synth({ allocatedStorageGb: 200, maxAllocatedStorageGb: 100 })).toThrow(
      'allocatedStorageGb must be 20-100 (maxAllocatedStorageGb), got 200',
    );
  });

  test('backup retention outside 0-35 days fails at construction', () => {
    expect(() => synth({ backupRetentionDays: 40 })).toThrow('backupRetentionDays must be 0-35, got 40');
  });

  test('no backups on a protected database fail at construction', () => {
    expect(() => synth({ backupRetentionDays: 0 })).toThrow(
      'backupRetentionDays must be at least 1 when protect is on',
    );
  });
});
