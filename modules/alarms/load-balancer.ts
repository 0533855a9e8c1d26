import type { Construct } from 'constructs';
import { applicationElbMetrics, withStatistic, type LoadBalancerMetrics } from '../metrics';
import { AlarmGroup, type AlarmGroupProps } from './alarm-group';

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
 * target group (namespace `AWS/ApplicationELB`, `modules/metrics/application-elb.ts`).
 */
export class LoadBalancerAlarms extends AlarmGroup {
  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id, props, props.groupName);
    const { thresholds, serves } = props;
    const metrics = applicationElbMetrics(props.loadBalancer);

    // Error counts and latency: no requests means no errors and nothing slow.
    this.addAlarm('alb-5xx', {
      description: `The load balancer of ${serves} answered more than ${thresholds.elb5xxCount} requests with its own 5xx in 5 minutes (usually no healthy target, or targets timing out). Check target health and the targets' logs.`,
      metric: { ...metrics.loadBalancer5xx, period: 300 },
      comparison: 'GreaterThanThreshold',
      threshold: thresholds.elb5xxCount,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
    });
    this.addAlarm('target-5xx', {
      description: `The targets of ${serves} returned more than ${thresholds.target5xxCount} 5xx responses in 5 minutes. Read the application logs for the failing requests.`,
      metric: { ...metrics.target5xx, period: 300 },
      comparison: 'GreaterThanThreshold',
      threshold: thresholds.target5xxCount,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
    });
    this.addAlarm('unhealthy-hosts', {
      description: `At least one target of ${serves} has failed its health checks for 3 minutes. Find it in the target group's health view and check its health-check path and logs.`,
      metric: { ...metrics.unhealthyHosts, period: 60 },
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 3,
      // No data: no target reported unhealthy; the no-healthy-hosts alarm covers a silent group.
      treatMissingData: 'notBreaching',
    });
    this.addAlarm('no-healthy-hosts', {
      description: `${capitalize(serves)} has had no healthy target for 3 minutes: it is down. Check the targets' health and the last deployment.`,
      metric: { ...metrics.healthyHosts, period: 60 },
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
        metric: { ...withStatistic(metrics.targetResponseTime, percentile), period: 60 },
        comparison: 'GreaterThanThreshold',
        threshold: seconds,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: 'notBreaching',
      });
    }
    this.addAlarm('rejected-connections', {
      description: `The load balancer of ${serves} rejected more than ${thresholds.rejectedConnectionCount} connections in 5 minutes because it was at its connection limit. Look for a traffic spike or an attack.`,
      metric: { ...metrics.rejectedConnections, period: 300 },
      comparison: 'GreaterThanThreshold',
      threshold: thresholds.rejectedConnectionCount,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
    });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
