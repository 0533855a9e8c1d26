import { TerraformOutput, TerraformStack } from 'cdktf';
import { SUBNET_TIERS } from '../../modules/subnet-tier';
import { NetworkStack } from '../../stacks/network-stack';
import { resourcesOf, testApp, testEnvironment } from '../helpers';
import { named, SynthesizedApp, synthesizeChecked } from './wiring';

describe('NetworkStack', () => {
  const environment = testEnvironment({ tags: { 'cost-center': 'platform' } });
  const stack = new NetworkStack(testApp(), { environment });
  const { json, config } = synthesizeChecked(stack);

  test('is named <env>-network', () => {
    expect(stack.node.id).toBe('dev-network');
  });

  test('the provider is pinned to the environment account and region, with the default tags', () => {
    expect(config.provider?.aws).toEqual([
      {
        region: 'ap-northeast-1',
        allowed_account_ids: ['123456789012'],
        default_tags: [
          {
            tags: {
              'cost-center': 'platform',
              project: 'aws-and-infra',
              environment: 'dev',
              stack: 'network',
              'managed-by': 'cdktf',
            },
          },
        ],
      },
    ]);
  });

  test('state goes to the environment bucket under <project>/<env>/<stack>.tfstate, locked and encrypted', () => {
    expect(config.terraform.backend).toEqual({
      s3: {
        bucket: 'aws-and-infra-dev-tfstate-123456789012',
        key: 'aws-and-infra/dev/network.tfstate',
        region: 'ap-northeast-1',
        dynamodb_table: 'aws-and-infra-dev-tflock',
        encrypt: true,
        // SSE-KMS under the state stack's key (without it, `encrypt` means SSE-S3).
        kms_key_id: 'arn:aws:kms:ap-northeast-1:123456789012:alias/aws-and-infra-dev-tfstate',
      },
    });
  });

  test('subnets follow the environment plan, per tier and zone', () => {
    const subnets = resourcesOf(config, 'aws_subnet').map((subnet) => [
      subnet.availability_zone,
      subnet.cidr_block,
    ]);
    expect(subnets.sort()).toEqual(
      [
        ['ap-northeast-1a', '10.0.10.0/24'],
        ['ap-northeast-1c', '10.0.11.0/24'],
        ['ap-northeast-1a', '10.0.20.0/24'],
        ['ap-northeast-1c', '10.0.21.0/24'],
        ['ap-northeast-1a', '10.0.30.0/24'],
        ['ap-northeast-1c', '10.0.31.0/24'],
      ].sort(),
    );
  });

  test('the NAT choice of the environment is honoured', () => {
    const single = synthesizeChecked(
      new NetworkStack(testApp(), { environment: testEnvironment({ network: { natGateways: 'single' } }) }),
    ).config;
    expect(resourcesOf(single, 'aws_nat_gateway')).toHaveLength(1);
    expect(resourcesOf(config, 'aws_nat_gateway')).toHaveLength(2);
  });

  test('flow logs keep the environment retention, encrypted with the stack key that CloudWatch Logs may use', () => {
    const keyId = Object.keys(config.resource?.aws_kms_key ?? {})[0];
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_cloudwatch_log_group' },
      {
        name: '/aws-and-infra-dev/vpc-flow-logs',
        retention_in_days: 30,
        kms_key_id: `\${aws_kms_key.${keyId}.arn}`,
      },
    );
  });

  test('exposes the security groups later stacks reference', () => {
    expect(Object.keys(stack.securityGroupIds).sort()).toEqual([
      'alb',
      'db',
      'db-admin',
      'efs',
      'tasks',
      'web',
    ]);
  });
});

