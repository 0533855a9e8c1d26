import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { serviceRole } from './iam/trust';
import { SUBNET_TIERS, type SubnetTier } from './subnet-tier';

export type { SubnetTier } from './subnet-tier';

/** How the private tier reaches the internet. */
export type NatGatewayMode = 'none' | 'single' | 'per-az';

export interface NetworkProps {
  readonly context: AwsContext;
  /** Prefix of every name, `<project>-<env>`. */
  readonly namePrefix: string;
  /** The VPC's IPv4 block. */
  readonly cidr: string;
  /** The zones to spread over, in order; the first hosts a `single` NAT gateway. */
  readonly availabilityZones: readonly string[];
  /** Subnet CIDR per tier and zone. Each subnet's identity is its tier and zone, never a list position. */
  readonly subnets: Readonly<Record<SubnetTier, Readonly<Record<string, string>>>>;
  /**
   * NAT gateways for the private tier. Each one is billed per hour and per GB processed; `per-az`
   * keeps egress up when a zone fails, `single` costs a third as much in two zones.
   * @default 'per-az'
   */
  readonly natGateways?: NatGatewayMode;
  /** Flow-log destination settings. */
  readonly flowLogs: {
    /** Days flow-log records are kept. */
    readonly retentionDays: number;
    /** KMS key that encrypts the flow-log group; its policy must let CloudWatch Logs use it. */
    readonly kmsKeyArn: string;
  };
  /**
   * Interface endpoints (service suffixes such as `ecr.api`) in the private subnets, for private
   * subnets without NAT. Each is billed per hour per zone.
   * @default []
   */
  readonly interfaceEndpoints?: readonly string[];
}

