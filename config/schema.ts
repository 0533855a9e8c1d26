import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { checkDataPlacement, dataSchema } from './data';
import { containersSchema } from './containers';
import { checkAlarmSources, observabilitySchema } from './observability';
import { checkEdge, domainSchema, wafSchema } from './edge';
import { webSchema } from './web';

/** The subnet tiers of the network plan: public (IGW), private (NAT) and database (no internet route). */
export const SUBNET_TIERS = ['public', 'private', 'database'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Interface endpoints the network can create for private subnets that have no NAT path. */
export const INTERFACE_ENDPOINT_SERVICES = [
  'ecr.api',
  'ecr.dkr',
  'logs',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'secretsmanager',
  'kms',
  'sts',
] as const;

/**
 * The longest `<project>-<env>` prefix allowed. ALB and target-group names are limited to 32
 * characters (Elastic Load Balancing quotas), and the longest suffix the stacks append is 10.
 */
export const MAX_NAME_PREFIX_LENGTH = 22;

const DEFAULT_AZS = ['ap-northeast-1a', 'ap-northeast-1c'];

const cidr = z.string().superRefine((value, ctx) => {
  const problem = ipv4CidrProblem(value);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

const subnetsByAz = z.record(z.string(), cidr);

const networkSchema = z
  .object({
    /** @default '10.0.0.0/16' */
    vpcCidr: cidr.default('10.0.0.0/16'),
    /** Subnet CIDR per tier, keyed by availability zone (the key is the subnet's stable identity). */
    subnets: z
      .object({
        public: subnetsByAz,
        private: subnetsByAz,
        database: subnetsByAz,
      })
      .strict()
      .default({
        public: { 'ap-northeast-1a': '10.0.10.0/24', 'ap-northeast-1c': '10.0.11.0/24' },
        private: { 'ap-northeast-1a': '10.0.20.0/24', 'ap-northeast-1c': '10.0.21.0/24' },
        database: { 'ap-northeast-1a': '10.0.30.0/24', 'ap-northeast-1c': '10.0.31.0/24' },
      }),
    /**
     * NAT gateways for the private tier: `single` (one, cheap, one AZ's outage cuts egress),
     * `per-az` (one per AZ, each costs an hourly charge plus data processing) or `none`.
     * @default 'per-az'
     */
    natGateways: z.enum(['none', 'single', 'per-az']).default('per-az'),
    /** Interface endpoints for private subnets (each costs an hourly charge per AZ). @default [] */
    interfaceEndpoints: z.array(z.enum(INTERFACE_ENDPOINT_SERVICES)).default([]),
  })
  .strict();

const environmentObject = z
  .object({
    /** Short environment name, used in stack ids and resource names. */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9]{0,9}$/, 'must be 1-10 lowercase letters or digits, starting with a letter'),
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
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region code such as ap-northeast-1')
      .default('ap-northeast-1'),
    /** The only account this environment's providers may touch (`allowed_account_ids`). */
    accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    /** @default ['ap-northeast-1a', 'ap-northeast-1c'] */
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
    /** Extra tags for every resource, beside project, environment, stack and managed-by. @default {} */
    tags: z.record(z.string(), z.string()).default({}),
    /** Alarms and who they notify, thresholds, the billing alarm and the audit trail (`observability.ts`). */
    observability: observabilitySchema,
  })
  .strict();

const environmentSchema = environmentObject
  .superRefine(checkEnvironment)
  .superRefine(checkDataPlacement)
  .superRefine(checkAlarmSources)
  .superRefine(checkEdge);

const environmentsSchema = z
  .array(environmentSchema)
  .min(1, 'at least one environment is required')
  .superRefine((environments, ctx) => {
    const seen = new Map<string, number>();
    environments.forEach((environment, index) => {
      const first = seen.get(environment.name);
      if (first === undefined) seen.set(environment.name, index);
      else
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [index, 'name'],
          message: `duplicate environment name "${environment.name}" (also at [${first}])`,
        });
    });
  });

/** What a configuration file may say of one environment: everything but the name and account id has a default. */
export type EnvironmentInput = z.input<typeof environmentSchema>;

type ParsedEnvironment = z.output<typeof environmentSchema>;

