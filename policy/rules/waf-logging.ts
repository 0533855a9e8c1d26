/**
 * AWS WAF logging: destinations PutLoggingConfiguration accepts.
 */
import type { Rule } from '../rule';
import {
  asStrings,
  referencedAddress,
  type SynthesizedResource,
  type SynthesizedStack,
} from '../synthesized';

/** The prefix AWS WAF requires of every logging destination's name. */
export const WAF_LOG_PREFIX = 'aws-waf-logs-';

/** The destination name in a literal ARN: log group, bucket or Firehose stream. */
const ARN_NAME =
  /^arn:[^:]+:(?:logs:[^:]*:[^:]*:log-group:|s3:::|firehose:[^:]*:[^:]*:deliverystream\/)([^:/]+)/;

/** The name Terraform gives a destination resource of this stack, by type. */
function destinationName(destination: SynthesizedResource): unknown {
  switch (destination.type) {
    case 'aws_cloudwatch_log_group':
    case 'aws_kinesis_firehose_delivery_stream':
      return destination.config.name;
    case 'aws_s3_bucket':
      return destination.config.bucket;
    default:
      return undefined;
  }
}

/** The destination's name when the synth can see it (a literal ARN, or a resource of this stack). */
function nameOf(value: string, stack: SynthesizedStack): { name: string; what: string } | undefined {
  const address = referencedAddress(value);
  if (address === undefined) {
    const name = ARN_NAME.exec(value)?.[1];
    return name === undefined ? undefined : { name, what: value };
  }
  const destination = stack.get(address);
  const name = destination === undefined ? undefined : destinationName(destination);
  return typeof name === 'string' && !name.includes('${') ? { name, what: address } : undefined;
}

export const WAF_LOGGING_RULES: readonly Rule[] = [
  {
    id: 'GR-WAF-2',
    info: `Web ACL logging destinations (log group, bucket, Firehose stream) are named ${WAF_LOG_PREFIX}….`,
    explanation:
      `AWS WAF logs only to a CloudWatch Logs log group, S3 bucket or Data Firehose stream whose name starts ` +
      `with ${WAF_LOG_PREFIX} (AWS WAF API reference, LoggingConfiguration; AWS WAF developer guide, ` +
      '"Logging web ACL traffic"); PutLoggingConfiguration refuses any other destination, at apply. ' +
      'Checked for literal ARNs and destinations in the same stack.',
    resourceTypes: ['aws_wafv2_web_acl_logging_configuration'],
    severity: 'error',
    check: (logging, { stack }) =>
      asStrings(logging.config.log_destination_configs).flatMap((value) => {
        const destination = nameOf(value, stack);
        return destination === undefined || destination.name.startsWith(WAF_LOG_PREFIX)
          ? []
          : [
              `destination ${destination.what} is named ${destination.name}, without the ${WAF_LOG_PREFIX} prefix`,
            ];
      }),
  },
];
