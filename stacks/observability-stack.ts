import type { Construct } from 'constructs';
import { AlarmTopic } from '../modules/alarm-topic';
import {
  BillingAlarm,
  ContainerServiceAlarms,
  DatabaseAlarms,
  FileSystemAlarms,
  NatGatewayAlarms,
  WEB_AGENT_METRICS,
  WebTierAlarms,
  webAgentMetric,
} from '../modules/alarms';
import { logToBucket } from '../modules/access-log-bucket';
import { AuditTrail } from '../modules/audit-trail';
import { TrailAlarms } from '../modules/trail-alarms';
import { Dashboard, metricLine, type DashboardWidget, type MetricWidget } from '../modules/dashboard';
import { BaseStack, type BaseStackProps } from './base-stack';
import { ACCESS_LOG_PREFIXES, auditTrailBucketName } from './contracts';
import type {
  ContainerServiceMetrics,
  DatabaseAccess,
  FileSystemMetrics,
  LoadBalancerMetrics,
  NetworkAccess,
  WebTierMetrics,
} from './contracts';

/** The shared file system's metrics and the modes that decide which of them exist. */

export interface ObservabilityStackProps extends BaseStackProps {
  /** The NAT gateways (`<env>-network`). */
  readonly network: Pick<NetworkAccess, 'natGatewayIdsByZone'>;
  /** The database (`<env>-data`); its alarms and widgets exist only when given. */
  readonly database?: DatabaseAccess;
  /** The shared file system (`<env>-data`). */
  readonly fileSystem?: FileSystemMetrics;
  /** The web tier (`<env>-compute`). */
  readonly webTier?: WebTierMetrics;
  /** The container service (`<env>-containers`). */
  readonly containers?: ContainerServiceMetrics;
}

/** Billing metrics exist only in this region (CloudWatch user guide, "Create a billing alarm"). */
export const BILLING_REGION = 'us-east-1';

/**
 * `<env>-observability`: the alarm topic and its subscribers, an alarm for every part of the
 * estate it is given, the environment's dashboard, the billing alarm (in us-east-1) and, where
 * this environment owns it, the account's CloudTrail, with the security alarms on its events where
 * it delivers to CloudWatch Logs.
 */
export class ObservabilityStack extends BaseStack {
  readonly alarmTopic: AlarmTopic;
  readonly dashboard: Dashboard;
  readonly webTierAlarms?: WebTierAlarms;
  readonly containerAlarms?: ContainerServiceAlarms;
  readonly databaseAlarms?: DatabaseAlarms;
  readonly fileSystemAlarms?: FileSystemAlarms;
  readonly natGatewayAlarms: NatGatewayAlarms;
  readonly billingTopic?: AlarmTopic;
  readonly billingAlarm?: BillingAlarm;
  readonly auditTrail?: AuditTrail;
  readonly trailAlarms?: TrailAlarms;

