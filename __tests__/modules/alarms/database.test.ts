import { DatabaseAlarms } from '../../../modules/alarms';
import { target, alarmsOf } from './alarm-fixture';

describe('DatabaseAlarms', () => {
  const alarms = alarmsOf((scope) => {
    new DatabaseAlarms(scope, 'db', {
      ...target,
      instanceIdentifier: 'proj-dev-mysql',
      thresholds: {
        cpuPercent: 80,
        freeStorageGiB: 2,
        freeableMemoryMiB: 100,
        connections: 50,
        readLatencySeconds: 0.05,
        writeLatencySeconds: 0.1,
      },
    });
  });

  test('every alarm points at the instance', () => {
    expect(Object.keys(alarms).sort()).toEqual([
      'proj-dev-db-connections-high',
      'proj-dev-db-cpu-high',
      'proj-dev-db-free-storage-low',
      'proj-dev-db-freeable-memory-low',
      'proj-dev-db-read-latency-high',
      'proj-dev-db-write-latency-high',
    ]);
    for (const alarm of Object.values(alarms)) {
      expect(alarm).toMatchObject({
        namespace: 'AWS/RDS',
        dimensions: { DBInstanceIdentifier: 'proj-dev-mysql' },
      });
    }
  });

  test('storage and memory thresholds are converted to bytes', () => {
    expect(alarms['proj-dev-db-free-storage-low']).toMatchObject({
      metric_name: 'FreeStorageSpace',
      comparison_operator: 'LessThanThreshold',
      threshold: 2 * 1024 ** 3,
    });
    expect(alarms['proj-dev-db-freeable-memory-low'].threshold).toBe(100 * 1024 ** 2);
  });

  test('there is no replica-lag alarm: the instance is not a read replica', () => {
    expect(Object.values(alarms).map((alarm) => alarm.metric_name)).not.toContain('ReplicaLag');
  });
});
