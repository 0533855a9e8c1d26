import { bindCatalog, type MetricCatalog } from './metric';

/**
 * The account's estimated charges (CloudWatch user guide, "Create a billing alarm to monitor your
 * estimated AWS charges"): `AWS/Billing` `EstimatedCharges` with only the `Currency` dimension is the
 * account's total (`ServiceName` would narrow it to one service). AWS publishes it in us-east-1 only,
 * a few times a day, once "Receive Billing Alerts" is on; it is month-to-date, so `Maximum`.
 */
export const BILLING_METRICS = {
  estimatedCharges: {
    namespace: 'AWS/Billing',
    metricName: 'EstimatedCharges',
    dimensionNames: ['Currency'],
    statistic: 'Maximum',
    unit: 'None',
  },
} as const satisfies MetricCatalog<'Currency'>;

/** The account's estimated charges in `currency`. */
export function billingMetrics(currency = 'USD') {
  return bindCatalog(BILLING_METRICS, { Currency: currency });
}
