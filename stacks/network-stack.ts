import type { Construct } from 'constructs';
import { DnsCertificate } from '../modules/dns-certificate';
import { cloudWatchLogsKeyStatement, EncryptionKey } from '../modules/encryption-key';
import { Network } from '../modules/network';
import { ApplicationSecurityGroups, type SecurityGroupRole } from '../modules/security-groups';
import type { SubnetTier } from '../modules/subnet-tier';
import { WebAcl } from '../modules/web-acl';
import { allowLoadBalancerIngress } from '../policy/guardrails';
import { BaseStack, type BaseStackProps } from './base-stack';
import type { NetworkAccess } from './contracts';

/**
 * `<env>-network`: the VPC, its subnets and routes, flow logs, and every security group, so no
 * stack depends on a later one for a group it must reference; and the edge the load balancers of
 * later stacks share: the domain's certificate and the WAF web ACL, when the environment has them.
 * Later stacks take it as its `NetworkAccess` contract.
 */
export class NetworkStack extends BaseStack implements NetworkAccess {
  /** The VPC with its subnets, routes, NAT gateways, endpoints and flow logs. */
  readonly vpc: Network;
  readonly securityGroups: ApplicationSecurityGroups;
  /** KMS key for this stack's log groups. */
  readonly logsKey: EncryptionKey;
  /** ACM certificate for the domain and its wildcard; only when the environment has a domain. */
  readonly certificate?: DnsCertificate;
  /** WAF web ACL for the load balancers; only when the environment turns WAF on. */
  readonly webAcl?: WebAcl;

  // The NetworkAccess contract (each field documented in contracts.ts): all later stacks see of this one.
  readonly vpcId: string;
  readonly availabilityZones: readonly string[];
  readonly subnetIds: Readonly<Record<SubnetTier, readonly string[]>>;
  readonly securityGroupIds: Readonly<Record<SecurityGroupRole, string>>;
  readonly listenerPorts: readonly number[];
  readonly certificateArn?: string;
  readonly webAclArn?: string;
  readonly natGatewayIdsByZone: Readonly<Record<string, string>>;

  constructor(scope: Construct, props: BaseStackProps) {
    super(scope, 'network', props);
    const { network } = this.environment;

    this.logsKey = new EncryptionKey(this, 'logs-key', {
      alias: this.resourceName('network-logs'),
      description: 'Encrypts the network log groups (VPC flow logs, WAF logs)',
      context: this.context,
      serviceStatements: [cloudWatchLogsKeyStatement(this.context)],
    });
    this.vpc = new Network(this, 'network', {
      context: this.context,
      namePrefix: this.environment.namePrefix,
      cidr: network.vpcCidr,
      availabilityZones: this.environment.availabilityZones,
      subnets: network.subnets,
      natGateways: network.natGateways,
      interfaceEndpoints: network.interfaceEndpoints,
      flowLogs: { retentionDays: this.environment.logRetentionDays, kmsKeyArn: this.logsKey.arn },
    });
    const { domain, waf } = this.environment;
    this.securityGroups = new ApplicationSecurityGroups(this, 'security-groups', {
      vpcId: this.vpc.vpcId,
      namePrefix: this.environment.namePrefix,
      containerPort: this.environment.containers.containerPort,
      // With a domain, the load balancers serve HTTPS on 443 and redirect 80; without, 80 only.
      listenerPorts: domain !== undefined ? [80, 443] : [80],
    });
    // The only group that accepts the internet, on its listener ports: guardrail GR-SG-1's exception.
    allowLoadBalancerIngress(this.securityGroups.groups.alb, {
      ports: this.securityGroups.listenerPorts,
      ipv6: false,
    });

    if (domain !== undefined) {
      this.certificate = new DnsCertificate(this, 'certificate', {
        domainName: domain.name,
        hostedZoneId: domain.hostedZoneId,
      });
    }
    if (waf.enabled) {
      this.webAcl = new WebAcl(this, 'web-acl', {
        name: this.resourceName('web-acl'),
        rateLimitPer5Minutes: waf.rateLimitPer5Minutes,
        bodyRuleExemptPaths: waf.bodyRuleExemptPaths,
        logs: { retentionDays: this.environment.logRetentionDays, kmsKeyArn: this.logsKey.arn },
      });
    }

    this.vpcId = this.vpc.vpcId;
    this.availabilityZones = this.vpc.availabilityZones;
    this.subnetIds = {
      public: this.vpc.subnetIds('public'),
      private: this.vpc.subnetIds('private'),
      database: this.vpc.subnetIds('database'),
    };
    this.securityGroupIds = mapValues(this.securityGroups.groups, (group) => group.id);
    this.listenerPorts = this.securityGroups.listenerPorts;
    this.certificateArn = this.certificate?.certificateArn;
    this.webAclArn = this.webAcl?.arn;
    this.natGatewayIdsByZone = mapValues(this.vpc.natGateways, (nat) => nat.id);
  }
}

function mapValues<K extends string, T, U>(
  record: Readonly<Record<K, T>>,
  map: (value: T) => U,
): Record<K, U> {
  return Object.fromEntries(Object.entries<T>(record).map(([key, value]) => [key, map(value)])) as Record<
    K,
    U
  >;
}
