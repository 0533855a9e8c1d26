/**
 * One vocabulary for a CloudWatch metric, used by the alarms and the dashboard alike (as aws-cdk's
 * `Metric` is): a catalog entry says what AWS publishes (namespace, name, the dimension set, unit) and
 * which statistic answers the question it is watched for; binding it to a resource's identity gives the
 * metric an alarm or a graph line names. An alarm matches a metric only on all its dimensions exactly
 * (CloudWatch user guide, "Dimensions"), so the catalog's dimension set is the whole set, in the order
 * alarms and graph lines write it.
 */

/** The units the catalog's metrics are published in (CloudWatch API reference, `MetricDatum.Unit`). */
export type MetricUnit = 'Percent' | 'Count' | 'Seconds' | 'Bytes' | 'None';

/** A metric as AWS publishes it, before it is bound to a resource. */
export interface MetricDefinition<Dimension extends string = string> {
  readonly namespace: string;
  readonly metricName: string;
  /** Every dimension of the published metric, in the order alarms and graph lines write them. */
  readonly dimensionNames: readonly Dimension[];
  /** The statistic that answers the question the metric is watched for (`Sum` of a count, ...). */
  readonly statistic: string;
  /** What the values are in; thresholds are given in it (bytes, seconds, percent). */
  readonly unit: MetricUnit;
}

/** A metric of one resource: what an alarm watches or a graph line draws. */
export interface Metric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** A statistic such as `Average`, or a percentile such as `p99`. */
  readonly statistic: string;
}

/** A catalog of one namespace: each entry's name is what the alarms and graphs call it. */
export type MetricCatalog<Dimension extends string> = Readonly<Record<string, MetricDefinition<Dimension>>>;

/** `definition` of the resource whose dimension values are `dimensions` (extra ones are left out). */
export function bindMetric<Dimension extends string>(
  definition: MetricDefinition<Dimension>,
  dimensions: Readonly<Record<Dimension, string>>,
): Metric {
  return {
    namespace: definition.namespace,
    metricName: definition.metricName,
    dimensions: Object.fromEntries(definition.dimensionNames.map((name) => [name, dimensions[name]])),
    statistic: definition.statistic,
  };
}

/** Every metric of `catalog`, bound to one resource. */
export function bindCatalog<Name extends string, Dimension extends string>(
  catalog: Readonly<Record<Name, MetricDefinition<Dimension>>>,
  dimensions: Readonly<Record<Dimension, string>>,
): Readonly<Record<Name, Metric>> {
  const bound = {} as Record<Name, Metric>;
  for (const name of Object.keys(catalog) as Name[]) bound[name] = bindMetric(catalog[name], dimensions);
  return bound;
}

/** `metric` with another statistic (a percentile of a latency, say). */
export function withStatistic(metric: Metric, statistic: string): Metric {
  return { ...metric, statistic };
}
