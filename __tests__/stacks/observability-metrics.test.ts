/**
 * Every alarm and every dashboard line of the default estate (`npm run synth` with the shipped
 * environments), compared whole with one table: namespace, metric, dimension names and statistic.
 * Then each of them checked against what AWS documents (`../modules/metrics/aws-documented.ts`), the
 * CloudTrail counts against the metric filters that publish them, and the metrics that exist only when
 * switched on against the resources that switch them on.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sharedAppSynth } from '../app-synth';
import { evaluatedDashboardBody, type EvaluatedWidget } from '../dashboard-body';
import { resourcesOf, type SynthesizedConfig } from '../helpers';
import { isDocumented } from '../modules/metrics/aws-documented';

type Row = readonly [
  namespace: string,
  metricName: string,
  dimensionNames: readonly string[],
  statistic: string,
];

const ELB = 'AWS/ApplicationELB';
const LB = ['LoadBalancer'];
const LB_TG = ['LoadBalancer', 'TargetGroup'];
const ASG = ['AutoScalingGroupName'];
const SERVICE = ['ClusterName', 'ServiceName'];
const DB = ['DBInstanceIdentifier'];
const EFS = ['FileSystemId'];
const NAT = ['NatGatewayId'];
/** Stands for the environment's `<project>-<env>` in the CloudTrail counts' namespace. */
const PREFIX = '<prefix>';

function loadBalancerAlarms(group: string): Record<string, Row[]> {
  return {
    [`${group}-alb-5xx`]: [[ELB, 'HTTPCode_ELB_5XX_Count', LB, 'Sum']],
    [`${group}-target-5xx`]: [[ELB, 'HTTPCode_Target_5XX_Count', LB_TG, 'Sum']],
    [`${group}-unhealthy-hosts`]: [[ELB, 'UnHealthyHostCount', LB_TG, 'Maximum']],
    [`${group}-no-healthy-hosts`]: [[ELB, 'HealthyHostCount', LB_TG, 'Minimum']],
    [`${group}-latency-p95`]: [[ELB, 'TargetResponseTime', LB_TG, 'p95']],
    [`${group}-latency-p99`]: [[ELB, 'TargetResponseTime', LB_TG, 'p99']],
    [`${group}-rejected-connections`]: [[ELB, 'RejectedConnectionCount', LB, 'Sum']],
  };
}

const natAlarms = (zone: string): Record<string, Row[]> => ({
  [`nat-${zone}-port-allocation-errors`]: [['AWS/NATGateway', 'ErrorPortAllocation', NAT, 'Sum']],
  [`nat-${zone}-packets-dropped`]: [['AWS/NATGateway', 'PacketsDropCount', NAT, 'Sum']],
});

const trailAlarms = Object.fromEntries(
  [
    'root-user',
    'unauthorized-api-calls',
    'console-sign-in-without-mfa',
    'iam-policy-changes',
    'trail-changes',
    'security-group-changes',
    'network-acl-changes',
  ].map((thing): [string, Row[]] => [
    `trail-${thing}`,
    [[`${PREFIX}/CloudTrail`, `${thing}-count`, [], 'Sum']],
  ]),
);

/** Every alarm of an environment, by its name after `<project>-<env>-`: the metrics it reads. */
const ALARMS: Record<string, Row[]> = {
  'web-cpu-high': [['AWS/EC2', 'CPUUtilization', ASG, 'Average']],
  'web-memory-high': [['CWAgent', 'mem_used_percent', ASG, 'Maximum']],
  'web-disk-high': [['CWAgent', 'disk_used_percent', ASG, 'Maximum']],
  ...loadBalancerAlarms('web'),
  'app-cpu-high': [['AWS/ECS', 'CPUUtilization', SERVICE, 'Average']],
  'app-memory-high': [['AWS/ECS', 'MemoryUtilization', SERVICE, 'Average']],
  'app-tasks-below-desired': [
    ['ECS/ContainerInsights', 'RunningTaskCount', SERVICE, 'Average'],
    ['ECS/ContainerInsights', 'DesiredTaskCount', SERVICE, 'Average'],
  ],
  ...loadBalancerAlarms('app'),
  'db-cpu-high': [['AWS/RDS', 'CPUUtilization', DB, 'Average']],
  'db-free-storage-low': [['AWS/RDS', 'FreeStorageSpace', DB, 'Minimum']],
  'db-freeable-memory-low': [['AWS/RDS', 'FreeableMemory', DB, 'Minimum']],
  'db-connections-high': [['AWS/RDS', 'DatabaseConnections', DB, 'Maximum']],
  'db-read-latency-high': [['AWS/RDS', 'ReadLatency', DB, 'Average']],
  'db-write-latency-high': [['AWS/RDS', 'WriteLatency', DB, 'Average']],
  // Elastic throughput (the default): no burst credits to alarm on.
  'efs-io-limit-high': [['AWS/EFS', 'PercentIOLimit', EFS, 'Maximum']],
  ...natAlarms('ap-northeast-1a'),
  'billing-estimated-charges': [['AWS/Billing', 'EstimatedCharges', ['Currency'], 'Maximum']],
};
/** prod adds a NAT gateway per zone and owns the account's trail, with its security alarms. */
const PROD_ALARMS: Record<string, Row[]> = { ...ALARMS, ...natAlarms('ap-northeast-1c'), ...trailAlarms };

