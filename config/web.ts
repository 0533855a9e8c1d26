import { z } from 'zod';
import { wordpressSchema } from './wordpress';

/** CPU architectures of EC2 instance types; each needs its own Amazon Linux image. */
export type Architecture = 'arm64' | 'x86_64';

// `<class><generation><attributes>.<size>`, e.g. t4g.small, m7i-flex.large, c7gn.xlarge.
const INSTANCE_TYPE = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/;
// Instance classes that run Amazon Linux 2023 from an ordinary AMI (EC2 "Instance type naming
// conventions"). `mac` needs dedicated hosts and `u-` high-memory types are bare-metal only: not here.
const INSTANCE_CLASSES = new Set([
  'a',
  'c',
  'd',
  'dl',
  'f',
  'g',
  'h',
  'hpc',
  'i',
  'im',
  'inf',
  'is',
  'm',
  'p',
  'r',
  't',
  'trn',
  'vt',
  'x',
  'z',
]);

/**
 * The architecture of an instance type: arm64 for AWS Graviton (a `g` among the attributes after
 * the generation, as in t4g, c7gn, is4gen; and the first-generation a1), x86_64 for the others;
 * undefined when the type does not parse or its class is not one this project runs.
 */
export function instanceArchitecture(instanceType: string): Architecture | undefined {
  const match = INSTANCE_TYPE.exec(instanceType);
  if (!match || !INSTANCE_CLASSES.has(match[1])) return undefined;
  const [, instanceClass, , attributes] = match;
  return instanceClass === 'a' || attributes.includes('g') ? 'arm64' : 'x86_64';
}

const instanceType = z.string().superRefine((value, ctx) => {
  if (instanceArchitecture(value) === undefined)
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `"${value}" is not an EC2 instance type this project knows the architecture of (such as t4g.small or t3.small)`,
    });
});

/**
 * Baseline CPU utilization per vCPU of the burstable types, by size (Amazon EC2 user guide, "Key
 * concepts for burstable performance instances", baseline utilization table; the same for t3, t3a
 * and t4g). Above it, an instance spends CPU credits: in standard mode it is throttled back to the
 * baseline once they run out, in unlimited mode it bills surplus credits averaged over 24 hours.
 */
export const BURSTABLE_BASELINE_PERCENT: Readonly<Record<string, number>> = {
  nano: 5,
  micro: 10,
  small: 20,
  medium: 20,
  large: 30,
  xlarge: 40,
  '2xlarge': 40,
};

/** The baseline CPU percent of a t3, t3a or t4g type, or undefined for a type that does not burst. */
export function burstableBaselinePercent(instanceType: string): number | undefined {
  const match = /^t(3|3a|4g)\.([a-z0-9]+)$/.exec(instanceType);
  return match ? BURSTABLE_BASELINE_PERCENT[match[2]] : undefined;
}

/** Elastic Load Balancing API reference, `Matcher`: an ALB takes HTTP codes 200-499 only. */
function albSuccessCodes(matcher: string): boolean {
  return matcher.split(',').every((part) => {
    const [low, high = low] = part.split('-').map(Number);
    return low >= 200 && high <= 499 && low <= high;
  });
}

/** How the load balancer decides an instance is healthy (limits from Elastic Load Balancing). */
const healthCheckSchema = z
  .object({
    /**
     * The PHP health endpoint the user data writes last: it answers only through PHP-FPM with the
     * shared wp-content readable and writable, and never asks the database (a database blip would
     * fail every instance at once, and the group would replace healthy instances).
     * @default '/healthz.php'
     */
    path: z
      .string()
      .regex(/^\/[\x21-\x7e]*$/, 'must start with / and contain no spaces')
      .max(1024)
      .default('/healthz.php'),
    /** HTTP codes that count as healthy, e.g. `200` or `200-399`. @default '200-399' */
    matcher: z
      .string()
      .regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, 'must be HTTP codes such as 200 or 200-399 or 200,302')
      .refine(
        albSuccessCodes,
        'must be codes from 200 to 499, each range low-high (an ALB accepts no others)',
      )
      .default('200-399'),
    /** Seconds between checks (5-300). @default 10 */
    intervalSeconds: z.number().int().min(5).max(300).default(10),
    /** Seconds to wait for an answer (2-120); must be less than the interval. @default 5 */
    timeoutSeconds: z.number().int().min(2).max(120).default(5),
    /** Consecutive successes before an instance gets traffic (2-10). @default 2 */
    healthyThreshold: z.number().int().min(2).max(10).default(2),
    /** Consecutive failures before an instance loses traffic (2-10). @default 3 */
    unhealthyThreshold: z.number().int().min(2).max(10).default(3),
    /** Seconds after launch before failed checks make the group replace an instance. @default 300 */
    gracePeriodSeconds: z.number().int().min(0).max(7200).default(300),
  })
  .strict();

