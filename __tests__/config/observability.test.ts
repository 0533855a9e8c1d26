import { parseEnvironments } from '../../config';
import { environments } from '../../config/environments';
import { configProblems, minimalEnvironment } from '../helpers';

const valid = minimalEnvironment;

/** The problems listed for one environment with these settings; fails the test if it parses. */
const problemsOf = (observability: Record<string, unknown>) =>
  configProblems([{ ...valid, observability: { ...valid.observability, ...observability } }]);
const subscribers = valid.observability;

describe('observability settings', () => {
  test('defaults: no subscribers, the SCENARIO thresholds, a billing alarm at 10 USD, an owned trail', () => {
    const [environment] = parseEnvironments([
      { name: 'dev', accountId: '123456789012', deletionProtection: false },
    ]);
    expect(environment.observability).toMatchObject({
      alarmEmails: [],
      billingAlarm: true,
      thresholds: {
        web: { cpuPercent: 60, cpuPeriodSeconds: 60 },
        loadBalancer: { elb5xxCount: 10, responseTimeP95Seconds: 1, responseTimeP99Seconds: 3 },
        database: { cpuPercent: 80, freeStorageGiB: 1 },
        billingUsd: 10,
      },
      auditTrail: { owner: true, cloudWatchLogs: false, retentionDays: 365 },
    });
  });

  test('every shipped environment owns its account trail; prod also sends it to CloudWatch Logs', () => {
    const parsed = parseEnvironments(environments);
    expect(parsed.map((environment) => environment.observability.auditTrail.owner)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      parsed.find((environment) => environment.name === 'prod')?.observability.auditTrail.cloudWatchLogs,
    ).toBe(true);
  });

  test('web memory and disk thresholds default to 90 % and 85 %, and stay within (0, 100]', () => {
    const [environment] = parseEnvironments([valid]);
    expect(environment.observability.thresholds.web).toMatchObject({ memoryPercent: 90, diskPercent: 85 });
    expect(() =>
      parseEnvironments([
        {
          ...valid,
          observability: {
            ...valid.observability,
            thresholds: { web: { memoryPercent: 100, diskPercent: 0.5 } },
          },
        },
      ]),
    ).not.toThrow();
    expect(problemsOf({ thresholds: { web: { memoryPercent: 0, diskPercent: 101 } } })).toEqual([
      'dev: observability.thresholds.web.memoryPercent: Number must be greater than 0',
      'dev: observability.thresholds.web.diskPercent: Number must be less than or equal to 100',
    ]);
  });

  test('a malformed e-mail address is rejected by its path', () => {
    expect(problemsOf({ alarmEmails: ['ops@example.com', 'ops.example.com'] })).toEqual([
      'dev: observability.alarmEmails[1]: must be an e-mail address such as ops@example.com',
    ]);
  });

  test.each([
    'ops@example..com',
    '.ops@example.com',
    'ops.@example.com',
    'ops@example',
    'ops@-example.com',
    'ops @example.com',
  ])('"%s" is rejected', (address) => {
    expect(problemsOf({ alarmEmails: [address] })).toEqual([
      'dev: observability.alarmEmails[0]: must be an e-mail address such as ops@example.com',
    ]);
  });

  test('addresses with plus tags, subdomains and upper case are accepted', () => {
    const alarmEmails = ['ops+alarms@mail.example.co.jp', 'On-Call.Team@Example.COM'];
    const [environment] = parseEnvironments([{ ...valid, observability: { alarmEmails } }]);
    expect(environment.observability.alarmEmails).toEqual(alarmEmails);
  });

  test('an address listed twice (in any case) is rejected', () => {
    expect(problemsOf({ alarmEmails: ['ops@example.com', 'Ops@Example.com'] })).toEqual([
      'dev: observability.alarmEmails[1]: duplicate address "Ops@Example.com" (also at [0])',
    ]);
  });

  test('a p99 latency threshold below the p95 is rejected', () => {
    expect(
      problemsOf({ thresholds: { loadBalancer: { responseTimeP95Seconds: 2, responseTimeP99Seconds: 1 } } }),
    ).toEqual([
      'dev: observability.thresholds.loadBalancer.responseTimeP99Seconds: 1 is below responseTimeP95Seconds (2); the p99 is never faster than the p95',
    ]);
  });

  test('CloudWatch Logs delivery without owning the trail is rejected', () => {
    expect(problemsOf({ auditTrail: { owner: false, cloudWatchLogs: true } })).toEqual([
      'dev: observability.auditTrail.cloudWatchLogs: needs auditTrail.owner: only the environment that owns the trail can deliver it to CloudWatch Logs',
    ]);
  });

  test('a CPU alarm period that is not whole minutes is rejected', () => {
    expect(problemsOf({ thresholds: { web: { cpuPeriodSeconds: 90 } } })).toEqual([
      'dev: observability.thresholds.web.cpuPeriodSeconds: must be a positive multiple of 60 (EC2 metrics have 1-minute resolution at best)',
    ]);
  });

  test('a percentage above 100 is rejected', () => {
    expect(problemsOf({ thresholds: { containers: { memoryPercent: 120 } } })).toEqual([
      'dev: observability.thresholds.containers.memoryPercent: Number must be less than or equal to 100',
    ]);
  });

  test('a billing threshold of zero is rejected', () => {
    expect(problemsOf({ thresholds: { billingUsd: 0 } })).toEqual([
      'dev: observability.thresholds.billingUsd: Number must be greater than 0',
    ]);
  });

  test('an unknown threshold is rejected rather than ignored', () => {
    expect(problemsOf({ thresholds: { web: { cpuPercnt: 70 } } })).toEqual([
      "dev: observability.thresholds.web: Unrecognized key(s) in object: 'cpuPercnt'",
    ]);
  });

  test('a one-minute CPU alarm without detailed monitoring on the web instances is rejected', () => {
    expect(
      configProblems([
        {
          ...valid,
          web: { detailedMonitoring: false },
          observability: { ...subscribers, thresholds: { web: { cpuPeriodSeconds: 60 } } },
        },
      ]),
    ).toEqual([
      'dev: observability.thresholds.web.cpuPeriodSeconds: 60 s needs web.detailedMonitoring (basic monitoring sends EC2 CPU every 300 s); turn it on or use 300',
    ]);
  });

  test('a protected environment without an alarm subscriber is rejected', () => {
    expect(configProblems([{ ...valid, observability: { alarmEmails: [] } }])).toEqual([
      'dev: observability.alarmEmails: a protected environment (deletionProtection) needs at least one alarm subscriber',
    ]);
  });

  test('an unprotected environment may have no alarm subscriber', () => {
    const [environment] = parseEnvironments([
      { ...valid, deletionProtection: false, observability: { alarmEmails: [] } },
    ]);
    expect(environment.observability.alarmEmails).toEqual([]);
  });

  test('the shipped prod environment names a subscriber', () => {
    const prod = parseEnvironments(environments).find((environment) => environment.name === 'prod');
    expect(prod?.observability.alarmEmails).toEqual(['ops@example.com']);
  });

  test('a free-storage alarm at 10 % of the allocated storage (where autoscaling starts) is rejected', () => {
    expect(
      configProblems([
        {
          ...valid,
          data: { database: { allocatedStorageGb: 30 } },
          observability: { ...subscribers, thresholds: { database: { freeStorageGiB: 3 } } },
        },
      ]),
    ).toEqual([
      'dev: observability.thresholds.database.freeStorageGiB: 3 GiB is not below 10 % of data.database.allocatedStorageGb (30 GiB), where RDS storage autoscaling starts; the alarm would fire whenever autoscaling works',
    ]);
    expect(problemsOf({ thresholds: { database: { freeStorageGiB: 2.5 } } })).toEqual([
      'dev: observability.thresholds.database.freeStorageGiB: 2.5 GiB is not below 10 % of data.database.allocatedStorageGb (20 GiB), where RDS storage autoscaling starts; the alarm would fire whenever autoscaling works',
    ]);
  });

  test('a free-storage alarm just below 10 % of the allocated storage is accepted', () => {
    const [environment] = parseEnvironments([
      {
        ...valid,
        data: { database: { allocatedStorageGb: 30 } },
        observability: { ...subscribers, thresholds: { database: { freeStorageGiB: 2.9 } } },
      },
    ]);
    expect(environment.observability.thresholds.database.freeStorageGiB).toBe(2.9);
  });

  test('a web CPU alarm at the scaling target is rejected', () => {
    expect(
      configProblems([
        {
          ...valid,
          web: { cpuTargetPercent: 60 },
          observability: { ...subscribers, thresholds: { web: { cpuPercent: 60 } } },
        },
      ]),
    ).toEqual([
      'dev: observability.thresholds.web.cpuPercent: 60 % is not above web.cpuTargetPercent (60 %), which auto scaling holds the average at; the alarm would fire whenever scaling works',
    ]);
  });

  test('a web CPU alarm just above the scaling target is accepted', () => {
    const [environment] = parseEnvironments([
      {
        ...valid,
        web: { cpuTargetPercent: 60 },
        observability: { ...subscribers, thresholds: { web: { cpuPercent: 61 } } },
      },
    ]);
    expect(environment.observability.thresholds.web.cpuPercent).toBe(61);
  });

  test('the default web CPU alarm (60 %) is above the default scaling target (50 %)', () => {
    const [environment] = parseEnvironments([valid]);
    expect([environment.observability.thresholds.web.cpuPercent, environment.web.cpuTargetPercent]).toEqual([
      60, 50,
    ]);
  });

  test('a five-minute CPU alarm works with basic monitoring', () => {
    const [environment] = parseEnvironments([
      {
        ...valid,
        web: { detailedMonitoring: false },
        observability: { ...subscribers, thresholds: { web: { cpuPeriodSeconds: 300 } } },
      },
    ]);
    expect(environment.observability.thresholds.web.cpuPeriodSeconds).toBe(300);
  });
});
