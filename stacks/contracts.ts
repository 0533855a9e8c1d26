/**
 * What stacks hand to each other. Each field is an attribute of a resource in the producing stack;
 * passing it to another stack makes CDKTF emit an output there and a remote-state read here. A stack
 * implements the contract of what it produces, and a consumer's props take the contract (never the
 * producing stack), so the consumer can read nothing else and a test can stand in for the producer.
 */
import type { FileSystemMetrics } from '../modules/metrics';
import type { SecurityGroupRole } from '../modules/security-groups';
import type { SubnetTier } from '../modules/subnet-tier';

export type { SecurityGroupRole } from '../modules/security-groups';
export type { SubnetTier } from '../modules/subnet-tier';

/** What the later stacks use of `<env>-network`: where to put things, which groups, the shared edge. */
export interface NetworkAccess {
  readonly vpcId: string;
  /** The zones, in the order every list of `subnetIds` follows. */
  readonly availabilityZones: readonly string[];
  /** Subnet ids of each tier, in zone order. */
  readonly subnetIds: Readonly<Record<SubnetTier, readonly string[]>>;
  /** Security group id by role: `alb`, `web`, `tasks` (compute, containers); `db`, `efs`, `db-admin` (data). */
  readonly securityGroupIds: Readonly<Record<SecurityGroupRole, string>>;
  /** The ports the `alb` group opens to the internet: a load balancer must listen on exactly these. */
  readonly listenerPorts: readonly number[];
  /** The validated ACM certificate of the domain; only when the environment has a domain. */
  readonly certificateArn?: string;
  /** The WAF web ACL for the load balancers; only when the environment turns WAF on. */
  readonly webAclArn?: string;
  /** NAT gateway id by the zone it stands in; empty without NAT. */
  readonly natGatewayIdsByZone: Readonly<Record<string, string>>;
}

/** One application's own database and the rotated secret of its own user (from `<env>-data`). */
export interface ApplicationDatabase {
  readonly databaseName: string;
  /** Secrets Manager secret, JSON: engine, host, port, dbname, username, password. */
  readonly secretArn: string;
  /** The KMS key that encrypts the secret; readers need kms:Decrypt on it through Secrets Manager. */
  readonly secretKmsKeyArn: string;
}

/**
 * How clients reach the MySQL database, and each application's own credentials (from `<env>-data`).
 * The master secret is not here on purpose: only the data stack's database-users function reads it.
 */
export interface DatabaseAccess {
  /** Host name of the instance endpoint (no port). */
  readonly address: string;
  readonly port: number;
  /** DB instance identifier, the `DBInstanceIdentifier` dimension of RDS metrics. */
  readonly instanceIdentifier: string;
  /** WordPress's database and user. */
  readonly wordpress: ApplicationDatabase;
  /** The container app's database and user; only when `containers.database` asks for one. */
  readonly app?: ApplicationDatabase;
}

/** One EFS access point and its file system (from `<env>-data`). */
export interface FileSystemAccess {
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  readonly accessPointId: string;
  readonly accessPointArn: string;
}

/** What the later stacks use of `<env>-data`. */
export interface DataAccess {
  /** How to reach the database, and each application's own credentials. */
  readonly database: DatabaseAccess;
  /** The web tier's shared content (WordPress `wp-content`). */
  readonly webFiles: FileSystemAccess;
  /** The container app's persistent data. */
  readonly appFiles: FileSystemAccess;
  /** What the file system's alarms and graphs need. */
  readonly fileSystemMetrics: FileSystemMetrics;
}

/**
 * Names of the IAM roles that may mount the shared file system. The data stack's file-system policy
 * names them before the compute and containers stacks create them, so they are fixed by convention
 * rather than passed by reference (which would make data depend on later stacks).
 */
export function efsClientRoleNames(namePrefix: string): { readonly web: string; readonly app: string } {
  return { web: `${namePrefix}-web-instance`, app: `${namePrefix}-app-task` };
}

/**
 * The container app's cluster and service names. The data stack's database-users function redeploys
 * the service after each rotation of the app's secret, and the data stack comes first, so the names
 * are fixed by convention (like `efsClientRoleNames`) and both stacks take them from here.
 */
export function appServiceNames(
  namePrefix: string,
  clusterName: string | undefined,
): { readonly cluster: string; readonly service: string } {
  return { cluster: clusterName ?? namePrefix, service: `${namePrefix}-app` };
}

/**
 * The CloudTrail bucket's name. The state stack's access-log bucket policy admits its server access
 * logs, and the state stack comes first, so the name is fixed by convention (like `efsClientRoleNames`).
 */
export function auditTrailBucketName(namePrefix: string, accountId: string): string {
  return `${namePrefix}-cloudtrail-${accountId}`;
}

/** Key prefixes of the server access logs in `<env>-state`'s log bucket, one per logged bucket. */
export const ACCESS_LOG_PREFIXES = { state: 'state/', cloudTrail: 'cloudtrail/' } as const;

/** Metric identities the compute, containers and data stacks hand to the observability stack. */
export type {
  ContainerServiceMetrics,
  FileSystemMetrics,
  LoadBalancerMetrics,
  WebTierMetrics,
} from '../modules/metrics';
