import { bindCatalog, type MetricCatalog } from './metric';

const NAMESPACE = 'AWS/EFS';
const fileSystem = (metricName: string, statistic: string, unit: 'Percent' | 'Bytes') =>
  ({ namespace: NAMESPACE, metricName, dimensionNames: ['FileSystemId'], statistic, unit }) as const;

/**
 * An EFS file system, dimensioned by `FileSystemId` alone (Amazon EFS user guide, "Amazon CloudWatch
 * metrics for Amazon EFS": every metric but TimeSinceLastSync has that one dimension).
 * PercentIOLimit exists only in General Purpose performance mode, BurstCreditBalance only in bursting
 * throughput mode.
 */
export const EFS_FILE_SYSTEM_METRICS = {
  percentIoLimit: fileSystem('PercentIOLimit', 'Maximum', 'Percent'),
  burstCreditBalance: fileSystem('BurstCreditBalance', 'Minimum', 'Bytes'),
  dataReadBytes: fileSystem('DataReadIOBytes', 'Sum', 'Bytes'),
  dataWriteBytes: fileSystem('DataWriteIOBytes', 'Sum', 'Bytes'),
  metadataBytes: fileSystem('MetadataIOBytes', 'Sum', 'Bytes'),
} as const satisfies MetricCatalog<'FileSystemId'>;

/** The metrics of the file system `fileSystemId`. */
export function efsFileSystemMetrics(fileSystemId: string) {
  return bindCatalog(EFS_FILE_SYSTEM_METRICS, { FileSystemId: fileSystemId });
}
