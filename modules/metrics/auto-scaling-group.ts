import { WEB_AGENT_NAMESPACE } from '../web-server-config';
import { bindCatalog, type MetricCatalog } from './metric';

/**
 * An EC2 Auto Scaling group, seen three ways, each dimensioned by `AutoScalingGroupName` alone:
 * - `AWS/EC2`: its instances' metrics aggregated by group (Amazon EC2 user guide, "CloudWatch metrics
 *   that are available for your instances", "Amazon EC2 metric dimensions"); 5-minute data unless
 *   detailed monitoring is on.
 * - `AWS/AutoScaling`: group metrics (Amazon EC2 Auto Scaling user guide, "Amazon CloudWatch metrics
 *   for Amazon EC2 Auto Scaling"), published only for the metrics the group enables collection of.
 * - `CWAgent`: what the CloudWatch agent on the instances publishes (CloudWatch user guide, "Metrics
 *   collected by the CloudWatch agent": `<plugin>_<measurement>`, so `mem_used_percent` and
 *   `disk_used_percent`); the web tier's agent configuration aggregates them by the group alone
 *   (`aggregation_dimensions: [["AutoScalingGroupName"]]`), and collects the root file system only.
 *   The group-level series holds every instance's data points, so `Maximum` is the fullest instance.
 */
export const AUTO_SCALING_GROUP_METRICS = {
  cpu: {
    namespace: 'AWS/EC2',
    metricName: 'CPUUtilization',
    dimensionNames: ['AutoScalingGroupName'],
    statistic: 'Average',
    unit: 'Percent',
  },
  inServiceInstances: {
    namespace: 'AWS/AutoScaling',
    metricName: 'GroupInServiceInstances',
    dimensionNames: ['AutoScalingGroupName'],
    statistic: 'Average',
    // The Auto Scaling user guide gives group metrics no unit.
    unit: 'None',
  },
  desiredCapacity: {
    namespace: 'AWS/AutoScaling',
    metricName: 'GroupDesiredCapacity',
    dimensionNames: ['AutoScalingGroupName'],
    statistic: 'Average',
    unit: 'None',
  },
  memoryUsed: {
    namespace: WEB_AGENT_NAMESPACE,
    metricName: 'mem_used_percent',
    dimensionNames: ['AutoScalingGroupName'],
    statistic: 'Maximum',
    unit: 'Percent',
  },
  rootDiskUsed: {
    namespace: WEB_AGENT_NAMESPACE,
    metricName: 'disk_used_percent',
    dimensionNames: ['AutoScalingGroupName'],
    statistic: 'Maximum',
    unit: 'Percent',
  },
} as const satisfies MetricCatalog<'AutoScalingGroupName'>;

/** The group-level metrics of the Auto Scaling group `autoScalingGroupName`. */
export function autoScalingGroupMetrics(autoScalingGroupName: string) {
  return bindCatalog(AUTO_SCALING_GROUP_METRICS, { AutoScalingGroupName: autoScalingGroupName });
}
