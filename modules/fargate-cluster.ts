import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { EncryptionKey } from './encryption-key';

export interface FargateClusterProps {
  readonly context: AwsContext;
  /** Cluster name (1-255 letters, digits, hyphens, underscores). */
  readonly name: string;
  /** Log group that records every ECS Exec session (commands and output). */
  readonly execLogGroupName: string;
  /** Days exec session logs are kept (a CloudWatch Logs retention value). */
  readonly execLogRetentionDays: number;
  /** KMS key of the exec log group; its policy must let CloudWatch Logs use it. */
  readonly logsKmsKeyArn: string;
  /**
   * Container Insights metrics for the cluster's tasks and services (charged as custom metrics).
   * @default true
   */
  readonly containerInsights?: boolean;
}

/**
 * An ECS cluster for Fargate: Container Insights on, FARGATE and FARGATE_SPOT available to its
 * services, and ECS Exec configured so every session is encrypted with a key of its own and
 * recorded (`OVERRIDE` logging) in an encrypted log group with retention.
 */
export class FargateCluster extends Construct {
  readonly cluster: EcsCluster;
  readonly name: string;
  readonly arn: string;
  /** Encrypts exec sessions; tasks need kms:Decrypt and operators kms:GenerateDataKey on it. */
  readonly execKey: EncryptionKey;
  readonly execLogGroup: CloudwatchLogGroup;
  /** Services that use a capacity-provider strategy must depend on this. */
  readonly capacityProviders: EcsClusterCapacityProviders;

  constructor(scope: Construct, id: string, props: FargateClusterProps) {
    super(scope, id);

    this.execKey = new EncryptionKey(this, 'exec-key', {
      alias: `${props.name}-ecs-exec`,
      description: `Encrypts ECS Exec sessions of cluster ${props.name}`,
      context: props.context,
    });
    this.execLogGroup = new CloudwatchLogGroup(this, 'exec-log-group', {
      name: props.execLogGroupName,
      retentionInDays: props.execLogRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
      tags: { Name: props.execLogGroupName },
    });

    this.cluster = new EcsCluster(this, 'cluster', {
      name: props.name,
      setting: [
        { name: 'containerInsights', value: (props.containerInsights ?? true) ? 'enabled' : 'disabled' },
      ],
      configuration: {
        executeCommandConfiguration: {
          kmsKeyId: this.execKey.arn,
          logging: 'OVERRIDE',
          logConfiguration: {
            cloudWatchLogGroupName: this.execLogGroup.name,
            // The agent refuses to log into a group that is not encrypted.
            cloudWatchEncryptionEnabled: true,
          },
        },
      },
      tags: { Name: props.name },
    });
    this.name = this.cluster.name;
    this.arn = this.cluster.arn;

    this.capacityProviders = new EcsClusterCapacityProviders(this, 'capacity-providers', {
      clusterName: this.cluster.name,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    });
  }
}