/** One environment, validated, with the names derived from it. */
export interface EnvironmentConfig extends ParsedEnvironment {
  /** `<project>-<env>`: the prefix of every resource name. */
  readonly namePrefix: string;
  /** ARN partition of the region (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** Where every stack but `state` keeps its Terraform state. */
  readonly state: { readonly bucket: string; readonly lockTable: string };
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
 * lists every problem found, each prefixed by its path (`environments[1].network.vpcCidr`).
 */
export function parseEnvironments(raw: unknown): EnvironmentConfig[] {
  const result = environmentsSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`));
  }
  return result.data.map((environment) => {
    const namePrefix = `${environment.project}-${environment.name}`;
    return {
      ...environment,
      namePrefix,
      partition: partitionOf(environment.region),
      state: {
        // Bucket names are global: the account id keeps them unique.
        bucket: `${namePrefix}-tfstate-${environment.accountId}`,
        lockTable: `${namePrefix}-tflock`,
      },
    };
  });
}

function formatPath(path: (string | number)[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${key}`),
    'environments',
  );
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Why `value` is not an IPv4 network in CIDR notation, or undefined if it is one. */
function ipv4CidrProblem(value: string): string | undefined {
  if (!ipaddr.IPv4.isValidCIDR(value)) return `"${value}" is not an IPv4 CIDR block such as 10.0.0.0/16`;
  const [address, prefixLength] = ipaddr.IPv4.parseCIDR(value);
  const network = ipaddr.IPv4.networkAddressFromCIDR(value).toString();
  if (network !== address.toString())
    return `"${value}" is not a network address (did you mean ${network}/${prefixLength}?)`;
  // VPC and subnet sizes are limited to /16../28 (Amazon VPC user guide, "VPC CIDR blocks").
  if (prefixLength < 16 || prefixLength > 28)
    return `"${value}" must have a prefix length between /16 and /28`;
  return undefined;
}

type Cidr = [ipaddr.IPv4, number];

function parseCidrIfValid(value: string): Cidr | undefined {
  return ipv4CidrProblem(value) === undefined ? ipaddr.IPv4.parseCIDR(value) : undefined;
}

function contains(outer: Cidr, inner: Cidr): boolean {
  return inner[1] >= outer[1] && inner[0].match(outer);
}

function checkEnvironment(environment: z.output<typeof environmentObject>, ctx: z.RefinementCtx): void {
  const problem = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });

  const namePrefix = `${environment.project}-${environment.name}`;
  if (namePrefix.length > MAX_NAME_PREFIX_LENGTH) {
    problem(
      ['project'],
      `"${namePrefix}" (<project>-<env>) is ${namePrefix.length} characters; at most ${MAX_NAME_PREFIX_LENGTH} keep load balancer and target group names within AWS's 32-character limit`,
    );
  }

  const azs = environment.availabilityZones;
  if (new Set(azs).size < 2)
    problem(['availabilityZones'], 'at least two distinct availability zones are required');
  azs.forEach((az, index) => {
    if (!new RegExp(`^${environment.region}[a-z]$`).test(az)) {
      problem(
        ['availabilityZones', index],
        `"${az}" is not an availability zone of region ${environment.region}`,
      );
    }
  });

  const { vpcCidr, subnets } = environment.network;
  const vpc = parseCidrIfValid(vpcCidr);
  const placed: { path: (string | number)[]; text: string; block: Cidr }[] = [];
  for (const tier of SUBNET_TIERS) {
    for (const az of azs) {
      if (!(az in subnets[tier]))
        problem(['network', 'subnets', tier], `no subnet for availability zone ${az}`);
    }
    for (const [az, text] of Object.entries(subnets[tier])) {
      const path = ['network', 'subnets', tier, az];
      if (!azs.includes(az))
        problem(path, `availability zone ${az} is not in availabilityZones (${azs.join(', ')})`);
      const block = parseCidrIfValid(text);
      if (!block) continue;
      if (vpc && !contains(vpc, block)) problem(path, `${text} is outside the VPC ${vpcCidr}`);
      for (const other of placed) {
        if (contains(other.block, block) || contains(block, other.block)) {
          problem(path, `${text} overlaps ${other.text} (${other.path.join('.')})`);
        }
      }
      placed.push({ path, text, block });
    }
  }
}