function loadBalancerWidgets(name: string): Record<string, Row[]> {
  return {
    [`${name}: requests`]: [[ELB, 'RequestCount', LB, 'Sum']],
    [`${name}: 5xx errors`]: [
      [ELB, 'HTTPCode_ELB_5XX_Count', LB, 'Sum'],
      [ELB, 'HTTPCode_Target_5XX_Count', LB_TG, 'Sum'],
    ],
    [`${name}: response time (s)`]: [
      [ELB, 'TargetResponseTime', LB_TG, 'p95'],
      [ELB, 'TargetResponseTime', LB_TG, 'p99'],
    ],
    [`${name}: healthy and unhealthy targets`]: [
      [ELB, 'HealthyHostCount', LB_TG, 'Minimum'],
      [ELB, 'UnHealthyHostCount', LB_TG, 'Maximum'],
    ],
  };
}

/** Every graph of an environment's dashboard, by title: its lines, each with the statistic it shows. */
function dashboard(zones: readonly string[]): Record<string, Row[]> {
  return {
    ...loadBalancerWidgets('Web'),
    'Web: instances in service': [
      ['AWS/AutoScaling', 'GroupInServiceInstances', ASG, 'Average'],
      ['AWS/AutoScaling', 'GroupDesiredCapacity', ASG, 'Average'],
    ],
    'Web: CPU %': [['AWS/EC2', 'CPUUtilization', ASG, 'Average']],
    'Web: memory and root disk % (fullest instance)': [
      ['CWAgent', 'mem_used_percent', ASG, 'Maximum'],
      ['CWAgent', 'disk_used_percent', ASG, 'Maximum'],
    ],
    ...loadBalancerWidgets('App'),
    'App: tasks': [
      ['ECS/ContainerInsights', 'RunningTaskCount', SERVICE, 'Average'],
      ['ECS/ContainerInsights', 'DesiredTaskCount', SERVICE, 'Average'],
    ],
    'App: CPU and memory %': [
      ['AWS/ECS', 'CPUUtilization', SERVICE, 'Average'],
      ['AWS/ECS', 'MemoryUtilization', SERVICE, 'Average'],
    ],
    'Database: CPU % and connections': [
      ['AWS/RDS', 'CPUUtilization', DB, 'Average'],
      ['AWS/RDS', 'DatabaseConnections', DB, 'Maximum'],
    ],
    'Database: latency (s)': [
      ['AWS/RDS', 'ReadLatency', DB, 'Average'],
      ['AWS/RDS', 'WriteLatency', DB, 'Average'],
    ],
    'Database: free storage and memory (bytes)': [
      ['AWS/RDS', 'FreeStorageSpace', DB, 'Minimum'],
      ['AWS/RDS', 'FreeableMemory', DB, 'Minimum'],
    ],
    'File system: throughput (bytes per minute)': [
      ['AWS/EFS', 'DataReadIOBytes', EFS, 'Sum'],
      ['AWS/EFS', 'DataWriteIOBytes', EFS, 'Sum'],
      ['AWS/EFS', 'MetadataIOBytes', EFS, 'Sum'],
    ],
    'NAT gateways: bytes out and packets dropped': zones.flatMap((): Row[] => [
      ['AWS/NATGateway', 'BytesOutToDestination', NAT, 'Sum'],
      ['AWS/NATGateway', 'PacketsDropCount', NAT, 'Sum'],
    ]),
  };
}

const EXPECTED = {
  dev: { prefix: 'aws-and-infra-dev', alarms: ALARMS, dashboard: dashboard(['ap-northeast-1a']) },
  stg: { prefix: 'aws-and-infra-stg', alarms: ALARMS, dashboard: dashboard(['ap-northeast-1a']) },
  prod: {
    prefix: 'aws-and-infra-prod',
    alarms: PROD_ALARMS,
    dashboard: dashboard(['ap-northeast-1a', 'ap-northeast-1c']),
  },
} as const;

type Environment = keyof typeof EXPECTED;
const ENVIRONMENTS = Object.keys(EXPECTED) as Environment[];

let outdir: string;
beforeAll(() => {
  const synth = sharedAppSynth();
  if (synth.status !== 0) throw new Error(`npm run synth failed:\n${synth.stderr}`);
  outdir = synth.outdir;
});

function stackConfig(stackId: string): SynthesizedConfig {
  return JSON.parse(
    readFileSync(path.join(outdir, 'stacks', stackId, 'cdk.tf.json'), 'utf8'),
  ) as SynthesizedConfig;
}

