import { BillingAlarm } from '../../../modules/alarms';
import { target, alarmsOf } from './alarm-fixture';

describe('BillingAlarm', () => {
  test('estimated charges in USD above the threshold, over 6 hours', () => {
    const alarms = alarmsOf((scope) => {
      new BillingAlarm(scope, 'billing', { ...target, thresholdUsd: 25 });
    });
    expect(alarms['proj-dev-billing-estimated-charges']).toMatchObject({
      namespace: 'AWS/Billing',
      metric_name: 'EstimatedCharges',
      dimensions: { Currency: 'USD' },
      statistic: 'Maximum',
      period: 21600,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 25,
      alarm_actions: target.topicArns,
    });
  });
});
