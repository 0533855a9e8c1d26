/**
 * What stacks hand to each other. Each field is an attribute of a resource in the producing stack;
 * passing it to another stack makes CDKTF emit an output there and a remote-state read here.
 */

/** How clients reach the MySQL database and its credentials (from `<env>-data`). */
export interface DatabaseAccess {
  /** Host name of the instance endpoint (no port). */
  readonly address: string;
  readonly port: number;
  /** Name of the database created with the instance. */
  readonly databaseName: string;
  /** ARN of the Secrets Manager secret RDS manages for the master user (JSON: username, password). */
  readonly masterSecretArn: string;
  /** ARN of the KMS key that encrypts that secret; readers need kms:Decrypt on it. */
  readonly masterSecretKmsKeyArn: string;
  /** DB instance identifier, the `DBInstanceIdentifier` dimension of RDS metrics. */
  readonly instanceIdentifier: string;
}

/** One EFS access point and its file system (from `<env>-data`). */
export interface FileSystemAccess {
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  readonly accessPointId: string;
  readonly accessPointArn: string;
}

/**
 * Names of the IAM roles that may mount the shared file system. The data stack's file-system policy
 * names them before the compute and containers stacks create them, so they are fixed by convention
 * rather than passed by reference (which would make data depend on later stacks).
 */
export function efsClientRoleNames(namePrefix: string): { readonly web: string; readonly app: string } {
  return { web: `${namePrefix}-web-instance`, app: `${namePrefix}-app-task` };
}

/** Metric identities the compute, containers and data stacks hand to the observability stack. */
export type {
  ContainerServiceMetrics,
  FileSystemMetrics,
  LoadBalancerMetrics,
  WebTierMetrics,
} from '../modules/metrics';
