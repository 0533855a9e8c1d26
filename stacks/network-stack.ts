import type { Construct } from 'constructs';
import { cloudWatchLogsKeyStatement, EncryptionKey } from '../modules/encryption-key';
import { Network } from '../modules/network';
import { ApplicationSecurityGroups } from '../modules/security-groups';
import { allowLoadBalancerIngress } from '../policy/guardrails';
import { BaseStack, type BaseStackProps } from './base-stack';

/**
 * `<env>-network`: the VPC, its subnets and routes, flow logs, and every security group, so no
 * stack depends on a later one for a group it must reference.
 */
export class NetworkStack extends BaseStack {
  readonly network: Network;
  readonly securityGroups: ApplicationSecurityGroups;
  /** KMS key for this stack's log groups. */
  readonly logsKey: EncryptionKey;

  constructor(scope: Construct, props: BaseStackProps) {
    super(scope, 'network', props);
    const { network } = this.environment;

    this.logsKey = new EncryptionKey(this, 'logs-key', {
      alias: this.resourceName('network-logs'),
      description: 'Encrypts the VPC flow logs',
      context: this.context,
      serviceStatements: [cloudWatchLogsKeyStatement(this.context)],
    });
    this.network = new Network(this, 'network', {
      context: this.context,
      namePrefix: this.environment.namePrefix,
      cidr: network.vpcCidr,
      availabilityZones: this.environment.availabilityZones,
      subnets: network.subnets,
      natGateways: network.natGateways,
      interfaceEndpoints: network.interfaceEndpoints,
      flowLogs: { retentionDays: this.environment.logRetentionDays, kmsKeyArn: this.logsKey.arn },
    });
    this.securityGroups = new ApplicationSecurityGroups(this, 'security-groups', {
      vpcId: this.network.vpcId,
      namePrefix: this.environment.namePrefix,
      containerPort: this.environment.containers.containerPort,
    });
    // The only group that accepts the internet (TCP 80 and 443): guardrail GR-SG-1's exception.
    allowLoadBalancerIngress(this.securityGroups.groups.alb);
  }
}
