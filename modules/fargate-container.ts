/**
 * The container of a Fargate service: its props, and the typed ECS container definition built from
 * them (what the task definition serializes).
 */

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

/** The one container of a Fargate service's task. */
export interface FargateContainerProps {
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
}

/** Where the container runs: what its definition needs beyond its own props. */
export interface ContainerDefinitionContext {
  readonly region: string;
  /** The log group the `awslogs` driver writes to. */
  readonly logGroupName: string;
  /** Mounted at its `containerPath` from the task volume `volumeName`. @default undefined (none) */
  readonly fileSystem?: ServiceFileSystem;
  /** The task definition's volume of `fileSystem`. */
  readonly volumeName: string;
  /** Conflicts with ECS Exec (the service checks). */
  readonly readonlyRootFilesystem: boolean;
}

/**
 * The container definition ECS receives; environment and secrets sorted by name, so a reordered
 * map is not a new task definition.
 */
export function containerDefinition(
  container: FargateContainerProps,
  where: ContainerDefinitionContext,
): ContainerDefinition {
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
        'awslogs-group': where.logGroupName,
        'awslogs-region': where.region,
        'awslogs-stream-prefix': container.name,
      },
    },
    // An init process reaps the zombies exec sessions leave behind (ECS Exec user guide).
    linuxParameters: { initProcessEnabled: true },
    readonlyRootFilesystem: where.readonlyRootFilesystem,
    mountPoints: where.fileSystem
      ? [{ sourceVolume: where.volumeName, containerPath: where.fileSystem.containerPath, readOnly: false }]
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
