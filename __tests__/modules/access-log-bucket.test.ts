import { TerraformStack, Testing } from 'cdktf';
import { AccessLogBucket, MAX_BUCKET_NAME_LENGTH } from '../../modules/access-log-bucket';

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };

function build(bucketName: string, sources = [{ bucketName: 'p-dev-tfstate', prefix: 'state/' }]) {
  const stack = new TerraformStack(Testing.app(), 'test');
  return () => new AccessLogBucket(stack, 'access-logs', { context, bucketName, sources, retentionDays: 14 });
}

describe('AccessLogBucket', () => {
  test('accepts a name of exactly 63 characters and refuses 64, naming the bucket', () => {
    expect(MAX_BUCKET_NAME_LENGTH).toBe(63);
    expect(build('a'.repeat(63))).not.toThrow();
    expect(build('a'.repeat(64))).toThrow(
      `test/access-logs: bucket name ${'a'.repeat(64)} is 64 characters; S3 allows at most 63`,
    );
  });

  test('refuses to be the target of its own logs', () => {
    expect(build('p-dev-logs', [{ bucketName: 'p-dev-logs', prefix: 'self/' }])).toThrow(
      'test/access-logs: p-dev-logs must not log to itself',
    );
  });

  test('keeps replaced log objects 7 days by default', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new AccessLogBucket(stack, 'access-logs', {
      context,
      bucketName: 'p-dev-logs',
      sources: [],
      retentionDays: 14,
    });
    const config = JSON.parse(Testing.synth(stack));
    const [lifecycle] = Object.values(config.resource.aws_s3_bucket_lifecycle_configuration) as {
      rule: { id: string; noncurrent_version_expiration?: unknown; expiration?: unknown }[];
    }[];
    expect(
      lifecycle.rule.map((rule) => [rule.id, rule.noncurrent_version_expiration ?? rule.expiration]),
    ).toEqual([
      ['abort-incomplete-multipart-uploads', undefined],
      ['expire-noncurrent-versions', [{ noncurrent_days: 7 }]],
      ['expire-objects', [{ days: 14 }]],
    ]);
  });
});
