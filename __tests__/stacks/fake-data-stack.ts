import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { EfsAccessPoint } from '@cdktf/provider-aws/lib/efs-access-point';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { DatabaseAccess, FileSystemAccess } from '../../stacks/contracts';

/**
 * A stand-in for `<env>-data` (built on another branch): real resources whose attributes fill the
 * contracts, so stacks that consume them read them across stacks, as they will in main.ts.
 */
export class FakeDataStack extends TerraformStack {
  readonly database: DatabaseAccess;
  readonly sharedFiles: FileSystemAccess;

  constructor(scope: Construct, id = 'dev-data') {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'ap-northeast-1' });
    const instance = new DbInstance(this, 'database', {
      identifier: 'fake-db',
      engine: 'mysql',
      instanceClass: 'db.t4g.micro',
      allocatedStorage: 20,
      dbName: 'wordpress',
      username: 'admin',
      manageMasterUserPassword: true,
    });
    const secret = instance.masterUserSecret.get(0);
    this.database = {
      address: instance.address,
      port: instance.port,
      databaseName: instance.dbName,
      masterSecretArn: secret.secretArn,
      masterSecretKmsKeyArn: secret.kmsKeyId,
      instanceIdentifier: instance.identifier,
    };
    const fileSystem = new EfsFileSystem(this, 'file-system', { encrypted: true });
    const accessPoint = new EfsAccessPoint(this, 'access-point', { fileSystemId: fileSystem.id });
    this.sharedFiles = {
      fileSystemId: fileSystem.id,
      fileSystemArn: fileSystem.arn,
      accessPointId: accessPoint.id,
      accessPointArn: accessPoint.arn,
    };
  }
}
