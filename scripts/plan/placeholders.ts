/**
 * Stand-ins for values a plan cannot know: an offline plan of a stack that reads another stack's outputs
 * needs those outputs, but the upstream was only planned, so most are "known after apply". Each unknown value
 * becomes a placeholder of its Terraform type (from the provider schema) and, for strings, of its shape
 * (an ARN, a `vpc-` id), so the consumer's plan type-checks and passes the provider's validation.
 */
import { createHash } from 'node:crypto';

/** A Terraform type in the JSON spelling of plans, schemas and state files. */
export type CtyType =
  | string
  | readonly ['list' | 'set' | 'map', CtyType]
  | readonly ['object', Readonly<Record<string, CtyType>>, ...unknown[]]
  | readonly ['tuple', readonly CtyType[]];

/** What a placeholder string is shaped after: the resource attribute an output comes from, and where. */
export interface PlaceholderHint {
  /** Makes placeholders distinct and stable: the output's name. */
  readonly seed: string;
  /** The resource type the value comes from, e.g. `aws_vpc`. */
  readonly resourceType?: string;
  /** The attribute, e.g. `id`, `arn`, `vpc_id`. */
  readonly attribute?: string;
  readonly region?: string;
  readonly accountId?: string;
}

/** A value and its concrete type (`dynamic` resolved), as a state file stores an output. */
export interface TypedValue {
  readonly value: unknown;
  readonly type: CtyType;
}

/**
 * The value a plan reports (`after`) with its unknown parts (`after_unknown`: true, or the same shape with
 * `true` at unknown leaves) replaced by placeholders. `type` is the value's type when known.
 */
export function standInValue(
  type: CtyType | undefined,
  after: unknown,
  afterUnknown: unknown,
  hint: PlaceholderHint,
): TypedValue {
  if (afterUnknown === true) return placeholder(type ?? 'string', hint);
  if (Array.isArray(after)) {
    const elements = after.map((item, index) =>
      standInValue(
        elementType(type, index),
        item,
        Array.isArray(afterUnknown) ? afterUnknown[index] : false,
        hint,
      ),
    );
    const values = elements.map((element) => element.value);
    if (isCollection(type, 'list') || isCollection(type, 'set')) {
      return { value: values, type: [type[0], elements[0]?.type ?? concrete(type[1])] };
    }
    return { value: values, type: ['tuple', elements.map((element) => element.type)] };
  }
  if (after !== null && typeof after === 'object') {
    const unknown = (afterUnknown ?? {}) as Record<string, unknown>;
    const entries = Object.entries(after).map(
      ([key, item]) =>
        [
          key,
          standInValue(attributeType(type, key), item, unknown[key], { ...hint, attribute: key }),
        ] as const,
    );
    const values = Object.fromEntries(entries.map(([key, element]) => [key, element.value]));
    if (isCollection(type, 'map')) {
      return { value: values, type: ['map', entries[0]?.[1].type ?? concrete(type[1])] };
    }
    return { value: values, type: ['object', Object.fromEntries(entries.map(([k, e]) => [k, e.type]))] };
  }
  return { value: after, type: type === undefined || type === 'dynamic' ? inferType(after) : type };
}

/** A placeholder of `type`: strings shaped by the hint, 0, false, one-element lists and sets, empty maps. */
export function placeholder(type: CtyType, hint: PlaceholderHint): TypedValue {
  if (typeof type === 'string') {
    if (type === 'number') return { value: 0, type };
    if (type === 'bool') return { value: false, type };
    return { value: placeholderString(hint), type: 'string' };
  }
  switch (type[0]) {
    case 'list':
    case 'set': {
      // One element, not none: a consumer that takes the first subnet must still plan.
      const element = placeholder(type[1], hint);
      return { value: [element.value], type: [type[0], element.type] };
    }
    case 'map':
      return { value: {}, type: ['map', concrete(type[1])] };
    case 'tuple': {
      const elements = type[1].map((element) => placeholder(element, hint));
      return { value: elements.map((e) => e.value), type: ['tuple', elements.map((e) => e.type)] };
    }
    default: {
      const entries = Object.entries(type[1]).map(
        ([key, attribute]) => [key, placeholder(attribute, { ...hint, attribute: key })] as const,
      );
      return {
        value: Object.fromEntries(entries.map(([key, e]) => [key, e.value])),
        type: ['object', Object.fromEntries(entries.map(([key, e]) => [key, e.type]))],
      };
    }
  }
}

// The id prefixes AWS gives, by attribute and by resource type (for `id`).
const ID_PREFIX_BY_ATTRIBUTE: Readonly<Record<string, string>> = {
  vpc_id: 'vpc-',
  subnet_id: 'subnet-',
  security_group_id: 'sg-',
  default_security_group_id: 'sg-',
  route_table_id: 'rtb-',
  main_route_table_id: 'rtb-',
  default_route_table_id: 'rtb-',
  default_network_acl_id: 'acl-',
  internet_gateway_id: 'igw-',
  nat_gateway_id: 'nat-',
  allocation_id: 'eipalloc-',
  network_interface_id: 'eni-',
  vpc_endpoint_id: 'vpce-',
  file_system_id: 'fs-',
  access_point_id: 'fsap-',
  instance_id: 'i-',
  launch_template_id: 'lt-',
  transit_gateway_id: 'tgw-',
};
const ID_PREFIX_BY_RESOURCE: Readonly<Record<string, string>> = {
  aws_vpc: 'vpc-',
  aws_subnet: 'subnet-',
  aws_security_group: 'sg-',
  aws_route_table: 'rtb-',
  aws_network_acl: 'acl-',
  aws_internet_gateway: 'igw-',
  aws_nat_gateway: 'nat-',
  aws_eip: 'eipalloc-',
  aws_network_interface: 'eni-',
  aws_vpc_endpoint: 'vpce-',
  aws_efs_file_system: 'fs-',
  aws_efs_access_point: 'fsap-',
  aws_instance: 'i-',
  aws_launch_template: 'lt-',
  aws_ec2_transit_gateway: 'tgw-',
};

