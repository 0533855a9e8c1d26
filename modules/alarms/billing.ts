import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { billingMetrics } from '../metrics';
import { AlarmGroup, type AlarmGroupProps } from './alarm-group';

export interface BillingAlarmProps extends AlarmGroupProps {
  /** Estimated month-to-date charges in USD above which the alarm fires. */
  readonly thresholdUsd: number;
  /**
   * A provider for us-east-1, the only region with billing metrics; the topics must be there too.
   * @default the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * `AWS/Billing` `EstimatedCharges` (USD) of the account over 6 hours (`modules/metrics/billing.ts`).
 * AWS publishes it only in us-east-1 and only after "Receive Billing Alerts" is enabled in the
 * billing preferences.
 */
export class BillingAlarm extends AlarmGroup {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: BillingAlarmProps) {
    super(scope, id, props, 'billing');
    this.alarm = this.addAlarm('estimated-charges', {
      description: `The account's estimated charges this month exceeded ${props.thresholdUsd} USD. Open Cost Explorer, find the service that grew and stop what should not run.`,
      metric: { ...billingMetrics('USD').estimatedCharges, period: 6 * 3600 },
      comparison: 'GreaterThanThreshold',
      threshold: props.thresholdUsd,
      evaluationPeriods: 1,
      // Billing data arrives a few times a day: keep the state across the gaps instead of flapping.
      treatMissingData: 'ignore',
    });
  }
}
