import type { LoadBalancerMetrics } from './identities';
import { bindCatalog, type MetricCatalog } from './metric';

const NAMESPACE = 'AWS/ApplicationELB';

/**
 * An application load balancer and its target group (Elastic Load Balancing, "CloudWatch metrics for
 * your Application Load Balancer": "Application Load Balancer metrics" and "Metric dimensions for
 * Application Load Balancers"). Metrics the load balancer itself produces are dimensioned by
 * `LoadBalancer`; those of a target group by `LoadBalancer` and `TargetGroup` together. ELB reports
 * only while requests flow, so a gap in a count is no traffic.
 */
export const APPLICATION_ELB_METRICS = {
  requests: {
    namespace: NAMESPACE,
    metricName: 'RequestCount',
    dimensionNames: ['LoadBalancer'],
    statistic: 'Sum',
    unit: 'Count',
  },
  /** 5xx the load balancer answers itself (no healthy target, a target timing out). */
  loadBalancer5xx: {
    namespace: NAMESPACE,
    metricName: 'HTTPCode_ELB_5XX_Count',
    dimensionNames: ['LoadBalancer'],
    statistic: 'Sum',
    unit: 'Count',
  },
  rejectedConnections: {
    namespace: NAMESPACE,
    metricName: 'RejectedConnectionCount',
    dimensionNames: ['LoadBalancer'],
    statistic: 'Sum',
    unit: 'Count',
  },
  target5xx: {
    namespace: NAMESPACE,
    metricName: 'HTTPCode_Target_5XX_Count',
    dimensionNames: ['LoadBalancer', 'TargetGroup'],
    statistic: 'Sum',
    unit: 'Count',
  },
  /** Alarms and graphs ask for percentiles of it (`withStatistic`). */
  targetResponseTime: {
    namespace: NAMESPACE,
    metricName: 'TargetResponseTime',
    dimensionNames: ['LoadBalancer', 'TargetGroup'],
    statistic: 'Average',
    unit: 'Seconds',
  },
  /** The fewest healthy targets in the period: zero is an outage. */
  healthyHosts: {
    namespace: NAMESPACE,
    metricName: 'HealthyHostCount',
    dimensionNames: ['LoadBalancer', 'TargetGroup'],
    statistic: 'Minimum',
    unit: 'Count',
  },
  unhealthyHosts: {
    namespace: NAMESPACE,
    metricName: 'UnHealthyHostCount',
    dimensionNames: ['LoadBalancer', 'TargetGroup'],
    statistic: 'Maximum',
    unit: 'Count',
  },
} as const satisfies MetricCatalog<'LoadBalancer' | 'TargetGroup'>;

/** The metrics of one load balancer and its target group. */
export function applicationElbMetrics(loadBalancer: LoadBalancerMetrics) {
  return bindCatalog(APPLICATION_ELB_METRICS, {
    LoadBalancer: loadBalancer.loadBalancerArnSuffix,
    TargetGroup: loadBalancer.targetGroupArnSuffix,
  });
}
