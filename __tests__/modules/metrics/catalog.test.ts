import {
  AUTO_SCALING_GROUP_METRICS,
  bindMetric,
  METRIC_CATALOG,
  RDS_INSTANCE_METRICS,
  APPLICATION_ELB_METRICS,
  withStatistic,
  type MetricDefinition,
} from '../../../modules/metrics';
import { cloudWatchAgentConfig } from '../../../modules/web-server-config';
import { AWS_DOCUMENTED, isDocumented } from './aws-documented';

/** What the web tier's CloudWatch agent publishes: metric names and the dimension sets it aggregates by. */
function agentPublishes(): { namespace: string; metricNames: string[]; dimensionSets: string[][] } {
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
  return {
    namespace: metrics.namespace,
    metricNames: Object.entries(metrics.metrics_collected).flatMap(([plugin, { measurement }]) =>
      measurement.map((m) => `${plugin}_${m}`),
    ),
    dimensionSets: metrics.aggregation_dimensions,
  };
}

const entries = Object.entries(METRIC_CATALOG).flatMap(([service, catalog]) =>
  Object.entries(catalog).map(([name, definition]) => [`${service}.${name}`, definition] as const),
);
const agent = agentPublishes();
const isAgentMetric = (definition: MetricDefinition) => definition.namespace === agent.namespace;

describe('the metric catalog', () => {
  test('every AWS metric is one AWS documents: namespace, name, the whole dimension set, unit', () => {
    const undocumented = entries
      .filter(([, definition]) => !isAgentMetric(definition))
      .filter(
        ([, d]) =>
          !isDocumented(d.namespace, d.metricName, d.dimensionNames) ||
          AWS_DOCUMENTED[d.namespace].metrics[d.metricName].unit !== d.unit,
      )
      .map(([name]) => name);
    expect(undocumented).toEqual([]);
  });

  test("the CloudWatch agent metrics are what the web tier's agent publishes, by the dimensions it aggregates", () => {
    const agentEntries = entries.filter(([, definition]) => isAgentMetric(definition));
    expect(agentEntries.map(([name, d]) => [name, d.metricName, d.dimensionNames])).toEqual([
      ['autoScalingGroup.memoryUsed', 'mem_used_percent', ['AutoScalingGroupName']],
      ['autoScalingGroup.rootDiskUsed', 'disk_used_percent', ['AutoScalingGroupName']],
    ]);
    expect(agentEntries.map(([, d]) => d.metricName)).toEqual(agent.metricNames);
    for (const [, d] of agentEntries) expect(agent.dimensionSets).toContainEqual([...d.dimensionNames]);
  });

  test('the documented table refuses a dimension set AWS does not publish, in any order', () => {
    // A target group metric by the load balancer alone, or with a dimension too many.
    expect(isDocumented('AWS/ApplicationELB', 'HealthyHostCount', ['LoadBalancer'])).toBe(false);
    expect(isDocumented('AWS/ApplicationELB', 'HealthyHostCount', ['TargetGroup', 'LoadBalancer'])).toBe(
      true,
    );
    expect(
      isDocumented('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', ['LoadBalancer', 'TargetGroup']),
    ).toBe(false);
    expect(isDocumented('AWS/RDS', 'CPUUtilization', ['DBInstanceIdentifier', 'DatabaseClass'])).toBe(false);
    // A metric in the wrong namespace: task counts are Container Insights', not AWS/ECS's.
    expect(isDocumented('AWS/ECS', 'RunningTaskCount', ['ClusterName', 'ServiceName'])).toBe(false);
    expect(isDocumented('ECS/ContainerInsights', 'RunningTaskCount', ['ClusterName', 'ServiceName'])).toBe(
      true,
    );
    expect(isDocumented('AWS/EC2', 'CPUUtilization', ['AutoScalingGroupName'])).toBe(true);
  });

  test('binding writes the dimensions in the catalog order, leaves out the ones the metric lacks', () => {
    const identity = { TargetGroup: 'targetgroup/x/2', LoadBalancer: 'app/x/1' };
    expect(bindMetric(APPLICATION_ELB_METRICS.target5xx, identity)).toEqual({
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      dimensions: { LoadBalancer: 'app/x/1', TargetGroup: 'targetgroup/x/2' },
      statistic: 'Sum',
    });
    expect(Object.keys(bindMetric(APPLICATION_ELB_METRICS.target5xx, identity).dimensions)).toEqual([
      'LoadBalancer',
      'TargetGroup',
    ]);
    expect(bindMetric(APPLICATION_ELB_METRICS.loadBalancer5xx, identity).dimensions).toEqual({
      LoadBalancer: 'app/x/1',
    });
  });

  test('a percentile replaces the statistic and nothing else', () => {
    const latency = bindMetric(APPLICATION_ELB_METRICS.targetResponseTime, {
      LoadBalancer: 'app/x/1',
      TargetGroup: 'targetgroup/x/2',
    });
    expect(withStatistic(latency, 'p99')).toEqual({ ...latency, statistic: 'p99' });
  });

  test('storage and memory are bytes and latency seconds, the units thresholds are converted to', () => {
    expect([RDS_INSTANCE_METRICS.freeStorage.unit, RDS_INSTANCE_METRICS.freeableMemory.unit]).toEqual([
      'Bytes',
      'Bytes',
    ]);
    expect(RDS_INSTANCE_METRICS.readLatency.unit).toBe('Seconds');
    expect(AUTO_SCALING_GROUP_METRICS.memoryUsed.statistic).toBe('Maximum');
  });
});