  constructor(scope: Construct, props: ObservabilityStackProps) {
    super(scope, 'observability', props);
    const { observability, namePrefix } = this.environment;
    const { thresholds } = observability;

    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      topicName: this.resourceName('alarms'),
      context: this.context,
      emailAddresses: observability.alarmEmails,
    });
    const alarms = { namePrefix, topicArns: [this.alarmTopic.arn] };

    if (props.webTier) {
      this.webTierAlarms = new WebTierAlarms(this, 'web-tier-alarms', {
        ...alarms,
        webTier: props.webTier,
        thresholds: thresholds.web,
        loadBalancerThresholds: thresholds.loadBalancer,
      });
    }
    if (props.containers) {
      this.containerAlarms = new ContainerServiceAlarms(this, 'container-alarms', {
        ...alarms,
        service: props.containers,
        thresholds: thresholds.containers,
        loadBalancerThresholds: thresholds.loadBalancer,
      });
    }
    if (props.database) {
      this.databaseAlarms = new DatabaseAlarms(this, 'database-alarms', {
        ...alarms,
        instanceIdentifier: props.database.instanceIdentifier,
        thresholds: thresholds.database,
      });
    }
    if (props.fileSystem) {
      this.fileSystemAlarms = new FileSystemAlarms(this, 'file-system-alarms', {
        ...alarms,
        ...props.fileSystem,
        thresholds: thresholds.fileSystem,
      });
    }
    // Keyed by zone, so adding a zone adds alarms without renaming the others.
    const natGateways = props.network.natGatewayIdsByZone;
    this.natGatewayAlarms = new NatGatewayAlarms(this, 'nat-gateway-alarms', {
      ...alarms,
      natGateways,
      thresholds: thresholds.natGateway,
    });

    if (observability.billingAlarm) {
      const provider = this.aliasedProvider('billing', BILLING_REGION);
      this.billingTopic = new AlarmTopic(this, 'billing-topic', {
        topicName: this.resourceName('billing-alarms'),
        context: { ...this.context, region: BILLING_REGION },
        emailAddresses: observability.alarmEmails,
        provider,
      });
      this.billingAlarm = new BillingAlarm(this, 'billing-alarm', {
        namePrefix,
        topicArns: [this.billingTopic.arn],
        thresholdUsd: thresholds.billingUsd,
        provider,
      });
    }

    this.dashboard = new Dashboard(this, 'dashboard', {
      dashboardName: namePrefix,
      region: this.environment.region,
      widgets: dashboardWidgets(this.environment.name, props, natGateways),
    });

    const { auditTrail } = observability;
    if (auditTrail.owner) {
      this.auditTrail = new AuditTrail(this, 'audit-trail', {
        trailName: this.resourceName('trail'),
        bucketName: auditTrailBucketName(namePrefix, this.environment.accountId),
        context: this.context,
        // The state bucket holds every stack's state: who read or wrote it matters.
        dataEventBucketNames: [this.environment.state.bucket],
        retentionDays: auditTrail.retentionDays,
        cloudWatchLogs: auditTrail.cloudWatchLogs
          ? { logGroupName: `/${namePrefix}/cloudtrail`, retentionDays: this.environment.logRetentionDays }
          : undefined,
        preventDestroy: this.environment.deletionProtection,
      });
      // Who read the audit log: S3 server access logs into <env>-state's log bucket, named (that
      // stack is deployed first and has local state; its policy admits this bucket and prefix).
      logToBucket(this, 'audit-trail-access-logging', {
        bucket: this.auditTrail.bucket.bucket.id,
        targetBucket: this.environment.state.accessLogBucket,
        targetPrefix: ACCESS_LOG_PREFIXES.cloudTrail,
      });
      // Metric filters need the events in CloudWatch Logs: only where the trail delivers there.
      if (this.auditTrail.logGroup) {
        this.trailAlarms = new TrailAlarms(this, 'trail-alarms', {
          ...alarms,
          logGroupName: this.auditTrail.logGroup.name,
        });
      }
    }
  }
}

