import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { ContainerServiceMetrics, LoadBalancerMetrics, WebTierMetrics } from './metrics';
import { WEB_AGENT_NAMESPACE } from './web-server-config';

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
  readonly metric?: {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
    /** A statistic such as `Average`, or a percentile such as `p99`. */
    readonly statistic: string;
    readonly period: number;
  };
  readonly metricQuery?: CloudwatchMetricAlarmMetricQuery[];
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

/** Thresholds of the alarms on an application load balancer and its target group. */
export interface LoadBalancerThresholds {
  /** 5xx responses the load balancer generates itself, per 5 minutes. */
  readonly elb5xxCount: number;
  /** 5xx responses from the targets, per 5 minutes. */
  readonly target5xxCount: number;
  /** p95 target response time in seconds, 3 of 5 minutes. */
  readonly responseTimeP95Seconds: number;
  /** p99 target response time in seconds, 3 of 5 minutes. */
  readonly responseTimeP99Seconds: number;
  /** Connections rejected at the load balancer's connection limit, per 5 minutes. */
  readonly rejectedConnectionCount: number;
}

export interface LoadBalancerAlarmsProps extends AlarmGroupProps {
  /** The group's part of the alarm names, e.g. `web` or `app`. */
  readonly groupName: string;
  /** What the load balancer serves, for the descriptions ("the web tier"). */
  readonly serves: string;
  readonly loadBalancer: LoadBalancerMetrics;
  readonly thresholds: LoadBalancerThresholds;
}

/**
 * Errors, target health, latency and rejected connections of an application load balancer and its
 * target group (namespace `AWS/ApplicationELB`).
 */
export class LoadBalancerAlarms extends AlarmGroup {
  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id, props, props.groupName);
    const { thresholds, serves } = props;
    const loadBalancer = { LoadBalancer: props.loadBalancer.loadBalancerArnSuffix };
    const targetGroup = { ...loadBalancer, TargetGroup: props.loadBalancer.targetGroupArnSuffix };
    const metric = (
      metricName: string,
      dimensions: Record<string, string>,
      statistic: string,
      period: number,
    ) => ({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensions,
      statistic,
      period,
    });

    // Error counts and latency: no requests means no errors and nothing slow.
    this.addAlarm('alb-5xx', {
      description: `The load balancer of ${serves} answered more than ${thresholds.elb5xxCount} requests with its own 5xx in 5 minutes (usually no healthy target, or targets timing out). Check target health and the targets' logs.`,
      metric: metric('HTTPCode_ELB_5XX_Count', loadBalancer, 'Sum', 300),
      comparison: 'GreaterThanThreshold',
      threshold: thresholds.elb5xxCount,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
    });
    this.addAlarm('target-5xx', {
      description: `The targets of ${serves} returned more than ${thresholds.target5xxCount} 5xx responses in 5 minutes. Read the application logs for the failing requests.`,
      metric: metric('HTTPCode_Target_5XX_Count', targetGroup, 'Sum', 300),
      comparison: 'GreaterThanThreshold',
      threshold: thresholds.target5xxCount,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
    });
    this.addAlarm('unhealthy-hosts', {
      description: `At least one target of ${serves} has failed its health checks for 3 minutes. Find it in the target group's health view and check its health-check path and logs.`,
      metric: metric('UnHealthyHostCount', targetGroup, 'Maximum', 60),
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 3,
      // No data: no target reported unhealthy; the no-healthy-hosts alarm covers a silent group.
      treatMissingData: 'notBreaching',
    });
    this.addAlarm('no-healthy-hosts', {
      description: `${capitalize(serves)} has had no healthy target for 3 minutes: it is down. Check the targets' health and the last deployment.`,
      metric: metric('HealthyHostCount', targetGroup, 'Minimum', 60),
      comparison: 'LessThanThreshold',
      threshold: 1,
      evaluationPeriods: 3,
      // Silence from a target group means nothing is registered to serve.
      treatMissingData: 'breaching',
    });
    for (const [percentile, seconds] of [
      ['p95', thresholds.responseTimeP95Seconds],
      ['p99', thresholds.responseTimeP99Seconds],
    ] as const) {
      this.addAlarm(`latency-${percentile}`, {
        description: `The ${percentile} response time of ${serves} exceeded ${seconds} s in 3 of 5 minutes. Check the targets' CPU, the database and recent deployments.`,
        metric: metric('TargetResponseTime', targetGroup, percentile, 60),
        comparison: 'GreaterThanThreshold',
        threshold: seconds,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: 'notBreaching',
      });
    }
    this.addAlarm('rejected-connections', {
      description: `The load balancer of ${serves} rejected more than ${thresholds.rejectedConnectionCount} connections in 5 minutes because it was at its connection limit. Look for a traffic spike or an attack.`,
      metric: metric('RejectedConnectionCount', loadBalancer, 'Sum', 300),
      comparison: 'GreaterThanThreshold',
      threshold: thresholds.rejectedConnectionCount,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
    });
  }
}

