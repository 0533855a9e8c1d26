import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { EncryptionKey } from './encryption-key';
import { SecureBucket } from './secure-bucket';

export interface StateBackendProps {
  readonly context: AwsContext;
  /** Name of the state bucket (globally unique). */
  readonly bucketName: string;
  /** Name of the DynamoDB lock table. */
  readonly lockTableName: string;
  /** Alias of the KMS key that encrypts state and locks, without `alias/`. */
  readonly keyAlias: string;
  /** Days an overwritten state version is kept, for rolling back a bad apply. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * Where Terraform keeps state: a versioned, KMS-encrypted, TLS-only S3 bucket and a DynamoDB lock
 * table keyed by `LockID`. Both refuse `terraform destroy`: losing them orphans every stack.
 */
export class StateBackend extends Construct {
  readonly bucket: SecureBucket;
  readonly lockTable: DynamodbTable;
  readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    this.key = new EncryptionKey(this, 'key', {
      alias: props.keyAlias,
      description: `Encrypts Terraform state and locks in ${props.bucketName}`,
      context: props.context,
    });
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      encryption: { algorithm: 'aws:kms', kmsKeyArn: this.key.arn },
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? 90,
      preventDestroy: true,
    });
    this.lockTable = new DynamodbTable(this, 'lock-table', {
      name: props.lockTableName,
      billingMode: 'PAY_PER_REQUEST',
      // The S3 backend locks on an item whose string hash key is named LockID.
      hashKey: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }
}