/**
 * A VPC over several zones with three tiers: public (route to an internet gateway), private (route
 * to NAT, if any) and database (no route out at all). Flow logs record every accepted and rejected
 * flow; the default security group allows nothing; S3 is reached through a gateway endpoint.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly vpcId: string;
  readonly cidr: string;
  readonly availabilityZones: readonly string[];
  /** Subnets by tier and zone. */
  readonly subnets: Readonly<Record<SubnetTier, Readonly<Record<string, Subnet>>>>;
  /** NAT gateways by the zone they stand in. */
  readonly natGateways: Readonly<Record<string, NatGateway>>;
  readonly flowLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const natMode = props.natGateways ?? 'per-az';
    const azs = props.availabilityZones;
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });
    this.cidr = props.cidr;
    this.availabilityZones = azs;

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      // EFS mount targets and interface endpoints resolve through the VPC's DNS.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: name('vpc'),
    });
    this.vpcId = this.vpc.id;

    // AWS creates the default group with allow-all rules; managing it with none strips them.
    new DefaultSecurityGroup(this, 'default-security-group', {
      vpcId: this.vpc.id,
      tags: name('default-deny-all'),
    });

    const subnets = {} as Record<SubnetTier, Record<string, Subnet>>;
    for (const tier of SUBNET_TIERS) {
      subnets[tier] = {};
      for (const az of azs) {
        const cidrBlock = props.subnets[tier][az];
        if (cidrBlock === undefined) throw new Error(`${this.node.path}: no ${tier} subnet for ${az}`);
        subnets[tier][az] = new Subnet(this, `${tier}-${az}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock,
          // Nothing gets a public address by itself: load balancers and NAT gateways bring their own.
          mapPublicIpOnLaunch: false,
          tags: { ...name(`${tier}-${az}`), Tier: tier },
        });
      }
    }
    this.subnets = subnets;

    const internetGateway = new InternetGateway(this, 'internet-gateway', {
      vpcId: this.vpc.id,
      tags: name('igw'),
    });
    const publicRoutes = new RouteTable(this, 'public-routes', { vpcId: this.vpc.id, tags: name('public') });
    new Route(this, 'public-default-route', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: internetGateway.id,
    });

    const natGateways: Record<string, NatGateway> = {};
    const natZones = natMode === 'per-az' ? azs : natMode === 'single' ? azs.slice(0, 1) : [];
    for (const az of natZones) {
      const address = new Eip(this, `nat-address-${az}`, { domain: 'vpc', tags: name(`nat-${az}`) });
      natGateways[az] = new NatGateway(this, `nat-${az}`, {
        allocationId: address.allocationId,
        subnetId: subnets.public[az].id,
        tags: name(`nat-${az}`),
        dependsOn: [internetGateway],
      });
    }
    this.natGateways = natGateways;

    const databaseRoutes = new RouteTable(this, 'database-routes', {
      vpcId: this.vpc.id,
      tags: name('database'),
    });
    const privateRouteTableIds: string[] = [];
    for (const az of azs) {
      new RouteTableAssociation(this, `public-${az}-routes`, {
        subnetId: subnets.public[az].id,
        routeTableId: publicRoutes.id,
      });
      // One private route table per zone, so each zone can use its own NAT gateway.
      const privateRoutes = new RouteTable(this, `private-routes-${az}`, {
        vpcId: this.vpc.id,
        tags: name(`private-${az}`),
      });
      privateRouteTableIds.push(privateRoutes.id);
      const nat = natGateways[az] ?? natGateways[natZones[0]];
      if (nat) {
        new Route(this, `private-default-route-${az}`, {
          routeTableId: privateRoutes.id,
          destinationCidrBlock: '0.0.0.0/0',
          natGatewayId: nat.id,
        });
      }
      new RouteTableAssociation(this, `private-${az}-routes`, {
        subnetId: subnets.private[az].id,
        routeTableId: privateRoutes.id,
      });
      new RouteTableAssociation(this, `database-${az}-routes`, {
        subnetId: subnets.database[az].id,
        routeTableId: databaseRoutes.id,
      });
    }

    // S3 through a gateway endpoint: free, and keeps package and image-layer traffic off NAT.
    new VpcEndpoint(this, 's3-endpoint', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.context.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateRouteTableIds,
      tags: name('s3'),
    });
    this.createInterfaceEndpoints(props, name);

    this.flowLogGroup = this.createFlowLogs(props);
  }

  /** Subnet ids of one tier, in zone order. */
  subnetIds(tier: SubnetTier): string[] {
    return this.availabilityZones.map((az) => this.subnets[tier][az].id);
  }

  /** NAT gateway ids, in zone order. */
  get natGatewayIds(): string[] {
    return Object.values(this.natGateways).map((nat) => nat.id);
  }

  private createInterfaceEndpoints(
    props: NetworkProps,
    name: (suffix: string) => Record<string, string>,
  ): void {
    const services = props.interfaceEndpoints ?? [];
    if (services.length === 0) return;
    const endpointGroup = new SecurityGroup(this, 'endpoints-security-group', {
      name: `${props.namePrefix}-endpoints`,
      description: 'HTTPS from the VPC to interface endpoints',
      vpcId: this.vpc.id,
      tags: name('endpoints'),
    });
    new VpcSecurityGroupIngressRule(this, 'endpoints-https-from-vpc', {
      securityGroupId: endpointGroup.id,
      description: 'HTTPS from inside the VPC',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.cidr,
    });
    for (const service of services) {
      new VpcEndpoint(this, `endpoint-${service}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.context.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.subnetIds('private'),
        securityGroupIds: [endpointGroup.id],
        tags: name(service),
      });
    }
  }

  private createFlowLogs(props: NetworkProps): CloudwatchLogGroup {
    const logGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: `/${props.namePrefix}/vpc-flow-logs`,
      retentionInDays: props.flowLogs.retentionDays,
      kmsKeyId: props.flowLogs.kmsKeyArn,
    });
    const role = serviceRole(this, 'flow-log-role', {
      trusted: { service: 'vpc-flow-logs' },
      context: props.context,
      trustId: 'flow-log-trust',
      name: `${props.namePrefix}-vpc-flow-logs`,
    });
    // The role policy of the VPC user guide ("IAM role for publishing flow logs to CloudWatch
    // Logs"), less CreateLogGroup (the group exists): DescribeLogGroups is a list action granted on
    // `*` there, as it does not name one group.
    const permissions = new DataAwsIamPolicyDocument(this, 'flow-log-permissions', {
      statement: [
        {
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [logGroup.arn, `${logGroup.arn}:*`],
        },
        { actions: ['logs:DescribeLogGroups'], resources: ['*'] },
      ],
    });
    new IamRolePolicy(this, 'flow-log-policy', {
      name: 'write-flow-logs',
      role: role.id,
      policy: permissions.json,
    });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${props.namePrefix}-vpc` },
    });
    return logGroup;
  }
}
