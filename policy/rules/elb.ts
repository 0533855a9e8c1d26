/**
 * Elastic Load Balancing rules: TLS policy of listeners, header hygiene and access logs of ALBs.
 */
import type { Rule } from '../rule';
import { block, isSet, isTrue, type SynthesizedResource } from '../synthesized';
import { failIf } from './helpers';

/**
 * Listener policies that negotiate TLS 1.2 or later only (Elastic Load Balancing, "Security
 * policies for your Application Load Balancer"): the TLS13-1-2/1-3, TLS-1-2 and FS-1-2 families.
 */
const TLS12_LISTENER_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

const LOAD_BALANCERS = ['aws_lb', 'aws_alb'];
const applicationLoadBalancer = (resource: SynthesizedResource): boolean =>
  (resource.config.load_balancer_type ?? 'application') === 'application';

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
];