// ARN services whose resource type prefix is not the service name; ARNs without a region or account.
const ARN_SERVICE_BY_PREFIX: readonly (readonly [string, string])[] = [
  ['aws_vpc', 'ec2'],
  ['aws_subnet', 'ec2'],
  ['aws_security_group', 'ec2'],
  ['aws_route', 'ec2'],
  ['aws_internet_gateway', 'ec2'],
  ['aws_nat_gateway', 'ec2'],
  ['aws_network', 'ec2'],
  ['aws_eip', 'ec2'],
  ['aws_instance', 'ec2'],
  ['aws_launch_template', 'ec2'],
  ['aws_lb', 'elasticloadbalancing'],
  ['aws_alb', 'elasticloadbalancing'],
  ['aws_db_', 'rds'],
  ['aws_rds_', 'rds'],
  ['aws_efs_', 'elasticfilesystem'],
  ['aws_cloudwatch_log_', 'logs'],
  ['aws_cloudwatch_', 'cloudwatch'],
  ['aws_autoscaling_', 'autoscaling'],
  ['aws_secretsmanager_', 'secretsmanager'],
  ['aws_wafv2_', 'wafv2'],
];
const ARN_GLOBAL_SERVICES = new Set(['iam', 'route53', 'cloudfront', 's3']);

// Collections named in the plural hold values shaped like the singular: `subnet_ids`, `security_groups`.
const SINGULAR: Readonly<Record<string, string>> = {
  subnets: 'subnet_id',
  security_groups: 'security_group_id',
};

function placeholderString(hint: PlaceholderHint): string {
  const named = hint.attribute ?? '';
  const attribute = SINGULAR[named] ?? (/_(ids|arns)$/.test(named) ? named.slice(0, -1) : named);
  const digest = createHash('sha256').update(`${hint.seed}/${attribute}`).digest('hex');
  if (attribute === 'arn' || attribute.endsWith('_arn')) return placeholderArn(hint, digest);
  const idPrefix =
    ID_PREFIX_BY_ATTRIBUTE[attribute] ??
    (attribute === 'id' && hint.resourceType !== undefined
      ? ID_PREFIX_BY_RESOURCE[hint.resourceType]
      : undefined);
  if (idPrefix !== undefined) return `${idPrefix}${digest.slice(0, 17)}`;
  if (attribute === 'key_id' || (attribute === 'id' && hint.resourceType === 'aws_kms_key'))
    return uuid(digest);
  if (attribute === 'zone_id' || (attribute === 'id' && hint.resourceType === 'aws_route53_zone')) {
    return `Z${digest.slice(0, 20).toUpperCase()}`;
  }
  if (attribute.endsWith('cidr_block')) return '10.0.0.0/16';
  if (attribute.endsWith('dns_name') || attribute.endsWith('endpoint') || attribute === 'domain_name') {
    return `placeholder-${digest.slice(0, 8)}.invalid`;
  }
  if (attribute.endsWith('_url')) return `https://placeholder-${digest.slice(0, 8)}.invalid/`;
  return `placeholder-${digest.slice(0, 8)}`;
}

function placeholderArn(hint: PlaceholderHint, digest: string): string {
  const resourceType = hint.resourceType ?? 'aws_placeholder';
  const service =
    ARN_SERVICE_BY_PREFIX.find(([prefix]) => resourceType.startsWith(prefix))?.[1] ??
    resourceType.split('_')[1] ??
    'placeholder';
  const region = hint.region ?? '';
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const global = ARN_GLOBAL_SERVICES.has(service);
  const kind = resourceType.replace(/^aws_/, '').replace(/_/g, '-');
  if (service === 's3') return `arn:${partition}:s3:::placeholder-${digest.slice(0, 8)}`;
  return `arn:${partition}:${service}:${global ? '' : region}:${hint.accountId ?? ''}:${kind}/placeholder-${digest.slice(0, 8)}`;
}

function uuid(digest: string): string {
  return [
    digest.slice(0, 8),
    digest.slice(8, 12),
    digest.slice(12, 16),
    digest.slice(16, 20),
    digest.slice(20, 32),
  ].join('-');
}

function elementType(type: CtyType | undefined, index: number): CtyType | undefined {
  if (isCollection(type, 'list') || isCollection(type, 'set')) return type[1];
  if (Array.isArray(type) && type[0] === 'tuple') return (type[1] as readonly CtyType[])[index];
  return undefined;
}

function attributeType(type: CtyType | undefined, key: string): CtyType | undefined {
  if (isCollection(type, 'map')) return type[1];
  if (Array.isArray(type) && type[0] === 'object') return (type[1] as Record<string, CtyType>)[key];
  return undefined;
}

function isCollection(
  type: CtyType | undefined,
  kind: 'list' | 'set' | 'map',
): type is readonly ['list' | 'set' | 'map', CtyType] {
  return Array.isArray(type) && type[0] === kind;
}

/** `dynamic` has no values of its own: a state file needs the type of the value stored. */
function concrete(type: CtyType): CtyType {
  return type === 'dynamic' ? 'string' : type;
}

function inferType(value: unknown): CtyType {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return 'string';
}
