import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { mountThroughAccessPointStatement } from './file-system';
import type { FargateCluster } from './fargate-cluster';

/**
 * The subset of an ECS container definition this module writes, typed so the JSON cannot be
 * misspelt (Amazon ECS API reference, `ContainerDefinition`). Values AWS would fill in on its own
 * (`essential`, `hostPort` under awsvpc, `readOnly`, health-check timings) are stated, so what
 * Terraform sends is what AWS returns.
 */
export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  readonly portMappings: readonly {
    readonly name: string;
    readonly containerPort: number;
    readonly hostPort: number;
    readonly protocol: 'tcp';
    readonly appProtocol: 'http';
  }[];
  readonly environment: readonly { readonly name: string; readonly value: string }[];
  readonly secrets: readonly { readonly name: string; readonly valueFrom: string }[];
  readonly logConfiguration: {
    readonly logDriver: 'awslogs';
    readonly options: Readonly<Record<string, string>>;
  };
  readonly linuxParameters: { readonly initProcessEnabled: boolean };
  readonly readonlyRootFilesystem: boolean;
  readonly mountPoints: readonly {
    readonly sourceVolume: string;
    readonly containerPath: string;
    readonly readOnly: boolean;
  }[];
  readonly healthCheck?: {
    readonly command: readonly string[];
    readonly interval: number;
    readonly timeout: number;
    readonly retries: number;
    readonly startPeriod: number;
  };
}

/** A check the container runs on itself; its exit code decides health. */
export interface ContainerHealthCheckProps {
  /** Shell command (`CMD-SHELL`); exit 0 is healthy. */
  readonly command: string;
  /** @default 30 */
  readonly intervalSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly retries?: number;
  /** @default 0 */
  readonly startPeriodSeconds?: number;
}

/** A value injected from a Secrets Manager secret (the task reads it at start, never in plain text). */
export interface ContainerSecret {
  readonly secretArn: string;
  /** A key of the secret's JSON; the whole secret string when omitted. */
  readonly jsonKey?: string;
}

/** The EFS access point the task mounts (transit encryption and IAM authorization always on). */
export interface ServiceFileSystem {
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  readonly accessPointId: string;
  readonly accessPointArn: string;
  /** Where the container sees it. */
  readonly containerPath: string;
}

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
  readonly container: {
    readonly name: string;
    /** Full image reference, e.g. `<repository url>:<tag>`. */
    readonly image: string;
    readonly port: number;
    /** Plain, non-secret environment values. @default {} */
    readonly environment?: Readonly<Record<string, string>>;
    /** Environment values read from Secrets Manager at task start. @default {} */
    readonly secrets?: Readonly<Record<string, ContainerSecret>>;
    /** KMS keys of those secrets; the execution role may decrypt with them. @default [] */
    readonly secretKmsKeyArns?: readonly string[];
    /** @default undefined (none) */
    readonly healthCheck?: ContainerHealthCheckProps;
    /** Conflicts with `execEnabled`. @default false */
    readonly readonlyRootFilesystem?: boolean;
  };
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

