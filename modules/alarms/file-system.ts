import type { Construct } from 'constructs';
import { efsFileSystemMetrics } from '../metrics';
import { AlarmGroup, type AlarmGroupProps } from './alarm-group';

export interface FileSystemAlarmsProps extends AlarmGroupProps {
  readonly fileSystemId: string;
  /** BurstCreditBalance exists only in `bursting` mode. */
  readonly throughputMode: 'bursting' | 'elastic' | 'provisioned';
  /**
   * PercentIOLimit exists only in General Purpose performance mode.
   * @default 'generalPurpose'
   */
  readonly performanceMode?: 'generalPurpose' | 'maxIO';
  readonly thresholds: {
    /** PercentIOLimit, percent. */
    readonly percentIoLimit: number;
    /** BurstCreditBalance floor, GiB. */
    readonly burstCreditBalanceGiB: number;
  };
}

/**
 * The EFS file system (`AWS/EFS`, `modules/metrics/efs-file-system.ts`), only the alarms its modes
 * have metrics for: PercentIOLimit in General Purpose performance mode, BurstCreditBalance in
 * bursting throughput mode. With elastic (or provisioned) throughput there are no credits to run out of.
 */
export class FileSystemAlarms extends AlarmGroup {
  constructor(scope: Construct, id: string, props: FileSystemAlarmsProps) {
    super(scope, id, props, 'efs');
    const performanceMode = props.performanceMode ?? 'generalPurpose';
    const metrics = efsFileSystemMetrics(props.fileSystemId);
    const t = props.thresholds;

    // EFS reports these every minute: a gap is a metric outage, not an idle file system.
    if (performanceMode === 'generalPurpose') {
      this.addAlarm('io-limit-high', {
        description: `The file system has been at ${t.percentIoLimit} % or more of General Purpose mode's I/O limit for 5 minutes; clients will slow down. Look for metadata-heavy workloads.`,
        metric: { ...metrics.percentIoLimit, period: 60 },
        comparison: 'GreaterThanOrEqualToThreshold',
        threshold: t.percentIoLimit,
        evaluationPeriods: 5,
        treatMissingData: 'missing',
      });
    }
    if (props.throughputMode === 'bursting') {
      this.addAlarm('burst-credits-low', {
        description: `The file system has under ${t.burstCreditBalanceGiB} GiB of burst credits; when they run out, throughput drops to the baseline. Switch to elastic throughput or reduce I/O.`,
        metric: { ...metrics.burstCreditBalance, period: 300 },
        comparison: 'LessThanThreshold',
        threshold: t.burstCreditBalanceGiB * 1024 ** 3,
        evaluationPeriods: 1,
        treatMissingData: 'missing',
      });
    }
  }
}