/**
 * Spot and several instance types in one group. Each extra type must have the architecture of
 * `instanceType` (the launch template carries one image).
 */
const mixedInstancesSchema = z
  .object({
    /** Instances that are always on-demand. @default 0 */
    onDemandBaseCapacity: z.number().int().min(0).default(0),
    /** Share of the capacity above the base that is on-demand; the rest is Spot. @default 0 */
    onDemandPercentageAboveBaseCapacity: z.number().int().min(0).max(100).default(0),
    /** Types Spot may also use, beside `instanceType`, for more capacity pools. @default [] */
    extraInstanceTypes: z.array(instanceType).default([]),
    /** Replace a Spot instance when EC2 warns it is at elevated risk of interruption. @default true */
    capacityRebalance: z.boolean().default(true),
  })
  .strict();

const webObject = z
  .object({
    /**
     * A current burstable Graviton type. The Amazon Linux 2023 image follows its architecture.
     * @default 't4g.small'
     */
    instanceType: instanceType.default('t4g.small'),
    /** @default 2 */
    minSize: z.number().int().min(0).default(2),
    /** @default 4 */
    maxSize: z.number().int().min(1).default(4),
    /** Instances at first deploy (then target tracking decides). @default one per availability zone */
    desiredCapacity: z.number().int().min(0).optional(),
    /** gp3 root volume size in GiB (the Amazon Linux 2023 image needs 8). @default 20 */
    rootVolumeSizeGiB: z.number().int().min(8).max(16384).default(20),
    /**
     * One-minute EC2 metrics instead of five-minute ones, which the one-minute CPU alarm of the
     * reference estate needs; billed per metric and instance.
     * @default true
     */
    detailedMonitoring: z.boolean().default(true),
    /**
     * Average CPU utilization target tracking keeps the group at; the web CPU alarm
     * (observability.thresholds.web.cpuPercent) must be above it, or it fires whenever scaling works.
     * @default 50
     */
    cpuTargetPercent: z.number().min(1).max(100).default(50),
    /**
     * CPU credit mode of a burstable type (t3, t3a, t4g): `unlimited` bills surplus credits when the
     * 24-hour average exceeds the type's baseline; `standard` throttles to the baseline once credits
     * run out, so it needs cpuTargetPercent at or below the baseline. Not for other types.
     * @default undefined (the type's own default: unlimited for t3, t3a and t4g)
     */
    cpuCredits: z.enum(['standard', 'unlimited']).optional(),
    /** Share of the group that stays in service while an instance refresh replaces instances. @default 50 */
    instanceRefreshMinHealthyPercent: z.number().int().min(0).max(100).default(50),
    healthCheck: healthCheckSchema.default({}),
    /** Seconds a deregistering instance keeps serving in-flight requests (0-3600). @default 300 */
    deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(300),
    /** Seconds the load balancer keeps an idle connection open (1-4000); Apache keeps them 5 s longer. @default 60 */
    idleTimeoutSeconds: z.number().int().min(1).max(4000).default(60),
    /** Days the load balancer's access logs are kept. @default 90 */
    accessLogRetentionDays: z.number().int().min(1).default(90),
    /** Spot and extra instance types. @default undefined (on-demand `instanceType` only) */
    mixedInstances: mixedInstancesSchema.optional(),
    /** WordPress: pinned release and checksum, first install, cron, PHP limits. */
    wordpress: wordpressSchema.default({}),
    /**
     * A specific Amazon Linux 2023 AMI (`ami-...`) of `instanceType`'s architecture, in this region.
     * Pinned, a scale-out boots the OS the fleet was tested on, and a new image is a reviewed change
     * that rolls the fleet (instance refresh). Unset, each launch resolves the latest AL2023 image
     * from its public SSM parameter, and the synth warns.
     * @default undefined (latest, resolved at each launch)
     */
    imageId: z
      .string()
      .regex(/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/, 'must be an AMI id such as ami-0123456789abcdef0')
      .optional(),
  })
  .strict();

