import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { cloudWatchLogsKeyStatement, EncryptionKey } from './encryption-key';
import { SecureBucket } from './secure-bucket';
import { serviceRole } from './iam/trust';

export interface AuditTrailProps {
  /** Trail name; also the alias of its KMS key. */
  readonly trailName: string;
  /** Globally unique name of the bucket the trail delivers to. */
  readonly bucketName: string;
  /** The trail's home region and account. */
  readonly context: AwsContext;
  /**
   * Buckets whose object-level operations (S3 data events) the trail records. Data events are billed
   * per 100,000 events. Never the trail's own bucket: every delivery would log another event.
   * @default []
   */
  readonly dataEventBucketNames?: readonly string[];
  /** Days log files are kept in the bucket. @default 365 */
  readonly retentionDays?: number;
  /**
   * Also deliver to a CloudWatch Logs group (ingestion is billed per GB).
   * @default undefined (S3 only)
   */
  readonly cloudWatchLogs?: {
    readonly logGroupName: string;
    /** Days the log group keeps events. */
    readonly retentionDays: number;
  };
  /** Refuse `terraform destroy` of the bucket (`prevent_destroy`); a destroy keeps the logs either way. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * The account's CloudTrail: multi-region, management events read and write, S3 data events of the
 * given buckets, log file validation, encrypted with its own KMS key and delivered to a
 * `SecureBucket` whose policy lets only this trail write; optionally also to CloudWatch Logs.
 */
export class AuditTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly bucket: SecureBucket;
  readonly key: EncryptionKey;
  readonly logGroup?: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const { context, trailName, bucketName } = props;
    const dataEventBucketNames = props.dataEventBucketNames ?? [];
    const retentionDays = props.retentionDays ?? 365;
    if (dataEventBucketNames.includes(bucketName)) {
      throw new Error(
        `${this.node.path}: dataEventBucketNames must not include the trail's own bucket ${bucketName}: each delivery would log another event`,
      );
    }
    const { partition, region, accountId } = context;
    const cloudTrail = { type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] };
    // Built from its parts rather than read from the trail, which depends on the key and bucket policy.
    const trailArn = `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
    const fromThisTrail = { test: 'StringEquals', variable: 'aws:SourceArn', values: [trailArn] };

    // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail".
    this.key = new EncryptionKey(this, 'key', {
      alias: trailName,
      description: `Encrypts the log files of the CloudTrail trail ${trailName}`,
      context,
      serviceStatements: [
        {
          sid: 'AllowCloudTrailEncryptLogs',
          principals: [cloudTrail],
          actions: ['kms:GenerateDataKey*'],
          resources: ['*'],
          condition: [
            fromThisTrail,
            {
              test: 'StringLike',
              variable: 'kms:EncryptionContext:aws:cloudtrail:arn',
              values: [`arn:${partition}:cloudtrail:*:${accountId}:trail/*`],
            },
          ],
        },
        {
          sid: 'AllowCloudTrailDescribeKey',
          principals: [cloudTrail],
          actions: ['kms:DescribeKey'],
          resources: ['*'],
          condition: [fromThisTrail],
        },
        ...(props.cloudWatchLogs ? [cloudWatchLogsKeyStatement(context)] : []),
      ],
    });

    const bucketArn = `arn:${partition}:s3:::${bucketName}`;
    // CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail".
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName,
      encryption: { algorithm: 'aws:kms', kmsKeyArn: this.key.arn },
      expirationDays: retentionDays,
      preventDestroy: props.preventDestroy ?? true,
      policyStatements: [
        {
          sid: 'AWSCloudTrailAclCheck',
          principals: [cloudTrail],
          actions: ['s3:GetBucketAcl'],
          resources: [bucketArn],
          condition: [fromThisTrail],
        },
        {
          sid: 'AWSCloudTrailWrite',
          principals: [cloudTrail],
          actions: ['s3:PutObject'],
          resources: [`${bucketArn}/AWSLogs/${accountId}/*`],
          condition: [
            fromThisTrail,
            { test: 'StringEquals', variable: 's3:x-amz-acl', values: ['bucket-owner-full-control'] },
          ],
        },
      ],
    });

    const delivery = props.cloudWatchLogs
      ? this.cloudWatchLogsDelivery(props.cloudWatchLogs, trailName, context)
      : undefined;
    this.logGroup = delivery?.logGroup;

    this.trail = new Cloudtrail(this, 'trail', {
      name: trailName,
      s3BucketName: this.bucket.bucketName,
      kmsKeyId: this.key.arn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      cloudWatchLogsGroupArn: delivery ? `${delivery.logGroup.arn}:*` : undefined,
      cloudWatchLogsRoleArn: delivery?.role.arn,
      eventSelector: [
        {
          readWriteType: 'All',
          includeManagementEvents: true,
          dataResource:
            dataEventBucketNames.length > 0
              ? [
                  {
                    type: 'AWS::S3::Object',
                    values: dataEventBucketNames.map((name) => `arn:${partition}:s3:::${name}/`),
                  },
                ]
              : undefined,
        },
      ],
      tags: { Name: trailName },
      // CloudTrail checks the bucket policy when the trail is created.
      dependsOn: [this.bucket.policy, ...(delivery ? [delivery.policy] : [])],
    });
  }

  private cloudWatchLogsDelivery(
    settings: NonNullable<AuditTrailProps['cloudWatchLogs']>,
    trailName: string,
    context: AwsContext,
  ) {
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: settings.logGroupName,
      retentionInDays: settings.retentionDays,
      kmsKeyId: this.key.arn,
    });
    // No aws:SourceArn / aws:SourceAccount in this trust, unlike the key and bucket policies: CloudTrail
    // refuses them there (modules/iam/trust.ts, guardrail GR-CT-1).
    const role = serviceRole(this, 'logs-role', {
      trusted: { service: 'cloudtrail-to-logs' },
      context,
      trustId: 'logs-role-trust',
      name: `${trailName}-to-logs`,
    });
    const permissions = new DataAwsIamPolicyDocument(this, 'logs-role-permissions', {
      statement: [
        {
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${logGroup.arn}:log-stream:*`],
        },
      ],
    });
    const policy = new IamRolePolicy(this, 'logs-role-policy', {
      name: 'deliver-trail',
      role: role.id,
      policy: permissions.json,
    });
    return { logGroup, role, policy };
  }
}
