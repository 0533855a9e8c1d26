/**
 * S3 bucket rules: encryption, public access, TLS and versioning, each read from the bucket and the
 * separate configuration resources of this stack that name it (by reference or by literal name).
 */
import type { Rule } from '../rule';
import { asStrings, block, blocks, isTrue } from '../synthesized';
import { deniesInsecureTransport, failIf } from './helpers';

const S3_BUCKET = ['aws_s3_bucket'];

/** The four settings of a public-access block; all four together block every kind of public access. */
const PUBLIC_ACCESS_SETTINGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

export const S3_RULES: readonly Rule[] = [
  {
    id: 'GR-S3-1',
    info: 'S3 buckets have default encryption (SSE-KMS, or SSE-S3 where the writer accepts nothing else).',
    explanation:
      'Objects must be encrypted at rest under a setting the stack declares. SSE-S3 (AES256) is accepted ' +
      'because Elastic Load Balancing access-log delivery supports no other; use KMS everywhere else.',
    resourceTypes: S3_BUCKET,
    severity: 'error',
    check: (bucket, { stack }) => {
      const inline = block(
        block(block(bucket.config.server_side_encryption_configuration).rule)
          .apply_server_side_encryption_by_default,
      ).sse_algorithm;
      const algorithms = [
        ...asStrings(inline),
        ...stack
          .referencing('aws_s3_bucket_server_side_encryption_configuration', 'bucket', bucket, 'bucket')
          .flatMap((c) => blocks(c.config.rule))
          .map((rule) => block(rule.apply_server_side_encryption_by_default).sse_algorithm),
      ];
      return failIf(
        !algorithms.some((a) => a === 'aws:kms' || a === 'aws:kms:dsse' || a === 'AES256'),
        'no aws_s3_bucket_server_side_encryption_configuration of this stack sets a default algorithm for the bucket',
      );
    },
  },
  {
    id: 'GR-S3-2',
    info: 'S3 buckets block all public access (all four public-access-block settings).',
    explanation:
      'A bucket policy or ACL mistake must not publish data; the block overrides both. Serve public ' +
      'content through CloudFront with origin access control instead.',
    resourceTypes: S3_BUCKET,
    severity: 'error',
    check: (bucket, { stack }) => {
      const blocksAll = stack
        .referencing('aws_s3_bucket_public_access_block', 'bucket', bucket, 'bucket')
        .some((b) => PUBLIC_ACCESS_SETTINGS.every((setting) => isTrue(b.config[setting])));
      return failIf(
        !blocksAll,
        `no aws_s3_bucket_public_access_block of this stack sets ${PUBLIC_ACCESS_SETTINGS.join(', ')}`,
      );
    },
  },
  {
    id: 'GR-S3-3',
    info: 'S3 bucket policies deny requests that do not use TLS.',
    explanation:
      'S3 accepts plain HTTP unless the bucket policy denies `aws:SecureTransport` = false for every ' +
      'principal and `s3:*`.',
    resourceTypes: S3_BUCKET,
    severity: 'error',
    check: (bucket, { stack }) => {
      const policies = [
        bucket.config.policy,
        ...stack.referencing('aws_s3_bucket_policy', 'bucket', bucket, 'bucket').map((p) => p.config.policy),
      ];
      return failIf(
        !policies.some((policy) => deniesInsecureTransport(stack.policyStatements(policy), 's3')),
        'no bucket policy of this stack denies s3:* to everyone when aws:SecureTransport is false',
      );
    },
  },
  {
    id: 'GR-S3-4',
    info: 'S3 buckets are versioned.',
    explanation:
      'Buckets that hold state or logs must survive an overwrite or delete. A bucket that holds ' +
      'neither (a cache, a build scratch area) suppresses this rule and says so.',
    resourceTypes: S3_BUCKET,
    severity: 'error',
    check: (bucket, { stack }) => {
      const enabled =
        isTrue(block(bucket.config.versioning).enabled) ||
        stack
          .referencing('aws_s3_bucket_versioning', 'bucket', bucket, 'bucket')
          .some((v) => block(v.config.versioning_configuration).status === 'Enabled');
      return failIf(!enabled, 'no aws_s3_bucket_versioning of this stack enables versioning');
    },
  },
];