const ECS_TASKS = 'ecs-tasks.amazonaws.com';
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

    this.executionRole = this.createExecutionRole(props);
    this.taskRole = this.createTaskRole(props, execEnabled);

    this.containerDefinitions = [this.containerDefinition(props, readonlyRootFilesystem)];
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

  private containerDefinition(
    props: FargateServiceProps,
    readonlyRootFilesystem: boolean,
  ): ContainerDefinition {
    const { container } = props;
    const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
    const health = container.healthCheck;
    return {
      name: container.name,
      image: container.image,
      essential: true,
      portMappings: [
        {
          name: `${container.name}-${container.port}`,
          containerPort: container.port,
          hostPort: container.port,
          protocol: 'tcp',
          appProtocol: 'http',
        },
      ],
      environment: Object.entries(container.environment ?? {})
        .map(([name, value]) => ({ name, value }))
        .sort(byName),
      secrets: Object.entries(container.secrets ?? {})
        .map(([name, secret]) => ({
          name,
          // `<arn>:<json key>:<version stage>:<version id>`; empty parts mean the current version.
          valueFrom:
            secret.jsonKey === undefined ? secret.secretArn : `${secret.secretArn}:${secret.jsonKey}::`,
        }))
        .sort(byName),
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': this.logGroup.name,
          'awslogs-region': props.context.region,
          'awslogs-stream-prefix': container.name,
        },
      },
      // An init process reaps the zombies exec sessions leave behind (ECS Exec user guide).
      linuxParameters: { initProcessEnabled: true },
      readonlyRootFilesystem,
      mountPoints: props.fileSystem
        ? [{ sourceVolume: DATA_VOLUME, containerPath: props.fileSystem.containerPath, readOnly: false }]
        : [],
      healthCheck: health
        ? {
            command: ['CMD-SHELL', health.command],
            interval: health.intervalSeconds ?? 30,
            timeout: health.timeoutSeconds ?? 5,
            retries: health.retries ?? 3,
            startPeriod: health.startPeriodSeconds ?? 0,
          }
        : undefined,
    };
  }

  /** Trust for ECS tasks of this account only (confused-deputy guard). */
  private trustPolicy(id: string, context: AwsContext): DataAwsIamPolicyDocument {
    return new DataAwsIamPolicyDocument(this, id, {
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [ECS_TASKS] }],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [context.accountId] },
            {
              test: 'ArnLike',
              variable: 'aws:SourceArn',
              values: [`arn:${context.partition}:ecs:${context.region}:${context.accountId}:*`],
            },
          ],
        },
      ],
    });
  }

  private createExecutionRole(props: FargateServiceProps): IamRole {
    const role = new IamRole(this, 'execution-role', {
      name: props.executionRoleName ?? `${props.name}-execution`,
      description: `Starts ${props.name} tasks: pulls their images, writes their logs, reads their secrets`,
      assumeRolePolicy: this.trustPolicy('execution-trust', props.context).json,
      tags: { Name: props.executionRoleName ?? `${props.name}-execution` },
    });
    const repositories = [...(props.pullRepositoryArns ?? [])];
    const secretArns = [
      ...new Set(Object.values(props.container.secrets ?? {}).map((secret) => secret.secretArn)),
    ];
    const keys = [...(props.pullKmsKeyArns ?? []), ...(props.container.secretKmsKeyArns ?? [])];
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: 'WriteContainerLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${this.logGroup.arn}:*`],
      },
    ];
    if (repositories.length > 0) {
      statements.push(
        {
          sid: 'EcrLogin',
          // GetAuthorizationToken has no resource-level permissions: AWS requires "*" (ECR user guide,
          // "Private registry authentication"). The token alone grants nothing; pulls are scoped below.
          actions: ['ecr:GetAuthorizationToken'],
          resources: ['*'],
        },
        {
          sid: 'PullImages',
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
          resources: repositories,
        },
      );
    }
    if (secretArns.length > 0) {
      statements.push({
        sid: 'ReadSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: secretArns,
      });
    }
    if (keys.length > 0) {
      statements.push({ sid: 'DecryptImagesAndSecrets', actions: ['kms:Decrypt'], resources: keys });
    }
    new IamRolePolicy(this, 'execution-policy', {
      name: 'start-tasks',
      role: role.id,
      policy: new DataAwsIamPolicyDocument(this, 'execution-permissions', { statement: statements }).json,
    });
    return role;
  }

  private createTaskRole(props: FargateServiceProps, execEnabled: boolean): IamRole {
    const role = new IamRole(this, 'task-role', {
      name: props.taskRoleName,
      description: `What ${props.name} tasks may call: ECS Exec channels and the shared file system`,
      assumeRolePolicy: this.trustPolicy('task-trust', props.context).json,
      tags: { Name: props.taskRoleName },
    });
    const statements: DataAwsIamPolicyDocumentStatement[] = [];
    if (execEnabled) {
      const { cluster } = props;
      statements.push(
        {
          sid: 'ExecChannels',
          // Session Manager's message channels have no resource-level permissions: AWS requires "*"
          // (ECS developer guide, "ECS Exec", task IAM role permissions).
          actions: [
            'ssmmessages:CreateControlChannel',
            'ssmmessages:CreateDataChannel',
            'ssmmessages:OpenControlChannel',
            'ssmmessages:OpenDataChannel',
          ],
          resources: ['*'],
        },
        {
          sid: 'ExecSessionKey',
          actions: ['kms:Decrypt'],
          resources: [cluster.execKey.arn],
        },
        {
          sid: 'ExecLogGroupCheck',
          // The agent checks the exec log group is encrypted; DescribeLogGroups is not scoped to a
          // group by AWS, so it needs "*" (ECS developer guide, "ECS Exec", logging permissions).
          actions: ['logs:DescribeLogGroups'],
          resources: ['*'],
        },
        {
          sid: 'ExecSessionLogs',
          actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          resources: [`${cluster.execLogGroup.arn}:*`],
        },
      );
    }
    if (props.fileSystem) {
      statements.push(mountThroughAccessPointStatement('MountThroughAccessPoint', props.fileSystem));
    }
    if (statements.length > 0) {
      new IamRolePolicy(this, 'task-policy', {
        name: 'exec-and-file-system',
        role: role.id,
        policy: new DataAwsIamPolicyDocument(this, 'task-permissions', { statement: statements }).json,
      });
    }
    return role;
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
