import { ContainerServiceAlarms } from '../../../modules/alarms';
import { target, loadBalancerThresholds, alarmsOf } from './alarm-fixture';

describe('ContainerServiceAlarms', () => {
  const service = {
    loadBalancerArnSuffix: 'app/proj-dev-app/0123',
    targetGroupArnSuffix: 'targetgroup/proj-dev-app/4567',
    clusterName: 'proj-dev',
    serviceName: 'proj-dev-app',
  };
  const alarms = alarmsOf((scope) => {
    new ContainerServiceAlarms(scope, 'app', {
      ...target,
      service,
      thresholds: { cpuPercent: 75, memoryPercent: 85 },
      loadBalancerThresholds,
    });
  });
  const dimensions = { ClusterName: 'proj-dev', ServiceName: 'proj-dev-app' };

  test('CPU and memory of the service, with their thresholds', () => {
    expect(alarms['proj-dev-app-cpu-high']).toMatchObject({
      namespace: 'AWS/ECS',
      dimensions,
      threshold: 75,
    });
    expect(alarms['proj-dev-app-memory-high']).toMatchObject({
      metric_name: 'MemoryUtilization',
      dimensions,
      threshold: 85,
    });
  });

  test('running tasks below desired compares two Container Insights metrics; silence counts as down', () => {
    const alarm = alarms['proj-dev-app-tasks-below-desired'];
    expect(alarm).toMatchObject({ comparison_operator: 'GreaterThanThreshold', threshold: 0 });
    expect(alarm.treat_missing_data).toBe('breaching');
    expect(alarm.metric_query).toEqual([
      {
        id: 'running',
        metric: {
          namespace: 'ECS/ContainerInsights',
          metric_name: 'RunningTaskCount',
          dimensions,
          stat: 'Average',
          period: 60,
        },
      },
      {
        id: 'desired',
        metric: {
          namespace: 'ECS/ContainerInsights',
          metric_name: 'DesiredTaskCount',
          dimensions,
          stat: 'Average',
          period: 60,
        },
      },
      { id: 'shortfall', expression: 'desired - running', label: 'Tasks below desired', return_data: true },
    ]);
  });

  test("the service's own load balancer gets the 5xx and unhealthy-target alarms", () => {
    expect(alarms['proj-dev-app-alb-5xx'].dimensions).toEqual({ LoadBalancer: 'app/proj-dev-app/0123' });
    expect(alarms['proj-dev-app-unhealthy-hosts'].dimensions).toEqual({
      LoadBalancer: 'app/proj-dev-app/0123',
      TargetGroup: 'targetgroup/proj-dev-app/4567',
    });
  });
});