/**
 * Where the CloudWatch agent on the web instances publishes memory and disk use: namespace
 * `CWAgent`, metrics `mem_used_percent` and `disk_used_percent` (root file system only), with the
 * Auto Scaling group as the only dimension (the agent's `append_dimensions` +
 * `aggregation_dimensions`, set by the web tier's boot script). An alarm matches a metric only on
 * all its dimensions exactly (CloudWatch user guide, "Dimensions").
 */
export const WEB_AGENT_METRICS = {
  namespace: WEB_AGENT_NAMESPACE,
  memory: 'mem_used_percent',
  disk: 'disk_used_percent',
} as const;

/** The agent's metric `metricName` of the Auto Scaling group `autoScalingGroupName`. */
export function webAgentMetric(metricName: string, autoScalingGroupName: string) {
  return {
    namespace: WEB_AGENT_METRICS.namespace,
    metricName,
    dimensions: { AutoScalingGroupName: autoScalingGroupName },
  };
}

export interface WebTierAlarmsProps extends AlarmGroupProps {
  readonly webTier: WebTierMetrics;
  readonly thresholds: {
    /** Average CPU of the Auto Scaling group's instances, percent. */
    readonly cpuPercent: number;
    /** Period of the CPU alarm; under 300 s it needs EC2 detailed monitoring. */
    readonly cpuPeriodSeconds: number;
    /** Memory use of the fullest instance, percent, sustained 5 minutes. */
    readonly memoryPercent: number;
    /** Root-disk use of the fullest instance, percent. */
    readonly diskPercent: number;
  };
  readonly loadBalancerThresholds: LoadBalancerThresholds;
}

/** The web tier: the Auto Scaling group's CPU (the reference alarm), its instances' memory and disk, and its load balancer. */
export class WebTierAlarms extends AlarmGroup {
  readonly loadBalancer: LoadBalancerAlarms;

  constructor(scope: Construct, id: string, props: WebTierAlarmsProps) {
    super(scope, id, props, 'web');
    const { cpuPercent, cpuPeriodSeconds } = props.thresholds;
    this.addAlarm('cpu-high', {
      description: `The web instances averaged ${cpuPercent} % CPU or more over ${cpuPeriodSeconds / 60} minute(s). Check the request rate and whether the group is scaling out.`,
      metric: {
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensions: { AutoScalingGroupName: props.webTier.autoScalingGroupName },
        statistic: 'Average',
        period: cpuPeriodSeconds,
      },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: cpuPercent,
      evaluationPeriods: 1,
      // EC2 reports CPU while instances run; a gap is a metric outage, not an idle tier.
      treatMissingData: 'missing',
    });
    // The agent's group-level metric holds every instance's data points: Maximum is the fullest
    // instance, which is the one that fails (an average would hide one full disk among healthy ones).
    const { memoryPercent, diskPercent } = props.thresholds;
    const asg = props.webTier.autoScalingGroupName;
    this.addAlarm('memory-high', {
      description: `A web instance has used ${memoryPercent} % of its memory or more for 5 minutes. PHP-FPM children may be too many for the instance type: check its sizing, then the instance's processes (Session Manager).`,
      metric: { ...webAgentMetric(WEB_AGENT_METRICS.memory, asg), statistic: 'Maximum', period: 60 },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: memoryPercent,
      evaluationPeriods: 5,
      // The agent reports every minute while instances run; a gap is the agent or metric, not the tier.
      treatMissingData: 'missing',
    });
    this.addAlarm('disk-high', {
      description: `A web instance's root file system is ${diskPercent} % full or more. Logs or a runaway cache: find what grew (Session Manager: du -xh / | sort -h), then replace the instance.`,
      metric: { ...webAgentMetric(WEB_AGENT_METRICS.disk, asg), statistic: 'Maximum', period: 300 },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: diskPercent,
      evaluationPeriods: 1,
      treatMissingData: 'missing',
    });
    this.loadBalancer = new LoadBalancerAlarms(this, 'load-balancer', {
      namePrefix: props.namePrefix,
      topicArns: props.topicArns,
      groupName: 'web',
      serves: 'the web tier',
      loadBalancer: props.webTier,
      thresholds: props.loadBalancerThresholds,
    });
  }
}

