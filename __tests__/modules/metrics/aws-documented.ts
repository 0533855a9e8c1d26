/**
 * What AWS documents for each namespace the estate reads, written here independently of the catalog
 * (`modules/metrics`): each metric's unit and every dimension set it is published with. The catalog and
 * every synthesized alarm and dashboard line are checked against it. The CloudWatch agent's metrics are
 * not here: their dimensions are whatever the agent's configuration aggregates by, so the tests read
 * them from that configuration.
 */
import type { MetricUnit } from '../../../modules/metrics';

interface DocumentedMetric {
  readonly unit: MetricUnit;
  /** Each set of dimension names the metric is published with (order does not matter to CloudWatch). */
  readonly dimensionSets: readonly (readonly string[])[];
}

interface DocumentedNamespace {
  /** The AWS document (title, section) the entries come from. */
  readonly source: string;
  readonly metrics: Readonly<Record<string, DocumentedMetric>>;
}

const ELB_LOAD_BALANCER = [['LoadBalancer'], ['AvailabilityZone', 'LoadBalancer']];
const ELB_ANY = [
  ...ELB_LOAD_BALANCER,
  ['LoadBalancer', 'TargetGroup'],
  ['AvailabilityZone', 'LoadBalancer', 'TargetGroup'],
];
const ELB_TARGET_GROUP = [
  ['LoadBalancer', 'TargetGroup'],
  ['AvailabilityZone', 'LoadBalancer', 'TargetGroup'],
];
const ECS_SERVICE = [['ClusterName'], ['ClusterName', 'ServiceName']];
const RDS_INSTANCE = [['DBInstanceIdentifier']];
const EFS = [['FileSystemId']];
const NAT = [['NatGatewayId']];

export const AWS_DOCUMENTED: Readonly<Record<string, DocumentedNamespace>> = {
  'AWS/ApplicationELB': {
    source:
      'Elastic Load Balancing, Application Load Balancers: "CloudWatch metrics for your Application Load Balancer" (Application Load Balancer metrics; Metric dimensions for Application Load Balancers)',
    metrics: {
      RequestCount: { unit: 'Count', dimensionSets: ELB_ANY },
      HTTPCode_ELB_5XX_Count: { unit: 'Count', dimensionSets: ELB_LOAD_BALANCER },
      RejectedConnectionCount: { unit: 'Count', dimensionSets: ELB_LOAD_BALANCER },
      HTTPCode_Target_5XX_Count: { unit: 'Count', dimensionSets: ELB_ANY },
      TargetResponseTime: { unit: 'Seconds', dimensionSets: ELB_ANY },
      HealthyHostCount: { unit: 'Count', dimensionSets: ELB_TARGET_GROUP },
      UnHealthyHostCount: { unit: 'Count', dimensionSets: ELB_TARGET_GROUP },
    },
  },
  'AWS/EC2': {
    source:
      'Amazon EC2 user guide: "CloudWatch metrics that are available for your instances" (Instance metrics; Amazon EC2 metric dimensions)',
    metrics: {
      CPUUtilization: {
        unit: 'Percent',
        dimensionSets: [[], ['AutoScalingGroupName'], ['ImageId'], ['InstanceId'], ['InstanceType']],
      },
    },
  },
  'AWS/AutoScaling': {
    source:
      'Amazon EC2 Auto Scaling user guide: "Amazon CloudWatch metrics for Amazon EC2 Auto Scaling" (Auto Scaling group metrics, which give no unit; Dimensions for Auto Scaling group metrics)',
    metrics: {
      GroupInServiceInstances: { unit: 'None', dimensionSets: [['AutoScalingGroupName']] },
      GroupDesiredCapacity: { unit: 'None', dimensionSets: [['AutoScalingGroupName']] },
    },
  },
  'AWS/ECS': {
    source: 'Amazon ECS developer guide: "Amazon ECS CloudWatch metrics"',
    metrics: {
      CPUUtilization: { unit: 'Percent', dimensionSets: ECS_SERVICE },
      MemoryUtilization: { unit: 'Percent', dimensionSets: ECS_SERVICE },
    },
  },
  'ECS/ContainerInsights': {
    source: 'CloudWatch user guide: "Amazon ECS Container Insights metrics"',
    metrics: {
      RunningTaskCount: { unit: 'Count', dimensionSets: [['ClusterName', 'ServiceName']] },
      DesiredTaskCount: { unit: 'Count', dimensionSets: [['ClusterName', 'ServiceName']] },
    },
  },
  'AWS/RDS': {
    source:
      'Amazon RDS user guide: "Amazon CloudWatch metrics for Amazon RDS" (instance-level metrics) and "Amazon CloudWatch dimensions for Amazon RDS"',
    metrics: {
      CPUUtilization: { unit: 'Percent', dimensionSets: RDS_INSTANCE },
      DatabaseConnections: { unit: 'Count', dimensionSets: RDS_INSTANCE },
      ReadLatency: { unit: 'Seconds', dimensionSets: RDS_INSTANCE },
      WriteLatency: { unit: 'Seconds', dimensionSets: RDS_INSTANCE },
      FreeStorageSpace: { unit: 'Bytes', dimensionSets: RDS_INSTANCE },
      FreeableMemory: { unit: 'Bytes', dimensionSets: RDS_INSTANCE },
    },
  },
  'AWS/EFS': {
    source: 'Amazon EFS user guide: "Amazon CloudWatch metrics for Amazon EFS"',
    metrics: {
      PercentIOLimit: { unit: 'Percent', dimensionSets: EFS },
      BurstCreditBalance: { unit: 'Bytes', dimensionSets: EFS },
      DataReadIOBytes: { unit: 'Bytes', dimensionSets: EFS },
      DataWriteIOBytes: { unit: 'Bytes', dimensionSets: EFS },
      MetadataIOBytes: { unit: 'Bytes', dimensionSets: EFS },
    },
  },
  'AWS/NATGateway': {
    source:
      'Amazon VPC user guide: "CloudWatch metrics for NAT gateways" (NAT gateway metrics and dimensions)',
    metrics: {
      ErrorPortAllocation: { unit: 'Count', dimensionSets: NAT },
      PacketsDropCount: { unit: 'Count', dimensionSets: NAT },
      BytesOutToDestination: { unit: 'Bytes', dimensionSets: NAT },
    },
  },
  'AWS/Billing': {
    source:
      'CloudWatch user guide: "Create a billing alarm to monitor your estimated AWS charges" (EstimatedCharges by Currency, optionally by ServiceName)',
    metrics: {
      EstimatedCharges: { unit: 'None', dimensionSets: [['Currency'], ['Currency', 'ServiceName']] },
    },
  },
};

/** Whether AWS documents `metricName` in `namespace` with exactly the dimensions `dimensionNames`. */
export function isDocumented(
  namespace: string,
  metricName: string,
  dimensionNames: readonly string[],
): boolean {
  const metric = AWS_DOCUMENTED[namespace]?.metrics[metricName];
  const wanted = [...dimensionNames].sort().join(',');
  return metric?.dimensionSets.some((set) => [...set].sort().join(',') === wanted) ?? false;
}
