import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { EfsAccessPoint } from '@cdktf/provider-aws/lib/efs-access-point';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { EfsFileSystemPolicy } from '@cdktf/provider-aws/lib/efs-file-system-policy';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config';
import { BaseStack } from '../../stacks/base-stack';
import type { DataAccess, DatabaseAccess, FileSystemAccess, FileSystemMetrics } from '../../stacks/contracts';

/**
 * A stand-in for `<env>-data`: real resources whose attributes fill its `DataAccess` contract, so a
 * consumer's references are true cross-stack references (outputs + remote state). A `BaseStack`, so
 * the guardrails check it like every stack, and small but compliant: TLS-only database with backups,
 * deletion protection and a final snapshot, a file system whose policy refuses plaintext NFS.
 */
export class FakeDataStack extends BaseStack implements DataAccess {
  readonly database: DatabaseAccess;
  readonly appFiles: FileSystemAccess;
  readonly webFiles: FileSystemAccess;
  readonly fileSystemMetrics: FileSystemMetrics;

  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'fake-data', { environment });
    const parameters = new DbParameterGroup(this, 'db-parameters', {
      family: 'mysql8.4',
      parameter: [{ name: 'require_secure_transport', value: '1' }],
    });
    const db = new DbInstance(this, 'db', {
      engine: 'mysql',
      engineVersion: '8.4',
      engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      instanceClass: 'db.t4g.micro',
      allocatedStorage: 20,
      username: 'admin',
      manageMasterUserPassword: true,
      dbName: 'app',
      storageEncrypted: true,
      parameterGroupName: parameters.name,
      backupRetentionPeriod: 7,
      deletionProtection: true,
      finalSnapshotIdentifier: 'fake-data-final',
    });
    const fileSystem = new EfsFileSystem(this, 'files', { encrypted: true });
    const tlsOnly = new DataAwsIamPolicyDocument(this, 'files-tls-only', {
      statement: [
        {
          effect: 'Deny',
          actions: ['*'],
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          resources: [fileSystem.arn],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new EfsFileSystemPolicy(this, 'files-policy', { fileSystemId: fileSystem.id, policy: tlsOnly.json });
    const access = (id: string): FileSystemAccess => {
      const accessPoint = new EfsAccessPoint(this, id, { fileSystemId: fileSystem.id });
      return {
        fileSystemId: fileSystem.id,
        fileSystemArn: fileSystem.arn,
        accessPointId: accessPoint.id,
        accessPointArn: accessPoint.arn,
      };
    };
    const application = (name: string) => ({
      databaseName: name,
      secretArn: new SecretsmanagerSecret(this, `${name}-secret`, { name }).arn,
      secretKmsKeyArn: db.masterUserSecret.get(0).kmsKeyId,
    });
    this.database = {
      address: db.address,
      port: db.port,
      instanceIdentifier: db.identifier,
      wordpress: application('wordpress'),
      app: application('app'),
    };
    this.appFiles = access('app-files');
    this.webFiles = access('web-files');
    this.fileSystemMetrics = { fileSystemId: fileSystem.id, throughputMode: 'bursting' };
  }
}
