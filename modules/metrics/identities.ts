/**
 * The identities CloudWatch metrics are dimensioned by, for the services the alarms and the dashboard
 * watch. The stacks that own the resources fill them in; `stacks/contracts.ts` re-exports them, as
 * they cross from those stacks to the observability stack.
 */

/** What the alarms and graphs of a load balancer and its target group need (AWS/ApplicationELB). */
export interface LoadBalancerMetrics {
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
}

/** The web tier: its load balancer and its Auto Scaling group (AWS/EC2, AWS/AutoScaling, CWAgent). */
export interface WebTierMetrics extends LoadBalancerMetrics {
  readonly autoScalingGroupName: string;
}

/** The container service: its load balancer, cluster and service (AWS/ECS, ECS/ContainerInsights). */
export interface ContainerServiceMetrics extends LoadBalancerMetrics {
  readonly clusterName: string;
  readonly serviceName: string;
}

/** The database instance, as its metrics see it (AWS/RDS). */
export interface DatabaseMetrics {
  /** The `DBInstanceIdentifier` dimension. */
  readonly instanceIdentifier: string;
}

/** The shared file system, as its metrics see it (AWS/EFS). */
export interface FileSystemMetrics {
  readonly fileSystemId: string;
  /** Burst-credit metrics exist only in `bursting` mode. */
  readonly throughputMode: 'bursting' | 'elastic' | 'provisioned';
  /** PercentIOLimit exists only in `generalPurpose` mode. @default 'generalPurpose' */
  readonly performanceMode?: 'generalPurpose' | 'maxIO';
}
