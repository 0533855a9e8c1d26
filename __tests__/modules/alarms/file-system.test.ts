import { FileSystemAlarms, type FileSystemAlarmsProps } from '../../../modules/alarms';
import { target, alarmsOf } from './alarm-fixture';

describe('FileSystemAlarms', () => {
  const build = (props: Pick<FileSystemAlarmsProps, 'throughputMode' | 'performanceMode'>) =>
    alarmsOf((scope) => {
      new FileSystemAlarms(scope, 'efs', {
        ...target,
        fileSystemId: 'fs-0123',
        ...props,
        thresholds: { percentIoLimit: 90, burstCreditBalanceGiB: 100 },
      });
    });

  test('elastic throughput has no burst credits to alarm on; General Purpose mode has an I/O limit', () => {
    const alarms = build({ throughputMode: 'elastic' });
    expect(Object.keys(alarms)).toEqual(['proj-dev-efs-io-limit-high']);
    expect(alarms['proj-dev-efs-io-limit-high']).toMatchObject({
      metric_name: 'PercentIOLimit',
      dimensions: { FileSystemId: 'fs-0123' },
      threshold: 90,
    });
  });

  test('bursting throughput alarms on the credit balance', () => {
    expect(build({ throughputMode: 'bursting' })['proj-dev-efs-burst-credits-low']).toMatchObject({
      metric_name: 'BurstCreditBalance',
      comparison_operator: 'LessThanThreshold',
      threshold: 100 * 1024 ** 3,
    });
  });

  test('Max I/O performance mode has no I/O limit metric', () => {
    expect(build({ throughputMode: 'elastic', performanceMode: 'maxIO' })).toEqual({});
  });
});
