import type { Construct } from 'constructs';
import { autoScalingGroupMetrics, type WebTierMetrics } from '../metrics';
import { AlarmGroup, type AlarmGroupProps } from './alarm-group';
import { LoadBalancerAlarms, type LoadBalancerThresholds } from './load-balancer';

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

/**
 * The web tier: the Auto Scaling group's CPU (the reference alarm), its instances' memory and disk
 * (the CloudWatch agent's metrics, `modules/metrics/auto-scaling-group.ts`), and its load balancer.
 */
export class WebTierAlarms extends AlarmGroup {
  readonly loadBalancer: LoadBalancerAlarms;

  constructor(scope: Construct, id: string, props: WebTierAlarmsProps) {
    super(scope, id, props, 'web');
    const { cpuPercent, cpuPeriodSeconds, memoryPercent, diskPercent } = props.thresholds;
    const metrics = autoScalingGroupMetrics(props.webTier.autoScalingGroupName);
    this.addAlarm('cpu-high', {
      description: `The web instances averaged ${cpuPercent} % CPU or more over ${cpuPeriodSeconds / 60} minute(s). Check the request rate and whether the group is scaling out.`,
      metric: { ...metrics.cpu, period: cpuPeriodSeconds },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: cpuPercent,
      evaluationPeriods: 1,
      // EC2 reports CPU while instances run; a gap is a metric outage, not an idle tier.
      treatMissingData: 'missing',
    });
    // Maximum of the group-level series is the fullest instance, the one that fails (an average
    // would hide one full disk among healthy ones).
    this.addAlarm('memory-high', {
      description: `A web instance has used ${memoryPercent} % of its memory or more for 5 minutes. PHP-FPM children may be too many for the instance type: check its sizing, then the instance's processes (Session Manager).`,
      metric: { ...metrics.memoryUsed, period: 60 },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: memoryPercent,
      evaluationPeriods: 5,
      // The agent reports every minute while instances run; a gap is the agent or metric, not the tier.
      treatMissingData: 'missing',
    });
    this.addAlarm('disk-high', {
      description: `A web instance's root file system is ${diskPercent} % full or more. Logs or a runaway cache: find what grew (Session Manager: du -xh / | sort -h), then replace the instance.`,
      metric: { ...metrics.rootDiskUsed, period: 300 },
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
