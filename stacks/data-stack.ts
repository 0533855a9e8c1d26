import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { DailyBackups } from '../modules/backup-plan';
import { MysqlDatabase } from '../modules/database';
import { DatabaseUsers } from '../modules/database-users';
import { cloudWatchLogsKeyStatement, EncryptionKey } from '../modules/encryption-key';
import { SharedFileSystem } from '../modules/file-system';
import { databaseUsersCode } from '../functions/code';
import { BaseStack } from './base-stack';
import {
  appServiceNames,
  efsClientRoleNames,
  type DataAccess,
  type DatabaseAccess,
  type FileSystemAccess,
  type FileSystemMetrics,
  type NetworkAccess,
} from './contracts';

export interface DataStackProps {
  readonly environment: EnvironmentConfig;
  /** Subnets and the `db`, `efs` and `db-admin` security groups come from here (remote-state reads). */
  readonly network: NetworkAccess;
}

/**
 * `<env>-data`: RDS for MySQL in the database subnets, the shared EFS file system in the private
 * subnets, and, where the environment asks, AWS Backup beyond the services' own backups. One
 * customer-managed key encrypts the database and file system; the backup vault has its own (and, where
 * configured, a vault lock and a copy in a second region). `environment.deletionProtection` decides whether a
 * destroy can remove the database and the file system. Later stacks take it as its `DataAccess` contract.
 */
export class DataStack extends BaseStack implements DataAccess {
  /** Encrypts the database, its secret, logs and Performance Insights, the file system and the vault. */
  readonly key: EncryptionKey;
  readonly mysql: MysqlDatabase;
  /** The applications' own users and secrets, and the function that makes and rotates them. */
  readonly users: DatabaseUsers;
  readonly fileSystem: SharedFileSystem;
  /** Undefined when the environment turns AWS Backup off. */
  readonly backups?: DailyBackups;
  readonly database: DatabaseAccess;
  /** The web tier's shared content (WordPress `wp-content`). */
  readonly webFiles: FileSystemAccess;
  /** The container app's persistent data. */
  readonly appFiles: FileSystemAccess;
  /** What the file system's alarms and graphs need. */
  readonly fileSystemMetrics: FileSystemMetrics;

