import { parseEnvironments } from '../../config';
import { environments } from '../../config/environments';
import { configProblems, minimalEnvironment } from '../helpers';
import { burstableBaselinePercent, instanceArchitecture } from '../../config/web';
import { KNOWN_WORDPRESS_RELEASES, wordpressSha256 } from '../../config/wordpress';

const valid = minimalEnvironment;

/** The problems listed for one environment with these settings; fails the test if it parses. */
const problemsOf = (web: Record<string, unknown>) => configProblems([{ ...valid, web }]);

describe('web configuration', () => {
  test('defaults: two t4g.small instances of four, CPU target 50 %, PHP health every 10 s, pinned WordPress', () => {
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
        path: '/healthz.php',
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
      wordpress: {
        version: '6.9.4',
        locale: 'en_US',
        wpCli: {
          version: '2.12.0',
          sha256: 'ce34ddd838f7351d6759068d09793f26755463b4a4610a5a5c0a97b68220d85c',
        },
        siteTitle: 'WordPress',
        adminUser: 'admin',
        adminEmail: 'admin@example.com',
        allowFileMods: false,
        cronIntervalMinutes: 5,
        uploadMaxMegabytes: 64,
        phpWorkerMegabytes: 128,
        reservedMegabytes: 512,
      },
    });
    expect(wordpressSha256(environment.web.wordpress)).toBe(
      'db610ad9f549e0abb5af3e3d5c6729c58d874439654cdf0afea425b2ea895f35',
    );
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
      'dev: web.minSize: 3 is more than desiredCapacity (2); minSize <= desiredCapacity <= maxSize is required',
    ]);
  });

  test('desiredCapacity above maxSize is rejected', () => {
    expect(problemsOf({ desiredCapacity: 5, maxSize: 4 })).toEqual([
      'dev: web.desiredCapacity: 5 is more than maxSize (4); minSize <= desiredCapacity <= maxSize is required',
    ]);
  });

  test('minSize above maxSize is rejected', () => {
    expect(problemsOf({ minSize: 5, desiredCapacity: 5, maxSize: 4 })).toEqual([
      'dev: web.minSize: 5 is more than maxSize (4); minSize <= desiredCapacity <= maxSize is required',
      'dev: web.desiredCapacity: 5 is more than maxSize (4); minSize <= desiredCapacity <= maxSize is required',
    ]);
  });

  test('desiredCapacity defaults to one instance per zone', () => {
    const zones = ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'];
    expect(parseEnvironments([{ ...valid, availabilityZones: zones }])[0].web.desiredCapacity).toBe(3);
    expect(parseEnvironments([{ ...valid, web: { desiredCapacity: 4 } }])[0].web.desiredCapacity).toBe(4);
  });

  test('one instance per zone above maxSize is rejected, asking for a larger maxSize', () => {
    const zones = ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'];
    expect(configProblems([{ ...valid, availabilityZones: zones, web: { maxSize: 2 } }])).toEqual([
      'dev: web.maxSize: 2 is less than desiredCapacity, one per zone by default (3); minSize <= desiredCapacity <= maxSize is required: raise maxSize',
    ]);
    expect(
      parseEnvironments([{ ...valid, availabilityZones: zones, web: { maxSize: 3 } }])[0].web.maxSize,
    ).toBe(3);
  });

  test('minSize above one instance per zone is rejected, asking for desiredCapacity', () => {
    expect(problemsOf({ minSize: 3 })).toEqual([
      'dev: web.minSize: 3 is more than desiredCapacity, one per zone by default (2); minSize <= desiredCapacity <= maxSize is required: set desiredCapacity',
    ]);
  });

  test('a health-check interval not greater than its timeout is rejected', () => {
    expect(problemsOf({ healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } })).toEqual([
      'dev: web.healthCheck.intervalSeconds: 5 must be greater than healthCheck.timeoutSeconds (5)',
    ]);
  });

  test.each(['199', '200-500', '302-200', '200,600'])(
    'a health-check matcher %s outside what an ALB accepts is rejected',
    (matcher) => {
      expect(problemsOf({ healthCheck: { matcher } })).toEqual([
        'dev: web.healthCheck.matcher: must be codes from 200 to 499, each range low-high (an ALB accepts no others)',
      ]);
    },
  );

  test('a health-check matcher at the edges of what an ALB accepts is accepted', () => {
    const [environment] = parseEnvironments([{ ...valid, web: { healthCheck: { matcher: '200-499,200' } } }]);
    expect(environment.web.healthCheck.matcher).toBe('200-499,200');
  });

  test('a health-check path over the 1024 characters ELB allows is rejected', () => {
    expect(problemsOf({ healthCheck: { path: `/${'a'.repeat(1024)}` } })).toEqual([
      'dev: web.healthCheck.path: String must contain at most 1024 character(s)',
    ]);
  });

  test('an instance type of an unknown family is rejected', () => {
    expect(problemsOf({ instanceType: 'mac2.metal' })).toEqual([
      'dev: web.instanceType: "mac2.metal" is not an EC2 instance type this project knows the architecture of (such as t4g.small or t3.small)',
    ]);
  });

  test('an extra Spot type of the other architecture is rejected', () => {
    expect(problemsOf({ mixedInstances: { extraInstanceTypes: ['t4g.medium', 't3.medium'] } })).toEqual([
      'dev: web.mixedInstances.extraInstanceTypes[1]: "t3.medium" is x86_64 but instanceType t4g.small is arm64; one launch template image serves one architecture',
    ]);
  });

  test('an on-demand base above maxSize is rejected', () => {
    expect(problemsOf({ mixedInstances: { onDemandBaseCapacity: 5 } })).toEqual([
      'dev: web.mixedInstances.onDemandBaseCapacity: 5 is more than maxSize (4)',
    ]);
  });

  test('standard CPU credits with a scaling target above the baseline are rejected', () => {
    expect(problemsOf({ instanceType: 't4g.small', cpuCredits: 'standard', cpuTargetPercent: 21 })).toEqual([
      'dev: web.cpuCredits: standard credits throttle t4g.small to its 20 % baseline once they run out, below cpuTargetPercent (21), so scaling would never see its target; use unlimited, a target of at most 20, or a type that does not burst',
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
      'dev: web.cpuCredits: m7g.medium does not burst; CPU credits apply to t3, t3a and t4g types only',
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
    expect(problemsOf({ wordpress: { locale: 'japanese', sha256: 'a'.repeat(64) } })).toEqual([
      'dev: web.wordpress.locale: must be a WordPress locale such as ja, en_US or de_DE',
    ]);
  });

  test('a release without a shipped checksum needs its own sha256: version or locale changed', () => {
    const known = Object.keys(KNOWN_WORDPRESS_RELEASES).join(', ');
    const required = (release: string) =>
      `dev: web.wordpress.sha256: is required for WordPress ${release}: this project ships checksums only for ${known}; set the SHA-256 of that release package (docs/operations.md, "Upgrading WordPress")`;
    expect(problemsOf({ wordpress: { locale: 'ja' } })).toEqual([required('6.9.4 (ja)')]);
    expect(problemsOf({ wordpress: { version: '6.9.5' } })).toEqual([required('6.9.5 (en_US)')]);
  });

  test('a supplied sha256 is used; a shipped one needs none', () => {
    const [ja] = parseEnvironments([
      { ...valid, web: { wordpress: { locale: 'ja', sha256: 'a'.repeat(64) } } },
    ]);
    expect(wordpressSha256(ja.web.wordpress)).toBe('a'.repeat(64));
    const [seven] = parseEnvironments([{ ...valid, web: { wordpress: { version: '7.0.1' } } }]);
    expect(wordpressSha256(seven.web.wordpress)).toBe(
      'dc10592da9b580c7525632850e0cced371b13081853ac29afe93b5d5bb00db98',
    );
  });

  test('a checksum that is not 64 lowercase hex digits is rejected', () => {
    const message = 'must be a SHA-256: 64 lowercase hexadecimal digits';
    expect(problemsOf({ wordpress: { sha256: 'A'.repeat(64) } })).toEqual([
      `dev: web.wordpress.sha256: ${message}`,
    ]);
    expect(problemsOf({ wordpress: { sha256: 'a'.repeat(63) } })).toEqual([
      `dev: web.wordpress.sha256: ${message}`,
    ]);
    expect(problemsOf({ wordpress: { wpCli: { version: '2.12.0', sha256: 'x' } } })).toEqual([
      `dev: web.wordpress.wpCli.sha256: ${message}`,
    ]);
  });

  test('PHP and cron limits at their edges', () => {
    expect(problemsOf({ wordpress: { uploadMaxMegabytes: 1, cronIntervalMinutes: 61 } })).toEqual([
      'dev: web.wordpress.cronIntervalMinutes: Number must be less than or equal to 60',
      'dev: web.wordpress.uploadMaxMegabytes: Number must be greater than or equal to 2',
    ]);
    expect(() =>
      parseEnvironments([
        { ...valid, web: { wordpress: { uploadMaxMegabytes: 2, cronIntervalMinutes: 60 } } },
      ]),
    ).not.toThrow();
  });

  test('an image id must look like one; unset means the latest image', () => {
    expect(problemsOf({ imageId: 'ami-123' })).toEqual([
      'dev: web.imageId: must be an AMI id such as ami-0123456789abcdef0',
    ]);
    const [pinned] = parseEnvironments([{ ...valid, web: { imageId: 'ami-0123456789abcdef0' } }]);
    expect(pinned.web.imageId).toBe('ami-0123456789abcdef0');
    expect(parseEnvironments([valid])[0].web.imageId).toBeUndefined();
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