const CAPACITY_ORDER = 'minSize <= desiredCapacity <= maxSize is required';

/** The web tier: EC2 instances serving WordPress behind the load balancer. */
export const webSchema = webObject.superRefine(checkWeb);

export type WebConfig = z.output<typeof webSchema>;

function checkWeb(web: z.output<typeof webObject>, ctx: z.RefinementCtx): void {
  const problem = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });

  if (web.minSize > web.maxSize)
    problem(['minSize'], `${web.minSize} is more than maxSize (${web.maxSize}); ${CAPACITY_ORDER}`);
  else if (web.desiredCapacity !== undefined && web.minSize > web.desiredCapacity)
    problem(
      ['minSize'],
      `${web.minSize} is more than desiredCapacity (${web.desiredCapacity}); ${CAPACITY_ORDER}`,
    );
  if (web.desiredCapacity !== undefined && web.desiredCapacity > web.maxSize)
    problem(
      ['desiredCapacity'],
      `${web.desiredCapacity} is more than maxSize (${web.maxSize}); ${CAPACITY_ORDER}`,
    );

  const { intervalSeconds, timeoutSeconds } = web.healthCheck;
  if (intervalSeconds <= timeoutSeconds)
    problem(
      ['healthCheck', 'intervalSeconds'],
      `${intervalSeconds} must be greater than healthCheck.timeoutSeconds (${timeoutSeconds})`,
    );

  const baseline = burstableBaselinePercent(web.instanceType);
  if (web.cpuCredits !== undefined && baseline === undefined)
    problem(
      ['cpuCredits'],
      `${web.instanceType} does not burst; CPU credits apply to t3, t3a and t4g types only`,
    );
  if (web.cpuCredits === 'standard' && baseline !== undefined && web.cpuTargetPercent > baseline)
    problem(
      ['cpuCredits'],
      `standard credits throttle ${web.instanceType} to its ${baseline} % baseline once they run out, below cpuTargetPercent (${web.cpuTargetPercent}), so scaling would never see its target; use unlimited, a target of at most ${baseline}, or a type that does not burst`,
    );

  const mixed = web.mixedInstances;
  if (mixed === undefined) return;
  const architecture = instanceArchitecture(web.instanceType);
  mixed.extraInstanceTypes.forEach((type, index) => {
    const path = ['mixedInstances', 'extraInstanceTypes', index];
    const extraArchitecture = instanceArchitecture(type);
    if (type === web.instanceType) problem(path, `"${type}" is instanceType already`);
    else if (architecture && extraArchitecture && extraArchitecture !== architecture)
      problem(
        path,
        `"${type}" is ${extraArchitecture} but instanceType ${web.instanceType} is ${architecture}; one launch template image serves one architecture`,
      );
  });
  if (mixed.onDemandBaseCapacity > web.maxSize)
    problem(
      ['mixedInstances', 'onDemandBaseCapacity'],
      `${mixed.onDemandBaseCapacity} is more than maxSize (${web.maxSize})`,
    );
}

/**
 * The default desiredCapacity, one instance per availability zone, against minSize and maxSize: adding
 * a zone raises it, which maxSize must allow.
 */
export function checkDefaultDesiredCapacity(
  environment: { readonly availabilityZones: readonly string[]; readonly web: WebConfig },
  ctx: z.RefinementCtx,
): void {
  const { web } = environment;
  if (web.desiredCapacity !== undefined || web.minSize > web.maxSize) return;
  const perZone = new Set(environment.availabilityZones).size;
  const problem = (key: string, message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['web', key], message });
  if (perZone < web.minSize)
    problem(
      'minSize',
      `${web.minSize} is more than desiredCapacity, one per zone by default (${perZone}); ${CAPACITY_ORDER}: set desiredCapacity`,
    );
  if (perZone > web.maxSize)
    problem(
      'maxSize',
      `${web.maxSize} is less than desiredCapacity, one per zone by default (${perZone}); ${CAPACITY_ORDER}: raise maxSize`,
    );
}
