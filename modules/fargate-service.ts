import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import type { FargateCluster } from './fargate-cluster';
import {
  containerDefinition,
  type ContainerDefinition,
  type FargateContainerProps,
  type ServiceFileSystem,
} from './fargate-container';
import { createExecutionRole, createTaskRole } from './fargate-roles';

export type {
  ContainerDefinition,
  ContainerHealthCheckProps,
  ContainerSecret,
  FargateContainerProps,
  ServiceFileSystem,
} from './fargate-container';

export interface CapacityProviderShare {
  readonly capacityProvider: 'FARGATE' | 'FARGATE_SPOT';
  /** @default 0 */
  readonly base?: number;
  readonly weight: number;
}

export interface ServiceAutoScalingProps {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Average CPU (%) to keep. @default 60 */
  readonly cpuTargetPercent?: number;
  /** Average memory (%) to keep as well. @default undefined (not tracked) */
  readonly memoryTargetPercent?: number;
  /**
   * Requests per target to keep as well; `resourceLabel` is
   * `<load balancer arn suffix>/<target group arn suffix>`.
   * @default undefined (not tracked)
   */
  readonly requestsPerTarget?: { readonly resourceLabel: string; readonly target: number };
  /** @default 60 */
  readonly scaleOutCooldownSeconds?: number;
  /** @default 60 */
  readonly scaleInCooldownSeconds?: number;
}

export interface FargateServiceProps {
  readonly context: AwsContext;
  /** Service name and task-definition family. */
  readonly name: string;
  readonly cluster: FargateCluster;
  /** Task CPU units; the cluster does not check the Fargate size table, the config does. */
  readonly cpu: number;
  /** Task memory (MiB). */
  readonly memory: number;
  /** @default 'X86_64' */
  readonly architecture?: 'X86_64' | 'ARM64';
  /** Name of the task role; fixed by convention where another stack's policy names it. */
  readonly taskRoleName: string;
  /** @default `<name>-execution` */
  readonly executionRoleName?: string;
  readonly container: FargateContainerProps;
  /** ECR repositories the execution role may pull from. @default [] */
  readonly pullRepositoryArns?: readonly string[];
  /** KMS keys of those repositories. @default [] */
  readonly pullKmsKeyArns?: readonly string[];
  /** The container's log group and its retention. */
  readonly logs: {
    readonly groupName: string;
    readonly retentionDays: number;
    readonly kmsKeyArn: string;
  };
  /** @default undefined (no volume) */
  readonly fileSystem?: ServiceFileSystem;
  /** ECS Exec (shells in running tasks, logged by the cluster). @default true */
  readonly execEnabled?: boolean;
  /** Private subnets of the tasks; they never get a public IP. */
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** @default 'LATEST' */
  readonly platformVersion?: string;
  /** @default [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }] */
  readonly capacityProviderStrategy?: readonly CapacityProviderShare[];
  /** Tasks at creation; afterwards Terraform ignores it (auto scaling or operators own it). @default 1 */
  readonly desiredCount?: number;
  /** @default undefined (no load balancer) */
  readonly loadBalancer?: {
    readonly targetGroupArn: string;
    /** The listener(s) forwarding to the group: ECS refuses a group no load balancer uses yet. */
    readonly dependsOn: ITerraformDependable[];
    /** @default 60 */
    readonly healthCheckGracePeriodSeconds?: number;
  };
  /** @default undefined (fixed at desiredCount) */
  readonly autoScaling?: ServiceAutoScalingProps;
}

const DATA_VOLUME = 'data';

/**
 * A Fargate service with ECS Exec: a task definition built from typed container definitions, an
 * execution role that may only pull its images, write its logs and read its secrets, a task role
 * with exactly what exec and the file system need, a service with circuit-breaker rollback behind
 * an optional target group, and target-tracking auto scaling.
 *
 * Ownership: Terraform owns the task definition (a new image is a new tag in configuration, then
 * an apply); `desired_count` is ignored after creation, so auto scaling owns it.
 */
