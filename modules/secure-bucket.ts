import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';

/** Server-side encryption of a bucket. */
export type BucketEncryption =
  /** SSE-KMS: with the given key, or the AWS-managed `aws/s3` key when none is given. */
  | { readonly algorithm: 'aws:kms'; readonly kmsKeyArn?: string }
  /** SSE-S3: the only kind some AWS log deliveries accept (ELB access logs). */
  | { readonly algorithm: 'AES256' };

export interface SecureBucketProps {
  /** Globally unique bucket name (3-63 characters). */
  readonly bucketName: string;
  /** @default { algorithm: 'aws:kms' } (the AWS-managed key) */
  readonly encryption?: BucketEncryption;
  /** Keep every version of every object. @default true */
  readonly versioned?: boolean;
  /** Days a replaced or deleted version is kept. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days an object is kept; for log buckets. @default undefined (kept until deleted) */
  readonly expirationDays?: number;
  /** Statements added to the bucket policy beside the one that denies requests without TLS. @default [] */
  readonly policyStatements?: DataAwsIamPolicyDocumentStatement[];
  /** Refuse `terraform destroy` of the bucket (`lifecycle.prevent_destroy`). @default false */
  readonly preventDestroy?: boolean;
  /** Let `terraform destroy` delete a bucket that still holds objects. @default false */
  readonly forceDestroy?: boolean;
}

/**
 * An S3 bucket that is private, encrypted, TLS-only and tidy: all four public-access blocks,
 * bucket-owner-enforced ownership (no ACLs), default encryption, versioning, and a lifecycle that
 * aborts stale multipart uploads and expires old versions.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly arn: string;
  /** The bucket policy; depend on it when a service checks the policy on set-up (CloudTrail does). */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const encryption = props.encryption ?? { algorithm: 'aws:kms' };
    const versioned = props.versioned ?? true;
    const noncurrentVersionExpirationDays = props.noncurrentVersionExpirationDays ?? 90;

    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: encryption.algorithm,
            kmsMasterKeyId: encryption.algorithm === 'aws:kms' ? encryption.kmsKeyArn : undefined,
          },
          bucketKeyEnabled: encryption.algorithm === 'aws:kms',
        },
      ],
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: versioned ? 'Enabled' : 'Suspended' },
    });

    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: 'abort-incomplete-multipart-uploads',
        status: 'Enabled',
        filter: [{}],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    ];
    if (versioned) {
      rules.push({
        id: 'expire-noncurrent-versions',
        status: 'Enabled',
        filter: [{}],
        noncurrentVersionExpiration: [{ noncurrentDays: noncurrentVersionExpirationDays }],
      });
    }
    if (props.expirationDays !== undefined) {
      rules.push({
        id: 'expire-objects',
        status: 'Enabled',
        filter: [{}],
        expiration: [{ days: props.expirationDays }],
      });
    }
    // S3 applies lifecycle rules to versions only once versioning is configured.
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: rules,
      dependsOn: [versioning],
    });

    const policy = new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        ...(props.policyStatements ?? []),
      ],
    });
    // The public-access block first: S3 refuses concurrent changes to one bucket's access settings.
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: policy.json,
      dependsOn: [publicAccessBlock],
    });
  }
}
