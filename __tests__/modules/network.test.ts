import { Testing } from 'cdktf';
import { Network, type NetworkProps } from '../../modules/network';

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };
const zones = ['ap-northeast-1a', 'ap-northeast-1c'];
const subnets = {
  public: { 'ap-northeast-1a': '10.0.10.0/24', 'ap-northeast-1c': '10.0.11.0/24' },
  private: { 'ap-northeast-1a': '10.0.20.0/24', 'ap-northeast-1c': '10.0.21.0/24' },
  database: { 'ap-northeast-1a': '10.0.30.0/24', 'ap-northeast-1c': '10.0.31.0/24' },
};

function synthNetwork(overrides: Partial<NetworkProps> = {}) {
  const json = Testing.synthScope((scope) => {
    new Network(scope, 'network', {
      context,
      namePrefix: 'proj-dev',
      cidr: '10.0.0.0/16',
      availabilityZones: zones,
      subnets,
      flowLogs: { retentionDays: 30, kmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/test' },
      ...overrides,
    });
  });
  return { json, config: JSON.parse(json) };
}

type Body = Record<string, unknown>;
const bodies = (config: { resource: Record<string, Record<string, Body>> }, type: string): Body[] =>
  Object.values(config.resource[type] ?? {});

describe('Network', () => {
  test('creates a DNS-enabled VPC', () => {
    const { json } = synthNetwork();
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_vpc' },
      {
        cidr_block: '10.0.0.0/16',
        enable_dns_support: true,
        enable_dns_hostnames: true,
      },
    );
  });

  test('creates one subnet per tier and zone, keyed by tier and zone, none with public addresses', () => {
    const { config } = synthNetwork();
    const subnetsById = config.resource.aws_subnet as Record<string, Body>;
    const keys = Object.keys(subnetsById);
    expect(keys).toHaveLength(6);
    for (const [tier, byZone] of Object.entries(subnets)) {
      for (const [zone, cidr] of Object.entries(byZone)) {
        const key = keys.find((candidate) => candidate.startsWith(`network_${tier}-${zone}_`));
        expect(key).toBeDefined();
        expect(subnetsById[key as string]).toMatchObject({
          availability_zone: zone,
          cidr_block: cidr,
          map_public_ip_on_launch: false,
        });
      }
    }
  });

  test('adding a zone keeps the logical ids of existing subnets and NAT gateways', () => {
    const before = synthNetwork({ natGateways: 'per-az' }).config;
    const wider = {
      public: { ...subnets.public, 'ap-northeast-1d': '10.0.12.0/24' },
      private: { ...subnets.private, 'ap-northeast-1d': '10.0.22.0/24' },
      database: { ...subnets.database, 'ap-northeast-1d': '10.0.32.0/24' },
    };
    const after = synthNetwork({
      natGateways: 'per-az',
      availabilityZones: [...zones, 'ap-northeast-1d'],
      subnets: wider,
    }).config;
    for (const type of ['aws_subnet', 'aws_nat_gateway', 'aws_eip', 'aws_route_table']) {
      for (const [id, body] of Object.entries(before.resource[type] as Record<string, Body>)) {
        expect(after.resource[type][id]).toEqual(body);
      }
    }
  });

  test('the public tier routes to the internet gateway', () => {
    const { config } = synthNetwork();
    const publicRoutes = bodies(config, 'aws_route').filter((route) => 'gateway_id' in route);
    expect(publicRoutes).toEqual([
      {
        destination_cidr_block: '0.0.0.0/0',
        gateway_id: expect.stringMatching(/^\$\{aws_internet_gateway\.network_internet-gateway_\w+\.id\}$/),
        route_table_id: expect.stringContaining('network_public-routes_'),
      },
    ]);
  });

  test('per-az NAT: each private zone routes to the NAT gateway in its own zone', () => {
    const { config } = synthNetwork({ natGateways: 'per-az' });
    expect(bodies(config, 'aws_nat_gateway')).toHaveLength(2);
    const natRoutes = bodies(config, 'aws_route').filter((route) => 'nat_gateway_id' in route);
    expect(natRoutes.map((route) => [route.route_table_id, route.nat_gateway_id])).toEqual(
      zones.map((zone) => [
        expect.stringContaining(`private-routes-${zone}`),
        expect.stringContaining(`nat-${zone}`),
      ]),
    );
  });

  test('single NAT: one gateway, in the first zone, serving every private zone', () => {
    const { config } = synthNetwork({ natGateways: 'single' });
    const nats = config.resource.aws_nat_gateway as Record<string, Body>;
    expect(Object.keys(nats)).toEqual([expect.stringMatching(/^network_nat-ap-northeast-1a_/)]);
    const natRoutes = bodies(config, 'aws_route').filter((route) => 'nat_gateway_id' in route);
    expect(natRoutes).toHaveLength(2);
    expect(new Set(natRoutes.map((route) => route.nat_gateway_id)).size).toBe(1);
  });

  test('no NAT: private subnets have no default route', () => {
    const { config } = synthNetwork({ natGateways: 'none' });
    expect(config.resource.aws_nat_gateway).toBeUndefined();
    expect(bodies(config, 'aws_route')).toHaveLength(1);
  });

  test('the database tier has a route table with no routes at all', () => {
    const { config } = synthNetwork();
    const tables = config.resource.aws_route_table as Record<string, Body>;
    const databaseId = Object.keys(tables).find((id) => id.startsWith('network_database-routes_')) as string;
    const routes = bodies(config, 'aws_route').filter((route) =>
      String(route.route_table_id).includes(databaseId),
    );
    expect(routes).toEqual([]);
    const associations = bodies(config, 'aws_route_table_association').filter((association) =>
      String(association.route_table_id).includes(databaseId),
    );
    expect(associations.map((association) => association.subnet_id)).toEqual(
      zones.map((zone) => expect.stringContaining(`database-${zone}`)),
    );
  });

  test('flow logs record ALL traffic into an encrypted log group with retention, through a scoped role', () => {
    const { json, config } = synthNetwork();
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_flow_log' },
      {
        traffic_type: 'ALL',
        log_destination_type: 'cloud-watch-logs',
      },
    );
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_cloudwatch_log_group' },
      {
        retention_in_days: 30,
        kms_key_id: 'arn:aws:kms:ap-northeast-1:123456789012:key/test',
      },
    );
    const permissions = Object.entries(config.data.aws_iam_policy_document as Record<string, Body>).find(
      ([id]) => id.includes('flow-log-permissions'),
    )?.[1] as { statement: { resources: string[]; actions: string[] }[] };
    expect(permissions.statement[0].resources.every((arn) => arn.includes('aws_cloudwatch_log_group'))).toBe(
      true,
    );
    expect(permissions.statement[0].actions).not.toContain('logs:*');
  });

  test('the flow-log role may describe log groups, as the VPC user guide role policy has', () => {
    const { config } = synthNetwork();
    const permissions = Object.entries(config.data.aws_iam_policy_document as Record<string, Body>).find(
      ([id]) => id.includes('flow-log-permissions'),
    )?.[1] as { statement: unknown[] };
    expect(permissions.statement[1]).toEqual({ actions: ['logs:DescribeLogGroups'], resources: ['*'] });
  });

  test('only flow logs of this account and region may assume the flow-log role', () => {
    const { config } = synthNetwork();
    const trust = Object.entries(config.data.aws_iam_policy_document as Record<string, Body>).find(([id]) =>
      id.includes('flow-log-trust'),
    )?.[1];
    expect(trust).toEqual({
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] },
            {
              test: 'ArnLike',
              variable: 'aws:SourceArn',
              values: ['arn:aws:ec2:ap-northeast-1:123456789012:vpc-flow-log/*'],
            },
          ],
        },
      ],
    });
  });

  test('the default security group is managed with no rules', () => {
    const { config } = synthNetwork();
    const [defaultGroup] = bodies(config, 'aws_default_security_group');
    expect(defaultGroup.ingress).toBeUndefined();
    expect(defaultGroup.egress).toBeUndefined();
  });

  test('S3 is reached through a gateway endpoint on the private route tables', () => {
    const { json } = synthNetwork();
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_vpc_endpoint' },
      {
        service_name: 'com.amazonaws.ap-northeast-1.s3',
        vpc_endpoint_type: 'Gateway',
      },
    );
  });

  test('interface endpoints are created in the private subnets only when asked for', () => {
    expect(bodies(synthNetwork().config, 'aws_vpc_endpoint')).toHaveLength(1);
    const { config } = synthNetwork({ interfaceEndpoints: ['ecr.api', 'ssmmessages'] });
    const interfaces = bodies(config, 'aws_vpc_endpoint').filter(
      (endpoint) => endpoint.vpc_endpoint_type === 'Interface',
    );
    expect(interfaces.map((endpoint) => endpoint.service_name)).toEqual([
      'com.amazonaws.ap-northeast-1.ecr.api',
      'com.amazonaws.ap-northeast-1.ssmmessages',
    ]);
    expect(interfaces[0]).toMatchObject({
      private_dns_enabled: true,
      subnet_ids: zones.map((zone) => expect.stringContaining(`private-${zone}`)),
    });
  });

  test('a zone without a subnet in some tier fails at construction, naming it', () => {
    expect(() =>
      synthNetwork({ subnets: { ...subnets, database: { 'ap-northeast-1a': '10.0.30.0/24' } } }),
    ).toThrow('no database subnet for ap-northeast-1c');
  });
});
