import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import {
  BillingAlarm,
  ContainerServiceAlarms,
  DatabaseAlarms,
  FileSystemAlarms,
  NatGatewayAlarms,
  WebTierAlarms,
  type FileSystemAlarmsProps,
} from '../../modules/alarms';
import { AUTO_SCALING_GROUP_METRICS } from '../../modules/metrics';
import { cloudWatchAgentConfig } from '../../modules/web-server-config';

const target = {
  namePrefix: 'proj-dev',
  topicArns: ['arn:aws:sns:ap-northeast-1:123456789012:proj-dev-alarms'],
};
const loadBalancerThresholds = {
  elb5xxCount: 10,
  target5xxCount: 20,
  responseTimeP95Seconds: 1,
  responseTimeP99Seconds: 3,
  rejectedConnectionCount: 0,
};
const webTier = {
  loadBalancerArnSuffix: 'app/proj-dev-web/0123456789abcdef',
  targetGroupArnSuffix: 'targetgroup/proj-dev-web/fedcba9876543210',
  autoScalingGroupName: 'proj-dev-web',
};

type Alarm = Record<string, unknown>;

/** The synthesized alarms, by alarm name. */
function alarmsOf(build: (scope: Construct) => void): Record<string, Alarm> {
  const config = JSON.parse(Testing.synthScope(build)) as {
    resource?: { aws_cloudwatch_metric_alarm?: Record<string, Alarm> };
  };
  const alarms = Object.values(config.resource?.aws_cloudwatch_metric_alarm ?? {});
  return Object.fromEntries(alarms.map((alarm) => [alarm.alarm_name as string, alarm]));
}

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

describe('ContainerServiceAlarms', () => {
  const service = {
    loadBalancerArnSuffix: 'app/proj-dev-app/0123',
    targetGroupArnSuffix: 'targetgroup/proj-dev-app/4567',
    clusterName: 'proj-dev',
    serviceName: 'proj-dev-app',
  };
  const alarms = alarmsOf((scope) => {
    new ContainerServiceAlarms(scope, 'app', {
      ...target,
      service,
      thresholds: { cpuPercent: 75, memoryPercent: 85 },
      loadBalancerThresholds,
    });
  });
  const dimensions = { ClusterName: 'proj-dev', ServiceName: 'proj-dev-app' };

  test('CPU and memory of the service, with their thresholds', () => {
    expect(alarms['proj-dev-app-cpu-high']).toMatchObject({
      namespace: 'AWS/ECS',
      dimensions,
      threshold: 75,
    });
    expect(alarms['proj-dev-app-memory-high']).toMatchObject({
      metric_name: 'MemoryUtilization',
      dimensions,
      threshold: 85,
    });
  });

  test('running tasks below desired compares two Container Insights metrics; silence counts as down', () => {
    const alarm = alarms['proj-dev-app-tasks-below-desired'];
    expect(alarm).toMatchObject({ comparison_operator: 'GreaterThanThreshold', threshold: 0 });
    expect(alarm.treat_missing_data).toBe('breaching');
    expect(alarm.metric_query).toEqual([
      {
        id: 'running',
        metric: {
          namespace: 'ECS/ContainerInsights',
          metric_name: 'RunningTaskCount',
          dimensions,
          stat: 'Average',
          period: 60,
        },
      },
      {
        id: 'desired',
        metric: {
          namespace: 'ECS/ContainerInsights',
          metric_name: 'DesiredTaskCount',
          dimensions,
          stat: 'Average',
          period: 60,
        },
      },
      { id: 'shortfall', expression: 'desired - running', label: 'Tasks below desired', return_data: true },
    ]);
  });

  test("the service's own load balancer gets the 5xx and unhealthy-target alarms", () => {
    expect(alarms['proj-dev-app-alb-5xx'].dimensions).toEqual({ LoadBalancer: 'app/proj-dev-app/0123' });
    expect(alarms['proj-dev-app-unhealthy-hosts'].dimensions).toEqual({
      LoadBalancer: 'app/proj-dev-app/0123',
      TargetGroup: 'targetgroup/proj-dev-app/4567',
    });
  });
});

