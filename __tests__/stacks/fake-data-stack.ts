import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { EfsAccessPoint } from '@cdktf/provider-aws/lib/efs-access-point';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config';
import type { DataAccess, DatabaseAccess, FileSystemAccess, FileSystemMetrics } from '../../stacks/contracts';

/**
 * A stand-in for `<env>-data`: real resources whose attributes fill its `DataAccess` contract, so a
 * consumer's references are true cross-stack references (outputs + remote state).
 */
export class FakeDataStack extends TerraformStack implements DataAccess {
  readonly database: DatabaseAccess;
  readonly appFiles: FileSystemAccess;
  readonly webFiles: FileSystemAccess;
  readonly fileSystemMetrics: FileSystemMetrics;

  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, `${environment.name}-fake-data`);
    new AwsProvider(this, 'aws', { region: environment.region });
    const db = new DbInstance(this, 'db', {
      engine: 'mysql',
      instanceClass: 'db.t4g.micro',
      allocatedStorage: 20,
      username: 'admin',
      manageMasterUserPassword: true,
      dbName: 'app',
      storageEncrypted: true,
    });
    const fileSystem = new EfsFileSystem(this, 'files', { encrypted: true });
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
