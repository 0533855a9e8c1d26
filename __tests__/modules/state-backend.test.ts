import { Testing } from 'cdktf';
import { StateBackend, stateKeyAliasArn } from '../../modules/state-backend';

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };

describe('StateBackend', () => {
  const json = Testing.synthScope((scope) => {
    new StateBackend(scope, 'state', {
      context,
      bucketName: 'proj-dev-tfstate-123456789012',
      lockTableName: 'proj-dev-tflock',
      keyAlias: 'proj-dev-tfstate',
    });
  });
  const config = JSON.parse(json);

  test('the bucket is versioned, encrypted with the state key and refuses destroy', () => {
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket' },
      {
        bucket: 'proj-dev-tfstate-123456789012',
        lifecycle: { prevent_destroy: true },
      },
    );
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket_versioning' },
      {
        versioning_configuration: { status: 'Enabled' },
      },
    );
    const [encryption] = Object.values(
      config.resource.aws_s3_bucket_server_side_encryption_configuration,
    ) as {
      rule: { apply_server_side_encryption_by_default: Record<string, string> }[];
    }[];
    expect(encryption.rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: 'aws:kms',
      kms_master_key_id: `\${aws_kms_key.${Object.keys(config.resource.aws_kms_key)[0]}.arn}`,
    });
  });

  test('the bucket policy refuses any put that is not SSE-KMS', () => {
    const [document] = Object.entries(
      config.data.aws_iam_policy_document as Record<string, { statement: unknown[] }>,
    )
      .filter(([id]) => id.includes('policy-document'))
      .map(([, body]) => body);
    expect(document.statement).toContainEqual({
      sid: 'DenyPutWithoutSseKms',
      effect: 'Deny',
      principals: [{ type: '*', identifiers: ['*'] }],
      actions: ['s3:PutObject'],
      resources: ['arn:aws:s3:::proj-dev-tfstate-123456789012/*'],
      condition: [
        { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption', values: ['aws:kms'] },
      ],
    });
  });

  test('the state key is addressed by its alias ARN, built from the context alone', () => {
    expect(stateKeyAliasArn(context, 'proj-dev')).toBe(
      'arn:aws:kms:ap-northeast-1:123456789012:alias/proj-dev-tfstate',
    );
  });

  test('the lock table has the LockID string key, on-demand, PITR, encryption and deletion protection', () => {
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_dynamodb_table' },
      {
        name: 'proj-dev-tflock',
        hash_key: 'LockID',
        attribute: [{ name: 'LockID', type: 'S' }],
        billing_mode: 'PAY_PER_REQUEST',
        point_in_time_recovery: { enabled: true },
        deletion_protection_enabled: true,
        lifecycle: { prevent_destroy: true },
      },
    );
    const [table] = Object.values(config.resource.aws_dynamodb_table) as {
      server_side_encryption: unknown;
    }[];
    expect(table.server_side_encryption).toEqual({
      enabled: true,
      kms_key_arn: `\${aws_kms_key.${Object.keys(config.resource.aws_kms_key)[0]}.arn}`,
    });
  });
});
