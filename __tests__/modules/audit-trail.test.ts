import { Testing } from 'cdktf';
import { AuditTrail, type AuditTrailProps } from '../../modules/audit-trail';

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };
const trailArn = 'arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/proj-dev-trail';
const fromThisTrail = { test: 'StringEquals', variable: 'aws:SourceArn', values: [trailArn] };

type Statement = Record<string, unknown>;
interface Config {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data: { aws_iam_policy_document: Record<string, { statement: Statement[] }> };
}

function synthTrail(overrides: Partial<AuditTrailProps> = {}): Config {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new AuditTrail(scope, 'audit', {
        trailName: 'proj-dev-trail',
        bucketName: 'proj-dev-cloudtrail-123456789012',
        context,
        dataEventBucketNames: ['proj-dev-tfstate-123456789012'],
        ...overrides,
      });
    }),
  ) as Config;
}

function statementsOf(config: Config, id: string): Statement[] {
  const [name] = Object.keys(config.data.aws_iam_policy_document).filter((key) => key.includes(id));
  return config.data.aws_iam_policy_document[name].statement;
}

describe('AuditTrail', () => {
  const config = synthTrail();
  const [trail] = Object.values(config.resource.aws_cloudtrail);

  test('records management events, read and write, in every region, with log file validation', () => {
    expect(trail).toMatchObject({
      name: 'proj-dev-trail',
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
    });
  });

  test("records S3 data events of the given buckets, and encrypts with the trail's key", () => {
    const [keyId] = Object.keys(config.resource.aws_kms_key);
    expect(trail.kms_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    expect(trail.event_selector).toEqual([
      {
        read_write_type: 'All',
        include_management_events: true,
        data_resource: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::proj-dev-tfstate-123456789012/'] }],
      },
    ]);
  });

  test('the key policy lets only this trail encrypt, within the CloudTrail encryption context', () => {
    expect(statementsOf(config, 'key_policy')).toEqual(
      expect.arrayContaining([
        {
          sid: 'AllowCloudTrailEncryptLogs',
          principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
          actions: ['kms:GenerateDataKey*'],
          resources: ['*'],
          condition: [
            fromThisTrail,
            {
              test: 'StringLike',
              variable: 'kms:EncryptionContext:aws:cloudtrail:arn',
              values: ['arn:aws:cloudtrail:*:123456789012:trail/*'],
            },
          ],
        },
        expect.objectContaining({ sid: 'AllowCloudTrailDescribeKey', actions: ['kms:DescribeKey'] }),
      ]),
    );
  });

  test('the bucket policy lets only this trail check the ACL and write under AWSLogs/<account>/', () => {
    const statements = statementsOf(config, 'bucket_policy-document');
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sid: 'DenyInsecureTransport' }),
        {
          sid: 'AWSCloudTrailAclCheck',
          principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
          actions: ['s3:GetBucketAcl'],
          resources: ['arn:aws:s3:::proj-dev-cloudtrail-123456789012'],
          condition: [fromThisTrail],
        },
        {
          sid: 'AWSCloudTrailWrite',
          principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
          actions: ['s3:PutObject'],
          resources: ['arn:aws:s3:::proj-dev-cloudtrail-123456789012/AWSLogs/123456789012/*'],
          condition: [
            fromThisTrail,
            { test: 'StringEquals', variable: 's3:x-amz-acl', values: ['bucket-owner-full-control'] },
          ],
        },
      ]),
    );
  });

  test('the trail waits for the bucket policy CloudTrail checks on creation', () => {
    const [policyId] = Object.keys(config.resource.aws_s3_bucket_policy);
    expect(trail.depends_on).toEqual([`aws_s3_bucket_policy.${policyId}`]);
  });

  test("the bucket is encrypted with the trail's key, kept a year and protected from destroy", () => {
    const [keyId] = Object.keys(config.resource.aws_kms_key);
    const [encryption] = Object.values(config.resource.aws_s3_bucket_server_side_encryption_configuration);
    expect(encryption.rule).toEqual([
      expect.objectContaining({
        apply_server_side_encryption_by_default: {
          sse_algorithm: 'aws:kms',
          kms_master_key_id: `\${aws_kms_key.${keyId}.arn}`,
        },
      }),
    ]);
    const [lifecycle] = Object.values(config.resource.aws_s3_bucket_lifecycle_configuration);
    expect(lifecycle.rule).toContainEqual(
      expect.objectContaining({ id: 'expire-objects', expiration: [{ days: 365 }] }),
    );
    const [bucket] = Object.values(config.resource.aws_s3_bucket);
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('without CloudWatch Logs delivery there is no log group or role', () => {
    expect(config.resource.aws_cloudwatch_log_group).toBeUndefined();
    expect(trail.cloud_watch_logs_group_arn).toBeUndefined();
  });

  test('CloudWatch Logs delivery: an encrypted group with retention, written through a role only this trail assumes', () => {
    const withLogs = synthTrail({
      cloudWatchLogs: { logGroupName: '/proj-dev/cloudtrail', retentionDays: 30 },
    });
    const [groupId] = Object.keys(withLogs.resource.aws_cloudwatch_log_group);
    const [keyId] = Object.keys(withLogs.resource.aws_kms_key);
    expect(withLogs.resource.aws_cloudwatch_log_group[groupId]).toMatchObject({
      name: '/proj-dev/cloudtrail',
      retention_in_days: 30,
      kms_key_id: `\${aws_kms_key.${keyId}.arn}`,
    });
    const [withLogsTrail] = Object.values(withLogs.resource.aws_cloudtrail);
    expect(withLogsTrail.cloud_watch_logs_group_arn).toBe(`\${aws_cloudwatch_log_group.${groupId}.arn}:*`);
    // CloudTrail refuses a CloudWatch Logs role whose trust carries aws:SourceArn/SourceAccount.
    expect(statementsOf(withLogs, 'logs-role-trust')).toEqual([
      {
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
      },
    ]);
    expect(statementsOf(withLogs, 'key_policy')).toContainEqual(
      expect.objectContaining({ sid: 'AllowCloudWatchLogs' }),
    );
  });

  test("recording data events of the trail's own bucket is refused", () => {
    expect(() => synthTrail({ dataEventBucketNames: ['proj-dev-cloudtrail-123456789012'] })).toThrow(
      "dataEventBucketNames must not include the trail's own bucket proj-dev-cloudtrail-123456789012",
    );
  });
});
