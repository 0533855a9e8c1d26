import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Fn, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { createWebInstanceRole } from './web-instance-permissions';
import { MAX_USER_DATA_BYTES, terraformLiteral, userDataBytes } from './web-user-data';

/** The public SSM parameters of the latest Amazon Linux 2023 image, by architecture. */
export const AMAZON_LINUX_2023_IMAGE_PARAMETERS = {
  arm64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
  x86_64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
} as const;

/**
 * An image id EC2 resolves from a public SSM parameter at each launch (`resolve:ssm:`), so the plan
 * never looks an AMI up and every new instance boots the current release.
 */
export function ssmImageId(parameterName: string): string {
  return `resolve:ssm:${parameterName}`;
}

/** On-demand and Spot capacity over several instance types. */
export interface MixedInstancesProps {
  /** Instances that are always on-demand. @default 0 */
  readonly onDemandBaseCapacity?: number;
  /** Share of the capacity above the base that is on-demand; the rest is Spot. @default 0 */
  readonly onDemandPercentageAboveBaseCapacity?: number;
  /** Types Spot may also use beside `instanceType` (same architecture). @default [] */
  readonly extraInstanceTypes?: readonly string[];
  /** Replace Spot instances EC2 flags at elevated interruption risk before they go. @default true */
  readonly capacityRebalance?: boolean;
}

export interface WebServerFleetProps {
  readonly context: AwsContext;
  /** Name of the launch template and the group, and the instances' `Name` tag. */
  readonly name: string;
  /** Name of the instance role and its instance profile (IAM: at most 64 characters). */
  readonly roleName: string;
  /** Subnets the group launches into, one per zone (private ones: instances get no public IP). */
  readonly subnetIds: string[];
  /** The security group of the instances. */
  readonly securityGroupId: string;
  /** Image id, e.g. `ssmImageId(AMAZON_LINUX_2023_IMAGE_PARAMETERS.arm64)`; must suit `instanceType`. */
  readonly imageId: string;
  readonly instanceType: string;
  /** The first-boot script, raw (escaped for Terraform, gzipped and encoded here); at most 16 KB gzipped. */
  readonly userData: string;
  /** Target groups the instances register with; their health checks decide replacements. */
  readonly targetGroupArns: string[];
  /** @default 2 */
  readonly minSize?: number;
  /** @default 4 */
  readonly maxSize?: number;
  /**
   * Instances at creation; afterwards the scaling policy owns the number (Terraform ignores drift).
   * No default here: the configuration's (one per zone) is the one home of it.
   */
  readonly desiredCapacity: number;
  /** gp3 root volume size in GiB. @default 20 */
  readonly rootVolumeSizeGiB?: number;
  /**
   * KMS key for the root volume. A customer-managed key must let the Auto Scaling service-linked
   * role use it (create grants), or launches fail.
   * @default undefined (the account's AWS-managed `aws/ebs` key)
   */
  readonly rootVolumeKmsKeyArn?: string;
  /** One-minute EC2 metrics, billed per metric. No default here: the configuration's is the one home of it. */
  readonly detailedMonitoring: boolean;
  /** Seconds after launch before failed load-balancer checks make the group replace an instance. @default 300 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Average CPU utilization target tracking keeps. No default here: the configuration's is the one home of it. */
  readonly cpuTargetPercent: number;
  /**
   * CPU credit mode of a burstable `instanceType` (`credit_specification` of the launch template).
   * @default undefined (the type's default: unlimited for t3, t3a and t4g)
   */
  readonly cpuCredits?: 'standard' | 'unlimited';
  /** Share of the group kept in service while an instance refresh replaces instances. @default 50 */
  readonly instanceRefreshMinHealthyPercent?: number;
  /** Spot and extra instance types. @default undefined (on-demand `instanceType` only) */
  readonly mixedInstances?: MixedInstancesProps;
  /** Secret the instances may read, and the KMS key that encrypts it. @default undefined (none) */
  readonly secret?: { readonly arn: string; readonly kmsKeyArn: string };
  /** EFS file system the instances may mount and write, only through the access point. @default undefined */
  readonly fileSystem?: { readonly arn: string; readonly accessPointArn: string };
  /**
   * Secret the instances write the WordPress administrator's generated credentials to (once, at the
   * first install) and read back, and the KMS key that encrypts it. @default undefined (none)
   */
  readonly adminSecret?: { readonly arn: string; readonly kmsKeyArn: string };
  /**
   * What the CloudWatch agent on the instances may write: events to these log groups (ARNs) and
   * metrics to this namespace only. @default undefined (no agent permissions)
   */
  readonly cloudWatchAgent?: { readonly logGroupArns: string[]; readonly namespace: string };
  /** Tags for the instances and volumes the group launches (provider default tags do not reach them). @default {} */
  readonly instanceTags?: Readonly<Record<string, string>>;
}

