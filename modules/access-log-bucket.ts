import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { SecureBucket } from './secure-bucket';

/** S3 bucket names are 3-63 characters (S3 user guide, "General purpose bucket naming rules"). */
export const MAX_BUCKET_NAME_LENGTH = 63;

/** The service principal S3 delivers server access logs as (S3 user guide, "Permissions for server access log delivery"). */
export const LOG_DELIVERY_PRINCIPAL = 'logging.s3.amazonaws.com';

/** A bucket whose server access logs go to the log bucket, under its own key prefix. */
export interface AccessLogSource {
  /** Name of the logged bucket (same account and region as the log bucket). */
  readonly bucketName: string;
  /** Key prefix of its log objects, ending in `/` (e.g. `state/`). */
  readonly prefix: string;
}

export interface AccessLogBucketProps {
  readonly context: AwsContext;
  /** Globally unique name of the log bucket (at most 63 characters). */
  readonly bucketName: string;
  /** The buckets allowed to deliver here; the log bucket itself is refused. */
  readonly sources: readonly AccessLogSource[];
  /** Days a log object is kept. */
  readonly retentionDays: number;
  /** Days an overwritten or deleted log object is kept. @default 7 */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * The S3 server access log bucket of an environment (AWS Foundational Security Best Practices S3.9):
 * a `SecureBucket` with SSE-S3 whose policy lets S3's log delivery write each source's prefix, and
 * only for that source bucket in this account. It does not log to itself: every delivery would be
 * a request that writes another log record.
 *
 * S3 user guide, "Enabling Amazon S3 server access logging" and the S3 API Reference, LoggingEnabled:
 * the target bucket must be in the same region and account as the source, and cannot use SSE-KMS or
 * DSSE-KMS default encryption, S3 Object Lock or Requester Pays. PutBucketLogging: with the bucket
 * owner enforced Object Ownership (set by SecureBucket), target grants are refused and delivery is
 * allowed by the bucket policy only.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const { context, bucketName, sources } = props;
    if (bucketName.length > MAX_BUCKET_NAME_LENGTH) {
      throw new Error(
        `${this.node.path}: bucket name ${bucketName} is ${bucketName.length} characters; S3 allows at most ${MAX_BUCKET_NAME_LENGTH}`,
      );
    }
    if (sources.some((source) => source.bucketName === bucketName)) {
      throw new Error(`${this.node.path}: ${bucketName} must not log to itself`);
    }
    const bucketArn = `arn:${context.partition}:s3:::${bucketName}`;
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName,
      encryption: { algorithm: 'AES256' },
      expirationDays: props.retentionDays,
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? 7,
      policyStatements: sources.map((source) => deliveryStatement(context, bucketArn, source)),
    });
  }
}

/** The policy grant of one source (S3 user guide, "Permissions for server access log delivery"). */
function deliveryStatement(
  context: AwsContext,
  bucketArn: string,
  source: AccessLogSource,
): DataAwsIamPolicyDocumentStatement {
  return {
    sid: `S3ServerAccessLogs${source.prefix.replace(/[^A-Za-z0-9]/g, '')}`,
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: [LOG_DELIVERY_PRINCIPAL] }],
    actions: ['s3:PutObject'],
    resources: [`${bucketArn}/${source.prefix}*`],
    condition: [
      {
        test: 'ArnLike',
        variable: 'aws:SourceArn',
        values: [`arn:${context.partition}:s3:::${source.bucketName}`],
      },
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [context.accountId] },
    ],
  };
}

/**
 * Turns on server access logging of `bucket` (an `aws_s3_bucket` id or name) into `targetBucket`.
 * A log bucket of another stack is named rather than referenced: the log bucket's stack
 * (`<env>-state`) has local state that no other stack reads, and is deployed first.
 */
export function logToBucket(
  scope: Construct,
  id: string,
  props: {
    readonly bucket: string;
    readonly targetBucket: string;
    readonly targetPrefix: string;
    /** What must exist first (the log bucket's policy, when it is in the same stack). @default none */
    readonly dependsOn?: ITerraformDependable[];
  },
): S3BucketLoggingA {
  return new S3BucketLoggingA(scope, id, {
    bucket: props.bucket,
    targetBucket: props.targetBucket,
    targetPrefix: props.targetPrefix,
    dependsOn: props.dependsOn,
  });
}
