import { WebTierAlarms } from '../../../modules/alarms';
import { AUTO_SCALING_GROUP_METRICS } from '../../../modules/metrics';
import { cloudWatchAgentConfig } from '../../../modules/web-server-config';
import { target, loadBalancerThresholds, alarmsOf, type Alarm } from './alarm-fixture';

const webTier = {
  loadBalancerArnSuffix: 'app/proj-dev-web/0123456789abcdef',
  targetGroupArnSuffix: 'targetgroup/proj-dev-web/fedcba9876543210',
  autoScalingGroupName: 'proj-dev-web',
};

describe('WebTierAlarms', () => {
  const alarms = alarmsOf((scope) => {
    new WebTierAlarms(scope, 'web', {
      ...target,
      webTier,
      thresholds: { cpuPercent: 60, cpuPeriodSeconds: 60, memoryPercent: 90, diskPercent: 85 },
      loadBalancerThresholds,
    });
  });

  /** What decides an alarm: its metric (exactly), statistic, window and threshold. */
  const decision = (alarm: Alarm) => {
    const { namespace, metric_name, dimensions, statistic, period, evaluation_periods } = alarm;
    const { datapoints_to_alarm, comparison_operator, threshold, treat_missing_data } = alarm;
    return {
      namespace,
      metric_name,
      dimensions,
      statistic,
      period,
      evaluation_periods,
      datapoints_to_alarm,
      comparison_operator,
      threshold,
      treat_missing_data,
    };
  };

  test("memory: the CloudWatch agent's mem_used_percent of the fullest instance >= 90 % for 5 minutes", () => {
    expect(decision(alarms['proj-dev-web-memory-high'])).toEqual({
      namespace: 'CWAgent',
      metric_name: 'mem_used_percent',
      dimensions: { AutoScalingGroupName: 'proj-dev-web' },
      statistic: 'Maximum',
      period: 60,
      evaluation_periods: 5,
      datapoints_to_alarm: 5,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 90,
      treat_missing_data: 'missing',
    });
  });

  test('the alarms watch what the agent on the web instances publishes: namespace, names, one dimension', () => {
    const { metrics } = cloudWatchAgentConfig({
      'apache-access': 'a',
      'apache-error': 'b',
      'php-fpm-error': 'c',
      'cloud-init-output': 'd',
    }) as {
      metrics: {
        namespace: string;
        aggregation_dimensions: string[][];
        metrics_collected: Record<string, { measurement: string[] }>;
      };
    };
    // The agent names a metric `<plugin>_<measurement>` (CloudWatch user guide, "Metrics collected by the CloudWatch agent").
    const published = Object.entries(metrics.metrics_collected).flatMap(([plugin, { measurement }]) =>
      measurement.map((m) => `${plugin}_${m}`),
    );
    const { memoryUsed, rootDiskUsed } = AUTO_SCALING_GROUP_METRICS;
    expect([memoryUsed.namespace, rootDiskUsed.namespace]).toEqual([metrics.namespace, metrics.namespace]);
    expect(published).toEqual([memoryUsed.metricName, rootDiskUsed.metricName]);
    expect(metrics.aggregation_dimensions).toEqual([
      Object.keys(alarms['proj-dev-web-memory-high'].dimensions as object),
    ]);
  });

  test("disk: the CloudWatch agent's disk_used_percent of the fullest root file system >= 85 %", () => {
    expect(decision(alarms['proj-dev-web-disk-high'])).toEqual({
      namespace: 'CWAgent',
      metric_name: 'disk_used_percent',
      dimensions: { AutoScalingGroupName: 'proj-dev-web' },
      statistic: 'Maximum',
      period: 300,
      evaluation_periods: 1,
      datapoints_to_alarm: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 85,
      treat_missing_data: 'missing',
    });
  });

  test('the reference alarm: average CPU of the group >= 60 % over one minute', () => {
    expect(alarms['proj-dev-web-cpu-high']).toMatchObject({
      namespace: 'AWS/EC2',
      metric_name: 'CPUUtilization',
      dimensions: { AutoScalingGroupName: 'proj-dev-web' },
      statistic: 'Average',
      period: 60,
      evaluation_periods: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 60,
      treat_missing_data: 'missing',
    });
  });

  test('every alarm notifies the topic when it fires and when it recovers, and says what to do', () => {
    for (const alarm of Object.values(alarms)) {
      expect(alarm).toMatchObject({ alarm_actions: target.topicArns, ok_actions: target.topicArns });
      expect(alarm.alarm_description).toMatch(/\. [A-Z].*\.$/);
    }
  });

  test('load balancer alarms point at the load balancer, or at it and the target group', () => {
    const lb = { LoadBalancer: webTier.loadBalancerArnSuffix };
    const tg = { ...lb, TargetGroup: webTier.targetGroupArnSuffix };
    const dimensionsOf = (name: string) => alarms[`proj-dev-web-${name}`].dimensions;
    expect(dimensionsOf('alb-5xx')).toEqual(lb);
    expect(dimensionsOf('rejected-connections')).toEqual(lb);
    for (const name of ['target-5xx', 'unhealthy-hosts', 'no-healthy-hosts', 'latency-p95', 'latency-p99']) {
      expect(dimensionsOf(name)).toEqual(tg);
    }
  });

  test('error counts and latency treat silence as fine, a silent target group as down', () => {
    const treatment = (name: string) => alarms[`proj-dev-web-${name}`].treat_missing_data;
    expect(['alb-5xx', 'target-5xx', 'latency-p95', 'rejected-connections'].map(treatment)).toEqual([
      'notBreaching',
      'notBreaching',
      'notBreaching',
      'notBreaching',
    ]);
    expect(treatment('no-healthy-hosts')).toBe('breaching');
  });

  test('latency alarms use the percentile as an extended statistic with their thresholds', () => {
    expect(alarms['proj-dev-web-latency-p99']).toMatchObject({
      metric_name: 'TargetResponseTime',
      extended_statistic: 'p99',
      evaluate_low_sample_count_percentiles: 'ignore',
      threshold: 3,
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
    });
    expect(alarms['proj-dev-web-latency-p99'].statistic).toBeUndefined();
    expect(alarms['proj-dev-web-target-5xx']).toMatchObject({ statistic: 'Sum', threshold: 20 });
  });
});
