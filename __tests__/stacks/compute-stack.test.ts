import type { EnvironmentConfig } from '../../config';
import { assertListenerPortsOpen } from '../../modules/public-load-balancer';
import { ComputeStack } from '../../stacks/compute-stack';
import { NetworkStack } from '../../stacks/network-stack';
import { resourcesOf, testApp, testEnvironment, type SynthesizedConfig } from '../helpers';
import { FakeDataStack } from './fake-data-stack';
import { named, SynthesizedApp, where } from './wiring';

type Body = Record<string, unknown>;

const domain = { name: 'example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };

/**
 * A compute stack wired to a network stack and a stand-in data stack, synthesized with its cross-stack
 * reads after the guardrails passed on it.
 */
function synthCompute(environment: EnvironmentConfig) {
  const app = testApp();
  const network = new NetworkStack(app, { environment });
  const data = new FakeDataStack(app, environment);
  const stack = new ComputeStack(app, {
    environment,
    network,
    database: data.database,
    sharedFiles: data.webFiles,
  });
  const wiring = new SynthesizedApp([stack]);
  const config = wiring.config(stack) as SynthesizedConfig & { locals: Record<string, string> };
  /** What the compute stack reads of the network and data stacks. */
  const reads = {
    subnets: (tier: string) =>
      ZONES.map((zone) => wiring.readOf(network, 'aws_subnet', named(`${PREFIX}-${tier}-${zone}`), 'id')),
    group: (role: string) => wiring.readOf(network, 'aws_security_group', named(`${PREFIX}-${role}`), 'id'),
    certificate: () =>
      wiring.readOf(network, 'aws_acm_certificate_validation', () => true, 'certificate_arn'),
    webAcl: () => wiring.readOf(network, 'aws_wafv2_web_acl', () => true, 'arn'),
    secret: (name: string) => wiring.readOf(data, 'aws_secretsmanager_secret', where('name', name), 'arn'),
    database: (attribute: string) => wiring.readOf(data, 'aws_db_instance', () => true, attribute),
  };
  return { stack, network, data, config, reads };
}

const PREFIX = 'aws-and-infra-dev';
const ZONES = ['ap-northeast-1a', 'ap-northeast-1c'];

const only = (config: SynthesizedConfig, type: string): Body => {
  const bodies = resourcesOf(config, type);
  expect(bodies).toHaveLength(1);
  return bodies[0];
};

const unpinnedImageWarning =
  'web.imageId is not set: every launch (scale-out, replacement) boots the latest Amazon Linux 2023 image, so the OS can change without a reviewed commit; pin web.imageId (docs/operations.md, "Pinning the image")';

const warnings = (stack: ComputeStack) =>
  stack.node.metadata.filter((entry) => entry.type === '@cdktf/warn').map((entry) => entry.data);

describe('ComputeStack without a domain (dev)', () => {
  const environment = testEnvironment({ deletionProtection: false, domain: undefined });
  const { stack, config, reads } = synthCompute(environment);

  test('is named <env>-compute', () => {
    expect(stack.node.id).toBe('dev-compute');
  });

  test('serves plain HTTP only, and says so in a warning', () => {
    expect(resourcesOf(config, 'aws_lb_listener')).toEqual([
      expect.objectContaining({
        port: 80,
        protocol: 'HTTP',
        default_action: [expect.objectContaining({ type: 'forward' })],
      }),
    ]);
    expect(warnings(stack)).toEqual([
      "no domain configured: the web tier serves plain HTTP only, on the load balancer's AWS DNS name; set domain.name and domain.hostedZoneId for HTTPS",
      unpinnedImageWarning,
    ]);
    expect(config.resource?.aws_route53_record).toBeUndefined();
  });

  test('the load balancer is in the public subnets with the alb group, both read from the network stack', () => {
    const loadBalancer = only(config, 'aws_lb');
    expect(loadBalancer).toMatchObject({
      name: 'aws-and-infra-dev-web',
      internal: false,
      drop_invalid_header_fields: true,
      // Unprotected here: a protected environment must have a domain (see the HTTPS suite).
      enable_deletion_protection: false,
    });
    expect(loadBalancer.subnets).toEqual(reads.subnets('public'));
    expect(loadBalancer.security_groups).toEqual([reads.group('alb')]);
  });

  test('the Auto Scaling group is in the private subnets', () => {
    expect(only(config, 'aws_autoscaling_group').vpc_zone_identifier).toEqual(reads.subnets('private'));
  });

  test('instances: IMDSv2 only, encrypted root volume, no key pair, the web group, Graviton image', () => {
    const template = only(config, 'aws_launch_template');
    expect(template).toMatchObject({
      instance_type: 't4g.small',
      image_id: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 },
      block_device_mappings: [{ ebs: { encrypted: 'true', volume_type: 'gp3' } }],
      network_interfaces: [{ associate_public_ip_address: 'false' }],
    });
    expect(template.key_name).toBeUndefined();
    expect((template.network_interfaces as { security_groups: string[] }[])[0].security_groups).toEqual([
      reads.group('web'),
    ]);
  });

  test('no SSH: the stack creates no security group or rule, and opens no port 22', () => {
    expect(config.resource?.aws_security_group).toBeUndefined();
    expect(config.resource?.aws_vpc_security_group_ingress_rule).toBeUndefined();
    // Nothing else here opens a port: no rule, network ACL or key pair of any kind.
    expect(
      Object.keys(config.resource ?? {}).filter((type) => /security_group|network_acl|key_pair/.test(type)),
    ).toEqual([]);
  });

  test('the access-log bucket is encrypted and private', () => {
    expect(only(config, 'aws_s3_bucket').bucket).toBe('aws-and-infra-dev-web-alb-logs-123456789012');
    expect(only(config, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resourcesOf(config, 'aws_s3_bucket_server_side_encryption_configuration')).toHaveLength(1);
  });

  test("the instance role has the name the data stack admits and reads WordPress's own secret, no other", () => {
    expect(only(config, 'aws_iam_role').name).toBe('aws-and-infra-dev-web-instance');
    const document = Object.entries(config.data?.aws_iam_policy_document ?? {}).find(([name]) =>
      name.startsWith('web-servers_permissions_'),
    )![1] as { statement: Body[] };
    expect(document.statement.slice(0, 2)).toEqual([
      {
        sid: 'ReadDatabaseSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [reads.secret('wordpress')],
      },
      {
        sid: 'DecryptDatabaseSecret',
        actions: ['kms:Decrypt'],
        resources: [reads.database('master_user_secret[0].kms_key_id')],
        condition: [
          {
            test: 'StringEquals',
            variable: 'kms:ViaService',
            values: ['secretsmanager.ap-northeast-1.amazonaws.com'],
          },
        ],
      },
    ]);
    expect(document.statement[2].sid).toBe('MountSharedFiles');
    expect(document.statement).toHaveLength(3);
  });

  test('user data fetches the secret by its ARN from the data stack, and holds no password', () => {
    const script = Object.values(config.locals)[0];
    const assignments = (name: string) => script.split('\n').filter((line) => line.startsWith(`${name}='`));
    expect(assignments('DB_SECRET_ARN')).toEqual([`DB_SECRET_ARN='${reads.secret('wordpress')}'`]);
    expect(assignments('DB_HOST')).toEqual([`DB_HOST='${reads.database('address')}'`]);
    expect(script).toContain("'get-secret-value'");
    expect(script).not.toMatch(/password_wo|master_password|"password"\s*:/);
    expect(stack.fleet.userDataBytes).toBeLessThan(16384);
  });

  test("Apache accepts request bodies as large as PHP's post_max_size, from the WordPress upload limit", () => {
    const lines = Object.values(config.locals)[0].split('\n');
    expect(environment.web.wordpress.uploadMaxMegabytes).toBe(64);
    expect(lines.filter((line) => /^(LimitRequestBody|post_max_size) /.test(line))).toEqual([
      `LimitRequestBody ${72 * 1024 * 1024}`,
      'post_max_size = 72M',
    ]);
  });

  test("Apache's keep-alive timeout is the load balancer's idle timeout plus 5 s", () => {
    const script = Object.values(config.locals)[0];
    expect(only(config, 'aws_lb').idle_timeout).toBe(60);
    expect(script.split('\n').filter((line) => line.startsWith('KeepAliveTimeout'))).toEqual([
      'KeepAliveTimeout 65',
    ]);
  });

  test('the target group checks the PHP health endpoint as configured', () => {
    expect(only(config, 'aws_lb_target_group')).toMatchObject({
      target_type: 'instance',
      port: 80,
      deregistration_delay: '300',
      health_check: { path: '/healthz.php', interval: 10, healthy_threshold: 2, timeout: 5 },
    });
  });

  test('no WAF unless the environment turns it on', () => {
    expect(config.resource?.aws_wafv2_web_acl_association).toBeUndefined();
  });

  test('exposes what the observability stack needs, and the URL as an output', () => {
    expect(Object.keys(stack.webTier).sort()).toEqual([
      'autoScalingGroupName',
      'loadBalancerArnSuffix',
      'targetGroupArnSuffix',
    ]);
    expect(stack.url).toBe(stack.loadBalancer.url);
    expect(config.output?.url).toMatchObject({
      value: expect.stringMatching(/^http:\/\/\$\{aws_lb\..*\.dns_name\}$/),
    });
  });
});

describe('ComputeStack with a domain and WAF', () => {
  const environment = testEnvironment({ domain, waf: { enabled: true, rateLimitPer5Minutes: 1000 } });
  const { stack, config, reads } = synthCompute(environment);
  const listeners = resourcesOf(config, 'aws_lb_listener');
  const byPort = Object.fromEntries(listeners.map((listener) => [listener.port, listener]));

  test('the load balancer group opens exactly the listener ports, 80 and 443, IPv4 only', () => {
    expect(stack.loadBalancer.listenerPorts).toEqual([80, 443]);
    expect(listeners.map((listener) => listener.port).sort()).toEqual([443, 80]);
  });

  test('a load balancer whose listeners differ from the ports its group opens fails the synth', () => {
    expect(() =>
      assertListenerPortsOpen(stack, { listenerPorts: [80, 443] }, { listenerPorts: [80] }),
    ).toThrow(
      'dev-compute: the load balancer listens on 80, 443 but its security group opens 80 to the internet',
    );
  });

  test('HTTPS with the network stack certificate on a TLS 1.2/1.3 policy; HTTP redirects', () => {
    expect(listeners).toHaveLength(2);
    expect(byPort[443]).toMatchObject({
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    expect(byPort[443].certificate_arn).toBe(reads.certificate());
    expect(byPort[80]).toMatchObject({
      default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS' } }],
    });
    expect(warnings(stack)).toEqual([unpinnedImageWarning]);
  });

  test('the apex is an alias to the load balancer that evaluates target health', () => {
    expect(only(config, 'aws_route53_record')).toMatchObject({
      zone_id: 'Z0123456789ABCDEFGHIJ',
      name: 'example.com',
      type: 'A',
      alias: { evaluate_target_health: true, name: expect.stringContaining('dns_name') },
    });
    expect(stack.url).toBe('https://example.com');
  });

  test('the network stack web ACL is associated with the load balancer', () => {
    const association = only(config, 'aws_wafv2_web_acl_association');
    expect(association.web_acl_arn).toBe(reads.webAcl());
  });
});

describe('ComputeStack per environment', () => {
  test('prod: deletion protection, detailed monitoring, on-demand only', () => {
    const { config } = synthCompute(
      testEnvironment({ name: 'prod', deletionProtection: true, web: { detailedMonitoring: true } }),
    );
    expect(only(config, 'aws_lb').enable_deletion_protection).toBe(true);
    expect(only(config, 'aws_launch_template').monitoring).toEqual({ enabled: true });
    expect(only(config, 'aws_autoscaling_group').mixed_instances_policy).toBeUndefined();
    expect(only(config, 'aws_s3_bucket').force_destroy).toBe(false);
  });

  test('dev: no deletion protection, short drain, Spot over an on-demand base', () => {
    const { config } = synthCompute(
      testEnvironment({
        deletionProtection: false,
        web: { deregistrationDelaySeconds: 30, mixedInstances: { onDemandBaseCapacity: 1 } },
      }),
    );
    expect(only(config, 'aws_lb').enable_deletion_protection).toBe(false);
    expect(only(config, 'aws_s3_bucket').force_destroy).toBe(true);
    expect(only(config, 'aws_lb_target_group').deregistration_delay).toBe('30');
    expect(only(config, 'aws_autoscaling_group')).toMatchObject({
      capacity_rebalance: true,
      mixed_instances_policy: { instances_distribution: { on_demand_base_capacity: 1 } },
    });
  });

  test('an x86 instance type boots the x86_64 image', () => {
    const { config } = synthCompute(testEnvironment({ web: { instanceType: 't3.small' } }));
    expect(only(config, 'aws_launch_template').image_id).toBe(
      'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    );
  });
});