export interface ContainerServiceAlarmsProps extends AlarmGroupProps {
  readonly service: ContainerServiceMetrics;
  readonly thresholds: {
    /** Average CPU utilization of the service, percent of what its tasks reserve. */
    readonly cpuPercent: number;
    /** Average memory utilization of the service, percent of what its tasks reserve. */
    readonly memoryPercent: number;
  };
  readonly loadBalancerThresholds: LoadBalancerThresholds;
}

/**
 * The ECS service: CPU and memory (`AWS/ECS`), running tasks below desired (Container Insights,
 * which must be on for the cluster) and its load balancer.
 */
export class ContainerServiceAlarms extends AlarmGroup {
  readonly loadBalancer: LoadBalancerAlarms;

  constructor(scope: Construct, id: string, props: ContainerServiceAlarmsProps) {
    super(scope, id, props, 'app');
    const { cpuPercent, memoryPercent } = props.thresholds;
    const dimensions = { ClusterName: props.service.clusterName, ServiceName: props.service.serviceName };
    const utilization = (metricName: string) => ({
      namespace: 'AWS/ECS',
      metricName,
      dimensions,
      statistic: 'Average',
      period: 60,
    });

    // ECS reports utilization every minute while the service exists: a gap is not a quiet service.
    this.addAlarm('cpu-high', {
      description: `The service's tasks averaged ${cpuPercent} % CPU or more for 5 minutes. Check whether auto scaling is at its maximum and what the tasks are doing (ECS Exec).`,
      metric: utilization('CPUUtilization'),
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: cpuPercent,
      evaluationPeriods: 5,
      treatMissingData: 'missing',
    });
    this.addAlarm('memory-high', {
      description: `The service's tasks averaged ${memoryPercent} % memory or more for 5 minutes; a task that runs out is killed. Look for a leak or raise the task memory.`,
      metric: utilization('MemoryUtilization'),
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: memoryPercent,
      evaluationPeriods: 5,
      treatMissingData: 'missing',
    });
    const insight = (id: string, metricName: string): CloudwatchMetricAlarmMetricQuery => ({
      id,
      metric: { namespace: 'ECS/ContainerInsights', metricName, dimensions, stat: 'Average', period: 60 },
    });
    this.addAlarm('tasks-below-desired', {
      description:
        "Fewer tasks have been running than the service wants for 5 minutes: tasks fail to start or keep stopping. Read the service events and the stopped tasks' reasons.",
      metricQuery: [
        insight('running', 'RunningTaskCount'),
        insight('desired', 'DesiredTaskCount'),
        { id: 'shortfall', expression: 'desired - running', label: 'Tasks below desired', returnData: true },
      ],
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 5,
      // Container Insights reports every minute; silence means the service (or its insights) is gone.
      treatMissingData: 'breaching',
    });
    this.loadBalancer = new LoadBalancerAlarms(this, 'load-balancer', {
      namePrefix: props.namePrefix,
      topicArns: props.topicArns,
      groupName: 'app',
      serves: 'the container service',
      loadBalancer: props.service,
      thresholds: props.loadBalancerThresholds,
    });
  }
}

export interface DatabaseAlarmsProps extends AlarmGroupProps {
  /** The `DBInstanceIdentifier` dimension. */
  readonly instanceIdentifier: string;
  readonly thresholds: {
    readonly cpuPercent: number;
    readonly freeStorageGiB: number;
    readonly freeableMemoryMiB: number;
    readonly connections: number;
    readonly readLatencySeconds: number;
    readonly writeLatencySeconds: number;
  };
}

