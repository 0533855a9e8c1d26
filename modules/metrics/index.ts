/**
 * The metric catalog: per service, what AWS publishes and the statistic that answers the question
 * each metric is watched for. The alarms (`modules/alarms/`) and the dashboard widgets
 * (`modules/estate-dashboard.ts`) both take their metrics from here, so a graph and the alarm beside it
 * always show the same series.
 */
export * from './identities';
export * from './metric';
export { APPLICATION_ELB_METRICS, applicationElbMetrics } from './application-elb';
export { AUTO_SCALING_GROUP_METRICS, autoScalingGroupMetrics } from './auto-scaling-group';
export { BILLING_METRICS, billingMetrics } from './billing';
export { ECS_SERVICE_METRICS, ecsServiceMetrics } from './ecs-service';
export { EFS_FILE_SYSTEM_METRICS, efsFileSystemMetrics } from './efs-file-system';
export { logFilterCount, logFilterCountDefinition } from './log-filter-count';
export { NAT_GATEWAY_METRICS, natGatewayMetrics } from './nat-gateway';
export { RDS_INSTANCE_METRICS, rdsInstanceMetrics } from './rds-instance';

import { APPLICATION_ELB_METRICS } from './application-elb';
import { AUTO_SCALING_GROUP_METRICS } from './auto-scaling-group';
import { BILLING_METRICS } from './billing';
import { ECS_SERVICE_METRICS } from './ecs-service';
import { EFS_FILE_SYSTEM_METRICS } from './efs-file-system';
import type { MetricDefinition } from './metric';
import { NAT_GATEWAY_METRICS } from './nat-gateway';
import { RDS_INSTANCE_METRICS } from './rds-instance';

/** Every AWS-published metric of the catalog, by service (the log-filter counts are the estate's own). */
export const METRIC_CATALOG: Readonly<Record<string, Readonly<Record<string, MetricDefinition>>>> = {
  applicationElb: APPLICATION_ELB_METRICS,
  autoScalingGroup: AUTO_SCALING_GROUP_METRICS,
  billing: BILLING_METRICS,
  ecsService: ECS_SERVICE_METRICS,
  efsFileSystem: EFS_FILE_SYSTEM_METRICS,
  natGateway: NAT_GATEWAY_METRICS,
  rdsInstance: RDS_INSTANCE_METRICS,
};