  constructor(scope: Construct, props: DataStackProps) {
    super(scope, 'data', props);
    const { data, deletionProtection, logRetentionDays, namePrefix } = this.environment;
    const { network } = props;
    const groups = network.securityGroupIds;

    this.key = new EncryptionKey(this, 'data-key', {
      alias: this.resourceName('data'),
      description: 'Encrypts the database, its master secret and logs, the shared file system and backups',
      context: this.context,
      serviceStatements: [cloudWatchLogsKeyStatement(this.context)],
    });

    const db = data.database;
    this.mysql = new MysqlDatabase(this, 'mysql', {
      context: this.context,
      identifier: this.resourceName('mysql'),
      engineVersion: db.engineVersion,
      extendedSupport: db.extendedSupport,
      instanceClass: db.instanceClass,
      subnetIds: network.subnetIds.database,
      securityGroupIds: [groups.db],
      kmsKeyArn: this.key.arn,
      databaseName: db.databaseName,
      masterUsername: db.masterUsername,
      allocatedStorageGb: db.allocatedStorageGb,
      maxAllocatedStorageGb: db.maxAllocatedStorageGb,
      multiAz: db.multiAz,
      backupRetentionDays: db.backupRetentionDays,
      backupWindow: db.backupWindow,
      maintenanceWindow: db.maintenanceWindow,
      protect: deletionProtection,
      performanceInsights: db.performanceInsights,
      performanceInsightsRetentionDays: db.performanceInsightsRetentionDays,
      monitoringIntervalSeconds: db.monitoringIntervalSeconds,
      logRetentionDays,
    });

    // The client roles come from the compute and containers stacks, deployed later: they are named
    // by convention and matched in the policy by ARN (see SharedFileSystem's policy).
    const roles = efsClientRoleNames(namePrefix);
    const roleArn = (name: string) =>
      `arn:${this.context.partition}:iam::${this.context.accountId}:role/${name}`;
    const privateSubnetIds = network.subnetIds.private;
    const { webAccessPoint, appAccessPoint } = data.fileSystem;
    this.fileSystem = new SharedFileSystem(this, 'shared-files', {
      name: this.resourceName('shared'),
      kmsKeyArn: this.key.arn,
      subnets: Object.fromEntries(
        network.availabilityZones.map((az, index) => [az, privateSubnetIds[index]]),
      ),
      securityGroupIds: [groups.efs],
      accessPoints: {
        web: { ...webAccessPoint, clientRoleArns: [roleArn(roles.web)] },
        app: { ...appAccessPoint, clientRoleArns: [roleArn(roles.app)] },
      },
      // One backup mechanism: EFS's automatic backups only where AWS Backup does not cover the file system.
      automaticBackups: !data.backup.enabled,
      preventDestroy: deletionProtection,
    });

    if (data.backup.enabled) {
      // Keys of their own: losing or disabling the data key must not take the backups with it.
      const backupKey = new EncryptionKey(this, 'backup-key', {
        alias: this.resourceName('backup'),
        description: 'Encrypts the AWS Backup vault of the database and file system',
        context: this.context,
      });
      const { copyRegion } = data.backup;
      const copyProvider =
        copyRegion === undefined ? undefined : this.aliasedProvider('backup-copy', copyRegion);
      const copyKey =
        copyProvider === undefined
          ? undefined
          : new EncryptionKey(this, 'backup-copy-key', {
              alias: this.resourceName('backup-copy'),
              description: 'Encrypts the cross-region copy vault of the AWS Backup recovery points',
              context: { ...this.context, region: copyRegion! },
              provider: copyProvider,
            });
      this.backups = new DailyBackups(this, 'backups', {
        context: this.context,
        name: this.resourceName('data'),
        kmsKeyArn: backupKey.arn,
        resourceArns: [this.mysql.arn, this.fileSystem.arn],
        retentionDays: data.backup.retentionDays,
        vaultLock: data.backup.vaultLock,
        vaultLockChangeableForDays: data.backup.vaultLockChangeableForDays,
        copy: copyProvider && copyKey ? { provider: copyProvider, kmsKeyArn: copyKey.arn } : undefined,
        forceDestroy: !deletionProtection,
      });
    }

    // WordPress uses the database created with the instance; the container app, its own if it asks.
    const appDatabase = this.environment.containers.database;
    // Its tasks read the secret at start only: each rotation redeploys them (see DatabaseUsers).
    const appService = appServiceNames(namePrefix, this.environment.containers.clusterName);
    const restartOnRotation = [{ clusterName: appService.cluster, serviceName: appService.service }];
    this.users = new DatabaseUsers(this, 'database-users', {
      context: this.context,
      name: this.resourceName('db-users'),
      code: databaseUsersCode(),
      subnetIds: network.subnetIds.private,
      securityGroupId: groups['db-admin'],
      database: {
        address: this.mysql.address,
        port: this.mysql.port,
        masterSecretArn: this.mysql.masterSecretArn,
      },
      kmsKeyArn: this.key.arn,
      applications: {
        wordpress: { databaseName: db.databaseName },
        ...(appDatabase === undefined ? {} : { app: { databaseName: appDatabase.name, restartOnRotation } }),
      },
      rotationDays: db.credentialsRotationDays,
      secretRecoveryDays: deletionProtection ? 30 : 0,
      logRetentionDays,
    });
    const credentials = (name: string) => {
      const { databaseName, secretArn, kmsKeyArn } = this.users.credentials[name];
      return { databaseName, secretArn, secretKmsKeyArn: kmsKeyArn };
    };
    this.database = {
      address: this.mysql.address,
      port: this.mysql.port,
      instanceIdentifier: this.mysql.instanceIdentifier,
      wordpress: credentials('wordpress'),
      app: appDatabase === undefined ? undefined : credentials('app'),
    };
    const access = (name: 'web' | 'app'): FileSystemAccess => ({
      fileSystemId: this.fileSystem.id,
      fileSystemArn: this.fileSystem.arn,
      accessPointId: this.fileSystem.accessPoints[name].id,
      accessPointArn: this.fileSystem.accessPoints[name].arn,
    });
    this.webFiles = access('web');
    this.appFiles = access('app');
    this.fileSystemMetrics = {
      fileSystemId: this.fileSystem.id,
      throughputMode: this.fileSystem.throughputMode,
      performanceMode: this.fileSystem.performanceMode,
    };
  }
}
