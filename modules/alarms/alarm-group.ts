/**
 * What every alarm group shares: alarms named `<namePrefix>-<group>-<thing>` on a metric of the
 * catalog (or a metric-math expression of them), notifying the same topics when they fire and recover.
 */
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { Metric } from '../metrics';

/**
 * What CloudWatch does while a metric has no data. `notBreaching` for counts of errors and for
 * latency (no traffic, no errors); `breaching` where silence means the thing is down; `missing`
 * for gauges that an AWS service reports all the time (a gap is an outage of the metric, not of
 * the service); `ignore` keeps the current state.
 */
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

type Comparison =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/** What every alarm group shares: how its alarms are named and whom they notify. */
export interface AlarmGroupProps {
  /** Prefix of each alarm name, `<project>-<env>`; names are `<namePrefix>-<group>-<thing>`. */
  readonly namePrefix: string;
  /** SNS topics notified when an alarm fires and when it recovers (alarm and OK actions). */
  readonly topicArns: readonly string[];
}

/** One alarm on one metric, or on a metric-math expression. */
export interface AlarmSpec {
  readonly description: string;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  /** @default evaluationPeriods (every period in the window must breach) */
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: TreatMissingData;
  /** A metric of the catalog (`modules/metrics`), and the seconds of each data point. */
  readonly metric?: Metric & { readonly period: number };
  readonly metricQuery?: CloudwatchMetricAlarmMetricQuery[];
}

/** A catalog metric as one input of a metric-math alarm, named `id` in its expression. */
export function queryInput(id: string, metric: Metric, period: number): CloudwatchMetricAlarmMetricQuery {
  const { namespace, metricName, dimensions, statistic } = metric;
  return { id, metric: { namespace, metricName, dimensions: { ...dimensions }, stat: statistic, period } };
}

/** A set of alarms named `<namePrefix>-<group>-<thing>`, each notifying the same topics. */
export abstract class AlarmGroup extends Construct {
  /** The alarms, by their construct id (the `<thing>` of their name). */
  readonly alarms: Record<string, CloudwatchMetricAlarm> = {};
  private readonly alarmPrefix: string;

  protected constructor(
    scope: Construct,
    id: string,
    private readonly group: AlarmGroupProps & { readonly provider?: TerraformProvider },
    groupName: string,
  ) {
    super(scope, id);
    this.alarmPrefix = `${group.namePrefix}-${groupName}`;
  }

  protected addAlarm(thing: string, spec: AlarmSpec): CloudwatchMetricAlarm {
    const metric = spec.metric;
    const percentile = metric !== undefined && /^p\d/.test(metric.statistic);
    const alarm = new CloudwatchMetricAlarm(this, thing, {
      provider: this.group.provider,
      alarmName: `${this.alarmPrefix}-${thing}`,
      alarmDescription: spec.description,
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods,
      treatMissingData: spec.treatMissingData,
      namespace: metric?.namespace,
      metricName: metric?.metricName,
      // A metric without dimensions (a log metric filter's count) has none to match.
      dimensions: metric && Object.keys(metric.dimensions).length > 0 ? { ...metric.dimensions } : undefined,
      statistic: metric && !percentile ? metric.statistic : undefined,
      extendedStatistic: metric && percentile ? metric.statistic : undefined,
      // A percentile of a handful of requests is noise: keep the state until there are enough.
      evaluateLowSampleCountPercentiles: percentile ? 'ignore' : undefined,
      period: metric?.period,
      metricQuery: spec.metricQuery,
      alarmActions: [...this.group.topicArns],
      okActions: [...this.group.topicArns],
    });
    this.alarms[thing] = alarm;
    return alarm;
  }
}
