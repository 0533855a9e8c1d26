import { parseEnvironments } from '../../config';
import { environments } from '../../config/environments';
import { configProblems, minimalEnvironment } from '../helpers';
import { burstableBaselinePercent, instanceArchitecture } from '../../config/web';

const valid = minimalEnvironment;

/** The problems listed for one environment with these settings; fails the test if it parses. */
const problemsOf = (web: Record<string, unknown>) => configProblems([{ ...valid, web }]);

describe('web configuration', () => {
  test('defaults: two t4g.small instances of four, CPU target 50 %, health page every 10 s, ja locale', () => {
    const [environment] = parseEnvironments([valid]);
    expect(environment.web).toEqual({
      instanceType: 't4g.small',
      minSize: 2,
      maxSize: 4,
      desiredCapacity: 2,
      rootVolumeSizeGiB: 20,
      detailedMonitoring: true,
      cpuTargetPercent: 50,
      instanceRefreshMinHealthyPercent: 50,
      healthCheck: {
        path: '/healthz.html',
        matcher: '200-399',
        intervalSeconds: 10,
        timeoutSeconds: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
        gracePeriodSeconds: 300,
      },
      deregistrationDelaySeconds: 300,
      idleTimeoutSeconds: 60,
      accessLogRetentionDays: 90,
      wordpressLocale: 'ja',
    });
  });

  test('the shipped environments: dev drains fast and uses Spot, prod monitors every minute', () => {
    const byName = Object.fromEntries(parseEnvironments(environments).map((e) => [e.name, e.web]));
    expect(byName.dev.deregistrationDelaySeconds).toBe(30);
    expect(byName.dev.mixedInstances).toEqual({
      onDemandBaseCapacity: 1,
      onDemandPercentageAboveBaseCapacity: 0,
      extraInstanceTypes: ['t4g.medium'],
      capacityRebalance: true,
    });
    expect(byName.stg.mixedInstances).toBeUndefined();
    expect(byName.prod.detailedMonitoring).toBe(true);
    expect(byName.dev.detailedMonitoring).toBe(false);
  });

  test('minSize above desiredCapacity is rejected', () => {
    expect(problemsOf({ minSize: 3, desiredCapacity: 2 })).toEqual([
      'environments[0].web.minSize: 3 is more than desiredCapacity (2); minSize <= desiredCapacity <= maxSize is required',
    ]);
  });

  test('desiredCapacity above maxSize is rejected', () => {
    expect(problemsOf({ desiredCapacity: 5, maxSize: 4 })).toEqual([
      'environments[0].web.desiredCapacity: 5 is more than maxSize (4); minSize <= desiredCapacity <= maxSize is required',
    ]);
  });

  test('minSize above maxSize is rejected', () => {
    expect(problemsOf({ minSize: 5, desiredCapacity: 5, maxSize: 4 })).toEqual([
      'environments[0].web.minSize: 5 is more than maxSize (4); minSize <= desiredCapacity <= maxSize is required',
      'environments[0].web.desiredCapacity: 5 is more than maxSize (4); minSize <= desiredCapacity <= maxSize is required',
    ]);
  });

  test('a health-check interval not greater than its timeout is rejected', () => {
    expect(problemsOf({ healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } })).toEqual([
      'environments[0].web.healthCheck.intervalSeconds: 5 must be greater than healthCheck.timeoutSeconds (5)',
    ]);
  });

  test('a health-check path over the 1024 characters ELB allows is rejected', () => {
    expect(problemsOf({ healthCheck: { path: `/${'a'.repeat(1024)}` } })).toEqual([
      'environments[0].web.healthCheck.path: String must contain at most 1024 character(s)',
    ]);
  });

  test('an instance type of an unknown family is rejected', () => {
    expect(problemsOf({ instanceType: 'mac2.metal' })).toEqual([
      'environments[0].web.instanceType: "mac2.metal" is not an EC2 instance type this project knows the architecture of (such as t4g.small or t3.small)',
    ]);
  });

  test('an extra Spot type of the other architecture is rejected', () => {
    expect(problemsOf({ mixedInstances: { extraInstanceTypes: ['t4g.medium', 't3.medium'] } })).toEqual([
      'environments[0].web.mixedInstances.extraInstanceTypes[1]: "t3.medium" is x86_64 but instanceType t4g.small is arm64; one launch template image serves one architecture',
    ]);
  });

  test('an on-demand base above maxSize is rejected', () => {
    expect(problemsOf({ mixedInstances: { onDemandBaseCapacity: 5 } })).toEqual([
      'environments[0].web.mixedInstances.onDemandBaseCapacity: 5 is more than maxSize (4)',
    ]);
  });

  test('standard CPU credits with a scaling target above the baseline are rejected', () => {
    expect(problemsOf({ instanceType: 't4g.small', cpuCredits: 'standard', cpuTargetPercent: 21 })).toEqual([
      'environments[0].web.cpuCredits: standard credits throttle t4g.small to its 20 % baseline once they run out, below cpuTargetPercent (21), so scaling would never see its target; use unlimited, a target of at most 20, or a type that does not burst',
    ]);
  });

  test('standard CPU credits with a scaling target at the baseline are accepted', () => {
    const [environment] = parseEnvironments([
      {
        ...valid,
        web: { instanceType: 't4g.small', cpuCredits: 'standard', cpuTargetPercent: 20 },
        observability: { ...valid.observability, thresholds: { web: { cpuPercent: 60 } } },
      },
    ]);
    expect(environment.web.cpuCredits).toBe('standard');
  });

  test('CPU credits on a type that does not burst are rejected', () => {
    expect(problemsOf({ instanceType: 'm7g.medium', cpuCredits: 'unlimited' })).toEqual([
      'environments[0].web.cpuCredits: m7g.medium does not burst; CPU credits apply to t3, t3a and t4g types only',
    ]);
  });

  test('the shipped environments choose the instance type and credit mode each', () => {
    expect(
      parseEnvironments(environments).map(({ name, web }) => [name, web.instanceType, web.cpuCredits]),
    ).toEqual([
      ['dev', 't4g.small', 'unlimited'],
      ['stg', 't4g.small', 'unlimited'],
      ['prod', 'm7g.medium', undefined],
    ]);
  });

  test.each([
    ['t4g.small', 20],
    ['t3.micro', 10],
    ['t3a.large', 30],
    ['t4g.2xlarge', 40],
    ['m7g.medium', undefined],
    ['t2.micro', undefined],
  ])('the burstable baseline of %s is %s %', (instanceType, baseline) => {
    expect(burstableBaselinePercent(instanceType)).toBe(baseline);
  });

  test('a malformed WordPress locale is rejected', () => {
    expect(problemsOf({ wordpressLocale: 'japanese' })).toEqual([
      'environments[0].web.wordpressLocale: must be a WordPress locale such as ja, en_US or de_DE',
    ]);
  });

  test.each([
    ['t4g.small', 'arm64'],
    ['c7gn.xlarge', 'arm64'],
    ['is4gen.large', 'arm64'],
    ['a1.medium', 'arm64'],
    ['t3.small', 'x86_64'],
    ['m7i-flex.large', 'x86_64'],
    ['g4dn.xlarge', 'x86_64'],
    ['mac1.metal', undefined],
    ['u-6tb1.metal', undefined],
    ['t4g', undefined],
  ])('the architecture of %s is %s', (instanceType, architecture) => {
    expect(instanceArchitecture(instanceType)).toBe(architecture);
  });
});
