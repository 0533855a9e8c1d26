/**
 * The guardrail pack: security and durability rules checked at every synth (see `guardrails.ts`).
 * Each rule is a pure function of one synthesized resource (snake_case, as Terraform sees it) and
 * the indexed stack around it, returning the reasons the resource fails, or none.
 */
import {
  asNumber,
  asStrings,
  block,
  blocks,
  isSet,
  isTrue,
  type PolicyStatement,
  type SynthesizedResource,
  type SynthesizedStack,
} from './synthesized';
import { CLOUDTRAIL_RULES } from './rules/cloudtrail';
import { RDS_RULES } from './rules/rds';
import { REPLACEMENT_RULES } from './rules/replacement';
import { WAF_RULES } from './rules/waf';
import { LOGS_RULES } from './rules/logs';
import { SECRETS_RULES } from './rules/secrets';
import { CI_ROLE_RULES } from './rules/iam-ci';
import { S3_LOGGING_RULES } from './rules/s3-logging';
import { LAMBDA_RULES } from './rules/lambda';
import { BACKUP_RULES } from './rules/backup';
import { SNS_RULES } from './rules/sns';
import { SECRETS_ROTATION_RULES } from './rules/secrets-rotation';

export type Severity = 'error' | 'warning';

/** What a load balancer group admits from anywhere: its load balancers' listener ports. */
export interface LoadBalancerIngress {
  readonly ports: readonly number[];
  /** Whether the load balancers are dual-stack (an IPv4-only load balancer never sees IPv6). */
  readonly ipv6: boolean;
}

/** What a rule sees besides the resource: the stack, and the exceptions declared on constructs. */
export interface RuleContext {
  readonly stack: SynthesizedStack;
  /** What a security group declared a load balancer group admits (`allowLoadBalancerIngress`). */
  loadBalancerIngress(group: SynthesizedResource | undefined): LoadBalancerIngress | undefined;
}

export interface Rule {
  /** `GR-<area>-<n>`; what suppressions name. Never reuse an id for a different check. */
  readonly id: string;
  /** One line: what the rule requires. */
  readonly info: string;
  /** Why, and which exceptions AWS itself forces (and how the rule allows them). */
  readonly explanation: string;
  /** Terraform types checked (`provider.aws` for provider blocks, `aws_*` for every AWS resource). */
  readonly resourceTypes: readonly string[];
  readonly severity: Severity;
  /**
   * A durability setting an environment may relax: an error where the environment is protected
   * (`deletionProtection`), a warning elsewhere.
   */
  readonly relaxedWhereUnprotected?: boolean;
  /** The reasons `resource` breaks the rule; empty when it complies. */
  check(resource: SynthesizedResource, context: RuleContext): readonly string[];
}

const failIf = (condition: boolean, reason: string): string[] => (condition ? [reason] : []);

/** The default tags every provider carries (`stacks/base-stack.ts`). */
export const REQUIRED_DEFAULT_TAGS = ['project', 'environment', 'stack', 'managed-by'] as const;

/**
 * Listener policies that negotiate TLS 1.2 or later only (Elastic Load Balancing, "Security
 * policies for your Application Load Balancer"): the TLS13-1-2/1-3, TLS-1-2 and FS-1-2 families.
 */
const TLS12_LISTENER_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

/** Actions that grant a whole service, or everything. */
const WILDCARD_ACTION = /^(\*|\*:\*|[A-Za-z0-9-]+:\*)$/;

/** AWS managed policies that amount to `*` on `*`. */
const ADMIN_MANAGED_POLICY = /:policy\/(AdministratorAccess|PowerUserAccess)$/;

/** The account root as a key-policy principal: the delegation to IAM in AWS's default key policy. */
const ACCOUNT_ROOT = /^(arn:[^:]+:iam::(\d{12}|\$\{[^}]+\}):root|\d{12})$/;

const anywhere = (cidr: string): boolean => /\/0$/.test(cidr.trim());

/** One ingress permission, from any of the four ways Terraform declares them. */
interface Ingress {
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly sources: readonly string[];
  /** The group that accepts the traffic, when it is in this stack. */
  readonly group?: SynthesizedResource;
}

