import { Testing } from 'cdktf';
import { SecureBucket, type SecureBucketProps } from '../../modules/secure-bucket';

function synthBucket(overrides: Partial<SecureBucketProps> = {}) {
  const json = Testing.synthScope((scope) => {
    new SecureBucket(scope, 'logs', { bucketName: 'proj-dev-logs', ...overrides });
  });
  return { json, config: JSON.parse(json) };
}

describe('SecureBucket', () => {
  test('blocks every kind of public access and disables ACLs', () => {
    const { json } = synthBucket();
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket_public_access_block' },
      {
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      },
    );
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket_ownership_controls' },
      {
        rule: { object_ownership: 'BucketOwnerEnforced' },
      },
    );
  });

  test('encrypts with KMS by default, with a bucket key', () => {
    expect(synthBucket().json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket_server_side_encryption_configuration' },
      {
        rule: [
          { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' }, bucket_key_enabled: true },
        ],
      },
    );
  });

  test('setting a customer key uses it; setting AES256 uses SSE-S3', () => {
    const kms = synthBucket({ encryption: { algorithm: 'aws:kms', kmsKeyArn: 'arn:aws:kms:r:1:key/k' } });
    expect(kms.json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket_server_side_encryption_configuration' },
      {
        rule: [
          {
            apply_server_side_encryption_by_default: {
              sse_algorithm: 'aws:kms',
              kms_master_key_id: 'arn:aws:kms:r:1:key/k',
            },
            bucket_key_enabled: true,
          },
        ],
      },
    );
    const sseS3 = synthBucket({ encryption: { algorithm: 'AES256' } });
    expect(sseS3.json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket_server_side_encryption_configuration' },
      {
        rule: [
          { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: false },
        ],
      },
    );
  });

  test('the policy denies any request without TLS, beside the statements given', () => {
    const { config } = synthBucket({
      policyStatements: [
        { sid: 'AllowDelivery', actions: ['s3:PutObject'], resources: ['arn:aws:s3:::proj-dev-logs/*'] },
      ],
    });
    const [document] = Object.values(config.data.aws_iam_policy_document) as {
      statement: Record<string, unknown>[];
    }[];
    expect(document.statement).toEqual([
      expect.objectContaining({
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        actions: ['s3:*'],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      }),
      expect.objectContaining({ sid: 'AllowDelivery' }),
    ]);
  });

  test('versioning on, old versions expire, stale uploads are aborted', () => {
    const { json } = synthBucket({ noncurrentVersionExpirationDays: 30 });
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket_versioning' },
      {
        versioning_configuration: { status: 'Enabled' },
      },
    );
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket_lifecycle_configuration' },
      {
        rule: [
          expect.objectContaining({ id: 'abort-incomplete-multipart-uploads' }),
          expect.objectContaining({
            id: 'expire-noncurrent-versions',
            noncurrent_version_expiration: [{ noncurrent_days: 30 }],
          }),
        ],
      },
    );
  });

  test('setting expirationDays adds an object expiry rule', () => {
    expect(synthBucket({ expirationDays: 90 }).json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket_lifecycle_configuration' },
      {
        rule: expect.arrayContaining([
          expect.objectContaining({ id: 'expire-objects', expiration: [{ days: 90 }] }),
        ]),
      },
    );
  });

  test('setting preventDestroy protects the bucket from terraform destroy', () => {
    expect(synthBucket({ preventDestroy: true }).json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket' },
      {
        bucket: 'proj-dev-logs',
        lifecycle: { prevent_destroy: true },
        force_destroy: false,
      },
    );
  });
});
