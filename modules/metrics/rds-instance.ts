import { bindCatalog, type MetricCatalog } from './metric';

const NAMESPACE = 'AWS/RDS';
const instance = (metricName: string, statistic: string, unit: 'Percent' | 'Count' | 'Seconds' | 'Bytes') =>
  ({ namespace: NAMESPACE, metricName, dimensionNames: ['DBInstanceIdentifier'], statistic, unit }) as const;

/**
 * An RDS DB instance, dimensioned by `DBInstanceIdentifier` (Amazon RDS user guide, "Amazon
 * CloudWatch metrics for Amazon RDS", instance-level metrics, and "Amazon CloudWatch dimensions for
 * Amazon RDS"). CloudWatch gets bytes and seconds, whatever unit the RDS console shows.
 */
export const RDS_INSTANCE_METRICS = {
  cpu: instance('CPUUtilization', 'Average', 'Percent'),
  connections: instance('DatabaseConnections', 'Maximum', 'Count'),
  readLatency: instance('ReadLatency', 'Average', 'Seconds'),
  writeLatency: instance('WriteLatency', 'Average', 'Seconds'),
  /** The least free storage in the period: writes stop when it reaches zero. */
  freeStorage: instance('FreeStorageSpace', 'Minimum', 'Bytes'),
  freeableMemory: instance('FreeableMemory', 'Minimum', 'Bytes'),
} as const satisfies MetricCatalog<'DBInstanceIdentifier'>;

/** The metrics of the DB instance `instanceIdentifier`. */
export function rdsInstanceMetrics(instanceIdentifier: string) {
  return bindCatalog(RDS_INSTANCE_METRICS, { DBInstanceIdentifier: instanceIdentifier });
}
