/**
 * S3 server access logging rules that depend on what S3 accepts, not only on what Terraform accepts.
 */
import { actionMatches } from '../../modules/ci-read-permissions';
import { LOG_DELIVERY_PRINCIPAL } from '../../modules/access-log-bucket';
import type { Rule } from '../rule';
import {
  block,
  blocks,
  referencedAddress,
  type PolicyStatement,
  type SynthesizedResource,
  type SynthesizedStack,
} from '../synthesized';

const LOGGING = ['aws_s3_bucket_logging'];

/**
 * The bucket an attribute of a logging configuration names, if it is in this stack: by reference
 * (`${aws_s3_bucket.x.id}` / `.bucket`) or by a literal equal to a bucket's name.
 */
function bucketNamed(
  stack: SynthesizedStack,
  logging: SynthesizedResource,
  attribute: string,
): SynthesizedResource | undefined {
  const referenced = stack.follow(logging, attribute);
  if (referenced !== undefined) return referenced.type === 'aws_s3_bucket' ? referenced : undefined;
  const value = logging.config[attribute];
  return typeof value === 'string'
    ? stack.ofType('aws_s3_bucket').find((bucket) => bucket.config.bucket === value)
    : undefined;
}

function admitsLogDelivery(statement: PolicyStatement): boolean {
  return (
    statement.effect === 'Allow' &&
    statement.principals.some(
      (p) => p.type === 'Service' && p.identifiers.includes(LOG_DELIVERY_PRINCIPAL),
    ) &&
    statement.actions.some((pattern) => actionMatches(pattern, 's3:PutObject'))
  );
}

export const S3_LOGGING_RULES: readonly Rule[] = [
  {
    id: 'GR-S3-5',
    info: 'A bucket does not deliver its server access logs to itself.',
    explanation:
      'Each log delivery is a request on the target bucket, which would be logged again: an endless ' +
      'stream of log objects that hides the requests worth reading (S3 user guide, "Enabling Amazon S3 ' +
      'server access logging"). Log into a separate bucket that does not log itself.',
    resourceTypes: LOGGING,
    severity: 'error',
    check: (logging, { stack }) => {
      const source = logging.config.bucket;
      const target = logging.config.target_bucket;
      const sourceBucket = bucketNamed(stack, logging, 'bucket');
      const targetBucket = bucketNamed(stack, logging, 'target_bucket');
      const sameReference =
        referencedAddress(source) !== undefined && referencedAddress(source) === referencedAddress(target);
      const self =
        source === target || sameReference || (sourceBucket !== undefined && sourceBucket === targetBucket);
      return self ? [`the target bucket ${String(target)} is the logged bucket itself`] : [];
    },
  },
  {
    id: 'GR-S3-6',
    info: 'A server access log target bucket in the same stack uses SSE-S3 and admits logging.s3.amazonaws.com.',
    explanation:
      'S3 delivers server access logs as the service principal logging.s3.amazonaws.com, allowed by the ' +
      'target bucket policy (s3:PutObject; the only way with bucket-owner-enforced Object Ownership, S3 ' +
      'API Reference, PutBucketLogging), and the target bucket cannot use SSE-KMS or DSSE-KMS default ' +
      'encryption (S3 API Reference, LoggingEnabled; S3 user guide, "Enabling Amazon S3 server access ' +
      'logging"). Without either, PutBucketLogging succeeds and no log ever arrives. A target bucket of ' +
      'another stack is not visible here and is not checked.',
    resourceTypes: LOGGING,
    severity: 'error',
    check: (logging, { stack }) => {
      const target = bucketNamed(stack, logging, 'target_bucket');
      if (target === undefined) return [];
      const algorithms = stack
        .referencing('aws_s3_bucket_server_side_encryption_configuration', 'bucket', target, 'bucket')
        .flatMap((c) => blocks(c.config.rule))
        .map((rule) => block(rule.apply_server_side_encryption_by_default).sse_algorithm);
      const statements = stack
        .referencing('aws_s3_bucket_policy', 'bucket', target, 'bucket')
        .flatMap((p) => stack.policyStatements(p.config.policy) ?? []);
      return [
        ...(algorithms.length === 1 && algorithms[0] === 'AES256'
          ? []
          : [
              `the target bucket ${target.address} has default encryption ${algorithms.map(String).join(', ') || 'unset'}; server access log delivery needs AES256 (SSE-S3)`,
            ]),
        ...(statements.some(admitsLogDelivery)
          ? []
          : [
              `the policy of the target bucket ${target.address} does not allow ${LOG_DELIVERY_PRINCIPAL} s3:PutObject`,
            ]),
      ];
    },
  },
];
