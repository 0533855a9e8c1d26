/**
 * Elastic Load Balancing: TLS policy of listeners, header hygiene and access logs of ALBs, and what ELB
 * checks at apply when a load balancer's access logs are switched on.
 */
import { actionMatches } from '../../modules/ci-read-permissions';
import type { Rule } from '../rule';
import {
  asStrings,
  block,
  isSet,
  isTrue,
  referencedAddress,
  type PolicyStatement,
  type SynthesizedResource,
} from '../synthesized';
import { failIf } from './helpers';

/**
 * Listener policies that negotiate TLS 1.2 or later only (Elastic Load Balancing, "Security
 * policies for your Application Load Balancer"): the TLS13-1-2/1-3, TLS-1-2 and FS-1-2 families.
 */
const TLS12_LISTENER_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

const LOAD_BALANCERS = ['aws_lb', 'aws_alb'];
const applicationLoadBalancer = (resource: SynthesizedResource): boolean =>
  (resource.config.load_balancer_type ?? 'application') === 'application';

/** The log-delivery service principal of Regions opened from August 2022. */
export const ELB_LOG_DELIVERY_PRINCIPAL = 'logdelivery.elasticloadbalancing.amazonaws.com';

/** A Regional ELB account: the `aws_elb_service_account` data source, or a literal account root. */
function isElbAccount(identifier: string): boolean {
  return (
    referencedAddress(identifier)?.startsWith('data.aws_elb_service_account.') === true ||
    /^arn:[^:]+:iam::\d{12}:root$/.test(identifier)
  );
}

/** Whether `statement` lets ELB's log delivery put objects. */
function admitsElb(statement: PolicyStatement): boolean {
  return (
    statement.effect === 'Allow' &&
    statement.actions.some((action) => actionMatches(action, 's3:PutObject')) &&
    statement.principals.some(
      (p) =>
        (p.type === 'Service' && p.identifiers.includes(ELB_LOG_DELIVERY_PRINCIPAL)) ||
        (p.type === 'AWS' && p.identifiers.some(isElbAccount)),
    )
  );
}

export const ELB_RULES: readonly Rule[] = [
  {
    id: 'GR-ELB-1',
    info: 'HTTPS and TLS listeners use a TLS 1.2+ security policy.',
    explanation:
      'Without ssl_policy a listener created through the API gets ELBSecurityPolicy-2016-08, which still ' +
      'negotiates TLS 1.0 and 1.1 (Elastic Load Balancing, "Security policies for your Application Load ' +
      'Balancer"). Use ELBSecurityPolicy-TLS13-1-2-2021-06 (or another TLS13-1-2/1-3, TLS-1-2 or FS-1-2 ' +
      'policy). The provider upper-cases the protocol, so `https` is checked as HTTPS.',
    resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
    severity: 'error',
    check: (listener) => {
      // The provider upper-cases the protocol (its state function), so `https` is an HTTPS listener.
      const protocol = String(listener.config.protocol ?? '').toUpperCase();
      if (protocol !== 'HTTPS' && protocol !== 'TLS') return [];
      const policy = listener.config.ssl_policy;
      return failIf(
        typeof policy !== 'string' || !TLS12_LISTENER_POLICY.test(policy),
        `ssl_policy ${typeof policy === 'string' ? policy : '(default ELBSecurityPolicy-2016-08)'} allows TLS below 1.2`,
      );
    },
  },
  {
    id: 'GR-ELB-2',
    info: 'Application load balancers drop invalid HTTP header fields.',
    explanation:
      'Headers that are not valid HTTP are a request-smuggling vector for the targets behind the ALB.',
    resourceTypes: LOAD_BALANCERS,
    severity: 'error',
    check: (lb) =>
      failIf(
        applicationLoadBalancer(lb) && !isTrue(lb.config.drop_invalid_header_fields),
        'drop_invalid_header_fields is not true',
      ),
  },
  {
    id: 'GR-ELB-3',
    info: 'Application load balancers write access logs to S3.',
    explanation: 'Access logs are the record of who called what; CloudWatch metrics do not show requests.',
    resourceTypes: LOAD_BALANCERS,
    severity: 'error',
    check: (lb) => {
      const logs = block(lb.config.access_logs);
      return failIf(
        applicationLoadBalancer(lb) && !(isTrue(logs.enabled) && isSet(logs.bucket)),
        'access_logs is not enabled with a bucket',
      );
    },
  },
  {
    id: 'GR-ELB-4',
    info: 'A load balancer logging to a bucket of its stack depends on a bucket policy that lets ELB put the logs.',
    explanation:
      'When access logs are switched on, ELB checks that it may write to the bucket and refuses the ' +
      'change otherwise (Elastic Load Balancing, "Access logs for your Application Load Balancer", ' +
      '"Attach a policy to your S3 bucket"): the bucket policy must allow s3:PutObject to the Regional ' +
      'ELB account (Regions opened before August 2022) or to logdelivery.elasticloadbalancing.amazonaws.com ' +
      '(later Regions), and the load balancer must depend on that policy, or Terraform may create it ' +
      'first and the apply fails. Checked where the bucket is in the same stack.',
    resourceTypes: ['aws_lb', 'aws_alb'],
    severity: 'error',
    check: (lb, { stack }) => {
      const logs = block(lb.config.access_logs);
      if (!isTrue(logs.enabled)) return [];
      const bucket = stack.get(referencedAddress(logs.bucket));
      if (bucket?.type !== 'aws_s3_bucket') return [];
      const policies = stack.referencing('aws_s3_bucket_policy', 'bucket', bucket, 'bucket');
      const granting = policies.filter((policy) =>
        (stack.policyStatements(policy.config.policy) ?? []).some(admitsElb),
      );
      if (granting.length === 0)
        return [
          `the policy of its log bucket ${bucket.address} does not allow ELB log delivery s3:PutObject`,
        ];
      const dependsOn = asStrings(lb.config.depends_on);
      return granting.some((policy) => dependsOn.includes(policy.address))
        ? []
        : [
            `it does not depend_on ${granting[0].address}, so it may be created before ELB may write the logs`,
          ];
    },
  },
];