describe('NetworkStack as its NetworkAccess contract', () => {
  test('a later stack reading each field reads exactly the right attribute of the right resource', () => {
    const environment = testEnvironment({
      domain: { name: 'example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
      waf: { enabled: true },
    });
    const app = testApp();
    const network = new NetworkStack(app, { environment });
    const consumer = new TerraformStack(app, 'consumer');
    const fields: Record<string, unknown> = {
      vpcId: network.vpcId,
      ...Object.fromEntries(
        SUBNET_TIERS.flatMap((tier) => network.subnetIds[tier].map((id, index) => [`${tier}-${index}`, id])),
      ),
      ...Object.fromEntries(Object.entries(network.securityGroupIds).map(([role, id]) => [`sg-${role}`, id])),
      certificateArn: network.certificateArn,
      webAclArn: network.webAclArn,
      ...Object.fromEntries(
        Object.entries(network.natGatewayIdsByZone).map(([zone, id]) => [`nat-${zone}`, id]),
      ),
    };
    for (const [name, value] of Object.entries(fields)) new TerraformOutput(consumer, name, { value });
    const wiring = new SynthesizedApp([consumer]);
    const read = (type: string, match: (body: Record<string, unknown>) => boolean, attribute: string) => ({
      value: wiring.readOf(network, type, match, attribute),
    });
    const any = () => true;
    const prefix = environment.namePrefix;
    const zones = ['ap-northeast-1a', 'ap-northeast-1c'];
    expect(wiring.config(consumer).output).toEqual({
      vpcId: read('aws_vpc', any, 'id'),
      ...Object.fromEntries(
        SUBNET_TIERS.flatMap((tier) =>
          zones.map((zone, index) => [
            `${tier}-${index}`,
            read('aws_subnet', named(`${prefix}-${tier}-${zone}`), 'id'),
          ]),
        ),
      ),
      ...Object.fromEntries(
        ['alb', 'web', 'tasks', 'db', 'efs', 'db-admin'].map((role) => [
          `sg-${role}`,
          read('aws_security_group', named(`${prefix}-${role}`), 'id'),
        ]),
      ),
      certificateArn: read('aws_acm_certificate_validation', any, 'certificate_arn'),
      webAclArn: read('aws_wafv2_web_acl', any, 'arn'),
      ...Object.fromEntries(
        zones.map((zone) => [`nat-${zone}`, read('aws_nat_gateway', named(`${prefix}-nat-${zone}`), 'id')]),
      ),
    });
    expect(network.availabilityZones).toEqual(zones);
    expect(network.listenerPorts).toEqual([80, 443]);
  });
});

describe('NetworkStack edge', () => {
  test('without a domain and with WAF off: no certificate, no web ACL', () => {
    const stack = new NetworkStack(testApp(), {
      environment: testEnvironment({ deletionProtection: false, domain: undefined }),
    });
    const { config } = synthesizeChecked(stack);
    expect(stack.certificate).toBeUndefined();
    expect(stack.webAcl).toBeUndefined();
    expect(config.resource?.aws_acm_certificate).toBeUndefined();
    expect(config.resource?.aws_wafv2_web_acl).toBeUndefined();
  });

  test('a domain brings a DNS-validated certificate for it and its wildcard', () => {
    const environment = testEnvironment({
      domain: { name: 'example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
    });
    const stack = new NetworkStack(testApp(), { environment });
    const { config } = synthesizeChecked(stack);
    expect(stack.certificate?.domainName).toBe('example.com');
    expect(resourcesOf(config, 'aws_acm_certificate')).toEqual([
      expect.objectContaining({ domain_name: 'example.com', subject_alternative_names: ['*.example.com'] }),
    ]);
    expect(resourcesOf(config, 'aws_route53_record')).toEqual([
      expect.objectContaining({ zone_id: 'Z0123456789ABCDEFGHIJ' }),
    ]);
    expect(resourcesOf(config, 'aws_acm_certificate_validation')).toHaveLength(1);
  });

  test('WAF on brings a web ACL with the configured rate limit, logged with the stack key', () => {
    const environment = testEnvironment({ waf: { enabled: true, rateLimitPer5Minutes: 700 } });
    const stack = new NetworkStack(testApp(), { environment });
    const { config } = synthesizeChecked(stack);
    const [webAcl] = resourcesOf(config, 'aws_wafv2_web_acl');
    expect(webAcl).toMatchObject({ name: 'aws-and-infra-dev-web-acl', scope: 'REGIONAL' });
    expect((webAcl.rule as Record<string, unknown>[])[0]).toMatchObject({
      statement: { rate_based_statement: { limit: 700 } },
    });
    const keyId = Object.keys(config.resource?.aws_kms_key ?? {})[0];
    expect(resourcesOf(config, 'aws_cloudwatch_log_group')).toContainEqual(
      expect.objectContaining({
        name: 'aws-waf-logs-aws-and-infra-dev-web-acl',
        retention_in_days: 30,
        kms_key_id: `\${aws_kms_key.${keyId}.arn}`,
      }),
    );
  });
});
