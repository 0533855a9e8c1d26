import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import type { Construct } from 'constructs';
import { AlarmGroup, type AlarmGroupProps } from './alarms';
import { logFilterCount } from './metrics';

/** A CloudTrail event matching any of `eventNames` (CloudWatch Logs filter pattern syntax for JSON events). */
export function anyEvent(eventNames: readonly string[]): string {
  return `{ ${eventNames.map((name) => `($.eventName = ${name})`).join(' || ')} }`;
}

/** One security event the trail's log group is watched for. */
export interface TrailEventFilter {
  /** The Security Hub control it satisfies (CIS AWS Foundations Benchmark). */
  readonly control: string;
  readonly pattern: string;
  /** What to do when it fires, for the alarm description. */
  readonly description: string;
}

/**
 * The CloudTrail metric filters of the Security Hub CSPM controls CloudWatch.1-5, 10 and 11 (AWS
 * Security Hub user guide, "Security Hub CSPM controls for Amazon CloudWatch"; CIS AWS Foundations
 * Benchmark v1.2.0 3.x / v1.4.0 4.x), keyed by the alarm's name.
 */
export const TRAIL_EVENT_FILTERS: Readonly<Record<string, TrailEventFilter>> = {
  'root-user': {
    control: 'CloudWatch.1',
    // The root user acting itself; AWS services acting for it are not use of the root credentials.
    pattern:
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    description:
      'The root user signed in or called an API. Confirm who did it; if nobody should have, rotate the root credentials and check the MFA device.',
  },
  'unauthorized-api-calls': {
    control: 'CloudWatch.2',
    pattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    description:
      'API calls were refused for lack of permission. Find the caller in the trail: a missing permission after a change, or someone probing.',
  },
  'console-sign-in-without-mfa': {
    control: 'CloudWatch.3',
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    description:
      'Someone signed in to the console without MFA. Find the identity in the trail and require MFA for it.',
  },
  'iam-policy-changes': {
    control: 'CloudWatch.4',
    pattern: anyEvent(
      ['Group', 'Role', 'User']
        .flatMap((entity) => [`Delete${entity}Policy`, `Put${entity}Policy`])
        .concat(
          ['CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion'],
          ['Role', 'User', 'Group'].flatMap((entity) => [`Attach${entity}Policy`, `Detach${entity}Policy`]),
        ),
    ),
    description:
      'An IAM policy was created, changed, attached or detached. Check it came from a reviewed deploy (the CI deploy role) or a known administrator.',
  },
  'trail-changes': {
    control: 'CloudWatch.5',
    pattern: anyEvent(['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging']),
    description:
      'A CloudTrail trail was created, changed, stopped or deleted. Make sure the account trail still logs everywhere.',
  },
  'security-group-changes': {
    control: 'CloudWatch.10',
    pattern: anyEvent(
      ['Ingress', 'Egress']
        .flatMap((direction) => [`AuthorizeSecurityGroup${direction}`, `RevokeSecurityGroup${direction}`])
        .concat(['CreateSecurityGroup', 'DeleteSecurityGroup']),
    ),
    description:
      'A security group or one of its rules changed. Check it came from a reviewed deploy; a hand-made change opens what the code does not show.',
  },
  'network-acl-changes': {
    control: 'CloudWatch.11',
    pattern: anyEvent([
      'CreateNetworkAcl',
      'CreateNetworkAclEntry',
      'DeleteNetworkAcl',
      'DeleteNetworkAclEntry',
      'ReplaceNetworkAclEntry',
      'ReplaceNetworkAclAssociation',
    ]),
    description:
      'A network ACL or its entries changed. Check it came from a reviewed deploy; this project manages none by hand.',
  },
};

export interface TrailAlarmsProps extends AlarmGroupProps {
  /** The CloudWatch Logs group the trail delivers to. */
  readonly logGroupName: string;
  /** Namespace of the filters' metrics. @default `<namePrefix>/CloudTrail` */
  readonly metricNamespace?: string;
}

/**
 * What a security team watches a trail for: one metric filter per event class on the trail's log
 * group, each counting matches (1 per event), and an alarm on any match in 5 minutes. Security Hub
 * passes these controls only with a filter, an alarm on it, and an SNS topic the alarm notifies.
 */
export class TrailAlarms extends AlarmGroup {
  readonly filters: Record<string, CloudwatchLogMetricFilter> = {};

  constructor(scope: Construct, id: string, props: TrailAlarmsProps) {
    super(scope, id, props, 'trail');
    const namespace = props.metricNamespace ?? `${props.namePrefix}/CloudTrail`;
    for (const [thing, filter] of Object.entries(TRAIL_EVENT_FILTERS)) {
      const metricName = `${thing}-count`;
      this.filters[thing] = new CloudwatchLogMetricFilter(this, `${thing}-filter`, {
        name: `${props.namePrefix}-${thing}`,
        logGroupName: props.logGroupName,
        pattern: filter.pattern,
        // No default value: periods without a match publish nothing, which the alarm reads as fine.
        metricTransformation: { name: metricName, namespace, value: '1' },
      });
      this.addAlarm(thing, {
        description: `${filter.description} (Security Hub ${filter.control}.)`,
        metric: { ...logFilterCount(namespace, metricName), period: 300 },
        comparison: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
      });
    }
  }
}
