import { TerraformOutput, TerraformStack } from 'cdktf';
import type { EnvironmentInput } from '../../config';
import { environments } from '../../config/environments';
import { DataStack } from '../../stacks/data-stack';
import { NetworkStack } from '../../stacks/network-stack';
import { resourcesOf, testApp, testEnvironment, type SynthesizedConfig } from '../helpers';
import { named, SynthesizedApp, where } from './wiring';

/** The shipped settings of one environment, on the test account. */
function shipped(name: string): Partial<EnvironmentInput> {
  const settings = environments.find((environment) => environment.name === name)!;
  return { ...settings, accountId: '123456789012' };
}

function prefixed(prefix: string, fields: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [`${prefix}-${key}`, value]));
}

const ZONES = ['ap-northeast-1a', 'ap-northeast-1c'];

/**
 * The data stack of an environment, with its network, synthesized with the cross-stack references
 * resolved after the guardrails passed on it; `reads` are what it must read of the network stack.
 */
function dataStackOf(overrides: Partial<EnvironmentInput>) {
  const app = testApp();
  const environment = testEnvironment(overrides);
  const network = new NetworkStack(app, { environment });
  const stack = new DataStack(app, { environment, network });
  const wiring = new SynthesizedApp([stack]);
  const config = wiring.config(stack);
  const prefix = environment.namePrefix;
  const reads = {
    subnets: (tier: string) =>
      ZONES.map((zone) => wiring.readOf(network, 'aws_subnet', named(`${prefix}-${tier}-${zone}`), 'id')),
    group: (role: string) => wiring.readOf(network, 'aws_security_group', named(`${prefix}-${role}`), 'id'),
  };
  return { stack, network, wiring, config, json: JSON.stringify(config), reads };
}

function only(config: SynthesizedConfig, type: string): Record<string, unknown> {
  const resources = resourcesOf(config, type);
  expect(resources).toHaveLength(1);
  return resources[0];
}

