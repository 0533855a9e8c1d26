import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { TerraformOutput, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { ContainerRepository } from '../modules/container-repository';
import { cloudWatchLogsKeyStatement, EncryptionKey } from '../modules/encryption-key';
import { FargateCluster } from '../modules/fargate-cluster';
import { FargateService, type CapacityProviderShare } from '../modules/fargate-service';
import { assertListenerPortsOpen, PublicLoadBalancer } from '../modules/public-load-balancer';
import { BaseStack, type BaseStackProps } from './base-stack';
import {
  appServiceNames,
  efsClientRoleNames,
  type ContainerServiceMetrics,
  type DatabaseAccess,
  type FileSystemAccess,
  type NetworkAccess,
} from './contracts';

export interface ContainersStackProps extends BaseStackProps {
  /** The public and private subnets, the `alb` and `tasks` groups, the certificate and web ACL. */
  readonly network: NetworkAccess;
  readonly database: DatabaseAccess;
  /** The EFS access point of the app's persistent data. */
  readonly appFiles: FileSystemAccess;
}

/**
 * The container's database settings: none unless the app has a database of its own, then its host,
 * port and name, and its own user's credentials from that user's rotated secret (never the master's).
 * ECS reads the secret when a task starts.
 */
export function containerDatabaseSettings(wanted: boolean, database: DatabaseAccess) {
  if (!wanted) return {};
  const app = database.app;
  if (app === undefined)
    throw new Error('containers.database is set but the data stack made no database for the app');
  return {
    environment: {
      DB_HOST: database.address,
      DB_PORT: Token.asString(database.port),
      DB_DATABASE: app.databaseName,
    },
    secrets: {
      DB_USERNAME: { secretArn: app.secretArn, jsonKey: 'username' },
      DB_PASSWORD: { secretArn: app.secretArn, jsonKey: 'password' },
    },
    secretKmsKeyArns: [app.secretKmsKeyArn],
  };
}

/**
 * `<env>-containers`: ECR repositories, an ECS cluster with ECS Exec recorded, and the app as a
 * Fargate service in the private subnets behind a load balancer of its own, auto scaled on CPU.
 */
export class ContainersStack extends BaseStack {
  readonly repositories: Readonly<Record<string, ContainerRepository>>;
  readonly cluster: FargateCluster;
  /** The app's Fargate service (construct id `app`). */
  readonly appService: FargateService;
  readonly loadBalancer: PublicLoadBalancer;
  /** Encrypts the ECR repositories. */
  readonly imagesKey: EncryptionKey;
  /** Encrypts the app and exec log groups. */
  readonly logsKey: EncryptionKey;
  /** What the observability stack's alarms and dashboard watch the app's service by. */
  readonly appServiceMetrics: ContainerServiceMetrics;
  /** Where users reach the app: the DNS record when there is one, else the load balancer. */
  readonly url: string;
  /** The command that opens a shell in a task (`<TASK_ID>` left to fill in). */
  readonly execCommand: string;

  constructor(scope: Construct, props: ContainersStackProps) {
    super(scope, 'containers', props);
    const { environment, context } = this;
    const config = environment.containers;
    const { network } = props;

    this.imagesKey = new EncryptionKey(this, 'images-key', {
      alias: this.resourceName('ecr'),
      description: 'Encrypts the container images in ECR',
      context,
    });
    this.logsKey = new EncryptionKey(this, 'logs-key', {
      alias: this.resourceName('containers-logs'),
      description: 'Encrypts the container and ECS Exec log groups',
      context,
      serviceStatements: [cloudWatchLogsKeyStatement(context)],
    });

    const repositories: Record<string, ContainerRepository> = {};
    for (const [name, repository] of Object.entries(config.repositories)) {
      repositories[name] = new ContainerRepository(this, `repository-${name}`, {
        name: `${environment.namePrefix}/${name}`,
        kmsKeyArn: this.imagesKey.arn,
        mutableTags: repository.mutableTags,
        untaggedImageExpiryDays: config.untaggedImageExpiryDays,
        taggedImagesKept: config.taggedImagesKept,
        // Images in a protected environment outlive a destroy; elsewhere they go with it.
        forceDelete: !environment.deletionProtection,
      });
    }
    this.repositories = repositories;

    // The data stack's database-users function redeploys this service by these names.
    const names = appServiceNames(environment.namePrefix, config.clusterName);
    const clusterName = names.cluster;
    this.cluster = new FargateCluster(this, 'cluster', {
      context,
      name: clusterName,
      execLogGroupName: `/${environment.namePrefix}/ecs/exec`,
      execLogRetentionDays: environment.logRetentionDays,
      logsKmsKeyArn: this.logsKey.arn,
    });

    const serviceName = names.service;
    this.loadBalancer = new PublicLoadBalancer(this, 'load-balancer', {
      context,
      name: serviceName,
      vpcId: network.vpcId,
      subnetIds: [...network.subnetIds.public],
      securityGroupId: network.securityGroupIds.alb,
      accessLogBucketName: `${this.resourceName('app-alb-logs')}-${context.accountId}`,
      accessLogBucketForceDestroy: !environment.deletionProtection,
      deletionProtection: environment.deletionProtection,
      // The network stack's certificate and web ACL, shared with the web tier.
      certificateArn: network.certificateArn,
      webAclArn: network.webAclArn,
      targetType: 'ip',
      targetPort: config.containerPort,
      healthCheck: { path: config.healthCheckPath },
      // Tasks drain quickly; the 300 s default would slow every rolling deployment.
      deregistrationDelaySeconds: 30,
    });
    // The network stack opened the load balancer group for these listeners, and only these.
    assertListenerPortsOpen(this, this.loadBalancer, network);

    const image =
      'reference' in config.image
        ? config.image.reference
        : `${repositories[config.image.repository].url}:${config.image.tag}`;
    const strategy: CapacityProviderShare[] = Object.entries(config.capacityProviders).map(
      ([capacityProvider, share]) => ({
        capacityProvider: capacityProvider as CapacityProviderShare['capacityProvider'],
        base: share.base,
        weight: share.weight,
      }),
    );

    this.appService = new FargateService(this, 'app', {
      context,
      name: serviceName,
      cluster: this.cluster,
      cpu: config.cpu,
      memory: config.memory,
      architecture: config.architecture,
      taskRoleName: efsClientRoleNames(environment.namePrefix).app,
      container: {
        name: config.containerName,
        image,
        port: config.containerPort,
        ...containerDatabaseSettings(config.database !== undefined, props.database),
        healthCheck: config.containerHealthCheck,
        readonlyRootFilesystem: config.readonlyRootFilesystem,
      },
      pullRepositoryArns: Object.values(repositories).map((repository) => repository.arn),
      pullKmsKeyArns: [this.imagesKey.arn],
      logs: {
        groupName: `/${environment.namePrefix}/ecs/app`,
        retentionDays: environment.logRetentionDays,
        kmsKeyArn: this.logsKey.arn,
      },
      fileSystem: { ...props.appFiles, containerPath: config.dataPath },
      execEnabled: config.execEnabled,
      subnetIds: [...network.subnetIds.private],
      securityGroupIds: [network.securityGroupIds.tasks],
      platformVersion: config.platformVersion,
      capacityProviderStrategy: strategy,
      desiredCount: config.desiredCount,
      loadBalancer: {
        targetGroupArn: this.loadBalancer.targetGroup.arn,
        dependsOn: [this.loadBalancer.forwardingListener],
        healthCheckGracePeriodSeconds: config.healthCheckGracePeriodSeconds,
      },
      autoScaling: {
        minCapacity: config.minCapacity,
        maxCapacity: config.maxCapacity,
        cpuTargetPercent: config.cpuTargetPercent,
        memoryTargetPercent: config.memoryTargetPercent,
        requestsPerTarget:
          config.requestsPerTarget === undefined
            ? undefined
            : {
                resourceLabel: `${this.loadBalancer.arnSuffix}/${this.loadBalancer.targetGroupArnSuffix}`,
                target: config.requestsPerTarget,
              },
        scaleOutCooldownSeconds: config.scaleOutCooldownSeconds,
        scaleInCooldownSeconds: config.scaleInCooldownSeconds,
      },
    });

    this.appServiceMetrics = {
      clusterName: this.cluster.name,
      serviceName: this.appService.name,
      loadBalancerArnSuffix: this.loadBalancer.arnSuffix,
      targetGroupArnSuffix: this.loadBalancer.targetGroupArnSuffix,
    };

    const domain = environment.domain;
    if (domain !== undefined) {
      const hostName = `${config.subdomain}.${domain.name}`;
      new Route53Record(this, 'app-alias', {
        zoneId: domain.hostedZoneId,
        name: hostName,
        type: 'A',
        alias: {
          name: this.loadBalancer.dnsName,
          zoneId: this.loadBalancer.zoneId,
          evaluateTargetHealth: true,
        },
      });
      this.url = `https://${hostName}`;
    } else {
      this.url = this.loadBalancer.url;
    }

    this.execCommand =
      `aws ecs execute-command --region ${environment.region} --cluster ${clusterName}` +
      ` --task <TASK_ID> --container ${config.containerName} --interactive --command /bin/sh`;

    new TerraformOutput(this, 'cluster-name', { value: this.cluster.name, description: 'ECS cluster' });
    new TerraformOutput(this, 'service-name', {
      value: this.appService.name,
      description: 'ECS service of the app',
    });
    new TerraformOutput(this, 'url', { value: this.url, description: 'Where the app answers' });
    new TerraformOutput(this, 'exec-command', {
      value: this.execCommand,
      description: 'Opens a shell in a task; <TASK_ID> from `aws ecs list-tasks` (see docs/operations.md)',
    });
  }
}