interface SynthesizedAlarm {
  alarm_name: string;
  namespace?: string;
  metric_name?: string;
  dimensions?: Record<string, string>;
  statistic?: string;
  extended_statistic?: string;
  metric_query?: {
    metric?: { namespace: string; metric_name: string; dimensions?: Record<string, string>; stat: string };
  }[];
}

/** The metrics each alarm reads, by its name after the prefix. */
function alarmRows(config: SynthesizedConfig, prefix: string): Record<string, Row[]> {
  const alarms = resourcesOf(config, 'aws_cloudwatch_metric_alarm') as unknown as SynthesizedAlarm[];
  return Object.fromEntries(
    alarms.map((alarm): [string, Row[]] => {
      const name = alarm.alarm_name.replace(`${prefix}-`, '');
      if (alarm.metric_query) {
        const rows = alarm.metric_query.flatMap(({ metric }): Row[] =>
          metric
            ? [[metric.namespace, metric.metric_name, Object.keys(metric.dimensions ?? {}), metric.stat]]
            : [],
        );
        return [name, rows];
      }
      const statistic = alarm.statistic ?? alarm.extended_statistic ?? '';
      const namespace = (alarm.namespace ?? '').replace(prefix, PREFIX);
      return [name, [[namespace, alarm.metric_name ?? '', Object.keys(alarm.dimensions ?? {}), statistic]]];
    }),
  );
}

/** The lines of each graph, by title: `[namespace, metric, name, value, ..., { options }]`. */
function widgetRows(widgets: readonly EvaluatedWidget[]): Record<string, Row[]> {
  return Object.fromEntries(
    widgets
      .filter((widget) => widget.type === 'metric')
      .map((widget): [string, Row[]] => [
        widget.properties.title ?? '',
        (widget.properties.metrics ?? []).map((metric): Row => {
          const last = metric[metric.length - 1];
          const options = typeof last === 'object' ? (last as { stat?: string }) : {};
          const pairs = metric.slice(2, typeof last === 'object' ? -1 : undefined);
          const names = pairs.filter((_, index) => index % 2 === 0).map(String);
          return [String(metric[0]), String(metric[1]), names, options.stat ?? widget.properties.stat ?? ''];
        }),
      ]),
  );
}

describe.each(ENVIRONMENTS)('the %s estate', (environment) => {
  const expected = EXPECTED[environment];
  let observability: SynthesizedConfig;
  let alarms: Record<string, Row[]>;
  let widgets: Record<string, Row[]>;
  beforeAll(() => {
    observability = stackConfig(`${environment}-observability`);
    alarms = alarmRows(observability, expected.prefix);
    widgets = widgetRows(evaluatedDashboardBody(observability).widgets);
  });

  test('every alarm reads exactly the metrics of the table', () => {
    expect(alarms).toEqual(expected.alarms);
  });

  test('every dashboard graph draws exactly the lines of the table', () => {
    expect(widgets).toEqual(expected.dashboard);
  });

  test('every AWS metric read is one AWS documents, with its whole dimension set', () => {
    const read = [...Object.values(alarms), ...Object.values(widgets)].flat();
    const aws = read.filter(([namespace]) => namespace !== 'CWAgent' && namespace !== `${PREFIX}/CloudTrail`);
    expect(
      aws.filter(([namespace, metric, dimensions]) => !isDocumented(namespace, metric, dimensions)),
    ).toEqual([]);
  });

  test('every CloudTrail count is what one of the trail’s metric filters publishes', () => {
    const published = resourcesOf(observability, 'aws_cloudwatch_log_metric_filter').map((filter) => {
      const transformation = filter.metric_transformation as { namespace: string; name: string };
      return `${transformation.namespace.replace(expected.prefix, PREFIX)} ${transformation.name}`;
    });
    const counted = Object.values(alarms)
      .flat()
      .filter(([namespace]) => namespace === `${PREFIX}/CloudTrail`)
      .map(([namespace, metric]) => `${namespace} ${metric}`);
    expect(counted.sort()).toEqual(published.sort());
  });

  test('the Auto Scaling group collects the group metrics the dashboard draws', () => {
    const [group] = resourcesOf(stackConfig(`${environment}-compute`), 'aws_autoscaling_group');
    const drawn = Object.values(widgets)
      .flat()
      .filter(([namespace]) => namespace === 'AWS/AutoScaling')
      .map(([, metric]) => metric);
    expect(group.enabled_metrics).toEqual(expect.arrayContaining(drawn));
    expect(group.metrics_granularity).toBe('1Minute');
  });

  test('the cluster has Container Insights on, which the task-count alarm and graph read', () => {
    const [cluster] = resourcesOf(stackConfig(`${environment}-containers`), 'aws_ecs_cluster');
    expect(cluster.setting).toEqual([
      { name: 'containerInsights', value: expect.stringMatching(/^(enabled|enhanced)$/) },
    ]);
  });
});
