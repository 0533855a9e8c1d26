import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { EncryptionKey } from './encryption-key';
import { SecureBucket } from './secure-bucket';

/** Alias of the state key of an environment, without `alias/`: `<project>-<env>-tfstate`. */
export function stateKeyAlias(namePrefix: string): string {
  return `${namePrefix}-tfstate`;
}

/**
 * The state key by its alias ARN, known before the key exists and without a data source: what the
 * S3 backend's `kms_key_id` takes (Terraform's S3 backend accepts a key or alias ARN there).
 */
export function stateKeyAliasArn(context: AwsContext, namePrefix: string): string {
  return `arn:${context.partition}:kms:${context.region}:${context.accountId}:alias/${stateKeyAlias(namePrefix)}`;
}

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
      policyStatements: [
        {
          // Every state object under the state key: a backend without kms_key_id sends AES256
          // (SSE-S3), which this refuses. StringNotEquals also matches a request without the header.
          sid: 'DenyPutWithoutSseKms',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:PutObject'],
          resources: [`arn:${props.context.partition}:s3:::${props.bucketName}/*`],
          condition: [
            { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption', values: ['aws:kms'] },
          ],
        },
      ],
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