describe('DatabaseAlarms', () => {
  const alarms = alarmsOf((scope) => {
    new DatabaseAlarms(scope, 'db', {
      ...target,
      instanceIdentifier: 'proj-dev-mysql',
      thresholds: {
        cpuPercent: 80,
        freeStorageGiB: 2,
        freeableMemoryMiB: 100,
        connections: 50,
        readLatencySeconds: 0.05,
        writeLatencySeconds: 0.1,
      },
    });
  });

  test('every alarm points at the instance', () => {
    expect(Object.keys(alarms).sort()).toEqual([
      'proj-dev-db-connections-high',
      'proj-dev-db-cpu-high',
      'proj-dev-db-free-storage-low',
      'proj-dev-db-freeable-memory-low',
      'proj-dev-db-read-latency-high',
      'proj-dev-db-write-latency-high',
    ]);
    for (const alarm of Object.values(alarms)) {
      expect(alarm).toMatchObject({
        namespace: 'AWS/RDS',
        dimensions: { DBInstanceIdentifier: 'proj-dev-mysql' },
      });
    }
  });

  test('storage and memory thresholds are converted to bytes', () => {
    expect(alarms['proj-dev-db-free-storage-low']).toMatchObject({
      metric_name: 'FreeStorageSpace',
      comparison_operator: 'LessThanThreshold',
      threshold: 2 * 1024 ** 3,
    });
    expect(alarms['proj-dev-db-freeable-memory-low'].threshold).toBe(100 * 1024 ** 2);
  });

  test('there is no replica-lag alarm: the instance is not a read replica', () => {
    expect(Object.values(alarms).map((alarm) => alarm.metric_name)).not.toContain('ReplicaLag');
  });
});

describe('FileSystemAlarms', () => {
  const build = (props: Pick<FileSystemAlarmsProps, 'throughputMode' | 'performanceMode'>) =>
    alarmsOf((scope) => {
      new FileSystemAlarms(scope, 'efs', {
        ...target,
        fileSystemId: 'fs-0123',
        ...props,
        thresholds: { percentIoLimit: 90, burstCreditBalanceGiB: 100 },
      });
    });

  test('elastic throughput has no burst credits to alarm on; General Purpose mode has an I/O limit', () => {
    const alarms = build({ throughputMode: 'elastic' });
    expect(Object.keys(alarms)).toEqual(['proj-dev-efs-io-limit-high']);
    expect(alarms['proj-dev-efs-io-limit-high']).toMatchObject({
      metric_name: 'PercentIOLimit',
      dimensions: { FileSystemId: 'fs-0123' },
      threshold: 90,
    });
  });

  test('bursting throughput alarms on the credit balance', () => {
    expect(build({ throughputMode: 'bursting' })['proj-dev-efs-burst-credits-low']).toMatchObject({
      metric_name: 'BurstCreditBalance',
      comparison_operator: 'LessThanThreshold',
      threshold: 100 * 1024 ** 3,
    });
  });

  test('Max I/O performance mode has no I/O limit metric', () => {
    expect(build({ throughputMode: 'elastic', performanceMode: 'maxIO' })).toEqual({});
  });
});

describe('NatGatewayAlarms', () => {
  const alarms = alarmsOf((scope) => {
    new NatGatewayAlarms(scope, 'nat', {
      ...target,
      natGateways: { 'ap-northeast-1a': 'nat-0aaa', 'ap-northeast-1c': 'nat-0ccc' },
      thresholds: { packetsDropped: 100 },
    });
  });

  test('each gateway, named by its zone, alarms on port-allocation errors and dropped packets', () => {
    expect(Object.keys(alarms).sort()).toEqual([
      'proj-dev-nat-ap-northeast-1a-packets-dropped',
      'proj-dev-nat-ap-northeast-1a-port-allocation-errors',
      'proj-dev-nat-ap-northeast-1c-packets-dropped',
      'proj-dev-nat-ap-northeast-1c-port-allocation-errors',
    ]);
    expect(alarms['proj-dev-nat-ap-northeast-1c-packets-dropped']).toMatchObject({
      namespace: 'AWS/NATGateway',
      metric_name: 'PacketsDropCount',
      dimensions: { NatGatewayId: 'nat-0ccc' },
      threshold: 100,
      treat_missing_data: 'notBreaching',
    });
  });
});

describe('BillingAlarm', () => {
  test('estimated charges in USD above the threshold, over 6 hours', () => {
    const alarms = alarmsOf((scope) => {
      new BillingAlarm(scope, 'billing', { ...target, thresholdUsd: 25 });
    });
    expect(alarms['proj-dev-billing-estimated-charges']).toMatchObject({
      namespace: 'AWS/Billing',
      metric_name: 'EstimatedCharges',
      dimensions: { Currency: 'USD' },
      statistic: 'Maximum',
      period: 21600,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 25,
      alarm_actions: target.topicArns,
    });
  });
});
