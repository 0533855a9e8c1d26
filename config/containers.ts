import { z } from 'zod';

/**
 * Task sizes Fargate accepts: memory (MiB) allowed for each CPU value (CPU units, 1024 = 1 vCPU).
 * Amazon ECS developer guide, "Task CPU and memory" (Fargate task definition parameters).
 */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/**
 * The oldest Fargate Linux platform version that mounts EFS volumes and runs ECS Exec (Amazon ECS
 * developer guide, "Fargate Linux platform versions": 1.4.0 added EFS endpoints; "Use Amazon EFS
 * volumes with Amazon ECS" and "Monitor Amazon ECS containers with ECS Exec" require it). Every
 * task here mounts its EFS access point, so an older pinned version fails to start tasks.
 */
export const FARGATE_EFS_PLATFORM_VERSION = '1.4.0';

/** Whether a pinned Fargate platform version (`1.3.0`) is older than `minimum`; LATEST never is. */
export function platformVersionBelow(version: string, minimum: string): boolean {
  if (version === 'LATEST') return false;
  const parts = (v: string) => v.split('.').map(Number);
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

/** The capacity providers every Fargate cluster has. */
export const FARGATE_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'] as const;
export type FargateCapacityProvider = (typeof FARGATE_CAPACITY_PROVIDERS)[number];

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

const positiveInt = z.number().int().positive();

const repositorySchema = z
  .object({
    /**
     * Let a tag be pushed again onto a different image. Off, a tag names one image forever, so a
     * deployment is reproducible; on, the synth warns.
     * @default false
     */
    mutableTags: z.boolean().default(false),
  })
  .strict();

const imageSchema = z.union([
  /** An image of one of the configured repositories, at a tag. */
  z
    .object({
      repository: z.string(),
      tag: z.string().regex(/^[\w][\w.-]{0,127}$/, 'is not a valid image tag'),
    })
    .strict(),
  /** A full image reference, for bootstrapping before the first push. */
  z.object({ reference: z.string().min(1) }).strict(),
]);

const capacityProviderSchema = z
  .object({
    /** Tasks placed on this provider before weights apply; only one provider may have a base (0-100000). @default 0 */
    base: z.number().int().min(0).max(100000).default(0),
    /** Relative share of the tasks beyond the bases (0-1000). */
    weight: z.number().int().min(0).max(1000),
  })
  .strict();

const containerHealthCheckSchema = z
  .object({
    /** Run by the shell in the container (`CMD-SHELL`); exit 0 is healthy. */
    command: z.string().min(1),
    /** 5-300. @default 30 */
    intervalSeconds: z.number().int().min(5).max(300).default(30),
    /** 2-60. @default 5 */
    timeoutSeconds: z.number().int().min(2).max(60).default(5),
    /** 1-10. @default 3 */
    retries: z.number().int().min(1).max(10).default(3),
    /** 0-300. @default 0 */
    startPeriodSeconds: z.number().int().min(0).max(300).default(0),
  })
  .strict();

const containersObject = z
  .object({
    /** ECR repositories, keyed by name (`<project>-<env>/<name>` in ECR). @default { app: {} } */
    repositories: z
      .record(
        z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, 'must be a lowercase ECR repository name'),
        repositorySchema,
      )
      .default({ app: {} }),
    /** Days an untagged image is kept (layers of replaced pushes). @default 14 */
    untaggedImageExpiryDays: positiveInt.default(14),
    /** How many tagged images each repository keeps; older ones expire. @default 30 */
    taggedImagesKept: positiveInt.default(30),
    /** @default '<project>-<env>' */
    clusterName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,255}$/, 'must be 1-255 letters, digits, hyphens and underscores')
      .optional(),
    /** Task CPU units (1024 = 1 vCPU); see FARGATE_TASK_SIZES. @default 512 */
    cpu: positiveInt.default(512),
    /** Task memory in MiB; see FARGATE_TASK_SIZES. @default 1024 */
    memory: positiveInt.default(1024),
    /** CPU architecture of the image. @default 'X86_64' */
    architecture: z.enum(['X86_64', 'ARM64']).default('X86_64'),
    /** Name of the app container (the `--container` of ECS Exec). @default 'app' */
    containerName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,255}$/, 'must be letters, digits, hyphens and underscores')
      .default('app'),
    /** Port the app listens on; the network stack opens it from the load balancer. @default 80 */
    containerPort: z.number().int().min(1).max(65535).default(80),
    /**
     * The image the service runs: `{ repository, tag }` of a configured repository, or a full
     * `{ reference }`. The default runs a public image until the first push.
     * @default { reference: 'public.ecr.aws/nginx/nginx:stable' }
     */
    image: imageSchema.default({ reference: 'public.ecr.aws/nginx/nginx:stable' }),
    /** Where the EFS access point is mounted in the container. @default '/data' */
    dataPath: z.string().regex(/^\/.*/, 'must be an absolute path').default('/data'),
    /** With a domain, the app answers at `<subdomain>.<domain>`. @default 'app' */
    subdomain: z
      .string()
      .regex(
        /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
        'must be one DNS label: lowercase letters, digits, hyphens',
      )
      .default('app'),
    /** Path the load balancer checks (the reference app used `/login`). @default '/' */
    healthCheckPath: z
      .string()
      // As the web tier's: ELB takes a path of at most 1024 characters; a space would be sent unescaped.
      .regex(/^\/[\x21-\x7e]*$/, 'must start with / and contain no spaces')
      .max(1024)
      .default('/'),
    /** Seconds the service ignores load-balancer health checks after a task starts. @default 60 */
    healthCheckGracePeriodSeconds: z.number().int().min(0).max(2147483647).default(60),
    /** Optional health check inside the container. @default undefined (none) */
    containerHealthCheck: containerHealthCheckSchema.optional(),
    /** Tasks at creation; afterwards auto scaling owns the count. @default 1 */
    desiredCount: z.number().int().min(0).default(1),
    /** @default 1 */
    minCapacity: z.number().int().min(0).default(1),
    /** @default 3 */
    maxCapacity: positiveInt.default(3),
    /** Average CPU (%) auto scaling keeps the service at. @default 60 */
    cpuTargetPercent: z.number().min(1).max(100).default(60),
    /** Average memory (%) to track as well. @default undefined (not tracked) */
    memoryTargetPercent: z.number().min(1).max(100).optional(),
    /** ALB requests per target to track as well. @default undefined (not tracked) */
    requestsPerTarget: positiveInt.optional(),
    /** Seconds after a scale-out before another. @default 60 */
    scaleOutCooldownSeconds: z.number().int().min(0).default(60),
    /** Seconds after a scale-in before another. @default 60 */
    scaleInCooldownSeconds: z.number().int().min(0).default(60),
    /**
     * How the service's tasks spread over FARGATE and FARGATE_SPOT (Spot is cheaper, can be
     * interrupted with two minutes' notice, and runs X86_64 tasks only).
     * @default { FARGATE: { base: 1, weight: 1 } } (on-demand only)
     */
    capacityProviders: z
      .record(z.enum(FARGATE_CAPACITY_PROVIDERS), capacityProviderSchema)
      .default({ FARGATE: { base: 1, weight: 1 } }),
    /** Fargate platform version: LATEST, or 1.4.0 or later (EFS volumes and ECS Exec). @default 'LATEST' */
    platformVersion: z
      .string()
      .regex(/^(LATEST|\d+\.\d+\.\d+)$/, 'must be LATEST or a version such as 1.4.0')
      .default('LATEST'),
    /** Mount the container's root filesystem read-only (conflicts with ECS Exec). @default false */
    readonlyRootFilesystem: z.boolean().default(false),
    /** ECS Exec: operators open shells in running tasks, each session logged. @default true */
    execEnabled: z.boolean().default(true),
    /**
     * A MySQL database of the app's own, on the estate's RDS instance, with a user that has privileges
     * on it alone; the container gets `DB_HOST`, `DB_PORT`, `DB_DATABASE` and, from that user's
     * rotated secret, `DB_USERNAME` and `DB_PASSWORD`. Without it the container gets no database
     * settings at all.
     * @default undefined (no database)
     */
    database: z
      .object({
        /** The database name; not WordPress's (`data.database.databaseName`). */
        name: z
          .string()
          .regex(
            /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
            'must be 1-64 letters, digits or underscores, starting with a letter',
          ),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The container app: ECR repositories, the ECS cluster and the Fargate service behind its load balancer. */
export const containersSchema = containersObject.superRefine(checkContainers);

export type ContainersConfig = z.output<typeof containersSchema>;

function checkContainers(containers: z.output<typeof containersObject>, ctx: z.RefinementCtx): void {
  const problem = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });

  const memories = FARGATE_TASK_SIZES[containers.cpu];
  if (memories === undefined) {
    problem(
      ['cpu'],
      `${containers.cpu} is not a Fargate task CPU size (${Object.keys(FARGATE_TASK_SIZES).join(', ')})`,
    );
  } else if (!memories.includes(containers.memory)) {
    problem(
      ['memory'],
      `${containers.memory} MiB does not fit cpu ${containers.cpu} on Fargate (allowed: ${memories[0]}-${memories[memories.length - 1]} MiB in steps of ${memories[1] - memories[0]})`,
    );
  }

  if (containers.readonlyRootFilesystem && containers.execEnabled) {
    problem(
      ['readonlyRootFilesystem'],
      'cannot be true while execEnabled is true: ECS Exec needs a writable root filesystem for the SSM agent it starts in the container',
    );
  }

  if ('repository' in containers.image && !(containers.image.repository in containers.repositories)) {
    problem(
      ['image', 'repository'],
      `"${containers.image.repository}" is not one of the configured repositories (${Object.keys(containers.repositories).join(', ')})`,
    );
  }

  if (containers.minCapacity > containers.maxCapacity) {
    problem(['minCapacity'], `${containers.minCapacity} is above maxCapacity ${containers.maxCapacity}`);
  }
  if (containers.desiredCount < containers.minCapacity || containers.desiredCount > containers.maxCapacity) {
    problem(
      ['desiredCount'],
      `${containers.desiredCount} must be between minCapacity ${containers.minCapacity} and maxCapacity ${containers.maxCapacity}`,
    );
  }

  const strategy = Object.entries(containers.capacityProviders);
  if (strategy.length === 0) {
    problem(['capacityProviders'], 'at least one capacity provider is required');
  } else if (!strategy.some(([, provider]) => provider.weight > 0)) {
    problem(['capacityProviders'], 'at least one capacity provider must have a weight above 0');
  }
  const spot = containers.capacityProviders.FARGATE_SPOT;
  if (containers.architecture === 'ARM64' && spot !== undefined && (spot.weight > 0 || spot.base > 0)) {
    // Amazon ECS developer guide, "AWS Fargate capacity providers": Fargate Spot runs X86_64 Linux tasks only.
    problem(
      ['capacityProviders', 'FARGATE_SPOT'],
      'Fargate Spot runs X86_64 Linux tasks only and architecture is ARM64; remove FARGATE_SPOT or use X86_64',
    );
  }
  if (platformVersionBelow(containers.platformVersion, FARGATE_EFS_PLATFORM_VERSION)) {
    problem(
      ['platformVersion'],
      `${containers.platformVersion} is older than ${FARGATE_EFS_PLATFORM_VERSION}, the first Fargate platform version that mounts EFS volumes (the task mounts ${containers.dataPath}) and runs ECS Exec; use LATEST or ${FARGATE_EFS_PLATFORM_VERSION} or later`,
    );
  }

  const withBase = strategy.filter(([, provider]) => provider.base > 0).map(([name]) => name);
  if (withBase.length > 1) {
    // ECS: "Only one capacity provider in a capacity provider strategy can have a base defined."
    problem(
      ['capacityProviders'],
      `only one capacity provider may have a base, got ${withBase.join(' and ')}`,
    );
  }
}
