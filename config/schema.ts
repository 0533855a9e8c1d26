import { z } from 'zod';
import { checkAcrossEnvironments } from './cross-environment';
import { checkDataPlacement, dataSchema } from './data';
import { containersSchema } from './containers';
import { checkAlarmSources, observabilitySchema } from './observability';
import { checkEdge, domainSchema, wafSchema } from './edge';
import { checkNetwork, networkSchema, subnetPlan, type SubnetPlan } from './network';
import { tagsSchema } from './tags';
import { REGION_CODE } from './zones';
import { checkDefaultDesiredCapacity, webSchema } from './web';
import { checkOidcProviders, githubSchema } from './github';

export { INTERFACE_ENDPOINT_SERVICES, SUBNET_TIERS, type SubnetTier } from './network';

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * The longest `<project>-<env>` prefix allowed. ALB and target-group names are limited to 32
 * characters (Elastic Load Balancing quotas), and the longest suffix the stacks append is 10.
 */
export const MAX_NAME_PREFIX_LENGTH = 22;

const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{0,9}$/;
const DEFAULT_AZS = ['ap-northeast-1a', 'ap-northeast-1c'];

const environmentObject = z
  .object({
    /** Short environment name, used in stack ids and resource names. */
    name: z
      .string()
      .regex(ENVIRONMENT_NAME, 'must be 1-10 lowercase letters or digits, starting with a letter'),
    /** @default 'aws-and-infra' */
    project: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]*[a-z0-9]$/,
        'must be lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
      )
      .default('aws-and-infra'),
    /** @default 'ap-northeast-1' */
    region: z
      .string()
      .regex(REGION_CODE, 'must be an AWS region code such as ap-northeast-1')
      .default('ap-northeast-1'),
    /** The only account this environment's providers may touch (`allowed_account_ids`). */
    accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    /**
     * Zones offered in the region (config/zones.ts), each once; derived subnets follow their order,
     * so add a zone at the end.
     * @default ['ap-northeast-1a', 'ap-northeast-1c']
     */
    availabilityZones: z.array(z.string()).default(DEFAULT_AZS),
    network: networkSchema.default({}),
    data: dataSchema.default({}),
    /** Retention of the environment's CloudWatch log groups. @default 30 */
    logRetentionDays: z
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        message: `must be one of the values CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    /**
     * Deletion protection, final snapshots and `prevent_destroy` for stateful resources. Off means
     * the environment can be torn down with one destroy.
     * @default true
     */
    deletionProtection: z.boolean().default(true),
    containers: containersSchema.default({}),
    /** The domain load balancers answer on (see `edge.ts`). @default undefined (plain HTTP on AWS names) */
    domain: domainSchema.optional(),
    /** WAF web ACL in front of the load balancers (see `edge.ts`). */
    waf: wafSchema.default({}),
    /** The EC2 web tier (see `web.ts`). */
    web: webSchema.default({}),
    /** Extra tags for every resource, beside the project's own (PROJECT_TAG_KEYS in tags.ts). @default {} */
    tags: tagsSchema.default({}),
    /** Alarms and who they notify, thresholds, the billing alarm and the audit trail (`observability.ts`). */
    observability: observabilitySchema,
    /** The repository whose workflow plans and deploys (`github.ts`). @default undefined (no CI roles) */
    github: githubSchema.optional(),
  })
  .strict();

/** One environment: the schema `npm run docs` documents setting by setting. */
export const environmentSchema = environmentObject
  .superRefine(checkEnvironment)
  .superRefine(checkNetwork)
  .superRefine((environment, ctx) => checkDataPlacement(withSubnets(environment), ctx))
  .superRefine(checkAlarmSources)
  .superRefine(checkDefaultDesiredCapacity)
  .superRefine(checkEdge);

const environmentsSchema = z
  .array(environmentSchema)
  .min(1, 'at least one environment is required')
  .superRefine(checkAcrossEnvironments)
  .superRefine(checkOidcProviders);

/** What a configuration file may say of one environment: everything but the name and account id has a default. */
export type EnvironmentInput = z.input<typeof environmentSchema>;

type ParsedEnvironment = z.output<typeof environmentSchema>;

/** One environment, validated, with its defaults that depend on other settings filled in. */
export interface EnvironmentConfig extends Omit<ParsedEnvironment, 'network' | 'web'> {
  /** The network, with the subnets given or derived (network.ts, SUBNET_TIER_BLOCKS). */
  readonly network: ParsedEnvironment['network'] & { readonly subnets: SubnetPlan };
  /** The web tier, with desiredCapacity given or one per availability zone. */
  readonly web: ParsedEnvironment['web'] & { readonly desiredCapacity: number };
  /** `<project>-<env>`: the prefix of every resource name. */
  readonly namePrefix: string;
  /** ARN partition of the region (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** Where every stack but `state` keeps its Terraform state. */
  readonly state: {
    readonly bucket: string;
    readonly lockTable: string;
    /** The S3 server access log bucket of the state and CloudTrail buckets (created in `<env>-state`). */
    readonly accessLogBucket: string;
  };
}

/** Thrown when configuration is invalid; its message lists every problem, each with its path. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid environment configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/**
 * Validates raw environment definitions and fills in defaults. Throws a {@link ConfigError} that
 * lists every problem found as `<env>: <path>: <message>` (`prod: network.vpcCidr: ...`), or
 * `environments[<index>].<path>: <message>` for an environment whose name is missing, invalid or
 * shared with another.
 */
export function parseEnvironments(raw: unknown): EnvironmentConfig[] {
  const result = environmentsSchema.safeParse(raw);
  if (!result.success) {
    const labels = environmentLabels(raw);
    throw new ConfigError(
      result.error.issues.map((issue) => formatProblem(issue.path, issue.message, labels)),
    );
  }
  return result.data.map((environment) => {
    const namePrefix = `${environment.project}-${environment.name}`;
    return {
      ...environment,
      network: withSubnets(environment).network,
      web: {
        ...environment.web,
        desiredCapacity: environment.web.desiredCapacity ?? environment.availabilityZones.length,
      },
      namePrefix,
      partition: partitionOf(environment.region),
      state: {
        // Bucket names are global: the account id keeps them unique.
        bucket: `${namePrefix}-tfstate-${environment.accountId}`,
        lockTable: `${namePrefix}-tflock`,
        accessLogBucket: `${namePrefix}-s3-access-logs-${environment.accountId}`,
      },
    };
  });
}

/**
 * `environment` with its subnets given or derived. When they cannot be derived (checkNetwork says
 * why), every zone stands in with an empty block, so checks that count subnets per zone do not report
 * the same problem again.
 */
function withSubnets<T extends z.output<typeof environmentObject>>(
  environment: T,
): T & { network: { subnets: SubnetPlan } } {
  const plan = subnetPlan(environment);
  const everyZone = () => Object.fromEntries(environment.availabilityZones.map((zone) => [zone, '']));
  const subnets =
    'message' in plan ? { public: everyZone(), private: everyZone(), database: everyZone() } : plan;
  return { ...environment, network: { ...environment.network, subnets } };
}

/** The name each environment of `raw` is reported by, by index: only a valid name used once. */
function environmentLabels(raw: unknown): Map<number, string> {
  const names = Array.isArray(raw)
    ? raw.map((environment: unknown) => {
        const name = (environment as { name?: unknown } | null)?.name;
        return typeof name === 'string' && ENVIRONMENT_NAME.test(name) ? name : undefined;
      })
    : [];
  const labels = new Map<number, string>();
  names.forEach((name, index) => {
    if (name !== undefined && names.indexOf(name) === names.lastIndexOf(name)) labels.set(index, name);
  });
  return labels;
}

/** `dev: network.subnets.public.ap-northeast-1a: message`, or the `environments[0].` form without a usable name. */
function formatProblem(
  path: (string | number)[],
  message: string,
  labels: ReadonlyMap<number, string>,
): string {
  const [index, ...rest] = path;
  const label = typeof index === 'number' ? labels.get(index) : undefined;
  if (label === undefined) return `${formatPath('environments', path)}: ${message}`;
  return rest.length === 0 ? `${label}: ${message}` : `${label}: ${formatPath('', rest)}: ${message}`;
}

function formatPath(start: string, path: (string | number)[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? key : `${text}.${key}`),
    start,
  );
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function checkEnvironment(environment: z.output<typeof environmentObject>, ctx: z.RefinementCtx): void {
  const namePrefix = `${environment.project}-${environment.name}`;
  if (namePrefix.length > MAX_NAME_PREFIX_LENGTH) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['project'],
      message: `"${namePrefix}" (<project>-<env>) is ${namePrefix.length} characters; at most ${MAX_NAME_PREFIX_LENGTH} keep load balancer and target group names within AWS's 32-character limit`,
    });
  }
}
