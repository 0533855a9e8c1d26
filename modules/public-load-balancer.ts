import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { SecureBucket } from './secure-bucket';

/** TLS 1.3 and 1.2 only, forward-secret ciphers (Elastic Load Balancing, "Security policies for your ALB"). */
export const DEFAULT_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * Throws unless `group` opens exactly the ports `loadBalancer` listens on: a port opened without a
 * listener (443 without a certificate) suggests a service that is not there, and a listener without
 * its port is unreachable. The group and the load balancer live in different stacks, where no
 * guardrail sees both.
 */
export function assertListenerPortsOpen(
  scope: Construct,
  loadBalancer: { readonly listenerPorts: readonly number[] },
  group: { readonly listenerPorts: readonly number[] },
): void {
  const listening = [...loadBalancer.listenerPorts].sort((a, b) => a - b).join(', ');
  const open = [...group.listenerPorts].sort((a, b) => a - b).join(', ');
  if (listening !== open) {
    throw new Error(
      `${scope.node.path}: the load balancer listens on ${listening} but its security group opens ${open} to the internet`,
    );
  }
}

/** How the load balancer decides a target is healthy. */
export interface HealthCheckProps {
  /** The application's health page; no default, each application has its own (the configuration says which). */
  readonly path: string;
  /** HTTP codes that count as healthy. @default '200-399' */
  readonly matcher?: string;
  /** Seconds between checks (5-300). @default 10 */
  readonly intervalSeconds?: number;
  /** Seconds to wait for a response (2-120); must be less than the interval. @default 5 */
  readonly timeoutSeconds?: number;
  /** Consecutive successes before a target is healthy. @default 2 */
  readonly healthyThreshold?: number;
  /** Consecutive failures before a target is unhealthy. @default 3 */
  readonly unhealthyThreshold?: number;
}

export interface PublicLoadBalancerProps {
  readonly context: AwsContext;
  /** Name of the load balancer and its target group (ELB limit: 32 characters). */
  readonly name: string;
  readonly vpcId: string;
  /** Public subnets, one per zone. */
  readonly subnetIds: string[];
  /** The group that admits 80/443 from the internet and reaches the targets. */
  readonly securityGroupId: string;
  /** Access-log bucket name (globally unique). */
  readonly accessLogBucketName: string;
  /** Days access logs are kept. @default 90 */
  readonly accessLogRetentionDays?: number;
  /** Let `terraform destroy` empty the access-log bucket; for throw-away environments. @default false */
  readonly accessLogBucketForceDestroy?: boolean;
  /**
   * ACM certificate for HTTPS. With one, HTTPS serves and HTTP redirects to it; without one, the
   * load balancer serves plain HTTP.
   * @default undefined (HTTP only)
   */
  readonly certificateArn?: string;
  /** TLS policy of the HTTPS listener. @default DEFAULT_TLS_POLICY */
  readonly tlsPolicy?: string;
  /** WAFv2 web ACL to associate. @default undefined (none) */
  readonly webAclArn?: string;
  /** Refuse deletion through the API. No default here: the environment's deletion protection decides. */
  readonly deletionProtection: boolean;
  /** Seconds an idle connection stays open. @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** Port the targets listen on. @default 80 */
  readonly targetPort?: number;
  /** `instance` for EC2 targets, `ip` for Fargate tasks. */
  readonly targetType: 'instance' | 'ip';
  readonly healthCheck: HealthCheckProps;
  /** Seconds a deregistering target keeps serving in-flight requests. @default 300 */
  readonly deregistrationDelaySeconds?: number;
}

/**
 * An internet-facing Application Load Balancer with one target group: invalid headers dropped,
 * HTTP/2 on, access logs to a bucket of its own, HTTPS on a TLS 1.2/1.3 policy when a certificate is
 * given (HTTP then only redirects), and an optional WAF web ACL.
 */
