import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbOptionGroup } from '@cdktf/provider-aws/lib/db-option-group';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { serviceRole } from './iam/trust';

/** The log types the instance exports to CloudWatch Logs. */
const LOG_EXPORTS = ['error', 'slowquery'] as const;

export interface MysqlDatabaseProps {
  readonly context: AwsContext;
  /** DB instance identifier, also the name of its subnet, parameter and option groups (lowercase). */
  readonly identifier: string;
  /** `8.4` / `8.0` (current minor, kept current by auto minor upgrades) or `<major>.<minor>`. */
  readonly engineVersion: string;
  /**
   * Enrol the instance in RDS Extended Support (billed once its major version leaves standard
   * support). Off, RDS refuses to create a version past standard support. Always written out: an
   * unset `engine_lifecycle_support` means Extended Support on.
   * @default false
   */
  readonly extendedSupport?: boolean;
  /** e.g. `db.t4g.medium`. */
  readonly instanceClass: string;
  /** Subnets of the DB subnet group; at least two zones (an RDS rule, and multi-AZ needs them). */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /**
   * Customer-managed KMS key for storage, Performance Insights, the master secret and the log
   * groups; its policy must let CloudWatch Logs use it.
   */
  readonly kmsKeyArn: string;
  /** Database created with the instance. */
  readonly databaseName: string;
  /** Master user; RDS generates its password and keeps it in Secrets Manager. @default 'dbadmin' */
  readonly masterUsername?: string;
  /** gp3 storage at creation, GB. @default 20 */
  readonly allocatedStorageGb?: number;
  /** Storage autoscaling ceiling, GB (storage beyond the first 20 GB is billed). @default 100 */
  readonly maxAllocatedStorageGb?: number;
  /** A synchronous standby in another zone; doubles the instance and storage charges. @default false */
  readonly multiAz?: boolean;
  /** Days of automated backups (0-35). @default 30 */
  readonly backupRetentionDays?: number;
  /** Daily backup window, UTC. @default '19:00-19:30' */
  readonly backupWindow?: string;
  /** Weekly maintenance window, UTC. @default 'sat:20:00-sat:20:30' */
  readonly maintenanceWindow?: string;
  /**
   * Deletion protection, a final snapshot `<identifier>-final`, automated backups kept after
   * deletion and `prevent_destroy`. Off: one `terraform destroy` removes the database and its backups.
   * @default true
   */
  readonly protect?: boolean;
  /** Performance Insights, encrypted with the key (not on micro and small classes). @default true */
  readonly performanceInsights?: boolean;
  /** Days of Performance Insights data; beyond 7 is billed. @default 7 */
  readonly performanceInsightsRetentionDays?: number;
  /** Enhanced monitoring interval, seconds; 0 turns it off. Billed as CloudWatch Logs. @default 60 */
  readonly monitoringIntervalSeconds?: number;
  /** Retention of the exported error and slow-query logs. @default 30 */
  readonly logRetentionDays?: number;
  /** Seconds a query runs before the slow-query log records it. @default 2 */
  readonly longQueryTimeSeconds?: number;
  /** @default 3306 */
  readonly port?: number;
}

/**
 * RDS for MySQL, private and durable: its own subnet, parameter and option groups, a master password
 * that only Secrets Manager knows, KMS encryption, TLS required, IAM authentication, error and
 * slow-query logs in managed log groups with retention, Performance Insights, enhanced monitoring,
 * automated backups, and deletion protection with a final snapshot when `protect` is on.
 */
