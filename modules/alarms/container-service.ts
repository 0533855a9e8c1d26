import type { Construct } from 'constructs';
import { ecsServiceMetrics, type ContainerServiceMetrics } from '../metrics';
import { AlarmGroup, queryInput, type AlarmGroupProps } from './alarm-group';
import { LoadBalancerAlarms, type LoadBalancerThresholds } from './load-balancer';

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
 * which must be on for the cluster) and its load balancer (`modules/metrics/ecs-service.ts`).
 */
export class ContainerServiceAlarms extends AlarmGroup {
  readonly loadBalancer: LoadBalancerAlarms;

  constructor(scope: Construct, id: string, props: ContainerServiceAlarmsProps) {
    super(scope, id, props, 'app');
    const { cpuPercent, memoryPercent } = props.thresholds;
    const metrics = ecsServiceMetrics(props.service);

    // ECS reports utilization every minute while the service has running tasks; with none, the
    // tasks-below-desired alarm fires, so a gap here is left as missing rather than read as idle.
    this.addAlarm('cpu-high', {
      description: `The service's tasks averaged ${cpuPercent} % CPU or more for 5 minutes. Check whether auto scaling is at its maximum and what the tasks are doing (ECS Exec).`,
      metric: { ...metrics.cpu, period: 60 },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: cpuPercent,
      evaluationPeriods: 5,
      treatMissingData: 'missing',
    });
    this.addAlarm('memory-high', {
      description: `The service's tasks averaged ${memoryPercent} % memory or more for 5 minutes; a task that runs out is killed. Look for a leak or raise the task memory.`,
      metric: { ...metrics.memory, period: 60 },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: memoryPercent,
      evaluationPeriods: 5,
      treatMissingData: 'missing',
    });
    this.addAlarm('tasks-below-desired', {
      description:
        "Fewer tasks have been running than the service wants for 5 minutes: tasks fail to start or keep stopping. Read the service events and the stopped tasks' reasons.",
      metricQuery: [
        queryInput('running', metrics.runningTasks, 60),
        queryInput('desired', metrics.desiredTasks, 60),
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
