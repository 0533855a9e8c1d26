import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EfsAccessPoint } from '@cdktf/provider-aws/lib/efs-access-point';
import { EfsBackupPolicy } from '@cdktf/provider-aws/lib/efs-backup-policy';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { EfsFileSystemPolicy } from '@cdktf/provider-aws/lib/efs-file-system-policy';
import { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target';
import { Construct } from 'constructs';

/** Mount and write, the actions of an NFS client that is not root (EFS user guide, "IAM for EFS"). */
const CLIENT_ACTIONS = ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'];

/**
 * The identity-policy statement that lets a role mount one file system through one access point
 * only: for the web instances' and the tasks' roles, the counterpart of the file-system policy.
 */
export function mountThroughAccessPointStatement(
  sid: string,
  access: { readonly fileSystemArn: string; readonly accessPointArn: string },
): DataAwsIamPolicyDocumentStatement {
  return {
    sid,
    actions: CLIENT_ACTIONS,
    resources: [access.fileSystemArn],
    condition: [
      { test: 'StringEquals', variable: 'elasticfilesystem:AccessPointArn', values: [access.accessPointArn] },
    ],
  };
}

/** One access point: a directory, the POSIX identity every request runs as, and who may use it. */
export interface AccessPointSpec {
  /** Root directory, created on first use owned by `uid`:`gid`. */
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
  /** Mode of the root directory when EFS creates it. @default '0750' */
  readonly permissions?: string;
  /**
   * IAM role ARNs that may mount and write through this access point (and only through it). The
   * roles need not exist yet: they are matched by `aws:PrincipalArn`, not named as principals.
   */
  readonly clientRoleArns: readonly string[];
}

export interface SharedFileSystemProps {
  /** `Name` tag and creation token, e.g. `<project>-<env>-shared`. */
  readonly name: string;
  /** Customer-managed KMS key for encryption at rest. */
  readonly kmsKeyArn: string;
  /** The subnet of each mount target, keyed by zone (the key is the mount target's identity). */
  readonly subnets: Readonly<Record<string, string>>;
  readonly securityGroupIds: readonly string[];
  /** Access points by name (e.g. `web`, `app`). */
  readonly accessPoints: Readonly<Record<string, AccessPointSpec>>;
  /**
   * The automatic daily AWS Backup of the file system (billed per GB-month). No default here: the
   * environment's backup settings decide (one backup mechanism, not two).
   */
  readonly automaticBackups: boolean;
  /**
   * Refuse `terraform destroy` of the file system (`lifecycle.prevent_destroy`). No default here: the
   * environment's deletion protection decides.
   */
  readonly preventDestroy: boolean;
}

/**
 * An encrypted EFS file system with elastic throughput, a mount target per zone, Infrequent Access
 * after 30 days (back on first access), automatic backups, and a policy that refuses any access
 * without TLS and lets each client role in only through its own access point.
 */
export class SharedFileSystem extends Construct {
  readonly fileSystem: EfsFileSystem;
  readonly id: string;
  readonly arn: string;
  /** Mount targets by zone. */
  readonly mountTargets: Readonly<Record<string, EfsMountTarget>>;
  /** Access points by name. */
  readonly accessPoints: Readonly<Record<string, EfsAccessPoint>>;
  /** Elastic: pay per use, no burst credits to run out of. */
  readonly throughputMode = 'elastic';
  readonly performanceMode = 'generalPurpose';

  constructor(scope: Construct, id: string, props: SharedFileSystemProps) {
    super(scope, id);
    if (Object.keys(props.subnets).length === 0)
      throw new Error(`${this.node.path}: subnets must name at least one subnet`);

    this.fileSystem = new EfsFileSystem(this, 'file-system', {
      creationToken: props.name,
      encrypted: true,
      kmsKeyId: props.kmsKeyArn,
      performanceMode: this.performanceMode,
      throughputMode: this.throughputMode,
      // Two blocks: the provider accepts one transition per lifecycle_policy block.
      lifecyclePolicy: [
        { transitionToIa: 'AFTER_30_DAYS' },
        { transitionToPrimaryStorageClass: 'AFTER_1_ACCESS' },
      ],
      tags: { Name: props.name },
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    this.id = this.fileSystem.id;
    this.arn = this.fileSystem.arn;

    new EfsBackupPolicy(this, 'backup-policy', {
      fileSystemId: this.fileSystem.id,
      backupPolicy: { status: props.automaticBackups ? 'ENABLED' : 'DISABLED' },
    });

    const mountTargets: Record<string, EfsMountTarget> = {};
    for (const [az, subnetId] of Object.entries(props.subnets)) {
      mountTargets[az] = new EfsMountTarget(this, `mount-target-${az}`, {
        fileSystemId: this.fileSystem.id,
        subnetId,
        securityGroups: [...props.securityGroupIds],
      });
    }
    this.mountTargets = mountTargets;

    const accessPoints: Record<string, EfsAccessPoint> = {};
    for (const [name, spec] of Object.entries(props.accessPoints)) {
      accessPoints[name] = new EfsAccessPoint(this, `access-point-${name}`, {
        fileSystemId: this.fileSystem.id,
        posixUser: { uid: spec.uid, gid: spec.gid },
        rootDirectory: {
          path: spec.path,
          creationInfo: { ownerUid: spec.uid, ownerGid: spec.gid, permissions: spec.permissions ?? '0750' },
        },
        tags: { Name: `${props.name}-${name}` },
      });
    }
    this.accessPoints = accessPoints;

    this.createPolicy(props);
  }

  /**
   * The file-system policy. Clients are matched by `aws:PrincipalArn` under the principal `*` rather
   * than named as principals: AWS rejects a policy naming a role that does not exist yet, and the
   * client roles belong to stacks deployed after this one. `*` with that condition is still private
   * (only those roles of this account match), and no statement grants `ClientRootAccess`.
   */
  private createPolicy(props: SharedFileSystemProps): void {
    const clientStatements: DataAwsIamPolicyDocumentStatement[] = Object.entries(props.accessPoints)
      .filter(([, spec]) => spec.clientRoleArns.length > 0)
      .map(([name, spec]) => ({
        sid: `MountThroughAccessPoint${name.replace(/[^A-Za-z0-9]/g, '')}`,
        effect: 'Allow',
        principals: [{ type: 'AWS', identifiers: ['*'] }],
        actions: CLIENT_ACTIONS,
        resources: [this.fileSystem.arn],
        condition: [
          { test: 'ArnEquals', variable: 'aws:PrincipalArn', values: [...spec.clientRoleArns] },
          {
            test: 'StringEquals',
            variable: 'elasticfilesystem:AccessPointArn',
            values: [this.accessPoints[name].arn],
          },
          { test: 'Bool', variable: 'elasticfilesystem:AccessedViaMountTarget', values: ['true'] },
        ],
      }));
    const policy = new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          actions: ['*'],
          resources: [this.fileSystem.arn],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        ...clientStatements,
      ],
    });
    new EfsFileSystemPolicy(this, 'policy', {
      fileSystemId: this.fileSystem.id,
      policy: policy.json,
    });
  }
}