export class MysqlDatabase extends Construct {
  readonly instance: DbInstance;
  readonly subnetGroup: DbSubnetGroup;
  readonly parameterGroup: DbParameterGroup;
  readonly optionGroup: DbOptionGroup;
  /** The exported logs' groups, by log type (`error`, `slowquery`). */
  readonly logGroups: Readonly<Record<(typeof LOG_EXPORTS)[number], CloudwatchLogGroup>>;
  /** The enhanced-monitoring role; undefined when monitoring is off. */
  readonly monitoringRole?: IamRole;
  /** Host name of the endpoint (no port). */
  readonly address: string;
  readonly port: number;
  readonly arn: string;
  /** `DBInstanceIdentifier` of the CloudWatch metrics. */
  readonly instanceIdentifier: string;
  readonly databaseName: string;
  /** ARN of the Secrets Manager secret RDS keeps the master credentials in. */
  readonly masterSecretArn: string;
  /** ARN of the key that encrypts everything here, the master secret included. */
  readonly kmsKeyArn: string;
  /** Parameter-group family, derived from the engine version (`mysql8.0`). */
  readonly family: string;

  constructor(scope: Construct, id: string, props: MysqlDatabaseProps) {
    super(scope, id);
    const allocatedStorage = props.allocatedStorageGb ?? 20;
    const maxAllocatedStorage = props.maxAllocatedStorageGb ?? 100;
    const multiAz = props.multiAz ?? false;
    const backupRetentionDays = props.backupRetentionDays ?? 30;
    const protect = props.protect ?? true;
    const performanceInsights = props.performanceInsights ?? true;
    const monitoringInterval = props.monitoringIntervalSeconds ?? 60;
    const port = props.port ?? 3306;
    const fail = (message: string): never => {
      throw new Error(`${this.node.path}: ${message}`);
    };

    const version = /^(\d+)\.(\d+)(\.\d+)?$/.exec(props.engineVersion);
    if (!version) fail(`engineVersion must be <major>.<minor>[.<patch>], got "${props.engineVersion}"`);
    const majorVersion = `${version![1]}.${version![2]}`;
    this.family = `mysql${majorVersion}`;
    if (allocatedStorage < 20 || allocatedStorage > maxAllocatedStorage)
      fail(
        `allocatedStorageGb must be 20-${maxAllocatedStorage} (maxAllocatedStorageGb), got ${allocatedStorage}`,
      );
    if (backupRetentionDays < 0 || backupRetentionDays > 35)
      fail(`backupRetentionDays must be 0-35, got ${backupRetentionDays}`);
    if (protect && backupRetentionDays === 0)
      fail('backupRetentionDays must be at least 1 when protect is on');
    if (props.subnetIds.length < 2)
      fail(
        `subnetIds must name subnets in at least two zones${multiAz ? ' (multiAz is on)' : ''}, got ${props.subnetIds.length}`,
      );

    this.subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: props.identifier,
      description: `Database subnets of ${props.identifier}`,
      subnetIds: [...props.subnetIds],
      tags: { Name: props.identifier },
    });

    const groupName = `${props.identifier}-${this.family.replace('.', '')}`;
    // name_prefix with create_before_destroy: a replacement (a new family, a changed description)
    // creates the new group beside the old one, which a fixed name would refuse as a duplicate
    // (guardrail GR-REP-1). RDS generates the rest of the name.
    this.parameterGroup = new DbParameterGroup(this, 'parameter-group', {
      namePrefix: `${groupName}-`,
      family: this.family,
      description: `MySQL ${majorVersion} settings of ${props.identifier}`,
      parameter: [
        { name: 'character_set_server', value: 'utf8mb4' },
        { name: 'collation_server', value: 'utf8mb4_0900_ai_ci' },
        // Clients must use TLS: plain connections are refused by the server.
        { name: 'require_secure_transport', value: '1' },
        { name: 'slow_query_log', value: '1' },
        { name: 'long_query_time', value: String(props.longQueryTimeSeconds ?? 2) },
        // CloudWatch Logs exports read the log files, not tables.
        { name: 'log_output', value: 'FILE' },
      ],
      tags: { Name: groupName },
      lifecycle: { createBeforeDestroy: true },
    });
    this.optionGroup = new DbOptionGroup(this, 'option-group', {
      namePrefix: `${groupName}-`,
      optionGroupDescription: `MySQL ${majorVersion} options of ${props.identifier}`,
      engineName: 'mysql',
      majorEngineVersion: majorVersion,
      tags: { Name: groupName },
      lifecycle: { createBeforeDestroy: true },
    });

    // Created here, before the instance, so RDS does not create them itself without retention or key.
    const logGroups = {} as Record<(typeof LOG_EXPORTS)[number], CloudwatchLogGroup>;
    for (const type of LOG_EXPORTS) {
      logGroups[type] = new CloudwatchLogGroup(this, `${type}-log-group`, {
        name: `/aws/rds/instance/${props.identifier}/${type}`,
        retentionInDays: props.logRetentionDays ?? 30,
        kmsKeyId: props.kmsKeyArn,
      });
    }
    this.logGroups = logGroups;

    const monitoring = monitoringInterval > 0 ? this.createMonitoringRole(props) : undefined;
    this.monitoringRole = monitoring?.role;

    this.instance = new DbInstance(this, 'instance', {
      identifier: props.identifier,
      engine: 'mysql',
      engineVersion: props.engineVersion,
      // RDS API reference, CreateDBInstance: EngineLifecycleSupport defaults to
      // open-source-rds-extended-support; guardrail GR-RDS-8 keeps it explicit.
      engineLifecycleSupport:
        (props.extendedSupport ?? false)
          ? 'open-source-rds-extended-support'
          : 'open-source-rds-extended-support-disabled',
      autoMinorVersionUpgrade: true,
      instanceClass: props.instanceClass,
      storageType: 'gp3',
      allocatedStorage,
      maxAllocatedStorage,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      dbName: props.databaseName,
      username: props.masterUsername ?? 'dbadmin',
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      port,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [...props.securityGroupIds],
      publiclyAccessible: false,
      multiAz,
      parameterGroupName: this.parameterGroup.name,
      optionGroupName: this.optionGroup.name,
      backupRetentionPeriod: backupRetentionDays,
      backupWindow: props.backupWindow ?? '19:00-19:30',
      maintenanceWindow: props.maintenanceWindow ?? 'sat:20:00-sat:20:30',
      copyTagsToSnapshot: true,
      deletionProtection: protect,
      skipFinalSnapshot: !protect,
      // Stable: a timestamp here would show as a change in every plan.
      finalSnapshotIdentifier: `${props.identifier}-final`,
      deleteAutomatedBackups: !protect,
      enabledCloudwatchLogsExports: [...LOG_EXPORTS],
      performanceInsightsEnabled: performanceInsights,
      performanceInsightsKmsKeyId: performanceInsights ? props.kmsKeyArn : undefined,
      performanceInsightsRetentionPeriod: performanceInsights
        ? (props.performanceInsightsRetentionDays ?? 7)
        : undefined,
      monitoringInterval,
      monitoringRoleArn: this.monitoringRole?.arn,
      tags: { Name: props.identifier },
      // RDS checks the monitoring role's permissions when it creates the instance.
      dependsOn: [...Object.values(logGroups), ...(monitoring ? [monitoring.attachment] : [])],
      lifecycle: { preventDestroy: protect },
    });

    this.address = this.instance.address;
    this.port = this.instance.port;
    this.arn = this.instance.arn;
    this.instanceIdentifier = this.instance.identifier;
    this.databaseName = this.instance.dbName;
    this.masterSecretArn = this.instance.masterUserSecret.get(0).secretArn;
    this.kmsKeyArn = props.kmsKeyArn;
  }

  private createMonitoringRole(props: MysqlDatabaseProps): {
    role: IamRole;
    attachment: IamRolePolicyAttachment;
  } {
    const role = serviceRole(this, 'monitoring-role', {
      trusted: { service: 'rds-enhanced-monitoring', dbInstanceIdentifier: props.identifier },
      context: props.context,
      trustId: 'monitoring-trust',
      name: `${props.identifier}-monitoring`,
    });
    const attachment = new IamRolePolicyAttachment(this, 'monitoring-policy', {
      role: role.name,
      policyArn: `arn:${props.context.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });
    return { role, attachment };
  }
}
