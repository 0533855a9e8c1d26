import { bindMetric, type Metric, type MetricDefinition } from './metric';

/**
 * A count a CloudWatch Logs metric filter publishes (CloudWatch Logs user guide, "Creating metrics
 * from log events using filters"): in the namespace and under the name of the filter's metric
 * transformation, with no dimensions (the filters here set none), 1 per matching event and nothing
 * while none match, so `Sum` per period.
 */
export function logFilterCountDefinition(namespace: string, metricName: string): MetricDefinition<never> {
  return { namespace, metricName, dimensionNames: [], statistic: 'Sum', unit: 'Count' };
}

/** The count of a metric filter whose transformation is `namespace`/`metricName`. */
export function logFilterCount(namespace: string, metricName: string): Metric {
  return bindMetric(logFilterCountDefinition(namespace, metricName), {});
}