/**
 * The RDS instance (`AWS/RDS`): CPU, free storage, freeable memory, connections, read and write
 * latency. No ReplicaLag alarm: RDS reports it only for read replicas, and this instance is a
 * primary (Multi-AZ standbys replicate synchronously and report no lag).
 */
export class DatabaseAlarms extends AlarmGroup {
  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id, props, 'db');
    const t = props.thresholds;
    const metric = (metricName: string, statistic: string, period: number) => ({
      namespace: 'AWS/RDS',
      metricName,
      dimensions: { DBInstanceIdentifier: props.instanceIdentifier },
      statistic,
      period,
    });
    const GiB = 1024 ** 3;
    const MiB = 1024 ** 2;

    // RDS reports these every minute while the instance exists: a gap is not a healthy database.
    this.addAlarm('cpu-high', {
      description: `The database averaged ${t.cpuPercent} % CPU or more for 5 minutes. Look for slow queries (Performance Insights, slow query log) before resizing.`,
      metric: metric('CPUUtilization', 'Average', 60),
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: t.cpuPercent,
      evaluationPeriods: 5,
      treatMissingData: 'missing',
    });
    this.addAlarm('free-storage-low', {
      description: `The database has less than ${t.freeStorageGiB} GiB of free storage; it stops accepting writes when full. Delete data or raise the allocated storage.`,
      metric: metric('FreeStorageSpace', 'Minimum', 300),
      comparison: 'LessThanThreshold',
      threshold: t.freeStorageGiB * GiB,
      evaluationPeriods: 1,
      treatMissingData: 'missing',
    });
    this.addAlarm('freeable-memory-low', {
      description: `The database has had less than ${t.freeableMemoryMiB} MiB of freeable memory for 10 minutes and may start swapping. Check connections and buffer sizes, or move to a larger class.`,
      metric: metric('FreeableMemory', 'Minimum', 300),
      comparison: 'LessThanThreshold',
      threshold: t.freeableMemoryMiB * MiB,
      evaluationPeriods: 2,
      treatMissingData: 'missing',
    });
    this.addAlarm('connections-high', {
      description: `The database has held ${t.connections} or more connections for 5 minutes, close to max_connections. Look for connection leaks or too many web instances or tasks.`,
      metric: metric('DatabaseConnections', 'Maximum', 60),
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: t.connections,
      evaluationPeriods: 5,
      treatMissingData: 'missing',
    });
    for (const [thing, metricName, seconds] of [
      ['read-latency-high', 'ReadLatency', t.readLatencySeconds],
      ['write-latency-high', 'WriteLatency', t.writeLatencySeconds],
    ] as const) {
      this.addAlarm(thing, {
        description: `The database's average ${metricName === 'ReadLatency' ? 'read' : 'write'} latency exceeded ${seconds} s for 5 minutes. Check IOPS against the volume's baseline and look for heavy queries.`,
        metric: metric(metricName, 'Average', 60),
        comparison: 'GreaterThanThreshold',
        threshold: seconds,
        evaluationPeriods: 5,
        treatMissingData: 'missing',
      });
    }
  }
}

export interface FileSystemAlarmsProps extends AlarmGroupProps {
  readonly fileSystemId: string;
  /** BurstCreditBalance exists only in `bursting` mode. */
  readonly throughputMode: 'bursting' | 'elastic' | 'provisioned';
  /**
   * PercentIOLimit exists only in General Purpose performance mode.
   * @default 'generalPurpose'
   */
  readonly performanceMode?: 'generalPurpose' | 'maxIO';
  readonly thresholds: {
    /** PercentIOLimit, percent. */
    readonly percentIoLimit: number;
    /** BurstCreditBalance floor, GiB. */
    readonly burstCreditBalanceGiB: number;
  };
}

/**
 * The EFS file system (`AWS/EFS`), only the alarms its modes have metrics for: PercentIOLimit in
 * General Purpose performance mode, BurstCreditBalance in bursting throughput mode. With elastic
 * (or provisioned) throughput there are no credits to run out of.
 */
