import type { DashboardLine, MetricWidget } from '../../modules/dashboard';
import { estateWidgets } from '../../modules/estate-dashboard';
import { applicationElbMetrics, autoScalingGroupMetrics, rdsInstanceMetrics } from '../../modules/metrics';

const webTier = {
  loadBalancerArnSuffix: 'app/web/1',
  targetGroupArnSuffix: 'targetgroup/web/2',
  autoScalingGroupName: 'proj-dev-web',
};
const containerService = {
  loadBalancerArnSuffix: 'app/app/3',
  targetGroupArnSuffix: 'targetgroup/app/4',
  clusterName: 'proj-dev',
  serviceName: 'proj-dev-app',
};

const titles = (widgets: ReturnType<typeof estateWidgets>) =>
  widgets.map((widget) => (widget.type === 'text' ? widget.type : widget.title));
const graph = (widgets: ReturnType<typeof estateWidgets>, title: string) =>
  widgets.find((widget): widget is MetricWidget => widget.type === 'metric' && widget.title === title);
const withoutLabel = ({ label: _label, ...metric }: DashboardLine) => metric;

describe('estateWidgets', () => {
  test('a heading, then one row per part given, in the order a request travels', () => {
    const widgets = estateWidgets({
      environmentName: 'dev',
      webTier,
      containerService,
      database: { instanceIdentifier: 'proj-dev-mysql' },
      fileSystem: { fileSystemId: 'fs-1', throughputMode: 'elastic' },
      natGateways: { 'ap-northeast-1a': 'nat-1' },
    });
    expect(titles(widgets)).toEqual([
      'text',
      'Web: requests',
      'Web: 5xx errors',
      'Web: response time (s)',
      'Web: healthy and unhealthy targets',
      'Web: instances in service',
      'Web: CPU %',
      'Web: memory and root disk % (fullest instance)',
      'App: requests',
      'App: 5xx errors',
      'App: response time (s)',
      'App: healthy and unhealthy targets',
      'App: tasks',
      'App: CPU and memory %',
      'Database: CPU % and connections',
      'Database: latency (s)',
      'Database: free storage and memory (bytes)',
      'File system: throughput (bytes per minute)',
      'NAT gateways: bytes out and packets dropped',
    ]);
  });

  test('only the heading when no part is given, and no NAT graph without gateways', () => {
    expect(titles(estateWidgets({ environmentName: 'dev' }))).toEqual(['text']);
    expect(titles(estateWidgets({ environmentName: 'dev', natGateways: {} }))).toEqual(['text']);
  });

  test('the lines are the catalog metrics the alarms read, bound to the same resources', () => {
    const widgets = estateWidgets({
      environmentName: 'dev',
      webTier,
      database: { instanceIdentifier: 'db-1' },
    });
    const elb = applicationElbMetrics(webTier);
    expect(graph(widgets, 'Web: healthy and unhealthy targets')?.metrics.map(withoutLabel)).toEqual([
      elb.healthyHosts,
      elb.unhealthyHosts,
    ]);
    const asg = autoScalingGroupMetrics('proj-dev-web');
    expect(
      graph(widgets, 'Web: memory and root disk % (fullest instance)')?.metrics.map(withoutLabel),
    ).toEqual([asg.memoryUsed, asg.rootDiskUsed]);
    const db = rdsInstanceMetrics('db-1');
    expect(graph(widgets, 'Database: CPU % and connections')?.metrics.map(withoutLabel)).toEqual([
      db.cpu,
      db.connections,
    ]);
  });

  test('each NAT gateway gets its lines, labelled by its zone', () => {
    const widgets = estateWidgets({
      environmentName: 'prod',
      natGateways: { 'ap-northeast-1a': 'nat-a', 'ap-northeast-1c': 'nat-c' },
    });
    const nat = graph(widgets, 'NAT gateways: bytes out and packets dropped');
    expect(nat?.metrics.map((metric) => [metric.label, metric.metricName, metric.dimensions])).toEqual([
      ['ap-northeast-1a bytes out', 'BytesOutToDestination', { NatGatewayId: 'nat-a' }],
      ['ap-northeast-1a dropped', 'PacketsDropCount', { NatGatewayId: 'nat-a' }],
      ['ap-northeast-1c bytes out', 'BytesOutToDestination', { NatGatewayId: 'nat-c' }],
      ['ap-northeast-1c dropped', 'PacketsDropCount', { NatGatewayId: 'nat-c' }],
    ]);
  });
});
