/**
 * The environment's dashboard, as widgets: one row per part of the estate that exists, in the order a
 * request travels (load balancer, then the web tier or the container service, the database, the file
 * system, the NAT gateways). Every line is a metric of the catalog (`modules/metrics`), the same one
 * the alarm beside it watches.
 */
import { line, type DashboardWidget, type MetricWidget } from './dashboard';
import {
  applicationElbMetrics,
  autoScalingGroupMetrics,
  ecsServiceMetrics,
  efsFileSystemMetrics,
  natGatewayMetrics,
  rdsInstanceMetrics,
  withStatistic,
  type ContainerServiceMetrics,
  type DatabaseMetrics,
  type FileSystemMetrics,
  type LoadBalancerMetrics,
  type WebTierMetrics,
} from './metrics';

export interface EstateWidgetsProps {
  /** The environment's name, the dashboard's heading. */
  readonly environmentName: string;
  /** @default no web tier rows */
  readonly webTier?: WebTierMetrics;
  /** @default no container service rows */
  readonly containerService?: ContainerServiceMetrics;
  /** @default no database row */
  readonly database?: DatabaseMetrics;
  /** @default no file system row */
  readonly fileSystem?: FileSystemMetrics;
  /** NAT gateway ids keyed by their zone, the key naming their lines. @default none */
  readonly natGateways?: Readonly<Record<string, string>>;
}

/** The dashboard's widgets, a heading first. */
export function estateWidgets(props: EstateWidgetsProps): DashboardWidget[] {
  const widgets: DashboardWidget[] = [
    {
      type: 'text',
      markdown: `# ${props.environmentName}\nRequests, errors and latency of each load balancer, capacity and CPU, the database and the file system. Alarms are in the CloudWatch console, prefixed with the environment.`,
    },
  ];
  if (props.webTier)
    widgets.push(...loadBalancerWidgets('Web', props.webTier), ...webTierWidgets(props.webTier));
  if (props.containerService) {
    widgets.push(
      ...loadBalancerWidgets('App', props.containerService),
      ...containerServiceWidgets(props.containerService),
    );
  }
  if (props.database) widgets.push(...databaseWidgets(props.database));
  if (props.fileSystem) widgets.push(fileSystemWidget(props.fileSystem));
  const zones = Object.entries(props.natGateways ?? {});
  if (zones.length > 0) widgets.push(natGatewayWidget(zones));
  return widgets;
}

/** Request rate, errors, latency and target health of one load balancer. */
export function loadBalancerWidgets(name: string, loadBalancer: LoadBalancerMetrics): MetricWidget[] {
  const metrics = applicationElbMetrics(loadBalancer);
  return [
    { type: 'metric', title: `${name}: requests`, stat: 'Sum', metrics: [line(metrics.requests)] },
    {
      type: 'metric',
      title: `${name}: 5xx errors`,
      stat: 'Sum',
      metrics: [line(metrics.loadBalancer5xx, 'load balancer'), line(metrics.target5xx, 'targets')],
    },
    {
      type: 'metric',
      title: `${name}: response time (s)`,
      metrics: ['p95', 'p99'].map((percentile) =>
        line(withStatistic(metrics.targetResponseTime, percentile), percentile),
      ),
    },
    {
      type: 'metric',
      title: `${name}: healthy and unhealthy targets`,
      metrics: [line(metrics.healthyHosts, 'healthy'), line(metrics.unhealthyHosts, 'unhealthy')],
    },
  ];
}

/** Capacity, CPU, and memory and root disk of the fullest instance. */
export function webTierWidgets(webTier: WebTierMetrics): MetricWidget[] {
  const metrics = autoScalingGroupMetrics(webTier.autoScalingGroupName);
  return [
    {
      type: 'metric',
      title: 'Web: instances in service',
      // Group metrics need metrics collection enabled on the Auto Scaling group.
      metrics: [line(metrics.inServiceInstances, 'in service'), line(metrics.desiredCapacity, 'desired')],
    },
    { type: 'metric', title: 'Web: CPU %', metrics: [line(metrics.cpu)] },
    {
      type: 'metric',
      title: 'Web: memory and root disk % (fullest instance)',
      stat: 'Maximum',
      metrics: [line(metrics.memoryUsed, 'memory'), line(metrics.rootDiskUsed, 'root disk')],
    },
  ];
}

/** Running against desired tasks, and CPU and memory of the service. */
export function containerServiceWidgets(service: ContainerServiceMetrics): MetricWidget[] {
  const metrics = ecsServiceMetrics(service);
  return [
    {
      type: 'metric',
      title: 'App: tasks',
      metrics: [line(metrics.runningTasks, 'running'), line(metrics.desiredTasks, 'desired')],
    },
    {
      type: 'metric',
      title: 'App: CPU and memory %',
      metrics: [line(metrics.cpu, 'CPU'), line(metrics.memory, 'memory')],
    },
  ];
}

/** CPU and connections, latency, and free storage and memory of the DB instance. */
export function databaseWidgets(database: DatabaseMetrics): MetricWidget[] {
  const metrics = rdsInstanceMetrics(database.instanceIdentifier);
  return [
    {
      type: 'metric',
      title: 'Database: CPU % and connections',
      metrics: [line(metrics.cpu, 'CPU %'), line(metrics.connections, 'connections')],
    },
    {
      type: 'metric',
      title: 'Database: latency (s)',
      metrics: [line(metrics.readLatency, 'read'), line(metrics.writeLatency, 'write')],
    },
    {
      type: 'metric',
      title: 'Database: free storage and memory (bytes)',
      stat: 'Minimum',
      metrics: [line(metrics.freeStorage, 'free storage'), line(metrics.freeableMemory, 'freeable memory')],
    },
  ];
}

/** Bytes read, written and of metadata per minute. */
export function fileSystemWidget(fileSystem: FileSystemMetrics): MetricWidget {
  const metrics = efsFileSystemMetrics(fileSystem.fileSystemId);
  return {
    type: 'metric',
    title: 'File system: throughput (bytes per minute)',
    stat: 'Sum',
    metrics: [
      line(metrics.dataReadBytes, 'read'),
      line(metrics.dataWriteBytes, 'write'),
      line(metrics.metadataBytes, 'metadata'),
    ],
  };
}

/** Bytes out and dropped packets of each NAT gateway, by zone. */
export function natGatewayWidget(
  zones: readonly (readonly [zone: string, natGatewayId: string])[],
): MetricWidget {
  return {
    type: 'metric',
    title: 'NAT gateways: bytes out and packets dropped',
    stat: 'Sum',
    metrics: zones.flatMap(([zone, natGatewayId]) => {
      const metrics = natGatewayMetrics(natGatewayId);
      return [line(metrics.bytesOut, `${zone} bytes out`), line(metrics.packetsDropped, `${zone} dropped`)];
    }),
  };
}
