import { Testing } from 'cdktf';
import {
  DEFAULT_TLS_POLICY,
  PublicLoadBalancer,
  type PublicLoadBalancerProps,
} from '../../modules/public-load-balancer';

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };

function synthLoadBalancer(overrides: Partial<PublicLoadBalancerProps> = {}) {
  const json = Testing.synthScope((scope) => {
    new PublicLoadBalancer(scope, 'web', {
      context,
      name: 'proj-dev-web',
      vpcId: 'vpc-1',
      subnetIds: ['subnet-a', 'subnet-c'],
      securityGroupId: 'sg-alb',
      accessLogBucketName: 'proj-dev-web-logs-123456789012',
      targetType: 'instance',
      healthCheck: { path: '/' },
      deletionProtection: false,
      ...overrides,
    });
  });
  return { json, config: JSON.parse(json) };
}

type Body = Record<string, unknown>;
const listeners = (config: { resource: Record<string, Record<string, Body>> }) =>
  Object.values(config.resource.aws_lb_listener);

describe('PublicLoadBalancer', () => {
  test('is internet-facing in the given subnets, drops invalid headers and logs access', () => {
    const { config } = synthLoadBalancer();
    const [loadBalancer] = Object.values(config.resource.aws_lb) as Body[];
    expect(loadBalancer).toMatchObject({
      name: 'proj-dev-web',
      internal: false,
      load_balancer_type: 'application',
      subnets: ['subnet-a', 'subnet-c'],
      security_groups: ['sg-alb'],
      drop_invalid_header_fields: true,
      enable_http2: true,
      enable_deletion_protection: false,
      access_logs: {
        enabled: true,
        prefix: 'proj-dev-web',
        bucket: expect.stringContaining('web_access-logs_bucket'),
      },
      depends_on: [expect.stringContaining('aws_s3_bucket_policy.web_access-logs_policy')],
    });
  });

  test('without a certificate: one HTTP listener that forwards', () => {
    const { config } = synthLoadBalancer();
    expect(listeners(config)).toEqual([
      expect.objectContaining({
        port: 80,
        protocol: 'HTTP',
        default_action: [expect.objectContaining({ type: 'forward' })],
      }),
    ]);
  });

  test('with a certificate: HTTPS on a TLS 1.2/1.3 policy forwards, HTTP redirects to it', () => {
    const { config } = synthLoadBalancer({
      certificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/x',
    });
    const byPort = Object.fromEntries(listeners(config).map((listener) => [listener.port, listener]));
    expect(byPort[443]).toMatchObject({
      protocol: 'HTTPS',
      ssl_policy: DEFAULT_TLS_POLICY,
      certificate_arn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/x',
      default_action: [{ type: 'forward' }],
    });
    expect(byPort[80]).toMatchObject({
      protocol: 'HTTP',
      default_action: [
        { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } },
      ],
    });
  });

  test('the target group checks health as configured', () => {
    const { config } = synthLoadBalancer({
      targetType: 'ip',
      healthCheck: { path: '/login', intervalSeconds: 15 },
    });
    const [targetGroup] = Object.values(config.resource.aws_lb_target_group) as Body[];
    expect(targetGroup).toMatchObject({
      target_type: 'ip',
      port: 80,
      protocol: 'HTTP',
      health_check: { path: '/login', interval: 15, timeout: 5, healthy_threshold: 2, matcher: '200-399' },
    });
  });

  test('access logs go to an SSE-S3 bucket the region ELB account may write to, expiring', () => {
    const { json, config } = synthLoadBalancer({ accessLogRetentionDays: 30 });
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket_server_side_encryption_configuration' },
      {
        rule: [
          { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: false },
        ],
      },
    );
    const documents = Object.values(config.data.aws_iam_policy_document) as { statement: Body[] }[];
    expect(documents[0].statement).toContainEqual(
      expect.objectContaining({
        sid: 'AllowElbLogDelivery',
        actions: ['s3:PutObject'],
        resources: ['arn:aws:s3:::proj-dev-web-logs-123456789012/proj-dev-web/AWSLogs/123456789012/*'],
      }),
    );
    expect(config.data.aws_elb_service_account).toBeDefined();
    const [lifecycle] = Object.values(config.resource.aws_s3_bucket_lifecycle_configuration) as {
      rule: Body[];
    }[];
    expect(lifecycle.rule).toContainEqual(
      expect.objectContaining({ id: 'expire-objects', expiration: [{ days: 30 }] }),
    );
  });

  test('setting a web ACL associates it', () => {
    expect(synthLoadBalancer().config.resource.aws_wafv2_web_acl_association).toBeUndefined();
    expect(synthLoadBalancer({ webAclArn: 'arn:acl' }).json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_wafv2_web_acl_association' },
      { web_acl_arn: 'arn:acl' },
    );
  });

  test('a health-check timeout not below the interval fails at construction', () => {
    expect(() =>
      synthLoadBalancer({ healthCheck: { path: '/', intervalSeconds: 5, timeoutSeconds: 5 } }),
    ).toThrow('healthCheck.timeoutSeconds (5) must be less than intervalSeconds (5)');
  });

  test('a name over 32 characters fails at construction', () => {
    expect(() => synthLoadBalancer({ name: 'a'.repeat(33) })).toThrow('is 33 characters; ELB allows 32');
  });
});