// Auto Scaling group metrics, each published at one-minute granularity for free.
const GROUP_METRICS = [
  'GroupMinSize',
  'GroupMaxSize',
  'GroupDesiredCapacity',
  'GroupInServiceInstances',
  'GroupPendingInstances',
  'GroupStandbyInstances',
  'GroupTerminatingInstances',
  'GroupTotalInstances',
];

/**
 * EC2 web servers in an Auto Scaling group: a launch template (IMDSv2 only, no key pair, encrypted
 * gp3 root volume, user data checked against EC2's 16 KB limit), an instance role for Session
 * Manager, the CloudWatch agent and exactly the secret and file system given, load-balancer health
 * checks, target tracking on average CPU, and a rolling instance refresh whenever the launch
 * template changes.
 */
export class WebServerFleet extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly autoScalingGroupName: string;
  /** Bytes of the gzipped user data before base64 (references counted at their maximum length). */
  readonly userDataBytes: number;

  constructor(scope: Construct, id: string, props: WebServerFleetProps) {
    super(scope, id);
    const minSize = props.minSize ?? 2;
    const maxSize = props.maxSize ?? 4;
    const desiredCapacity = props.desiredCapacity;
    const gracePeriod = props.healthCheckGracePeriodSeconds ?? 300;
    this.validate(props, { minSize, maxSize, desiredCapacity });
    this.userDataBytes = userDataBytes(props.userData);
    if (this.userDataBytes > MAX_USER_DATA_BYTES) {
      throw new Error(
        `${this.node.path}: userData is ${this.userDataBytes} bytes gzipped; EC2 allows ${MAX_USER_DATA_BYTES} (16 KB)`,
      );
    }

    this.role = createWebInstanceRole(this, {
      context: props.context,
      fleetName: props.name,
      roleName: props.roleName,
      secret: props.secret,
      fileSystem: props.fileSystem,
      adminSecret: props.adminSecret,
      cloudWatchAgent: props.cloudWatchAgent,
    });
    this.instanceProfile = new IamInstanceProfile(this, 'instance-profile', {
      name: props.roleName,
      role: this.role.name,
    });

    const tags = { ...props.instanceTags, Name: props.name };
    // A local holds the script as a plain JSON string template, where Terraform reads backslashes
    // and quotes literally (inside a function call they would be HCL escapes); EC2 wants base64,
    // and gzip keeps the script well under EC2's 16 KB (cloud-init decompresses it).
    const userData = new TerraformLocal(this, 'user-data', terraformLiteral(props.userData));
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: props.name,
      description: `Web servers of ${props.name}`,
      imageId: props.imageId,
      instanceType: props.instanceType,
      // No key pair: shells go through Session Manager.
      iamInstanceProfile: { arn: this.instanceProfile.arn },
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: 'false',
          securityGroups: [props.securityGroupId],
          deleteOnTermination: 'true',
        },
      ],
      // IMDSv2 only, one hop: a container or proxy on the instance cannot reach the role's credentials.
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      monitoring: { enabled: props.detailedMonitoring },
      creditSpecification: props.cpuCredits === undefined ? undefined : { cpuCredits: props.cpuCredits },
      blockDeviceMappings: [
        {
          // The root device of Amazon Linux 2023 images.
          deviceName: '/dev/xvda',
          ebs: {
            volumeType: 'gp3',
            volumeSize: props.rootVolumeSizeGiB ?? 20,
            encrypted: 'true',
            kmsKeyId: props.rootVolumeKmsKeyArn,
            deleteOnTermination: 'true',
          },
        },
      ],
      userData: Fn.base64gzip(userData.asString),
      tagSpecifications: [
        { resourceType: 'instance', tags },
        { resourceType: 'volume', tags },
      ],
      updateDefaultVersion: true,
      tags: { Name: props.name },
    });

    // Each change makes a new version, and a new version starts an instance refresh.
    const template = {
      id: this.launchTemplate.id,
      version: Token.asString(this.launchTemplate.latestVersion),
    };
    const mixed = props.mixedInstances;
    this.autoScalingGroup = new AutoscalingGroup(this, 'group', {
      name: props.name,
      minSize,
      maxSize,
      desiredCapacity,
      vpcZoneIdentifier: props.subnetIds,
      targetGroupArns: props.targetGroupArns,
      healthCheckType: 'ELB',
      healthCheckGracePeriod: gracePeriod,
      defaultInstanceWarmup: gracePeriod,
      launchTemplate: mixed === undefined ? template : undefined,
      mixedInstancesPolicy:
        mixed === undefined
          ? undefined
          : {
              instancesDistribution: {
                onDemandBaseCapacity: mixed.onDemandBaseCapacity ?? 0,
                onDemandPercentageAboveBaseCapacity: mixed.onDemandPercentageAboveBaseCapacity ?? 0,
                spotAllocationStrategy: 'price-capacity-optimized',
              },
              launchTemplate: {
                launchTemplateSpecification: {
                  launchTemplateId: template.id,
                  version: template.version,
                },
                override: [props.instanceType, ...(mixed.extraInstanceTypes ?? [])].map((instanceType) => ({
                  instanceType,
                })),
              },
            },
      capacityRebalance: mixed === undefined ? false : (mixed.capacityRebalance ?? true),
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: {
          minHealthyPercentage: props.instanceRefreshMinHealthyPercent ?? 50,
          instanceWarmup: String(gracePeriod),
        },
      },
      enabledMetrics: GROUP_METRICS,
      metricsGranularity: '1Minute',
      // Instances carry the tags through the launch template; this names the group in the console.
      tag: [{ key: 'Name', value: props.name, propagateAtLaunch: false }],
      // Target tracking moves the desired capacity; an apply must not reset it.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
    });
    this.autoScalingGroupName = this.autoScalingGroup.name;

    new AutoscalingPolicy(this, 'cpu-target-tracking', {
      name: `${props.name}-cpu-target`,
      autoscalingGroupName: this.autoScalingGroup.name,
      policyType: 'TargetTrackingScaling',
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
        targetValue: props.cpuTargetPercent,
      },
    });
  }

  private validate(
    props: WebServerFleetProps,
    sizes: { minSize: number; maxSize: number; desiredCapacity: number },
  ): void {
    const fail = (message: string) => {
      throw new Error(`${this.node.path}: ${message}`);
    };
    if (!(sizes.minSize <= sizes.desiredCapacity && sizes.desiredCapacity <= sizes.maxSize))
      fail(
        `minSize (${sizes.minSize}) <= desiredCapacity (${sizes.desiredCapacity}) <= maxSize (${sizes.maxSize}) does not hold`,
      );
    // IAM role names: 64 characters; launch template names: 128; group names: 255.
    if (props.roleName.length > 64)
      fail(`roleName "${props.roleName}" is ${props.roleName.length} characters; IAM allows 64`);
    if (props.name.length > 128 || !/^[\w().\-/]+$/.test(props.name))
      fail(`name "${props.name}" must be 1-128 letters, digits and ( ) . - / _ (EC2 launch template names)`);
    if (props.subnetIds.length === 0) fail('subnetIds must name at least one subnet');
  }
}
