import { NatGatewayAlarms } from '../../../modules/alarms';
import { target, alarmsOf } from './alarm-fixture';

describe('NatGatewayAlarms', () => {
  const alarms = alarmsOf((scope) => {
    new NatGatewayAlarms(scope, 'nat', {
      ...target,
      natGateways: { 'ap-northeast-1a': 'nat-0aaa', 'ap-northeast-1c': 'nat-0ccc' },
      thresholds: { packetsDropped: 100 },
    });
  });

  test('each gateway, named by its zone, alarms on port-allocation errors and dropped packets', () => {
    expect(Object.keys(alarms).sort()).toEqual([
      'proj-dev-nat-ap-northeast-1a-packets-dropped',
      'proj-dev-nat-ap-northeast-1a-port-allocation-errors',
      'proj-dev-nat-ap-northeast-1c-packets-dropped',
      'proj-dev-nat-ap-northeast-1c-port-allocation-errors',
    ]);
    expect(alarms['proj-dev-nat-ap-northeast-1c-packets-dropped']).toMatchObject({
      namespace: 'AWS/NATGateway',
      metric_name: 'PacketsDropCount',
      dimensions: { NatGatewayId: 'nat-0ccc' },
      threshold: 100,
      treat_missing_data: 'notBreaching',
    });
  });
});