function ingressOf(resource: SynthesizedResource, context: RuleContext): Ingress[] {
  const c = resource.config;
  switch (resource.type) {
    case 'aws_security_group':
    case 'aws_default_security_group':
      return blocks(c.ingress).map((rule) => ({
        protocol: String(rule.protocol ?? ''),
        fromPort: asNumber(rule.from_port),
        toPort: asNumber(rule.to_port),
        sources: [...asStrings(rule.cidr_blocks), ...asStrings(rule.ipv6_cidr_blocks)],
        group: resource,
      }));
    case 'aws_security_group_rule':
      if (c.type !== 'ingress') return [];
      return [
        {
          protocol: String(c.protocol ?? ''),
          fromPort: asNumber(c.from_port),
          toPort: asNumber(c.to_port),
          sources: [...asStrings(c.cidr_blocks), ...asStrings(c.ipv6_cidr_blocks)],
          group: context.stack.follow(resource, 'security_group_id'),
        },
      ];
    case 'aws_vpc_security_group_ingress_rule':
      return [
        {
          protocol: String(c.ip_protocol ?? ''),
          fromPort: asNumber(c.from_port),
          toPort: asNumber(c.to_port),
          sources: [...asStrings(c.cidr_ipv4), ...asStrings(c.cidr_ipv6)],
          group: context.stack.follow(resource, 'security_group_id'),
        },
      ];
    default:
      return [];
  }
}

const allTraffic = (ingress: Ingress): boolean => ingress.protocol === '-1' || ingress.protocol === 'all';

function opensPort(ingress: Ingress, port: number): boolean {
  if (allTraffic(ingress)) return true;
  if (!['tcp', 'udp', '6', '17'].includes(ingress.protocol.toLowerCase())) return false;
  const from = ingress.fromPort;
  const to = ingress.toPort ?? from;
  return from !== undefined && to !== undefined && from <= port && port <= to;
}

function describePorts(ingress: Ingress): string {
  if (allTraffic(ingress)) return 'all traffic';
  const range =
    ingress.fromPort === ingress.toPort ? `${ingress.fromPort}` : `${ingress.fromPort}-${ingress.toPort}`;
  return `${ingress.protocol} ${range}`;
}

/** A Deny of every action of the service to everyone when `aws:SecureTransport` is false. */
function deniesInsecureTransport(
  statements: readonly PolicyStatement[] | undefined,
  service: string,
): boolean {
  return (statements ?? []).some(
    (s) =>
      s.effect === 'Deny' &&
      s.actions.some((action) => action === '*' || action === `${service}:*`) &&
      s.principals.some((p) => p.identifiers.includes('*')) &&
      s.conditions.some(
        (c) =>
          /^Bool(IfExists)?$/.test(c.test) &&
          c.variable.toLowerCase() === 'aws:securetransport' &&
          c.values.includes('false'),
      ),
  );
}

/** Allow statements that grant wildcard actions on every resource, described. */
function wildcardGrants(statements: readonly PolicyStatement[] | undefined): string[] {
  return (statements ?? []).flatMap((s) => {
    if (s.effect !== 'Allow' || !(s.resources.includes('*') || s.notResources.length > 0)) return [];
    const broad = [
      ...s.actions.filter((action) => WILDCARD_ACTION.test(action)),
      ...(s.notActions.length > 0 ? [`NotAction ${s.notActions.join(', ')}`] : []),
    ];
    return broad.length > 0 ? [`allows ${broad.join(', ')} on resource *`] : [];
  });
}

/** An Aurora member instance: storage, backups and deletion settings belong to its cluster. */
const clusterMember = (resource: SynthesizedResource): boolean =>
  resource.type === 'aws_db_instance' && isSet(resource.config.cluster_identifier);

/** The parameter that refuses plaintext connections, per engine family; undefined if none is known. */
function tlsParameter(engine: string): { name: string; values: string[] } | undefined {
  if (/^(mysql|mariadb)/.test(engine))
    return { name: 'require_secure_transport', values: ['1', 'ON', 'on', 'true'] };
  if (/^postgres/.test(engine)) return { name: 'rds.force_ssl', values: ['1'] };
  return undefined;
}

const S3_BUCKET = ['aws_s3_bucket'];
const LOAD_BALANCERS = ['aws_lb', 'aws_alb'];
const applicationLoadBalancer = (resource: SynthesizedResource): boolean =>
  (resource.config.load_balancer_type ?? 'application') === 'application';
const SECURITY_GROUP_INGRESS = [
  'aws_security_group',
  'aws_default_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
];

