import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { SUBNET_TIERS, type SubnetTier } from '../modules/subnet-tier';
import { regionProblem, zoneProblem } from './zones';

// The tiers are the network module's; the plan gives each one a range per zone.
export { SUBNET_TIERS, type SubnetTier };
export type SubnetPlan = Record<SubnetTier, Record<string, string>>;

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
 * Subnets derived when `network.subnets` is not given: the subnet of tier T in the zone at position
 * i of `availabilityZones` is the /24 block number `SUBNET_TIER_BLOCKS[T] + i` of the VPC range
 * (block n starts n * 256 addresses after the VPC's first address). For 10.0.0.0/16 and zones 1a,
 * 1c that is 10.0.10.0/24, 10.0.11.0/24 (public), 10.0.20.x (private), 10.0.30.x (database).
 */
export const SUBNET_TIER_BLOCKS: Readonly<Record<SubnetTier, number>> = {
  public: 10,
  private: 20,
  database: 30,
};
/** Tiers start 10 blocks apart, so the 11th zone's public block would be the first private one. */
export const MAX_DERIVED_ZONES = 10;

const cidr = z.string().superRefine((value, ctx) => {
  const problem = ipv4CidrProblem(value);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

const subnetsByAz = z.record(z.string(), cidr);

export const networkSchema = z
  .object({
    /** @default '10.0.0.0/16' */
    vpcCidr: cidr.default('10.0.0.0/16'),
    /**
     * Subnet CIDR per tier, keyed by availability zone (the key is the subnet's stable identity).
     * Given, it is used exactly as written.
     * @default derived from vpcCidr and availabilityZones (see SUBNET_TIER_BLOCKS)
     */
    subnets: z
      .object({
        public: subnetsByAz,
        private: subnetsByAz,
        database: subnetsByAz,
      })
      .strict()
      .optional(),
    /**
     * NAT gateways for the private tier: `single` (one, cheap, one AZ's outage cuts egress) or
     * `per-az` (one per AZ, each costs an hourly charge plus data processing). `none` is refused:
     * see NO_NAT_PROBLEM.
     * @default 'per-az'
     */
    natGateways: z.enum(['none', 'single', 'per-az']).default('per-az'),
    /** Interface endpoints for private subnets (each costs an hourly charge per AZ). @default [] */
    interfaceEndpoints: z.array(z.enum(INTERFACE_ENDPOINT_SERVICES)).default([]),
  })
  .strict();

export type NetworkInput = z.output<typeof networkSchema>;

// Endpoints cannot stand in for NAT here: the web tier's boot fetches from wordpress.org and the RDS
// CA bundle from truststore.pki.rds.amazonaws.com, and the default task image is on public.ecr.aws,
// none of which has a VPC endpoint; and no setting names a pre-baked AMI or a private mirror.
const NO_NAT_PROBLEM =
  '"none" leaves the private subnets without internet egress, but web instances download WordPress and the RDS CA bundle at boot and the default task image comes from public.ecr.aws; no VPC endpoint serves these and no setting names a pre-baked AMI or private mirror, so use "single" or "per-az"';

/**
 * VPC ranges that cannot work, with why. Amazon VPC user guide, "VPC CIDR blocks": some AWS services
 * (AWS Cloud9, Amazon SageMaker AI) use 172.17.0.0/16, so a VPC there conflicts with them. The others
 * are not unicast ranges a network can own. 100.64.0.0/10 (RFC 6598) is accepted: AWS allows it.
 */
const UNUSABLE_VPC_RANGES: readonly (readonly [string, string])[] = [
  ['172.17.0.0/16', 'used by some AWS services (AWS Cloud9, Amazon SageMaker AI), which would conflict'],
  ['169.254.0.0/16', 'link-local: the instance metadata service and the Amazon DNS server answer there'],
  ['127.0.0.0/8', 'loopback'],
  ['0.0.0.0/8', '"this network", not routable'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
];

/** What the network checks read of an environment. */
interface NetworkPlacement {
  readonly region: string;
  readonly availabilityZones: readonly string[];
  readonly network: NetworkInput;
}

/** The subnets of an environment: as given, or derived; a string says why they cannot be derived. */
export function subnetPlan(environment: NetworkPlacement): SubnetPlan | DerivationProblem {
  return (
    environment.network.subnets ?? deriveSubnets(environment.network.vpcCidr, environment.availabilityZones)
  );
}

export interface DerivationProblem {
  readonly path: readonly string[];
  readonly message: string;
}

/** The subnets of SUBNET_TIER_BLOCKS for `zones` in `vpcCidr`, or why they do not fit. */
export function deriveSubnets(vpcCidr: string, zones: readonly string[]): SubnetPlan | DerivationProblem {
  if (zones.length > MAX_DERIVED_ZONES) {
    return {
      path: ['availabilityZones'],
      message: `${zones.length} zones: derived subnets support at most ${MAX_DERIVED_ZONES} (tiers start 10 /24 blocks apart); give network.subnets explicitly`,
    };
  }
  const vpc = parseCidrIfValid(vpcCidr);
  if (vpc === undefined) return { path: ['network', 'vpcCidr'], message: ipv4CidrProblem(vpcCidr) as string };
  const [network, prefixLength] = vpc;
  const blocks = prefixLength <= 24 ? 2 ** (24 - prefixLength) : 0;
  const needed = SUBNET_TIER_BLOCKS.database + zones.length;
  if (needed > blocks) {
    return {
      path: ['network', 'vpcCidr'],
      message: `${vpcCidr} holds ${blocks} /24 blocks but derived subnets for ${zones.length} zones need ${needed} (database tier from block ${SUBNET_TIER_BLOCKS.database}); use a larger VPC or give network.subnets explicitly`,
    };
  }
  const first = toNumber(network);
  const plan = {} as SubnetPlan;
  for (const tier of SUBNET_TIERS) {
    plan[tier] = Object.fromEntries(
      zones.map((zone, index) => [
        zone,
        `${fromNumber(first + (SUBNET_TIER_BLOCKS[tier] + index) * 256)}/24`,
      ]),
    );
  }
  return plan;
}

/**
 * Checks of the network against the rest of the environment: the region is known and offers each
 * zone, zones are distinct, the subnets (given or derived) cover every zone, inside the VPC, without
 * overlap, and the private tier has a way out.
 */
export function checkNetwork(environment: NetworkPlacement, ctx: z.RefinementCtx): void {
  const problem = (path: readonly (string | number)[], message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...path], message });
  const { region, network } = environment;
  const azs = environment.availabilityZones;

  const unknownRegion = regionProblem(region);
  if (unknownRegion) problem(['region'], unknownRegion);
  if (new Set(azs).size < 2)
    problem(['availabilityZones'], 'at least two distinct availability zones are required');
  azs.forEach((az, index) => {
    const first = azs.indexOf(az);
    if (first !== index)
      problem(['availabilityZones', index], `"${az}" is listed twice (also availabilityZones[${first}])`);
    else if (!(az.startsWith(region) && /^[a-z]$/.test(az.slice(region.length))))
      problem(['availabilityZones', index], `"${az}" is not an availability zone of region ${region}`);
    else {
      const notOffered = zoneProblem(region, az);
      if (notOffered) problem(['availabilityZones', index], notOffered);
    }
  });

  if (network.natGateways === 'none') problem(['network', 'natGateways'], NO_NAT_PROBLEM);
  // Endpoints are keyed by service: a service listed twice would be two constructs of one id.
  network.interfaceEndpoints.forEach((service, index) => {
    const first = network.interfaceEndpoints.indexOf(service);
    if (first !== index)
      problem(
        ['network', 'interfaceEndpoints', index],
        `"${service}" is listed twice (also interfaceEndpoints[${first}])`,
      );
  });

  const vpc = parseCidrIfValid(network.vpcCidr);
  if (vpc) {
    for (const [range, why] of UNUSABLE_VPC_RANGES) {
      const block = ipaddr.IPv4.parseCIDR(range);
      if (contains(block, vpc) || contains(vpc, block))
        problem(['network', 'vpcCidr'], `${network.vpcCidr} overlaps ${range}, ${why}`);
    }
  }

  const distinctZones = [...new Set(azs)];
  const subnets = network.subnets ?? (vpc ? deriveSubnets(network.vpcCidr, distinctZones) : undefined);
  if (subnets === undefined) return;
  if ('message' in subnets) {
    problem(subnets.path, subnets.message);
    return;
  }
  const placed: { path: (string | number)[]; text: string; block: Cidr }[] = [];
  for (const tier of SUBNET_TIERS) {
    for (const az of distinctZones) {
      if (!(az in subnets[tier]))
        problem(['network', 'subnets', tier], `no subnet for availability zone ${az}`);
    }
    for (const [az, text] of Object.entries(subnets[tier])) {
      const path = ['network', 'subnets', tier, az];
      if (!azs.includes(az))
        problem(path, `availability zone ${az} is not in availabilityZones (${azs.join(', ')})`);
      const block = parseCidrIfValid(text);
      if (!block) continue;
      if (vpc && !contains(vpc, block)) problem(path, `${text} is outside the VPC ${network.vpcCidr}`);
      for (const other of placed) {
        if (contains(other.block, block) || contains(block, other.block)) {
          problem(path, `${text} overlaps ${other.text} (${other.path.join('.')})`);
        }
      }
      placed.push({ path, text, block });
    }
  }
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

function toNumber(address: ipaddr.IPv4): number {
  return address.octets.reduce((value, octet) => value * 256 + octet, 0);
}

function fromNumber(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