/** The dashboard: one row per part of the estate that exists, in the order a request travels. */
function dashboardWidgets(
  environmentName: string,
  props: ObservabilityStackProps,
  natGateways: Readonly<Record<string, string>>,
): DashboardWidget[] {
  const widgets: DashboardWidget[] = [
    {
      type: 'text',
      markdown: `# ${environmentName}\nRequests, errors and latency of each load balancer, capacity and CPU, the database and the file system. Alarms are in the CloudWatch console, prefixed with the environment.`,
    },
  ];
  if (props.webTier) {
    widgets.push(...loadBalancerWidgets('Web', props.webTier));
    const asg = { AutoScalingGroupName: props.webTier.autoScalingGroupName };
    widgets.push(
      {
        type: 'metric',
        title: 'Web: instances in service',
        // Group metrics need metrics collection enabled on the Auto Scaling group.
        metrics: [
          metricLine('AWS/AutoScaling', 'GroupInServiceInstances', asg, { label: 'in service' }),
          metricLine('AWS/AutoScaling', 'GroupDesiredCapacity', asg, { label: 'desired' }),
        ],
      },
      { type: 'metric', title: 'Web: CPU %', metrics: [metricLine('AWS/EC2', 'CPUUtilization', asg)] },
      {
        type: 'metric',
        title: 'Web: memory and root disk % (fullest instance)',
        stat: 'Maximum',
        metrics: [
          agentLine(WEB_AGENT_METRICS.memory, props.webTier.autoScalingGroupName, 'memory'),
          agentLine(WEB_AGENT_METRICS.disk, props.webTier.autoScalingGroupName, 'root disk'),
        ],
      },
    );
  }
  if (props.containers) {
    widgets.push(...loadBalancerWidgets('App', props.containers));
    const service = { ClusterName: props.containers.clusterName, ServiceName: props.containers.serviceName };
    widgets.push(
      {
        type: 'metric',
        title: 'App: tasks',
        metrics: [
          metricLine('ECS/ContainerInsights', 'RunningTaskCount', service, { label: 'running' }),
          metricLine('ECS/ContainerInsights', 'DesiredTaskCount', service, { label: 'desired' }),
        ],
      },
      {
        type: 'metric',
        title: 'App: CPU and memory %',
        metrics: [
          metricLine('AWS/ECS', 'CPUUtilization', service, { label: 'CPU' }),
          metricLine('AWS/ECS', 'MemoryUtilization', service, { label: 'memory' }),
        ],
      },
    );
  }
  if (props.database) {
    const db = { DBInstanceIdentifier: props.database.instanceIdentifier };
    widgets.push(
      {
        type: 'metric',
        title: 'Database: CPU % and connections',
        metrics: [
          metricLine('AWS/RDS', 'CPUUtilization', db, { label: 'CPU %' }),
          metricLine('AWS/RDS', 'DatabaseConnections', db, { stat: 'Maximum', label: 'connections' }),
        ],
      },
      {
        type: 'metric',
        title: 'Database: latency (s)',
        metrics: [
          metricLine('AWS/RDS', 'ReadLatency', db, { label: 'read' }),
          metricLine('AWS/RDS', 'WriteLatency', db, { label: 'write' }),
        ],
      },
      {
        type: 'metric',
        title: 'Database: free storage and memory (bytes)',
        stat: 'Minimum',
        metrics: [
          metricLine('AWS/RDS', 'FreeStorageSpace', db, { label: 'free storage' }),
          metricLine('AWS/RDS', 'FreeableMemory', db, { label: 'freeable memory' }),
        ],
      },
    );
  }
  if (props.fileSystem) {
    const efs = { FileSystemId: props.fileSystem.fileSystemId };
    widgets.push({
      type: 'metric',
      title: 'File system: throughput (bytes per minute)',
      stat: 'Sum',
      metrics: [
        metricLine('AWS/EFS', 'DataReadIOBytes', efs, { label: 'read' }),
        metricLine('AWS/EFS', 'DataWriteIOBytes', efs, { label: 'write' }),
        metricLine('AWS/EFS', 'MetadataIOBytes', efs, { label: 'metadata' }),
      ],
    });
  }
  const zones = Object.entries(natGateways);
  if (zones.length > 0) {
    widgets.push({
      type: 'metric',
      title: 'NAT gateways: bytes out and packets dropped',
      stat: 'Sum',
      metrics: zones.flatMap(([zone, id]) => [
        metricLine(
          'AWS/NATGateway',
          'BytesOutToDestination',
          { NatGatewayId: id },
          { label: `${zone} bytes out` },
        ),
        metricLine('AWS/NATGateway', 'PacketsDropCount', { NatGatewayId: id }, { label: `${zone} dropped` }),
      ]),
    });
  }
  return widgets;
}

/** A CloudWatch agent metric of the web tier, as the alarms name it. */
function agentLine(metricName: string, autoScalingGroupName: string, label: string) {
  const metric = webAgentMetric(metricName, autoScalingGroupName);
  return metricLine(metric.namespace, metric.metricName, metric.dimensions, { label });
}

/** Request rate, errors and latency of one load balancer. */
function loadBalancerWidgets(name: string, metrics: LoadBalancerMetrics): MetricWidget[] {
  const loadBalancer = { LoadBalancer: metrics.loadBalancerArnSuffix };
  const targetGroup = { ...loadBalancer, TargetGroup: metrics.targetGroupArnSuffix };
  return [
    {
      type: 'metric',
      title: `${name}: requests`,
      stat: 'Sum',
      metrics: [metricLine('AWS/ApplicationELB', 'RequestCount', loadBalancer)],
    },
    {
      type: 'metric',
      title: `${name}: 5xx errors`,
      stat: 'Sum',
      metrics: [
        metricLine('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', loadBalancer, { label: 'load balancer' }),
        metricLine('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', targetGroup, { label: 'targets' }),
      ],
    },
    {
      type: 'metric',
      title: `${name}: response time (s)`,
      metrics: [
        metricLine('AWS/ApplicationELB', 'TargetResponseTime', targetGroup, { stat: 'p95', label: 'p95' }),
        metricLine('AWS/ApplicationELB', 'TargetResponseTime', targetGroup, { stat: 'p99', label: 'p99' }),
      ],
    },
    {
      type: 'metric',
      title: `${name}: healthy and unhealthy targets`,
      metrics: [
        metricLine('AWS/ApplicationELB', 'HealthyHostCount', targetGroup, {
          stat: 'Minimum',
          label: 'healthy',
        }),
        metricLine('AWS/ApplicationELB', 'UnHealthyHostCount', targetGroup, {
          stat: 'Maximum',
          label: 'unhealthy',
        }),
      ],
    },
  ];
}