export const RULES: readonly Rule[] = [
  // --- S3 -------------------------------------------------------------------------------------
  {
    id: 'GR-S3-1',
    info: 'S3 buckets have default encryption (SSE-KMS, or SSE-S3 where the writer accepts nothing else).',
    explanation:
      'Objects must be encrypted at rest under a setting the stack declares. SSE-S3 (AES256) is accepted ' +
      'because Elastic Load Balancing access-log delivery supports no other; use KMS everywhere else.',
    resourceTypes: S3_BUCKET,
    severity: 'error',
    check: (bucket, { stack }) => {
      const inline = block(
        block(block(bucket.config.server_side_encryption_configuration).rule)
          .apply_server_side_encryption_by_default,
      ).sse_algorithm;
      const algorithms = [
        ...asStrings(inline),
        ...stack
          .referencing('aws_s3_bucket_server_side_encryption_configuration', 'bucket', bucket, 'bucket')
          .flatMap((c) => blocks(c.config.rule))
          .map((rule) => block(rule.apply_server_side_encryption_by_default).sse_algorithm),
      ];
      return failIf(
        !algorithms.some((a) => a === 'aws:kms' || a === 'aws:kms:dsse' || a === 'AES256'),
        'no aws_s3_bucket_server_side_encryption_configuration of this stack sets a default algorithm for the bucket',
      );
    },
  },
  {
    id: 'GR-S3-2',
    info: 'S3 buckets block all public access (all four public-access-block settings).',
    explanation:
      'A bucket policy or ACL mistake must not publish data; the block overrides both. Serve public ' +
      'content through CloudFront with origin access control instead.',
    resourceTypes: S3_BUCKET,
    severity: 'error',
    check: (bucket, { stack }) => {
      const settings = [
        'block_public_acls',
        'block_public_policy',
        'ignore_public_acls',
        'restrict_public_buckets',
      ];
      const blocksAll = stack
        .referencing('aws_s3_bucket_public_access_block', 'bucket', bucket, 'bucket')
        .some((b) => settings.every((setting) => isTrue(b.config[setting])));
      return failIf(
        !blocksAll,
        `no aws_s3_bucket_public_access_block of this stack sets ${settings.join(', ')}`,
      );
    },
  },
  {
    id: 'GR-S3-3',
    info: 'S3 bucket policies deny requests that do not use TLS.',
    explanation:
      'S3 accepts plain HTTP unless the bucket policy denies `aws:SecureTransport` = false for every ' +
      'principal and `s3:*`.',
    resourceTypes: S3_BUCKET,
    severity: 'error',
    check: (bucket, { stack }) => {
      const policies = [
        bucket.config.policy,
        ...stack.referencing('aws_s3_bucket_policy', 'bucket', bucket, 'bucket').map((p) => p.config.policy),
      ];
      return failIf(
        !policies.some((policy) => deniesInsecureTransport(stack.policyStatements(policy), 's3')),
        'no bucket policy of this stack denies s3:* to everyone when aws:SecureTransport is false',
      );
    },
  },
  {
    id: 'GR-S3-4',
    info: 'S3 buckets are versioned.',
    explanation:
      'Buckets that hold state or logs must survive an overwrite or delete. A bucket that holds ' +
      'neither (a cache, a build scratch area) suppresses this rule and says so.',
    resourceTypes: S3_BUCKET,
    severity: 'error',
    check: (bucket, { stack }) => {
      const enabled =
        isTrue(block(bucket.config.versioning).enabled) ||
        stack
          .referencing('aws_s3_bucket_versioning', 'bucket', bucket, 'bucket')
          .some((v) => block(v.config.versioning_configuration).status === 'Enabled');
      return failIf(!enabled, 'no aws_s3_bucket_versioning of this stack enables versioning');
    },
  },
  // --- RDS ------------------------------------------------------------------------------------
  {
    id: 'GR-RDS-1',
    info: 'RDS storage is encrypted.',
    explanation:
      'Encryption of an RDS instance or cluster can only be chosen at creation (KMS; the aws/rds key ' +
      'unless kms_key_id names one); adding it later means a snapshot, a copy and a restore.',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
    severity: 'error',
    check: (db) =>
      failIf(!clusterMember(db) && !isTrue(db.config.storage_encrypted), 'storage_encrypted is not true'),
  },
  {
    id: 'GR-RDS-2',
    info: 'RDS instances are not publicly accessible.',
    explanation:
      'A public instance gets an internet-resolvable address; databases live in the database subnets.',
    resourceTypes: ['aws_db_instance'],
    severity: 'error',
    check: (db) => failIf(isTrue(db.config.publicly_accessible), 'publicly_accessible is true'),
  },
  {
    id: 'GR-RDS-3',
    info: 'RDS instances refuse connections without TLS (require_secure_transport / rds.force_ssl).',
    explanation:
      'MySQL and MariaDB accept plaintext unless the parameter group sets require_secure_transport = 1 ' +
      '(PostgreSQL: rds.force_ssl = 1); the default parameter group does not.',
    resourceTypes: ['aws_db_instance'],
    severity: 'error',
    check: (db, { stack }) => {
      const parameter = tlsParameter(String(db.config.engine ?? ''));
      if (parameter === undefined || clusterMember(db)) return [];
      const group = stack.follow(db, 'parameter_group_name');
      const required =
        group?.type === 'aws_db_parameter_group' &&
        blocks(group.config.parameter).some(
          (p) => p.name === parameter.name && parameter.values.includes(String(p.value)),
        );
      return failIf(
        !required,
        `parameter_group_name does not reference an aws_db_parameter_group of this stack that sets ${parameter.name} = ${parameter.values[0]}`,
      );
    },
  },
  {
    id: 'GR-RDS-4',
    info: 'RDS instances keep automated backups (backup_retention_period >= 1).',
    explanation:
      'Without automated backups there is no point-in-time restore. An error where the environment is ' +
      'protected, a warning elsewhere.',
    resourceTypes: ['aws_db_instance'],
    severity: 'error',
    relaxedWhereUnprotected: true,
    check: (db) => {
      if (clusterMember(db) || isSet(db.config.replicate_source_db)) return [];
      const days = asNumber(db.config.backup_retention_period);
      return failIf(days === undefined || days < 1, `backup_retention_period is ${days ?? 'not set'}`);
    },
  },
  {
    id: 'GR-RDS-5',
    info: 'RDS instances and clusters have deletion protection.',
    explanation:
      'A destroy or replacement in a plan must not delete the data. An error where the environment is ' +
      'protected, a warning elsewhere.',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
    severity: 'error',
    relaxedWhereUnprotected: true,
    check: (db) =>
      failIf(!clusterMember(db) && !isTrue(db.config.deletion_protection), 'deletion_protection is not true'),
  },
  {
    id: 'GR-RDS-6',
    info: 'RDS instances and clusters take a final snapshot when deleted.',
    explanation:
      'The last copy of the data when the instance goes (skip_final_snapshot false and a ' +
      'final_snapshot_identifier). An error where the environment is protected, a warning elsewhere.',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
    severity: 'error',
    relaxedWhereUnprotected: true,
    check: (db) => {
      if (clusterMember(db)) return [];
      if (isTrue(db.config.skip_final_snapshot)) return ['skip_final_snapshot is true'];
      return failIf(!isSet(db.config.final_snapshot_identifier), 'final_snapshot_identifier is not set');
    },
  },
  // --- EFS ------------------------------------------------------------------------------------
  {
    id: 'GR-EFS-1',
    info: 'EFS file systems are encrypted at rest.',
    explanation: 'EFS encryption at rest (KMS) can only be chosen when the file system is created.',
    resourceTypes: ['aws_efs_file_system'],
    severity: 'error',
    check: (fs) => failIf(!isTrue(fs.config.encrypted), 'encrypted is not true'),
  },
  {
    id: 'GR-EFS-2',
    info: 'EFS file-system policies deny access without TLS.',
    explanation:
      'NFS clients may mount without TLS unless the file-system policy denies every action when ' +
      '`aws:SecureTransport` is false (mount with the efs-utils `tls` option).',
    resourceTypes: ['aws_efs_file_system'],
    severity: 'error',
    check: (fs, { stack }) =>
      failIf(
        !stack
          .referencing('aws_efs_file_system_policy', 'file_system_id', fs)
          .some((p) => deniesInsecureTransport(stack.policyStatements(p.config.policy), 'elasticfilesystem')),
        'no aws_efs_file_system_policy of this stack denies access when aws:SecureTransport is false',
      ),
  },
  // --- EC2 ------------------------------------------------------------------------------------
  {
    id: 'GR-EBS-1',
    info: 'EBS volumes are encrypted (launch-template mappings, instance volumes, standalone volumes).',
    explanation:
      'A launch template without an encrypted mapping for the root device leaves the volume as the ' +
      'AMI has it (the Amazon Linux AMIs are unencrypted); map it with ebs.encrypted = true.',
    resourceTypes: ['aws_launch_template', 'aws_instance', 'aws_ebs_volume'],
    severity: 'error',
    check: (resource) => {
      const c = resource.config;
      if (resource.type === 'aws_ebs_volume') return failIf(!isTrue(c.encrypted), 'encrypted is not true');
      if (resource.type === 'aws_instance') {
        return [
          ...failIf(!isTrue(block(c.root_block_device).encrypted), 'root_block_device.encrypted is not true'),
          ...blocks(c.ebs_block_device)
            .filter((d) => !isTrue(d.encrypted))
            .map((d) => `ebs_block_device ${String(d.device_name)}: encrypted is not true`),
        ];
      }
      const mappings = blocks(c.block_device_mappings).filter((m) => blocks(m.ebs).length > 0);
      if (mappings.length === 0)
        return ['no block_device_mappings with ebs: the root volume is as the AMI has it'];
      return mappings
        .filter((m) => !isTrue(block(m.ebs).encrypted))
        .map((m) => `block_device_mappings ${String(m.device_name)}: ebs.encrypted is not true`);
    },
  },
  {
    id: 'GR-EC2-1',
    info: 'Instances require IMDSv2 (metadata_options.http_tokens = "required").',
    explanation:
      'IMDSv1 answers any request that reaches 169.254.169.254, which turns an SSRF in the application ' +
      'into the instance role credentials.',
    resourceTypes: ['aws_launch_template', 'aws_instance'],
    severity: 'error',
    check: (resource) => {
      const options = block(resource.config.metadata_options);
      if (options.http_endpoint === 'disabled') return [];
      return failIf(options.http_tokens !== 'required', 'metadata_options.http_tokens is not "required"');
    },
  },
  {
    id: 'GR-EC2-2',
    info: 'Instances and tasks get no public IP address (nor do subnets hand them out).',
    explanation:
      'Only load balancers and NAT gateways face the internet; instances and tasks live in private ' +
      'subnets and reach out through NAT or endpoints.',
    resourceTypes: ['aws_launch_template', 'aws_instance', 'aws_ecs_service', 'aws_subnet'],
    severity: 'error',
    check: (resource) => {
      const c = resource.config;
      switch (resource.type) {
        case 'aws_launch_template':
          return failIf(
            blocks(c.network_interfaces).some((n) => isTrue(n.associate_public_ip_address)),
            'a network interface sets associate_public_ip_address',
          );
        case 'aws_instance':
          return failIf(isTrue(c.associate_public_ip_address), 'associate_public_ip_address is true');
        case 'aws_ecs_service':
          return failIf(
            isTrue(block(c.network_configuration).assign_public_ip),
            'network_configuration.assign_public_ip is true',
          );
        default:
          return failIf(isTrue(c.map_public_ip_on_launch), 'map_public_ip_on_launch is true');
      }
    },
  },
  // --- Security groups ------------------------------------------------------------------------
  {
    id: 'GR-SG-1',
    info: 'No ingress from 0.0.0.0/0 or ::/0, except on the listener ports (80, 443) of a load balancer group.',
    explanation:
      'Only internet-facing load balancers accept traffic from anywhere, and only on the HTTP and HTTPS ' +
      'ports they listen on. A group is a load balancer group when the stack declares it with ' +
      'allowLoadBalancerIngress(group, { ports, ipv6 }); the ingress rule must be in the same stack as ' +
      'the group. ::/0 is accepted only for dual-stack load balancers: an IPv4-only load balancer never ' +
      'receives IPv6 traffic (Elastic Load Balancing, "IP address types for your Application Load ' +
      'Balancer"), so such a rule only misleads.',
    resourceTypes: SECURITY_GROUP_INGRESS,
    severity: 'error',
    check: (resource, context) =>
      ingressOf(resource, context).flatMap((ingress) => {
        const open = ingress.sources.filter(anywhere);
        if (open.length === 0) return [];
        const web =
          ['tcp', '6'].includes(ingress.protocol) &&
          ingress.fromPort === ingress.toPort &&
          (ingress.fromPort === 80 || ingress.fromPort === 443);
        const declared = context.loadBalancerIngress(ingress.group);
        if (!web || declared === undefined) {
          return [
            `ingress ${describePorts(ingress)} from ${open.join(', ')}` +
              (web ? ' on a group not declared a load balancer group' : ''),
          ];
        }
        return [
          ...(declared.ports.includes(ingress.fromPort ?? -1)
            ? []
            : [
                `ingress ${describePorts(ingress)} from anywhere, but no listener of the group's load balancers is on that port`,
              ]),
          ...(open.some((cidr) => cidr.includes(':')) && !declared.ipv6
            ? [`ingress ${describePorts(ingress)} from ::/0 to IPv4-only load balancers`]
            : []),
        ];
      }),
  },
  {
    id: 'GR-SG-2',
    info: 'No ingress to port 22 (SSH) or 3389 (RDP), from anywhere at all.',
    explanation:
      'Shells go through SSM Session Manager (instances) and ECS Exec (tasks), which are logged and ' +
      'need no open port. An all-traffic rule opens these ports too.',
    resourceTypes: SECURITY_GROUP_INGRESS,
    severity: 'error',
    check: (resource, context) =>
      ingressOf(resource, context).flatMap((ingress) =>
        [22, 3389]
          .filter((port) => opensPort(ingress, port))
          .map((port) => `ingress ${describePorts(ingress)} opens port ${port}`),
      ),
  },
  // --- Load balancers -------------------------------------------------------------------------
  {
    id: 'GR-ELB-1',
    info: 'HTTPS and TLS listeners use a TLS 1.2+ security policy.',
    explanation:
      'Without ssl_policy a listener gets ELBSecurityPolicy-2016-08, which still negotiates TLS 1.0 and ' +
      '1.1. Use ELBSecurityPolicy-TLS13-1-2-2021-06 (or another TLS13-1-2/1-3, TLS-1-2 or FS-1-2 policy).',
    resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
    severity: 'error',
    check: (listener) => {
      const protocol = String(listener.config.protocol ?? '');
      if (protocol !== 'HTTPS' && protocol !== 'TLS') return [];
      const policy = listener.config.ssl_policy;
      return failIf(
        typeof policy !== 'string' || !TLS12_LISTENER_POLICY.test(policy),
        `ssl_policy ${typeof policy === 'string' ? policy : '(default ELBSecurityPolicy-2016-08)'} allows TLS below 1.2`,
      );
    },
  },
  {
    id: 'GR-ELB-2',
    info: 'Application load balancers drop invalid HTTP header fields.',
    explanation:
      'Headers that are not valid HTTP are a request-smuggling vector for the targets behind the ALB.',
    resourceTypes: LOAD_BALANCERS,
    severity: 'error',
    check: (lb) =>
      failIf(
        applicationLoadBalancer(lb) && !isTrue(lb.config.drop_invalid_header_fields),
        'drop_invalid_header_fields is not true',
      ),
  },
  {
    id: 'GR-ELB-3',
    info: 'Application load balancers write access logs to S3.',
    explanation: 'Access logs are the record of who called what; CloudWatch metrics do not show requests.',
    resourceTypes: LOAD_BALANCERS,
    severity: 'error',
    check: (lb) => {
      const logs = block(lb.config.access_logs);
      return failIf(
        applicationLoadBalancer(lb) && !(isTrue(logs.enabled) && isSet(logs.bucket)),
        'access_logs is not enabled with a bucket',
      );
    },
  },
  // --- Containers -----------------------------------------------------------------------------
  {
    id: 'GR-ECR-1',
    info: 'ECR repositories are encrypted with KMS.',
    explanation:
      'The default (AES256) uses a key outside the account; KMS puts image access under the key policy.',
    resourceTypes: ['aws_ecr_repository'],
    severity: 'error',
    check: (repository) => {
      const type = block(repository.config.encryption_configuration).encryption_type;
      return failIf(
        type !== 'KMS' && type !== 'KMS_DSSE',
        `encryption_configuration.encryption_type is ${String(type ?? 'AES256 (default)')}`,
      );
    },
  },
  {
    id: 'GR-ECR-2',
    info: 'ECR repositories scan images on push.',
    explanation: 'A pushed image with known CVEs is reported before it is deployed.',
    resourceTypes: ['aws_ecr_repository'],
    severity: 'error',
    check: (repository) =>
      failIf(
        !isTrue(block(repository.config.image_scanning_configuration).scan_on_push),
        'image_scanning_configuration.scan_on_push is not true',
      ),
  },
  {
    id: 'GR-ECS-1',
    info: 'ECS Exec sessions are encrypted with KMS and logged to an encrypted destination.',
    explanation:
      'ECS Exec is a shell in production: its session data must use a customer key ' +
      '(execute_command_configuration.kms_key_id) and every session must be logged (logging = OVERRIDE ' +
      'to a CloudWatch log group or S3 bucket, with encryption enabled).',
    resourceTypes: ['aws_ecs_cluster'],
    severity: 'error',
    check: (cluster) => {
      const exec = block(block(cluster.config.configuration).execute_command_configuration);
      const logs = block(exec.log_configuration);
      const logged =
        exec.logging === 'OVERRIDE' &&
        ((isSet(logs.cloud_watch_log_group_name) && isTrue(logs.cloud_watch_encryption_enabled)) ||
          (isSet(logs.s3_bucket_name) && isTrue(logs.s3_bucket_encryption_enabled)));
      return [
        ...failIf(
          !isSet(exec.kms_key_id),
          'configuration.execute_command_configuration.kms_key_id is not set',
        ),
        ...failIf(
          !logged,
          'execute_command_configuration does not log (OVERRIDE) to an encrypted log group or bucket',
        ),
      ];
    },
  },
  // --- Data and messaging ---------------------------------------------------------------------
  {
    id: 'GR-DDB-1',
    info: 'DynamoDB tables are encrypted with KMS.',
    explanation:
      'Without server_side_encryption.enabled the table uses an AWS-owned key no key policy controls.',
    resourceTypes: ['aws_dynamodb_table'],
    severity: 'error',
    check: (table) =>
      failIf(
        !isTrue(block(table.config.server_side_encryption).enabled),
        'server_side_encryption.enabled is not true',
      ),
  },
  {
    id: 'GR-SNS-1',
    info: 'SNS topics are encrypted with KMS.',
    explanation:
      'Messages at rest in SNS are encrypted only with kms_master_key_id. A topic that CloudWatch alarms ' +
      'publish to needs a customer key whose policy lets cloudwatch.amazonaws.com use it.',
    resourceTypes: ['aws_sns_topic'],
    severity: 'error',
    check: (topic) => failIf(!isSet(topic.config.kms_master_key_id), 'kms_master_key_id is not set'),
  },
  {
    id: 'GR-LOG-1',
    info: 'CloudWatch log groups are encrypted with KMS.',
    explanation: 'Logs carry request data and secrets by accident; kms_key_id puts them under a key policy.',
    resourceTypes: ['aws_cloudwatch_log_group'],
    severity: 'error',
    check: (group) => failIf(!isSet(group.config.kms_key_id), 'kms_key_id is not set'),
  },
  {
    id: 'GR-LOG-2',
    info: 'CloudWatch log groups have a retention period.',
    explanation: 'A log group without retention_in_days keeps (and bills) every event forever.',
    resourceTypes: ['aws_cloudwatch_log_group'],
    severity: 'error',
    check: (group) => {
      const days = asNumber(group.config.retention_in_days);
      return failIf(days === undefined || days < 1, 'retention_in_days is not set (events never expire)');
    },
  },
  // --- IAM and KMS ----------------------------------------------------------------------------
  {
    id: 'GR-IAM-1',
    info: 'IAM identity policies grant no wildcard action (`*`, `service:*`, NotAction) on resource `*`.',
    explanation:
      'Least privilege. Exceptions AWS requires are allowed as they are: actions without resource-level ' +
      'permissions (ecr:GetAuthorizationToken, ssmmessages:CreateControlChannel, cloudwatch:PutMetricData...) ' +
      'must name resource `*` but are named actions, not wildcards; KMS key policies are resource ' +
      'policies, where `*` means the key itself (see GR-KMS-2). Attaching AdministratorAccess or ' +
      "PowerUserAccess counts as a wildcard grant. A policy used as a role's permissions boundary grants " +
      'nothing by itself (IAM user guide, "Permissions boundaries for IAM entities") and is not checked.',
    resourceTypes: [
      'aws_iam_policy',
      'aws_iam_role_policy',
      'aws_iam_user_policy',
      'aws_iam_group_policy',
      'aws_iam_role',
      'aws_iam_role_policy_attachment',
      'aws_iam_user_policy_attachment',
      'aws_iam_group_policy_attachment',
      'aws_iam_policy_attachment',
    ],
    severity: 'error',
    check: (resource, { stack }) => {
      if (stack.isPermissionsBoundary(resource)) return [];
      const c = resource.config;
      const policies =
        resource.type === 'aws_iam_role' ? blocks(c.inline_policy).map((p) => p.policy) : [c.policy];
      const managed = [...asStrings(c.policy_arn), ...asStrings(c.managed_policy_arns)];
      return [
        ...policies.flatMap((policy) => wildcardGrants(stack.policyStatements(policy))),
        ...managed.filter((arn) => ADMIN_MANAGED_POLICY.test(arn)).map((arn) => `attaches ${arn}`),
      ];
    },
  },
  {
    id: 'GR-KMS-1',
    info: 'Symmetric KMS keys rotate yearly.',
    explanation:
      'Rotation bounds how much data one key version protects; AWS KMS rotates only symmetric keys.',
    resourceTypes: ['aws_kms_key'],
    severity: 'error',
    check: (key) => {
      const spec = key.config.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
      return failIf(
        spec === 'SYMMETRIC_DEFAULT' && !isTrue(key.config.enable_key_rotation),
        'enable_key_rotation is not true',
      );
    },
  },
  {
    id: 'GR-KMS-2',
    info: 'Only the account root holds `kms:*` in a key policy.',
    explanation:
      "AWS's default key policy gives the account root `kms:*` on `*` (in a key policy, the key itself), " +
      "which delegates the key to the account's IAM policies: that statement is the named exception. " +
      'Any other principal gets the named actions it needs.',
    resourceTypes: ['aws_kms_key', 'aws_kms_key_policy'],
    severity: 'error',
    check: (key, { stack }) =>
      (stack.policyStatements(key.config.policy) ?? []).flatMap((s) => {
        const wildcard =
          s.effect === 'Allow' &&
          (s.actions.some((a) => a === '*' || a === 'kms:*') || s.notActions.length > 0);
        if (!wildcard) return [];
        const others = s.principals.flatMap((p) =>
          p.type === 'AWS'
            ? p.identifiers.filter((id) => !ACCOUNT_ROOT.test(id))
            : [`${p.type}:${p.identifiers.join(',')}`],
        );
        return others.length > 0 ? [`grants kms:* to ${others.join(', ')}`] : [];
      }),
  },
  // --- Tags -----------------------------------------------------------------------------------
  {
    id: 'GR-TAG-1',
    info: `AWS providers set the default tags ${REQUIRED_DEFAULT_TAGS.join(', ')}.`,
    explanation:
      'Default tags reach every taggable resource of the stack, so cost reports and access policies can ' +
      'rely on them; BaseStack sets them.',
    resourceTypes: ['provider.aws'],
    severity: 'error',
    check: (provider) => {
      const tags = block(block(provider.config.default_tags).tags);
      const missing = REQUIRED_DEFAULT_TAGS.filter((key) => !isSet(tags[key]));
      return failIf(missing.length > 0, `default_tags lacks ${missing.join(', ')}`);
    },
  },
  {
    id: 'GR-TAG-2',
    info: 'Resources do not override the default tags with other values.',
    explanation:
      "A resource's own tags win over the provider's default tags; a different `project` or `stack` on " +
      'one resource breaks every report that groups by them.',
    resourceTypes: ['aws_*'],
    severity: 'error',
    check: (resource, { stack }) => {
      const tags = block(resource.config.tags);
      const providerRef = String(resource.config.provider ?? 'aws').replace(/^\$\{(.*)\}$/, '$1');
      const defaults = block(block(stack.get(providerRef)?.config.default_tags).tags);
      return Object.entries(defaults)
        .filter(([key, value]) => key in tags && tags[key] !== value)
        .map(
          ([key, value]) =>
            `tags.${key} is ${JSON.stringify(tags[key])}, the default tag is ${JSON.stringify(value)}`,
        );
    },
  },
  ...LOGS_RULES,
  ...SECRETS_RULES,
  ...CI_ROLE_RULES,
  ...CLOUDTRAIL_RULES,
  ...WAF_RULES,
  ...REPLACEMENT_RULES,
  ...RDS_RULES,
  ...S3_LOGGING_RULES,
  ...LAMBDA_RULES,
  ...BACKUP_RULES,
  ...SNS_RULES,
  ...SECRETS_ROTATION_RULES,
];

/** The rules by id, for suppressions. */
export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.id, rule]));