export class FargateService extends Construct {
  readonly service: EcsService;
  readonly taskDefinition: EcsTaskDefinition;
  readonly taskRole: IamRole;
  readonly executionRole: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly containerDefinitions: readonly ContainerDefinition[];
  readonly name: string;
  readonly scalableTarget?: AppautoscalingTarget;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const execEnabled = props.execEnabled ?? true;
    const readonlyRootFilesystem = props.container.readonlyRootFilesystem ?? false;
    if (execEnabled && readonlyRootFilesystem) {
      throw new Error(
        `${this.node.path}: container.readonlyRootFilesystem cannot be true while execEnabled is true: ECS Exec needs a writable root filesystem for the SSM agent it starts in the container`,
      );
    }
    const desiredCount = props.desiredCount ?? 1;
    const scaling = props.autoScaling;
    if (
      scaling &&
      (scaling.minCapacity > scaling.maxCapacity ||
        desiredCount < scaling.minCapacity ||
        desiredCount > scaling.maxCapacity)
    ) {
      throw new Error(
        `${this.node.path}: desiredCount (${desiredCount}) must lie within autoScaling.minCapacity (${scaling.minCapacity}) and maxCapacity (${scaling.maxCapacity})`,
      );
    }

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: props.logs.groupName,
      retentionInDays: props.logs.retentionDays,
      kmsKeyId: props.logs.kmsKeyArn,
      tags: { Name: props.logs.groupName },
    });

    const executionRoleName = props.executionRoleName ?? `${props.name}-execution`;
    this.executionRole = createExecutionRole(this, {
      context: props.context,
      serviceName: props.name,
      roleName: executionRoleName,
      container: props.container,
      logGroupArn: this.logGroup.arn,
      pullRepositoryArns: props.pullRepositoryArns ?? [],
      pullKmsKeyArns: props.pullKmsKeyArns ?? [],
    });
    this.taskRole = createTaskRole(this, {
      context: props.context,
      serviceName: props.name,
      roleName: props.taskRoleName,
      cluster: props.cluster,
      execEnabled,
      fileSystem: props.fileSystem,
    });

    this.containerDefinitions = [
      containerDefinition(props.container, {
        region: props.context.region,
        logGroupName: this.logGroup.name,
        fileSystem: props.fileSystem,
        volumeName: DATA_VOLUME,
        readonlyRootFilesystem,
      }),
    ];
    this.taskDefinition = new EcsTaskDefinition(this, 'task-definition', {
      family: props.name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(props.cpu),
      memory: String(props.memory),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: props.architecture ?? 'X86_64' },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      // Typed definitions serialized here; the ARNs inside are Terraform interpolations.
      containerDefinitions: JSON.stringify(this.containerDefinitions),
      volume: props.fileSystem
        ? [
            {
              name: DATA_VOLUME,
              efsVolumeConfiguration: {
                fileSystemId: props.fileSystem.fileSystemId,
                transitEncryption: 'ENABLED',
                authorizationConfig: { accessPointId: props.fileSystem.accessPointId, iam: 'ENABLED' },
              },
            },
          ]
        : undefined,
      tags: { Name: props.name },
    });

    const strategy = props.capacityProviderStrategy ?? [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }];
    this.service = new EcsService(this, 'service', {
      name: props.name,
      cluster: props.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount,
      enableExecuteCommand: execEnabled,
      platformVersion: props.platformVersion ?? 'LATEST',
      capacityProviderStrategy: strategy.map((share) => ({
        capacityProvider: share.capacityProvider,
        base: share.base ?? 0,
        weight: share.weight,
      })),
      networkConfiguration: {
        subnets: props.subnetIds,
        securityGroups: props.securityGroupIds,
        assignPublicIp: false,
      },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      loadBalancer: props.loadBalancer
        ? [
            {
              targetGroupArn: props.loadBalancer.targetGroupArn,
              containerName: props.container.name,
              containerPort: props.container.port,
            },
          ]
        : undefined,
      healthCheckGracePeriodSeconds: props.loadBalancer
        ? (props.loadBalancer.healthCheckGracePeriodSeconds ?? 60)
        : undefined,
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      tags: { Name: props.name },
      // Auto scaling changes the count; a plan must not set it back.
      lifecycle: { ignoreChanges: ['desired_count'] },
      // The strategy names providers the cluster must already have.
      dependsOn: [props.cluster.capacityProviders, ...(props.loadBalancer?.dependsOn ?? [])],
    });
    this.name = this.service.name;

    if (scaling) this.scalableTarget = this.createAutoScaling(props, scaling);
  }

  private createAutoScaling(
    props: FargateServiceProps,
    scaling: ServiceAutoScalingProps,
  ): AppautoscalingTarget {
    const target = new AppautoscalingTarget(this, 'scaling-target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.cluster.name}/${this.service.name}`,
      minCapacity: scaling.minCapacity,
      maxCapacity: scaling.maxCapacity,
    });
    const cooldowns = {
      scaleOutCooldown: scaling.scaleOutCooldownSeconds ?? 60,
      scaleInCooldown: scaling.scaleInCooldownSeconds ?? 60,
    };
    const track = (
      metric: string,
      targetValue: number,
      predefinedMetricType: string,
      resourceLabel?: string,
    ) =>
      new AppautoscalingPolicy(this, `scale-on-${metric}`, {
        name: `${props.name}-${metric}`,
        policyType: 'TargetTrackingScaling',
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue,
          predefinedMetricSpecification: { predefinedMetricType, resourceLabel },
          ...cooldowns,
        },
      });
    track('cpu', scaling.cpuTargetPercent ?? 60, 'ECSServiceAverageCPUUtilization');
    if (scaling.memoryTargetPercent !== undefined) {
      track('memory', scaling.memoryTargetPercent, 'ECSServiceAverageMemoryUtilization');
    }
    if (scaling.requestsPerTarget !== undefined) {
      track(
        'requests',
        scaling.requestsPerTarget.target,
        'ALBRequestCountPerTarget',
        scaling.requestsPerTarget.resourceLabel,
      );
    }
    return target;
  }
}
