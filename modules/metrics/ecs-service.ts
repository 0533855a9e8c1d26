import type { ContainerServiceMetrics } from './identities';
import { bindCatalog, type MetricCatalog } from './metric';

/**
 * An ECS service, dimensioned by `ClusterName` and `ServiceName` together:
 * - `AWS/ECS` utilization, a percentage of what the service's tasks reserve (Amazon ECS developer
 *   guide, "Amazon ECS CloudWatch metrics" and "Amazon ECS service utilization metrics"), sent every
 *   minute only while the service has RUNNING tasks.
 * - `ECS/ContainerInsights` task counts (CloudWatch user guide, "Amazon ECS Container Insights
 *   metrics"), published only for a cluster with Container Insights on.
 */
export const ECS_SERVICE_METRICS = {
  cpu: {
    namespace: 'AWS/ECS',
    metricName: 'CPUUtilization',
    dimensionNames: ['ClusterName', 'ServiceName'],
    statistic: 'Average',
    unit: 'Percent',
  },
  memory: {
    namespace: 'AWS/ECS',
    metricName: 'MemoryUtilization',
    dimensionNames: ['ClusterName', 'ServiceName'],
    statistic: 'Average',
    unit: 'Percent',
  },
  runningTasks: {
    namespace: 'ECS/ContainerInsights',
    metricName: 'RunningTaskCount',
    dimensionNames: ['ClusterName', 'ServiceName'],
    statistic: 'Average',
    unit: 'Count',
  },
  desiredTasks: {
    namespace: 'ECS/ContainerInsights',
    metricName: 'DesiredTaskCount',
    dimensionNames: ['ClusterName', 'ServiceName'],
    statistic: 'Average',
    unit: 'Count',
  },
} as const satisfies MetricCatalog<'ClusterName' | 'ServiceName'>;

/** The metrics of one ECS service. */
export function ecsServiceMetrics(service: Pick<ContainerServiceMetrics, 'clusterName' | 'serviceName'>) {
  return bindCatalog(ECS_SERVICE_METRICS, {
    ClusterName: service.clusterName,
    ServiceName: service.serviceName,
  });
}