export class PublicLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly accessLogs: SecureBucket;
  /** The listener that forwards to the target group: HTTPS with a certificate, else HTTP. */
  readonly forwardingListener: LbListener;
  /** `app/<name>/<id>`: the LoadBalancer dimension of ELB metrics. */
  readonly arnSuffix: string;
  /** `targetgroup/<name>/<id>`: the TargetGroup dimension of ELB metrics. */
  readonly targetGroupArnSuffix: string;
  readonly dnsName: string;
  readonly zoneId: string;
  /** `https://<dns>` or `http://<dns>`. */
  readonly url: string;
  /** The ports the listeners take, which the load balancer's security group must open and no more. */
  readonly listenerPorts: readonly (80 | 443)[];

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id);
    if (props.name.length > 32) {
      throw new Error(
        `${this.node.path}: name "${props.name}" is ${props.name.length} characters; ELB allows 32`,
      );
    }
    const health = {
      path: props.healthCheck.path,
      matcher: props.healthCheck.matcher ?? '200-399',
      interval: props.healthCheck.intervalSeconds ?? 10,
      timeout: props.healthCheck.timeoutSeconds ?? 5,
      healthyThreshold: props.healthCheck.healthyThreshold ?? 2,
      unhealthyThreshold: props.healthCheck.unhealthyThreshold ?? 3,
    };
    if (health.timeout >= health.interval) {
      throw new Error(
        `${this.node.path}: healthCheck.timeoutSeconds (${health.timeout}) must be less than intervalSeconds (${health.interval})`,
      );
    }
    const targetPort = props.targetPort ?? 80;

    this.accessLogs = this.createAccessLogBucket(props);
    this.loadBalancer = new Lb(this, 'load-balancer', {
      name: props.name,
      loadBalancerType: 'application',
      internal: false,
      subnets: props.subnetIds,
      securityGroups: [props.securityGroupId],
      dropInvalidHeaderFields: true,
      enableHttp2: true,
      idleTimeout: props.idleTimeoutSeconds ?? 60,
      enableDeletionProtection: props.deletionProtection,
      accessLogs: { bucket: this.accessLogs.bucketName, prefix: props.name, enabled: true },
      tags: { Name: props.name },
      // ELB checks it may write to the bucket when logging is switched on.
      dependsOn: [this.accessLogs.policy],
    });

    this.targetGroup = new LbTargetGroup(this, 'target-group', {
      name: props.name,
      port: targetPort,
      protocol: 'HTTP',
      targetType: props.targetType,
      vpcId: props.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? 300),
      healthCheck: { enabled: true, protocol: 'HTTP', port: 'traffic-port', ...health },
      tags: { Name: props.name },
    });

    if (props.certificateArn === undefined) {
      this.forwardingListener = new LbListener(this, 'http-listener', {
        loadBalancerArn: this.loadBalancer.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
      });
      this.url = `http://${this.loadBalancer.dnsName}`;
    } else {
      this.forwardingListener = new LbListener(this, 'https-listener', {
        loadBalancerArn: this.loadBalancer.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: props.tlsPolicy ?? DEFAULT_TLS_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
      });
      new LbListener(this, 'http-redirect-listener', {
        loadBalancerArn: this.loadBalancer.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: [
          { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
        ],
      });
      this.url = `https://${this.loadBalancer.dnsName}`;
    }

    this.listenerPorts = props.certificateArn === undefined ? [80] : [80, 443];

    if (props.webAclArn !== undefined) {
      new Wafv2WebAclAssociation(this, 'web-acl', {
        resourceArn: this.loadBalancer.arn,
        webAclArn: props.webAclArn,
      });
    }

    this.arnSuffix = this.loadBalancer.arnSuffix;
    this.targetGroupArnSuffix = this.targetGroup.arnSuffix;
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;
  }

  private createAccessLogBucket(props: PublicLoadBalancerProps): SecureBucket {
    const { partition, accountId } = props.context;
    const logObjects = `arn:${partition}:s3:::${props.accessLogBucketName}/${props.name}/AWSLogs/${accountId}/*`;
    // The region's ELB account writes the logs in regions opened before August 2022; newer regions
    // use the log-delivery service principal (ELB user guide, "Enable access logs").
    const elbAccount = new DataAwsElbServiceAccount(this, 'elb-account', {});
    return new SecureBucket(this, 'access-logs', {
      bucketName: props.accessLogBucketName,
      // ELB access-log delivery accepts SSE-S3 only.
      encryption: { algorithm: 'AES256' },
      expirationDays: props.accessLogRetentionDays ?? 90,
      noncurrentVersionExpirationDays: 7,
      forceDestroy: props.accessLogBucketForceDestroy ?? false,
      policyStatements: [
        {
          sid: 'AllowElbLogDelivery',
          principals: [
            { type: 'AWS', identifiers: [elbAccount.arn] },
            { type: 'Service', identifiers: ['logdelivery.elasticloadbalancing.amazonaws.com'] },
          ],
          actions: ['s3:PutObject'],
          resources: [logObjects],
        },
      ],
    });
  }
}
