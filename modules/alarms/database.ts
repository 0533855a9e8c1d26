import type { Construct } from 'constructs';
import { rdsInstanceMetrics } from '../metrics';
import { AlarmGroup, type AlarmGroupProps } from './alarm-group';

export interface DatabaseAlarmsProps extends AlarmGroupProps {
  /** The `DBInstanceIdentifier` dimension. */
  readonly instanceIdentifier: string;
  readonly thresholds: {
    readonly cpuPercent: number;
    readonly freeStorageGiB: number;
    readonly freeableMemoryMiB: number;
    readonly connections: number;
    readonly readLatencySeconds: number;
    readonly writeLatencySeconds: number;
  };
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/**
 * The RDS instance (`AWS/RDS`, `modules/metrics/rds-instance.ts`): CPU, free storage, freeable
 * memory, connections, read and write latency. No ReplicaLag alarm: RDS reports it only for read
 * replicas, and this instance is a primary (Multi-AZ standbys replicate synchronously and report no lag).
 */
export class DatabaseAlarms extends AlarmGroup {
  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id, props, 'db');
    const t = props.thresholds;
    const metrics = rdsInstanceMetrics(props.instanceIdentifier);

    // RDS reports these every minute while the instance exists: a gap is not a healthy database.
    this.addAlarm('cpu-high', {
      description: `The database averaged ${t.cpuPercent} % CPU or more for 5 minutes. Look for slow queries (Performance Insights, slow query log) before resizing.`,
      metric: { ...metrics.cpu, period: 60 },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: t.cpuPercent,
      evaluationPeriods: 5,
      treatMissingData: 'missing',
    });
    this.addAlarm('free-storage-low', {
      description: `The database has less than ${t.freeStorageGiB} GiB of free storage, past where storage autoscaling adds space: it is at its ceiling or within six hours of its last change. It stops accepting writes when full. Raise the storage ceiling or the allocated storage, or delete data.`,
      metric: { ...metrics.freeStorage, period: 300 },
      comparison: 'LessThanThreshold',
      threshold: t.freeStorageGiB * GiB,
      evaluationPeriods: 1,
      treatMissingData: 'missing',
    });
    this.addAlarm('freeable-memory-low', {
      description: `The database has had less than ${t.freeableMemoryMiB} MiB of freeable memory for 10 minutes and may start swapping. Check connections and buffer sizes, or move to a larger class.`,
      metric: { ...metrics.freeableMemory, period: 300 },
      comparison: 'LessThanThreshold',
      threshold: t.freeableMemoryMiB * MiB,
      evaluationPeriods: 2,
      treatMissingData: 'missing',
    });
    this.addAlarm('connections-high', {
      description: `The database has held ${t.connections} or more connections for 5 minutes, close to max_connections. Look for connection leaks or too many web instances or tasks.`,
      metric: { ...metrics.connections, period: 60 },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: t.connections,
      evaluationPeriods: 5,
      treatMissingData: 'missing',
    });
    for (const [thing, direction, metric, seconds] of [
      ['read-latency-high', 'read', metrics.readLatency, t.readLatencySeconds],
      ['write-latency-high', 'write', metrics.writeLatency, t.writeLatencySeconds],
    ] as const) {
      this.addAlarm(thing, {
        description: `The database's average ${direction} latency exceeded ${seconds} s for 5 minutes. Check IOPS against the volume's baseline and look for heavy queries.`,
        metric: { ...metric, period: 60 },
        comparison: 'GreaterThanThreshold',
        threshold: seconds,
        evaluationPeriods: 5,
        treatMissingData: 'missing',
      });
    }
  }
}