export class FileSystemAlarms extends AlarmGroup {
  constructor(scope: Construct, id: string, props: FileSystemAlarmsProps) {
    super(scope, id, props, 'efs');
    const performanceMode = props.performanceMode ?? 'generalPurpose';
    const dimensions = { FileSystemId: props.fileSystemId };
    const t = props.thresholds;

    // EFS reports these every minute: a gap is a metric outage, not an idle file system.
    if (performanceMode === 'generalPurpose') {
      this.addAlarm('io-limit-high', {
        description: `The file system has been at ${t.percentIoLimit} % or more of General Purpose mode's I/O limit for 5 minutes; clients will slow down. Look for metadata-heavy workloads.`,
        metric: {
          namespace: 'AWS/EFS',
          metricName: 'PercentIOLimit',
          dimensions,
          statistic: 'Maximum',
          period: 60,
        },
        comparison: 'GreaterThanOrEqualToThreshold',
        threshold: t.percentIoLimit,
        evaluationPeriods: 5,
        treatMissingData: 'missing',
      });
    }
    if (props.throughputMode === 'bursting') {
      this.addAlarm('burst-credits-low', {
        description: `The file system has under ${t.burstCreditBalanceGiB} GiB of burst credits; when they run out, throughput drops to the baseline. Switch to elastic throughput or reduce I/O.`,
        metric: {
          namespace: 'AWS/EFS',
          metricName: 'BurstCreditBalance',
          dimensions,
          statistic: 'Minimum',
          period: 300,
        },
        comparison: 'LessThanThreshold',
        threshold: t.burstCreditBalanceGiB * 1024 ** 3,
        evaluationPeriods: 1,
        treatMissingData: 'missing',
      });
    }
  }
}

export interface NatGatewayAlarmsProps extends AlarmGroupProps {
  /** NAT gateway ids keyed by a stable name (their zone); the key is part of the alarm name. */
  readonly natGateways: Readonly<Record<string, string>>;
  readonly thresholds: {
    /** Packets dropped per 5 minutes. */
    readonly packetsDropped: number;
  };
}

/** Per NAT gateway (`AWS/NATGateway`): source-port allocation errors and dropped packets. */
export class NatGatewayAlarms extends AlarmGroup {
  constructor(scope: Construct, id: string, props: NatGatewayAlarmsProps) {
    super(scope, id, props, 'nat');
    for (const [key, natGatewayId] of Object.entries(props.natGateways)) {
      const metric = (metricName: string) => ({
        namespace: 'AWS/NATGateway',
        metricName,
        dimensions: { NatGatewayId: natGatewayId },
        statistic: 'Sum',
        period: 300,
      });
      // Error counts: no traffic, no errors.
      this.addAlarm(`${key}-port-allocation-errors`, {
        description: `The NAT gateway in ${key} could not allocate a source port: too many concurrent connections to one destination. Spread the traffic or use VPC endpoints.`,
        metric: metric('ErrorPortAllocation'),
        comparison: 'GreaterThanThreshold',
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
      });
      this.addAlarm(`${key}-packets-dropped`, {
        description: `The NAT gateway in ${key} dropped more than ${props.thresholds.packetsDropped} packets in 5 minutes. Check the AWS Health Dashboard and the gateway's connection counts.`,
        metric: metric('PacketsDropCount'),
        comparison: 'GreaterThanThreshold',
        threshold: props.thresholds.packetsDropped,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
      });
    }
  }
}

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
 * `AWS/Billing` `EstimatedCharges` (USD) of the account over 6 hours. AWS publishes it only in
 * us-east-1 and only after "Receive Billing Alerts" is enabled in the billing preferences.
 */
export class BillingAlarm extends AlarmGroup {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: BillingAlarmProps) {
    super(scope, id, props, 'billing');
    this.alarm = this.addAlarm('estimated-charges', {
      description: `The account's estimated charges this month exceeded ${props.thresholdUsd} USD. Open Cost Explorer, find the service that grew and stop what should not run.`,
      metric: {
        namespace: 'AWS/Billing',
        metricName: 'EstimatedCharges',
        dimensions: { Currency: 'USD' },
        statistic: 'Maximum',
        period: 6 * 3600,
      },
      comparison: 'GreaterThanThreshold',
      threshold: props.thresholdUsd,
      evaluationPeriods: 1,
      // Billing data arrives a few times a day: keep the state across the gaps instead of flapping.
      treatMissingData: 'ignore',
    });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
