/**
 * CloudWatch rules: alarms that CloudWatch accepts but that can never see data.
 */
import { METRIC_CATALOG, type MetricDefinition } from '../../modules/metrics';
import type { Rule } from '../rule';
import { blocks } from '../synthesized';

const CATALOGUED: readonly MetricDefinition[] = Object.values(METRIC_CATALOG).flatMap((catalog) =>
  Object.values(catalog),
);
const CATALOG_NAMESPACES = new Set(CATALOGUED.map((definition) => definition.namespace));

/** Namespaces AWS publishes to, and the catalog's (the CloudWatch agent's, Container Insights'). */
const isWatchedNamespace = (namespace: string) =>
  namespace.startsWith('AWS/') || CATALOG_NAMESPACES.has(namespace);

const sortedNames = (names: readonly string[]) => [...names].sort().join(', ');

/** Why `namespace` `metricName` by `dimensionNames` is no metric of the catalog; none when it is. */
function uncatalogued(namespace: string, metricName: string, dimensionNames: readonly string[]): string[] {
  if (!isWatchedNamespace(namespace)) return [];
  const definitions = CATALOGUED.filter((d) => d.namespace === namespace && d.metricName === metricName);
  const wanted = sortedNames(dimensionNames);
  if (definitions.some((d) => sortedNames(d.dimensionNames) === wanted)) return [];
  const by = wanted === '' ? 'no dimension' : wanted;
  return [
    definitions.length === 0
      ? `${namespace} ${metricName} is not a metric of the catalog (modules/metrics)`
      : `${namespace} ${metricName} by ${by} is not published: the catalog has it by ${definitions.map((d) => sortedNames(d.dimensionNames)).join(' or ')}`,
  ];
}

const dimensionNames = (dimensions: unknown): string[] =>
  dimensions !== null && typeof dimensions === 'object' ? Object.keys(dimensions) : [];

export const CLOUDWATCH_RULES: readonly Rule[] = [
  {
    id: 'GR-CW-1',
    info: 'An alarm on an AWS or CloudWatch agent namespace reads a catalog metric with its whole dimension set.',
    explanation:
      'CloudWatch accepts an alarm on any namespace, metric and dimensions (PutMetricAlarm sets a new ' +
      'alarm to INSUFFICIENT_DATA and evaluates whatever arrives), and treats each combination of ' +
      'dimensions as a separate metric (CloudWatch user guide, "Dimensions"): an alarm on a name the ' +
      'service does not publish, or on one dimension too many or too few, never sees a data point and ' +
      'never fires. The catalog (modules/metrics) holds each metric as the service documents it; an ' +
      'alarm reads one of its entries, or the entry is added first (with the AWS page it comes from).',
    resourceTypes: ['aws_cloudwatch_metric_alarm'],
    severity: 'error',
    check: (alarm) => {
      const { namespace, metric_name: metricName, dimensions, metric_query: metricQuery } = alarm.config;
      const reasons =
        typeof namespace === 'string' && typeof metricName === 'string'
          ? uncatalogued(namespace, metricName, dimensionNames(dimensions))
          : [];
      for (const query of blocks(metricQuery)) {
        for (const metric of blocks(query.metric)) {
          const { namespace: queryNamespace, metric_name: queryMetric } = metric;
          if (typeof queryNamespace === 'string' && typeof queryMetric === 'string')
            reasons.push(...uncatalogued(queryNamespace, queryMetric, dimensionNames(metric.dimensions)));
        }
      }
      return reasons;
    },
  },
];
