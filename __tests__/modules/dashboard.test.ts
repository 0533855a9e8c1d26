import { Testing } from 'cdktf';
import { Dashboard, line, type DashboardWidget } from '../../modules/dashboard';

function build(widgets: DashboardWidget[]): Dashboard {
  let dashboard: Dashboard | undefined;
  Testing.synthScope((scope) => {
    dashboard = new Dashboard(scope, 'dashboard', {
      dashboardName: 'proj-dev',
      region: 'ap-northeast-1',
      widgets,
    });
  });
  return dashboard!;
}

const requests = line({
  namespace: 'AWS/ApplicationELB',
  metricName: 'RequestCount',
  dimensions: { LoadBalancer: 'app/x/1' },
  statistic: 'Average',
});

describe('Dashboard', () => {
  test('widgets fill the 24-column grid left to right, then wrap', () => {
    const dashboard = build([
      { type: 'text', markdown: '# dev' },
      { type: 'metric', title: 'a', metrics: [requests] },
      { type: 'metric', title: 'b', metrics: [requests] },
      { type: 'metric', title: 'c', metrics: [requests], width: 6 },
    ]);
    expect(dashboard.body.widgets.map(({ x, y, width, height }) => [x, y, width, height])).toEqual([
      [0, 0, 24, 2],
      [0, 2, 12, 6],
      [12, 2, 12, 6],
      [0, 8, 6, 6],
    ]);
  });

  test("a metric line is CloudWatch's array: namespace, name, dimension pairs, then options", () => {
    const dashboard = build([
      {
        type: 'metric',
        title: 'latency',
        metrics: [
          line(
            {
              namespace: 'AWS/ApplicationELB',
              metricName: 'TargetResponseTime',
              dimensions: { LoadBalancer: 'app/x/1', TargetGroup: 'targetgroup/x/2' },
              statistic: 'p99',
            },
            'p99',
          ),
        ],
      },
    ]);
    expect(dashboard.body.widgets[0].properties).toEqual({
      title: 'latency',
      region: 'ap-northeast-1',
      view: 'timeSeries',
      stacked: false,
      stat: 'Average',
      period: 60,
      metrics: [
        [
          'AWS/ApplicationELB',
          'TargetResponseTime',
          'LoadBalancer',
          'app/x/1',
          'TargetGroup',
          'targetgroup/x/2',
          { stat: 'p99', label: 'p99' },
        ],
      ],
    });
  });

  test("a line states its statistic only where it differs from the graph's", () => {
    const connections = { ...requests, metricName: 'DatabaseConnections', statistic: 'Maximum' };
    const dashboard = build([
      { type: 'metric', title: 'same', stat: 'Average', metrics: [requests, line(connections, 'c')] },
      {
        type: 'metric',
        title: 'graph says Maximum',
        stat: 'Maximum',
        metrics: [requests, line(connections, 'c')],
      },
    ]);
    expect(dashboard.body.widgets.map((widget) => widget.properties.metrics)).toEqual([
      [
        ['AWS/ApplicationELB', 'RequestCount', 'LoadBalancer', 'app/x/1'],
        [
          'AWS/ApplicationELB',
          'DatabaseConnections',
          'LoadBalancer',
          'app/x/1',
          { stat: 'Maximum', label: 'c' },
        ],
      ],
      [
        ['AWS/ApplicationELB', 'RequestCount', 'LoadBalancer', 'app/x/1', { stat: 'Average' }],
        ['AWS/ApplicationELB', 'DatabaseConnections', 'LoadBalancer', 'app/x/1', { label: 'c' }],
      ],
    ]);
  });

  test('Terraform encodes the body, so referenced values are quoted for it', () => {
    const json = Testing.synthScope((scope) => {
      new Dashboard(scope, 'dashboard', {
        dashboardName: 'proj-dev',
        region: 'ap-northeast-1',
        widgets: [{ type: 'metric', title: 'requests', metrics: [requests] }],
      });
    });
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_cloudwatch_dashboard' },
      { dashboard_name: 'proj-dev' },
    );
    const [dashboard] = Object.values(JSON.parse(json).resource.aws_cloudwatch_dashboard) as {
      dashboard_body: string;
    }[];
    expect(dashboard.dashboard_body).toMatch(/^\$\{jsonencode\(\{"widgets" = \[/);
  });

  test('a graph without metrics is refused', () => {
    expect(() => build([{ type: 'metric', title: 'empty', metrics: [] }])).toThrow(
      'widgets[0] ("empty") has no metrics',
    );
  });

  test('text with a double quote is refused (cdktf would not escape it inside jsonencode)', () => {
    expect(() => build([{ type: 'text', markdown: 'say "hi"' }])).toThrow('widget [0] text must not contain');
  });

  test('a widget wider than the grid is refused', () => {
    expect(() => build([{ type: 'metric', title: 'wide', metrics: [requests], width: 30 }])).toThrow(
      'widgets[0].width must be 1-24, got 30',
    );
  });
});
