import { TerraformOutput, TerraformStack } from 'cdktf';
import type { EnvironmentInput } from '../../config';
import { environments } from '../../config/environments';
import { DataStack } from '../../stacks/data-stack';
import { NetworkStack } from '../../stacks/network-stack';
import {
  resourcesOf,
  synthesizeAcrossStacks,
  testApp,
  testEnvironment,
  type SynthesizedConfig,
} from '../helpers';

/** The shipped settings of one environment, on the test account. */
function shipped(name: string): Partial<EnvironmentInput> {
  const settings = environments.find((environment) => environment.name === name)!;
  return { ...settings, accountId: '123456789012' };
}

function prefixed(prefix: string, fields: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [`${prefix}-${key}`, value]));
}

/** The data stack of an environment, with its network, synthesized with the cross-stack references resolved. */
function dataStackOf(overrides: Partial<EnvironmentInput>) {
  const app = testApp();
  const environment = testEnvironment(overrides);
  const network = new NetworkStack(app, { environment });
  const stack = new DataStack(app, { environment, network });
  return { stack, network, ...synthesizeAcrossStacks(stack) };
}

function only(config: SynthesizedConfig, type: string): Record<string, unknown> {
  const resources = resourcesOf(config, type);
  expect(resources).toHaveLength(1);
  return resources[0];
}

const remote = (output: RegExp) =>
  expect.stringMatching(
    new RegExp(
      `^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-[a-z]+-network\\.outputs\\.${output.source}`,
    ),
  );

describe('DataStack in prod', () => {
  const { stack, config, json } = dataStackOf(shipped('prod'));
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
    expect(subnetGroup.subnet_ids).toEqual([
      remote(/cross-stack-output-aws_subnetnetwork_database-ap-northeast-1a/),
      remote(/cross-stack-output-aws_subnetnetwork_database-ap-northeast-1c/),
    ]);
    expect(instance.vpc_security_group_ids).toEqual([
      remote(/cross-stack-output-aws_security_groupsecurity-groups_db/),
    ]);
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
    expect(JSON.stringify(config)).not.toMatch(/"password"/);
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
    expect(targets.map((target) => target.subnet_id)).toEqual([
      remote(/cross-stack-output-aws_subnetnetwork_private-ap-northeast-1a/),
      remote(/cross-stack-output-aws_subnetnetwork_private-ap-northeast-1c/),
    ]);
    for (const target of targets)
      expect(target.security_groups).toEqual([
        remote(/cross-stack-output-aws_security_groupsecurity-groups_efs/),
      ]);
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

  test('a later stack reading the contracts gets outputs of the right attributes', () => {
    const app = testApp();
    const environment = testEnvironment(shipped('prod'));
    const network = new NetworkStack(app, { environment });
    const data = new DataStack(app, { environment, network });
    const consumer = new TerraformStack(app, 'consumer');
    const { wordpress, ...database } = data.database;
    const contracts = {
      ...database,
      ...prefixed('wordpress', wordpress),
      ...prefixed('web', data.webFiles),
      ...prefixed('app', data.appFiles),
    };
    for (const [name, value] of Object.entries(contracts)) new TerraformOutput(consumer, name, { value });
    const outputs = Object.values(synthesizeAcrossStacks(data).config.output ?? {}).map(
      (output) => (output as { value: string }).value,
    );
    for (const pattern of [
      /mysql_instance_\w+\.address\}$/,
      /mysql_instance_\w+\.port\}$/,
      /aws_secretsmanager_secret\.database-users_secret-wordpress_\w+\.arn\}$/,
      /mysql_instance_\w+\.identifier\}$/,
      /aws_kms_key\.data-key_\w+\.arn\}$/,
      /shared-files_file-system_\w+\.id\}$/,
      /shared-files_file-system_\w+\.arn\}$/,
      /shared-files_access-point-web_\w+\.id\}$/,
      /shared-files_access-point-web_\w+\.arn\}$/,
      /shared-files_access-point-app_\w+\.id\}$/,
      /shared-files_access-point-app_\w+\.arn\}$/,
    ])
      expect(outputs).toContainEqual(expect.stringMatching(pattern));
    // The master secret never leaves the data stack.
    expect(outputs.filter((output) => output.includes('master_user_secret'))).toEqual([]);
  });

  test('the database-users function runs in the private subnets, in the db-admin group, on 30-day rotations', () => {
    expect(only(config, 'aws_lambda_function').vpc_config).toEqual({
      subnet_ids: [
        remote(/cross-stack-output-aws_subnetnetwork_private-ap-northeast-1a_\w+id\}$/),
        remote(/cross-stack-output-aws_subnetnetwork_private-ap-northeast-1c_\w+id\}$/),
      ],
      security_group_ids: [remote(/cross-stack-output-aws_security_groupsecurity-groups_db-admin_\w+id\}$/)],
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
