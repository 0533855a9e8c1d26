import { FARGATE_TASK_SIZES, parseEnvironments } from '../../config';
import { environments } from '../../config/environments';
import { configProblems, minimalEnvironment } from '../helpers';

const valid = minimalEnvironment;

/** The problems listed for one environment with these settings; fails the test if it parses. */
const problemsOf = (containers: Record<string, unknown>) => configProblems([{ ...valid, containers }]);

describe('containers configuration', () => {
  test('defaults model the reference app: 0.5 vCPU / 1 GB, port 80, 1-3 tasks on 60 % CPU, exec on', () => {
    const [environment] = parseEnvironments([valid]);
    expect(environment.containers).toEqual({
      repositories: { app: { mutableTags: false } },
      untaggedImageExpiryDays: 14,
      taggedImagesKept: 30,
      cpu: 512,
      memory: 1024,
      architecture: 'X86_64',
      containerName: 'app',
      containerPort: 80,
      image: { reference: 'public.ecr.aws/nginx/nginx:stable' },
      dataPath: '/data',
      subdomain: 'app',
      healthCheckPath: '/',
      healthCheckGracePeriodSeconds: 60,
      desiredCount: 1,
      minCapacity: 1,
      maxCapacity: 3,
      cpuTargetPercent: 60,
      scaleOutCooldownSeconds: 60,
      scaleInCooldownSeconds: 60,
      capacityProviders: { FARGATE: { base: 1, weight: 1 } },
      platformVersion: 'LATEST',
      readonlyRootFilesystem: false,
      execEnabled: true,
    });
  });

  test('dev runs mostly on Spot and prod on demand only', () => {
    const parsed = parseEnvironments(environments);
    const byName = Object.fromEntries(
      parsed.map((environment) => [environment.name, environment.containers]),
    );
    expect(byName.dev.capacityProviders).toEqual({
      FARGATE: { base: 1, weight: 1 },
      FARGATE_SPOT: { base: 0, weight: 3 },
    });
    expect(byName.prod.capacityProviders).toEqual({ FARGATE: { base: 1, weight: 1 } });
  });

  test('every Fargate size in the table parses', () => {
    for (const [cpu, memories] of Object.entries(FARGATE_TASK_SIZES)) {
      for (const memory of memories) {
        expect(() =>
          parseEnvironments([{ ...valid, containers: { cpu: Number(cpu), memory } }]),
        ).not.toThrow();
      }
    }
  });

  test('a read-only root filesystem with exec on is rejected, saying why', () => {
    expect(problemsOf({ readonlyRootFilesystem: true })).toEqual([
      'dev: containers.readonlyRootFilesystem: cannot be true while execEnabled is true: ECS Exec needs a writable root filesystem for the SSM agent it starts in the container',
    ]);
  });

  test('a read-only root filesystem with exec off is accepted', () => {
    const [environment] = parseEnvironments([
      { ...valid, containers: { readonlyRootFilesystem: true, execEnabled: false } },
    ]);
    expect(environment.containers.readonlyRootFilesystem).toBe(true);
  });

  test('a CPU size Fargate does not offer is rejected', () => {
    expect(problemsOf({ cpu: 768 })).toEqual([
      'dev: containers.cpu: 768 is not a Fargate task CPU size (256, 512, 1024, 2048, 4096, 8192, 16384)',
    ]);
  });

  test('memory that does not fit the CPU is rejected with the allowed range', () => {
    expect(problemsOf({ cpu: 512, memory: 512 })).toEqual([
      'dev: containers.memory: 512 MiB does not fit cpu 512 on Fargate (allowed: 1024-4096 MiB in steps of 1024)',
    ]);
  });

  test('memory off the 1024 MiB steps is rejected', () => {
    expect(problemsOf({ cpu: 2048, memory: 5000 })).toEqual([
      'dev: containers.memory: 5000 MiB does not fit cpu 2048 on Fargate (allowed: 4096-16384 MiB in steps of 1024)',
    ]);
  });

  test('an image from a repository that is not configured is rejected', () => {
    expect(problemsOf({ image: { repository: 'web', tag: 'v1' } })).toEqual([
      'dev: containers.image.repository: "web" is not one of the configured repositories (app)',
    ]);
  });

  test('minCapacity above maxCapacity is rejected', () => {
    expect(problemsOf({ minCapacity: 4, desiredCount: 4, maxCapacity: 3 })).toContainEqual(
      'dev: containers.minCapacity: 4 is above maxCapacity 3',
    );
  });

  test('a desired count outside min..max is rejected', () => {
    expect(problemsOf({ desiredCount: 5 })).toEqual([
      'dev: containers.desiredCount: 5 must be between minCapacity 1 and maxCapacity 3',
    ]);
  });

  test('two capacity providers with a base are rejected', () => {
    expect(
      problemsOf({
        capacityProviders: { FARGATE: { base: 1, weight: 1 }, FARGATE_SPOT: { base: 1, weight: 1 } },
      }),
    ).toEqual([
      'dev: containers.capacityProviders: only one capacity provider may have a base, got FARGATE and FARGATE_SPOT',
    ]);
  });

  test('a strategy with no weight is rejected', () => {
    expect(problemsOf({ capacityProviders: { FARGATE: { base: 1, weight: 0 } } })).toEqual([
      'dev: containers.capacityProviders: at least one capacity provider must have a weight above 0',
    ]);
  });

  test('an empty strategy is rejected', () => {
    expect(problemsOf({ capacityProviders: {} })).toEqual([
      'dev: containers.capacityProviders: at least one capacity provider is required',
    ]);
  });

  test('an unknown capacity provider is rejected', () => {
    const [problem] = problemsOf({ capacityProviders: { EC2: { weight: 1 } } });
    expect(problem).toMatch(/^dev: containers\.capacityProviders\.EC2: /);
  });

  test('a repository name ECR does not accept is rejected', () => {
    expect(problemsOf({ repositories: { App_: {} } })).toEqual([
      'dev: containers.repositories.App_: must be a lowercase ECR repository name',
    ]);
  });

  test('an invalid image tag is rejected', () => {
    expect(problemsOf({ image: { repository: 'app', tag: ':bad' } })).toContainEqual(
      expect.stringMatching(/^dev: containers\.image/),
    );
  });

  test.each(['login', '/log in'])(
    'a health-check path %s without a leading slash or with a space is rejected',
    (healthCheckPath) => {
      expect(problemsOf({ healthCheckPath })).toEqual([
        'dev: containers.healthCheckPath: must start with / and contain no spaces',
      ]);
    },
  );

  test('a platform version that is neither LATEST nor x.y.z is rejected', () => {
    expect(problemsOf({ platformVersion: 'newest' })).toEqual([
      'dev: containers.platformVersion: must be LATEST or a version such as 1.4.0',
    ]);
  });

  test.each(['1.3.0', '1.0.0', '0.9.9'])(
    'platform version %s, older than the first that mounts EFS and runs ECS Exec, is rejected',
    (platformVersion) => {
      expect(problemsOf({ platformVersion })).toEqual([
        `dev: containers.platformVersion: ${platformVersion} is older than 1.4.0, the first Fargate platform version that mounts EFS volumes (the task mounts /data) and runs ECS Exec; use LATEST or 1.4.0 or later`,
      ]);
    },
  );

  test.each(['LATEST', '1.4.0', '1.10.0', '2.0.0'])('platform version %s is accepted', (platformVersion) => {
    const [environment] = parseEnvironments([{ ...valid, containers: { platformVersion } }]);
    expect(environment.containers.platformVersion).toBe(platformVersion);
  });

  test.each([
    { FARGATE_SPOT: { weight: 1 } },
    { FARGATE: { weight: 1 }, FARGATE_SPOT: { base: 1, weight: 0 } },
  ])('Fargate Spot with ARM64 tasks is rejected (%j)', (capacityProviders) => {
    expect(problemsOf({ architecture: 'ARM64', capacityProviders })).toEqual([
      'dev: containers.capacityProviders.FARGATE_SPOT: Fargate Spot runs X86_64 Linux tasks only and architecture is ARM64; remove FARGATE_SPOT or use X86_64',
    ]);
  });

  test.each([
    ['ARM64', { FARGATE: { weight: 1 } }],
    ['ARM64', { FARGATE: { weight: 1 }, FARGATE_SPOT: { weight: 0 } }],
    ['X86_64', { FARGATE_SPOT: { weight: 1 } }],
  ])('%s tasks with %j are accepted', (architecture, capacityProviders) => {
    const [environment] = parseEnvironments([{ ...valid, containers: { architecture, capacityProviders } }]);
    expect(environment.containers.capacityProviders).toEqual(
      Object.fromEntries(
        Object.entries(capacityProviders).map(([name, provider]) => [name, { base: 0, ...provider }]),
      ),
    );
  });

  test('a subdomain that is not one DNS label is rejected', () => {
    expect(problemsOf({ subdomain: 'my.app' })).toEqual([
      'dev: containers.subdomain: must be one DNS label: lowercase letters, digits, hyphens',
    ]);
  });

  test('unknown keys are rejected', () => {
    expect(problemsOf({ cpus: 512 })).toEqual(["dev: containers: Unrecognized key(s) in object: 'cpus'"]);
  });
});