describe('DataStack in prod', () => {
  const { stack, config, json, reads } = dataStackOf(shipped('prod'));
  const instance = only(config, 'aws_db_instance');

  test('is named <env>-data and keeps its state under <project>/<env>/data.tfstate', () => {
    expect(stack.node.id).toBe('prod-data');
    expect(config.terraform.backend?.s3).toMatchObject({ key: 'aws-and-infra/prod/data.tfstate' });
  });

  test('MySQL 8.4 on a Graviton burstable class, multi-AZ, gp3 20 GB growing to 100 GB, port 3306, private', () => {
    expect(instance).toMatchObject({
      identifier: 'aws-and-infra-prod-mysql',
      engine: 'mysql',
      engine_version: '8.4',
      instance_class: 'db.t4g.medium',
      multi_az: true,
      storage_type: 'gp3',
      allocated_storage: 20,
      max_allocated_storage: 100,
      port: 3306,
      publicly_accessible: false,
    });
  });

  test("state is written and read with the state stack's KMS key, by alias ARN", () => {
    const keyId = 'arn:aws:kms:ap-northeast-1:123456789012:alias/aws-and-infra-prod-tfstate';
    expect(config.terraform.backend?.s3).toMatchObject({ encrypt: true, kms_key_id: keyId });
    const reads = Object.values(config.data?.terraform_remote_state ?? {}) as {
      config: Record<string, unknown>;
    }[];
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read.config.kms_key_id).toBe(keyId);
  });

  test('in the database subnets with the network stack db group, read through remote state', () => {
    const subnetGroup = only(config, 'aws_db_subnet_group');
    expect(subnetGroup.subnet_ids).toEqual(reads.subnets('database'));
    expect(instance.vpc_security_group_ids).toEqual([reads.group('db')]);
  });

  test('the database and file system are encrypted with the stack key, which rotates and CloudWatch Logs may use', () => {
    const keyArn = expect.stringMatching(/^\$\{aws_kms_key\.data-key_.*\.arn\}$/);
    expect(instance).toMatchObject({
      storage_encrypted: true,
      kms_key_id: keyArn,
      master_user_secret_kms_key_id: keyArn,
      performance_insights_kms_key_id: keyArn,
    });
    expect(only(config, 'aws_efs_file_system')).toMatchObject({ encrypted: true, kms_key_id: keyArn });
    for (const key of resourcesOf(config, 'aws_kms_key')) expect(key.enable_key_rotation).toBe(true);
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_kms_alias' },
      { name: 'alias/aws-and-infra-prod-data' },
    );
    const keyPolicy = Object.entries(config.data?.aws_iam_policy_document ?? {}).find(([id]) =>
      id.startsWith('data-key_policy'),
    )?.[1];
    const statements = (keyPolicy as { statement: { sid?: string }[] }).statement;
    expect(statements.find((statement) => statement.sid === 'AllowCloudWatchLogs')).toEqual({
      sid: 'AllowCloudWatchLogs',
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      principals: [{ type: 'Service', identifiers: ['logs.ap-northeast-1.amazonaws.com'] }],
      resources: ['*'],
      condition: [
        {
          test: 'ArnLike',
          variable: 'kms:EncryptionContext:aws:logs:arn',
          values: ['arn:aws:logs:ap-northeast-1:123456789012:log-group:*'],
        },
      ],
    });
  });

  test('no password: the master secret is managed by RDS in Secrets Manager', () => {
    expect(instance).toMatchObject({ manage_master_user_password: true, username: 'dbadmin' });
    expect(instance.password).toBeUndefined();
    expect(instance.password_wo).toBeUndefined();
    // Terraform writes no secret value: RDS and the database-users function generate every password.
    expect(config.resource?.aws_secretsmanager_secret_version).toBeUndefined();
  });

  test('IAM auth, TLS-only parameter group, option group, Performance Insights and enhanced monitoring', () => {
    expect(instance).toMatchObject({
      iam_database_authentication_enabled: true,
      performance_insights_enabled: true,
      performance_insights_retention_period: 7,
      monitoring_interval: 60,
      copy_tags_to_snapshot: true,
      auto_minor_version_upgrade: true,
    });
    expect(only(config, 'aws_db_parameter_group').parameter).toContainEqual({
      name: 'require_secure_transport',
      value: '1',
    });
    expect(only(config, 'aws_db_option_group')).toMatchObject({ major_engine_version: '8.4' });
    expect(only(config, 'aws_db_parameter_group').family).toBe('mysql8.4');
  });

  test('Extended Support is off, stated explicitly (unset, RDS would enrol the instance and bill it)', () => {
    expect(instance.engine_lifecycle_support).toBe('open-source-rds-extended-support-disabled');
  });

  test('backups kept 30 days, 19:00-19:30 UTC; maintenance sat:20:00-sat:20:30 UTC', () => {
    expect(instance).toMatchObject({
      backup_retention_period: 30,
      backup_window: '19:00-19:30',
      maintenance_window: 'sat:20:00-sat:20:30',
    });
  });

  test('RDS log groups keep the environment retention', () => {
    const groups = resourcesOf(config, 'aws_cloudwatch_log_group').map((group) => [
      group.name,
      group.retention_in_days,
    ]);
    expect(groups).toEqual([
      ['/aws/lambda/aws-and-infra-prod-db-users', 365],
      ['/aws/rds/instance/aws-and-infra-prod-mysql/error', 365],
      ['/aws/rds/instance/aws-and-infra-prod-mysql/slowquery', 365],
    ]);
  });

  test('cannot be lost by a careless destroy: deletion protection, final snapshot, prevent_destroy', () => {
    expect(instance).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'aws-and-infra-prod-mysql-final',
      delete_automated_backups: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(only(config, 'aws_efs_file_system').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('EFS: elastic, Infrequent Access after 30 days, a mount target per private subnet with the efs group', () => {
    expect(only(config, 'aws_efs_file_system')).toMatchObject({
      throughput_mode: 'elastic',
      lifecycle_policy: [
        { transition_to_ia: 'AFTER_30_DAYS' },
        { transition_to_primary_storage_class: 'AFTER_1_ACCESS' },
      ],
    });
    const targets = resourcesOf(config, 'aws_efs_mount_target');
    expect(targets.map((target) => target.subnet_id)).toEqual(reads.subnets('private'));
    for (const target of targets) expect(target.security_groups).toEqual([reads.group('efs')]);
  });

  test('the file-system policy admits the web-instance and app-task roles by name, each to its access point', () => {
    const policy = Object.entries(config.data?.aws_iam_policy_document ?? {}).find(([id]) =>
      id.includes('policy-document'),
    )?.[1] as { statement: { condition: { variable: string; values: string[] }[] }[] };
    const principals = policy.statement
      .flatMap((statement) => statement.condition)
      .filter((condition) => condition.variable === 'aws:PrincipalArn')
      .map((condition) => condition.values);
    expect(principals).toEqual([
      ['arn:aws:iam::123456789012:role/aws-and-infra-prod-web-instance'],
      ['arn:aws:iam::123456789012:role/aws-and-infra-prod-app-task'],
    ]);
  });

  test('access points for the web content and the app', () => {
    const paths = resourcesOf(config, 'aws_efs_access_point').map(
      (point) => (point.root_directory as { path: string }).path,
    );
    expect(paths.sort()).toEqual(['/app', '/wordpress/wp-content']);
  });

  test("AWS Backup covers the file system, so EFS's own automatic backups are off (one mechanism)", () => {
    expect(only(config, 'aws_efs_backup_policy').backup_policy).toEqual({ status: 'DISABLED' });
  });

  const vaults = Object.fromEntries(
    resourcesOf(config, 'aws_backup_vault').map((vault) => [vault.name as string, vault]),
  );

  test('the backup vault has a key of its own, not the data key', () => {
    expect(vaults['aws-and-infra-prod-data'].kms_key_arn).toMatch(
      /^\$\{aws_kms_key\.backup-key_[0-9A-F]+\.arn\}$/,
    );
  });

  test('prod locks the vault in governance mode for the retention (no changeable_for_days)', () => {
    expect(only(config, 'aws_backup_vault_lock_configuration')).toEqual({
      backup_vault_name: expect.stringMatching(/^\$\{aws_backup_vault\.backups_vault_.*\.name\}$/),
      min_retention_days: 35,
    });
  });

  test('prod copies every recovery point to a vault in ap-northeast-3, under a key of that region', () => {
    const copyVault = vaults['aws-and-infra-prod-data-copy'];
    expect(copyVault).toMatchObject({ provider: 'aws.backup-copy', force_destroy: false });
    expect(copyVault.kms_key_arn).toMatch(/^\$\{aws_kms_key\.backup-copy-key_[0-9A-F]+\.arn\}$/);
    const copyKey = Object.entries(config.resource?.aws_kms_key ?? {}).find(([id]) =>
      id.startsWith('backup-copy-key'),
    );
    expect(copyKey?.[1].provider).toBe('aws.backup-copy');
    expect(config.provider?.aws).toContainEqual(
      expect.objectContaining({
        alias: 'backup-copy',
        region: 'ap-northeast-3',
        allowed_account_ids: ['123456789012'],
      }),
    );
    const [rule] = only(config, 'aws_backup_plan').rule as Record<string, unknown>[];
    expect(rule.copy_action).toEqual([
      {
        destination_vault_arn: expect.stringMatching(/^\$\{aws_backup_vault\.backups_copy-vault_.*\.arn\}$/),
        lifecycle: { delete_after: 35 },
      },
    ]);
  });

  test('AWS Backup: daily backups of the database and the file system into a vault a destroy cannot empty', () => {
    expect(vaults['aws-and-infra-prod-data']).toMatchObject({ force_destroy: false });
    expect(only(config, 'aws_backup_plan').rule).toEqual([
      expect.objectContaining({ lifecycle: { delete_after: 35 } }),
    ]);
    expect(only(config, 'aws_backup_selection').resources).toEqual([
      expect.stringMatching(/^\$\{aws_db_instance\.mysql_instance_.*\.arn\}$/),
      expect.stringMatching(/^\$\{aws_efs_file_system\.shared-files_file-system_.*\.arn\}$/),
    ]);
  });

  test('exposes the database and file-system contracts from resource attributes', () => {
    expect(stack.database.wordpress).toEqual({
      databaseName: 'wordpress',
      secretArn: stack.users.credentials.wordpress.secretArn,
      secretKmsKeyArn: stack.key.arn,
    });
    expect(stack.database.app).toBeUndefined();
    expect(stack.database.address).toBe(stack.mysql.address);
    expect(stack.database.instanceIdentifier).toBe(stack.mysql.instanceIdentifier);
    expect(stack.appFiles.fileSystemId).toBe(stack.fileSystem.id);
    expect(stack.fileSystemMetrics).toEqual({
      fileSystemId: stack.fileSystem.id,
      throughputMode: 'elastic',
      performanceMode: 'generalPurpose',
    });
  });

  test('a later stack reading the DataAccess contract reads exactly the right attribute of each resource', () => {
    const app = testApp();
    const environment = testEnvironment({ ...shipped('prod'), containers: { database: { name: 'app' } } });
    const network = new NetworkStack(app, { environment });
    const data = new DataStack(app, { environment, network });
    const consumer = new TerraformStack(app, 'consumer');
    const { wordpress, app: appDatabase, ...database } = data.database;
    const contract = {
      ...database,
      ...prefixed('wordpress', wordpress),
      ...prefixed('app', appDatabase!),
      ...prefixed('web', data.webFiles),
      ...prefixed('app-files', data.appFiles),
      ...prefixed('metrics', { fileSystemId: data.fileSystemMetrics.fileSystemId }),
    };
    for (const [name, value] of Object.entries(contract)) new TerraformOutput(consumer, name, { value });
    const wiring = new SynthesizedApp([consumer]);
    const read = (type: string, match: (body: Record<string, unknown>) => boolean, attribute: string) => ({
      value: wiring.readOf(data, type, match, attribute),
    });
    const any = () => true;
    const secret = (name: string) => where('name', `aws-and-infra-prod-db-users/${name}`);
    const dataKey = (body: Record<string, unknown>) =>
      String(body.description).startsWith('Encrypts the database,');
    const accessPoint = (path: string) => (body: Record<string, unknown>) =>
      (body.root_directory as { path: string }).path === path;
    expect(wiring.config(consumer).output).toEqual({
      address: read('aws_db_instance', any, 'address'),
      port: read('aws_db_instance', any, 'port'),
      instanceIdentifier: read('aws_db_instance', any, 'identifier'),
      'wordpress-databaseName': { value: 'wordpress' },
      'wordpress-secretArn': read('aws_secretsmanager_secret', secret('wordpress'), 'arn'),
      'wordpress-secretKmsKeyArn': read('aws_kms_key', dataKey, 'arn'),
      'app-databaseName': { value: 'app' },
      'app-secretArn': read('aws_secretsmanager_secret', secret('app'), 'arn'),
      'app-secretKmsKeyArn': read('aws_kms_key', dataKey, 'arn'),
      'web-fileSystemId': read('aws_efs_file_system', any, 'id'),
      'web-fileSystemArn': read('aws_efs_file_system', any, 'arn'),
      'web-accessPointId': read('aws_efs_access_point', accessPoint('/wordpress/wp-content'), 'id'),
      'web-accessPointArn': read('aws_efs_access_point', accessPoint('/wordpress/wp-content'), 'arn'),
      'app-files-fileSystemId': read('aws_efs_file_system', any, 'id'),
      'app-files-fileSystemArn': read('aws_efs_file_system', any, 'arn'),
      'app-files-accessPointId': read('aws_efs_access_point', accessPoint('/app'), 'id'),
      'app-files-accessPointArn': read('aws_efs_access_point', accessPoint('/app'), 'arn'),
      'metrics-fileSystemId': read('aws_efs_file_system', any, 'id'),
    });
    // The master secret never leaves the data stack.
    const produced = Object.values(wiring.config(data).output ?? {}).map(
      (output) => (output as { value: string }).value,
    );
    expect(produced.filter((value) => value.includes('master_user_secret'))).toEqual([]);
  });

  test('the database-users function runs in the private subnets, in the db-admin group, on 30-day rotations', () => {
    expect(only(config, 'aws_lambda_function').vpc_config).toEqual({
      subnet_ids: reads.subnets('private'),
      security_group_ids: [reads.group('db-admin')],
    });
    expect(only(config, 'aws_secretsmanager_secret_rotation').rotation_rules).toEqual({
      automatically_after_days: 30,
    });
    // Protected: a deleted secret can be restored for 30 days.
    expect(only(config, 'aws_secretsmanager_secret').recovery_window_in_days).toBe(30);
  });

  test('plans offline: no data source but policy documents and the network remote state', () => {
    expect(Object.keys(config.data ?? {}).sort()).toEqual([
      'aws_iam_policy_document',
      'terraform_remote_state',
    ]);
  });
});

describe('DataStack with a container app database', () => {
  const { stack, config } = dataStackOf({ containers: { database: { name: 'app' }, clusterName: 'shop' } });

  test('the app gets its own database, user and secret, and its service is redeployed after each rotation', () => {
    expect(stack.database.app).toEqual({
      databaseName: 'app',
      secretArn: stack.users.credentials.app.secretArn,
      secretKmsKeyArn: stack.key.arn,
    });
    expect(resourcesOf(config, 'aws_secretsmanager_secret').map((secret) => secret.name)).toEqual([
      'aws-and-infra-dev-db-users/app',
      'aws-and-infra-dev-db-users/wordpress',
    ]);
    const fn = only(config, 'aws_lambda_function') as { environment: { variables: Record<string, string> } };
    expect(JSON.parse(fn.environment.variables.RESTART_ON_ROTATION)).toEqual({
      app: [{ cluster: 'shop', service: 'aws-and-infra-dev-app' }],
    });
  });
});

describe('DataStack in dev', () => {
  const { config } = dataStackOf(shipped('dev'));
  const instance = only(config, 'aws_db_instance');

  test('a single-AZ micro instance without Performance Insights', () => {
    expect(instance).toMatchObject({
      instance_class: 'db.t4g.micro',
      multi_az: false,
      performance_insights_enabled: false,
    });
  });

  test('destroyable without manual steps: no deletion protection, no final snapshot, no prevent_destroy', () => {
    expect(instance).toMatchObject({
      deletion_protection: false,
      skip_final_snapshot: true,
      delete_automated_backups: true,
      lifecycle: { prevent_destroy: false },
    });
    expect(only(config, 'aws_efs_file_system').lifecycle).toEqual({ prevent_destroy: false });
  });

  test('still backed up by RDS for 30 days and encrypted, TLS-only and private', () => {
    expect(instance).toMatchObject({
      backup_retention_period: 30,
      storage_encrypted: true,
      publicly_accessible: false,
      manage_master_user_password: true,
    });
  });

  test("no AWS Backup vault or plan: EFS's automatic backups cover the file system", () => {
    expect(resourcesOf(config, 'aws_backup_vault')).toHaveLength(0);
    expect(resourcesOf(config, 'aws_backup_plan')).toHaveLength(0);
    expect(only(config, 'aws_efs_backup_policy').backup_policy).toEqual({ status: 'ENABLED' });
  });

  test('log groups keep the dev retention', () => {
    expect(resourcesOf(config, 'aws_cloudwatch_log_group').map((group) => group.retention_in_days)).toEqual([
      14, 14, 14,
    ]);
  });
});

describe('DataStack with AWS Backup in an unprotected environment', () => {
  const { config } = dataStackOf({
    deletionProtection: false,
    data: { backup: { enabled: true, vaultLock: true } },
  });

  test('the vault can be destroyed with its recovery points, and vault lock is honoured', () => {
    expect(only(config, 'aws_backup_vault')).toMatchObject({ force_destroy: true });
    expect(only(config, 'aws_backup_vault_lock_configuration')).toMatchObject({ min_retention_days: 35 });
  });
});
