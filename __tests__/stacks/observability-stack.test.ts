import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { EfsFileSystemPolicy } from '@cdktf/provider-aws/lib/efs-file-system-policy';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config';
import { BaseStack } from '../../stacks/base-stack';
import type { ContainerServiceMetrics, DatabaseAccess, WebTierMetrics } from '../../stacks/contracts';
import { NetworkStack } from '../../stacks/network-stack';
import { ObservabilityStack } from '../../stacks/observability-stack';
import { evaluatedDashboardBody, REMOTE_STATE_REFERENCE } from '../dashboard-body';
import { resourcesOf, testApp, testEnvironment } from '../helpers';
import { synthesizeChecked } from './wiring';

/** Stand-ins for the data, compute and containers stacks: real resources whose attributes cross stacks. */
class FakeDataStack extends BaseStack {
  readonly database: DatabaseAccess;
  readonly fileSystemId: string;
  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'data', { environment });
    // Compliant with the guardrails, which run on every stack here as in `app.synth()`.
    const db = new DbInstance(this, 'mysql', {
      instanceClass: 'db.t4g.micro',
      identifier: 'x',
      storageEncrypted: true,
      backupRetentionPeriod: 7,
      deletionProtection: true,
      finalSnapshotIdentifier: 'x-final',
    });
    this.database = {
      address: db.address,
      port: db.port,
      instanceIdentifier: db.identifier,
      wordpress: {
        databaseName: 'wordpress',
        secretArn: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:x',
        secretKmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/x',
      },
    };
    const fileSystem = new EfsFileSystem(this, 'shared', { encrypted: true });
    new EfsFileSystemPolicy(this, 'shared-policy', {
      fileSystemId: fileSystem.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: '*',
            Resource: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
    this.fileSystemId = fileSystem.id;
  }
}

/** What the guardrails ask of an application load balancer that a stand-in can give without a bucket of its own. */
const COMPLIANT_ALB = {
  dropInvalidHeaderFields: true,
  accessLogs: { bucket: 'access-logs', enabled: true },
  enableDeletionProtection: true,
};

class FakeComputeStack extends BaseStack {
  readonly webTier: WebTierMetrics;
  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'compute', { environment });
    const lb = new Lb(this, 'web-alb', { name: 'web', ...COMPLIANT_ALB });
    const group = new LbTargetGroup(this, 'web-targets', { name: 'web' });
    const asg = new AutoscalingGroup(this, 'web', { minSize: 2, maxSize: 4 });
    this.webTier = {
      loadBalancerArnSuffix: lb.arnSuffix,
      targetGroupArnSuffix: group.arnSuffix,
      autoScalingGroupName: asg.name,
    };
  }
}

class FakeContainersStack extends BaseStack {
  readonly appServiceMetrics: ContainerServiceMetrics;
  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'containers', { environment });
    const lb = new Lb(this, 'app-alb', { name: 'app', ...COMPLIANT_ALB });
    const group = new LbTargetGroup(this, 'app-targets', { name: 'app' });
    const cluster = new EcsCluster(this, 'cluster', {
      name: 'c',
      configuration: {
        executeCommandConfiguration: {
          kmsKeyId: 'arn:aws:kms:ap-northeast-1:123456789012:key/exec',
          logging: 'OVERRIDE',
          logConfiguration: { cloudWatchLogGroupName: '/c/exec', cloudWatchEncryptionEnabled: true },
        },
      },
    });
    const service = new EcsService(this, 'app', { name: 's' });
    this.appServiceMetrics = {
      loadBalancerArnSuffix: lb.arnSuffix,
      targetGroupArnSuffix: group.arnSuffix,
      clusterName: cluster.name,
      serviceName: service.name,
    };
  }
}

const environment = testEnvironment({
  observability: {
    alarmEmails: ['ops@example.com'],
    thresholds: { web: { cpuPercent: 70 }, database: { connections: 40 }, billingUsd: 25 },
    auditTrail: { owner: true, cloudWatchLogs: true },
  },
});
const app = testApp();
const network = new NetworkStack(app, { environment });
const data = new FakeDataStack(app, environment);
const compute = new FakeComputeStack(app, environment);
const containers = new FakeContainersStack(app, environment);
const stack = new ObservabilityStack(app, {
  environment,
  network,
  database: data.database,
  fileSystem: { fileSystemId: data.fileSystemId, throughputMode: 'elastic' },
  webTier: compute.webTier,
  containers: containers.appServiceMetrics,
});
// What `app.synth()` does first: the consumer's references become outputs and remote-state reads.
const producers = { network, data, compute, containers };
for (const each of [stack, ...Object.values(producers)]) each.prepareStack();
const { config } = synthesizeChecked(stack);
const producerConfigs = Object.fromEntries(
  Object.entries(producers).map(([name, producer]) => [`dev-${name}`, synthesizeChecked(producer).config]),
);

const REMOTE = REMOTE_STATE_REFERENCE;

/** What a remote-state reference stands for: the producing stack's output expression. */
function producedBy(reference: unknown): string {
  const match = String(reference).match(REMOTE);
  if (!match) throw new Error(`not a cross-stack reference: ${String(reference)}`);
  const [, stackId, output] = match;
  const outputs = producerConfigs[stackId]?.output as Record<string, { value: string }> | undefined;
  if (!outputs?.[output]) throw new Error(`${stackId} has no output ${output}`);
  return outputs[output].value;
}

const alarms = Object.fromEntries(
  resourcesOf(config, 'aws_cloudwatch_metric_alarm').map((alarm) => [alarm.alarm_name as string, alarm]),
);
const dimensionsOf = (name: string) => {
  const alarm = alarms[`aws-and-infra-dev-${name}`];
  if (!alarm) throw new Error(`no alarm ${name}`);
  return Object.fromEntries(
    Object.entries(alarm.dimensions as Record<string, string>).map(([key, value]) => [
      key,
      producedBy(value),
    ]),
  );
};

describe('ObservabilityStack', () => {
  test('is named <env>-observability and keeps its state beside the others', () => {
    expect(stack.node.id).toBe('dev-observability');
    expect(config.terraform.backend?.s3).toMatchObject({ key: 'aws-and-infra/dev/observability.tfstate' });
  });

  test('reads every producing stack through its remote state, never a hand-written one', () => {
    const remote = config.data?.terraform_remote_state ?? {};
    expect(
      Object.values(remote)
        .map((state) => (state.config as { key: string }).key)
        .sort(),
    ).toEqual([
      'aws-and-infra/dev/compute.tfstate',
      'aws-and-infra/dev/containers.tfstate',
      'aws-and-infra/dev/data.tfstate',
      'aws-and-infra/dev/network.tfstate',
    ]);
  });

  test('web tier alarms point at the compute stack’s group, load balancer and target group', () => {
    expect(dimensionsOf('web-cpu-high')).toEqual({
      AutoScalingGroupName: '${aws_autoscaling_group.web.name}',
    });
    expect(dimensionsOf('web-alb-5xx')).toEqual({ LoadBalancer: '${aws_lb.web-alb.arn_suffix}' });
    expect(dimensionsOf('web-latency-p99')).toEqual({
      LoadBalancer: '${aws_lb.web-alb.arn_suffix}',
      TargetGroup: '${aws_lb_target_group.web-targets.arn_suffix}',
    });
  });

  test('container alarms point at the containers stack’s cluster, service and load balancer', () => {
    expect(dimensionsOf('app-memory-high')).toEqual({
      ClusterName: '${aws_ecs_cluster.cluster.name}',
      ServiceName: '${aws_ecs_service.app.name}',
    });
    expect(dimensionsOf('app-unhealthy-hosts')).toEqual({
      LoadBalancer: '${aws_lb.app-alb.arn_suffix}',
      TargetGroup: '${aws_lb_target_group.app-targets.arn_suffix}',
    });
    const tasks = alarms['aws-and-infra-dev-app-tasks-below-desired'].metric_query as {
      metric?: { dimensions: Record<string, string> };
    }[];
    expect(producedBy(tasks[0].metric?.dimensions.ServiceName)).toBe('${aws_ecs_service.app.name}');
  });

  test('database and file-system alarms point at the data stack’s instance and file system', () => {
    expect(dimensionsOf('db-connections-high')).toEqual({
      DBInstanceIdentifier: '${aws_db_instance.mysql.identifier}',
    });
    expect(dimensionsOf('efs-io-limit-high')).toEqual({ FileSystemId: '${aws_efs_file_system.shared.id}' });
    // Elastic throughput has no burst credits.
    expect(alarms['aws-and-infra-dev-efs-burst-credits-low']).toBeUndefined();
  });

  test('NAT alarms point at the network stack’s gateways, one pair per zone', () => {
    expect(dimensionsOf('nat-ap-northeast-1a-packets-dropped')).toEqual({
      NatGatewayId: expect.stringMatching(/^\$\{aws_nat_gateway\.network_nat-ap-northeast-1a_\w+\.id\}$/),
    });
    expect(dimensionsOf('nat-ap-northeast-1c-port-allocation-errors')).toEqual({
      NatGatewayId: expect.stringMatching(/^\$\{aws_nat_gateway\.network_nat-ap-northeast-1c_\w+\.id\}$/),
    });
  });

  test('thresholds come from the environment, defaults where it says nothing', () => {
    const threshold = (name: string) => alarms[`aws-and-infra-dev-${name}`].threshold;
    expect(threshold('web-cpu-high')).toBe(70);
    expect(threshold('db-connections-high')).toBe(40);
    expect(threshold('billing-estimated-charges')).toBe(25);
    expect(threshold('db-cpu-high')).toBe(80);
    expect(alarms['aws-and-infra-dev-web-cpu-high'].period).toBe(60);
  });

  test('every alarm but billing notifies the alarm topic in the home region', () => {
    const [topicId] = Object.entries(config.resource?.aws_sns_topic ?? {}).find(
      ([, topic]) => topic.name === 'aws-and-infra-dev-alarms',
    )!;
    const others = Object.values(alarms).filter(
      (alarm) => alarm.alarm_name !== 'aws-and-infra-dev-billing-estimated-charges',
    );
    expect(others.length).toBeGreaterThan(20);
    for (const alarm of others) {
      expect(alarm.alarm_actions).toEqual([`\${aws_sns_topic.${topicId}.arn}`]);
      expect(alarm.ok_actions).toEqual([`\${aws_sns_topic.${topicId}.arn}`]);
      expect(alarm.provider).toBeUndefined();
    }
  });

  test('the billing alarm lives in us-east-1 through an aliased provider pinned like the main one', () => {
    const providers = config.provider?.aws ?? [];
    const billing = providers.find((provider) => provider.alias === 'billing');
    expect(billing).toEqual({
      ...providers.find((provider) => provider.alias === undefined),
      alias: 'billing',
      region: 'us-east-1',
    });
    expect(billing?.allowed_account_ids).toEqual(['123456789012']);

    const alarm = alarms['aws-and-infra-dev-billing-estimated-charges'];
    const [topicId, topic] = Object.entries(config.resource?.aws_sns_topic ?? {}).find(
      ([, each]) => each.name === 'aws-and-infra-dev-billing-alarms',
    )!;
    expect(alarm).toMatchObject({
      provider: 'aws.billing',
      alarm_actions: [`\${aws_sns_topic.${topicId}.arn}`],
    });
    expect(topic.provider).toBe('aws.billing');
    const billingSubscriptions = resourcesOf(config, 'aws_sns_topic_subscription').filter(
      (subscription) => subscription.provider === 'aws.billing',
    );
    expect(billingSubscriptions.map((subscription) => subscription.endpoint)).toEqual(['ops@example.com']);
  });

  test('the dashboard body is valid JSON once Terraform has built it, and graphs the producers’ resources', () => {
    const body = evaluatedDashboardBody(config) as {
      widgets: { type: string; properties: { title?: string; metrics?: unknown[][] } }[];
    };
    const titles = body.widgets.map((widget) => widget.properties.title).filter(Boolean);
    expect(titles).toEqual(
      expect.arrayContaining(['Web: requests', 'App: 5xx errors', 'Database: latency (s)', 'App: tasks']),
    );
    // Every value read from another stack names an output that stack really has.
    const referenced = body.widgets
      .flatMap((widget) => widget.properties.metrics ?? [])
      .flat()
      .filter((value): value is string => typeof value === 'string' && value.startsWith('remote:'))
      .map((value) => producedBy(value.slice('remote:'.length)));
    expect(new Set(referenced)).toEqual(
      new Set([
        '${aws_lb.web-alb.arn_suffix}',
        '${aws_lb_target_group.web-targets.arn_suffix}',
        '${aws_autoscaling_group.web.name}',
        '${aws_lb.app-alb.arn_suffix}',
        '${aws_lb_target_group.app-targets.arn_suffix}',
        '${aws_ecs_cluster.cluster.name}',
        '${aws_ecs_service.app.name}',
        '${aws_db_instance.mysql.identifier}',
        '${aws_efs_file_system.shared.id}',
        expect.stringMatching(/aws_nat_gateway\.network_nat-ap-northeast-1a_\w+\.id/),
        expect.stringMatching(/aws_nat_gateway\.network_nat-ap-northeast-1c_\w+\.id/),
      ]),
    );
  });

  test('the web memory and disk alarms watch the agent metrics of the compute stack’s group, exactly', () => {
    for (const [name, metric] of [
      ['web-memory-high', 'mem_used_percent'],
      ['web-disk-high', 'disk_used_percent'],
    ]) {
      expect([
        alarms[`aws-and-infra-dev-${name}`].namespace,
        alarms[`aws-and-infra-dev-${name}`].metric_name,
      ]).toEqual(['CWAgent', metric]);
      expect(dimensionsOf(name)).toEqual({ AutoScalingGroupName: '${aws_autoscaling_group.web.name}' });
    }
    expect([
      alarms['aws-and-infra-dev-web-memory-high'].threshold,
      alarms['aws-and-infra-dev-web-disk-high'].threshold,
    ]).toEqual([90, 85]);
  });

  test('the dashboard graphs memory and root disk of the fullest web instance', () => {
    const body = evaluatedDashboardBody(config) as {
      widgets: { properties: { title?: string; stat?: string; metrics?: unknown[][] } }[];
    };
    const widget = body.widgets.find(
      (w) => w.properties.title === 'Web: memory and root disk % (fullest instance)',
    );
    expect(widget?.properties.stat).toBe('Maximum');
    expect(
      widget?.properties.metrics?.map(([namespace, metric, dimension, value, options]) => [
        namespace,
        metric,
        dimension,
        producedBy(String(value).slice('remote:'.length)),
        options,
      ]),
    ).toEqual([
      [
        'CWAgent',
        'mem_used_percent',
        'AutoScalingGroupName',
        '${aws_autoscaling_group.web.name}',
        { label: 'memory' },
      ],
      [
        'CWAgent',
        'disk_used_percent',
        'AutoScalingGroupName',
        '${aws_autoscaling_group.web.name}',
        { label: 'root disk' },
      ],
    ]);
  });

  test('where the trail delivers to CloudWatch Logs, its security filters read that log group and alarm the topic', () => {
    const [logGroup] = Object.keys(config.resource?.aws_cloudwatch_log_group ?? {});
    const filters = resourcesOf(config, 'aws_cloudwatch_log_metric_filter');
    expect(filters.map((f) => f.name).sort()).toEqual([
      'aws-and-infra-dev-console-sign-in-without-mfa',
      'aws-and-infra-dev-iam-policy-changes',
      'aws-and-infra-dev-network-acl-changes',
      'aws-and-infra-dev-root-user',
      'aws-and-infra-dev-security-group-changes',
      'aws-and-infra-dev-trail-changes',
      'aws-and-infra-dev-unauthorized-api-calls',
    ]);
    for (const filter of filters)
      expect(filter.log_group_name).toBe(`\${aws_cloudwatch_log_group.${logGroup}.name}`);
    const [topic] = Object.keys(config.resource?.aws_sns_topic ?? {}).filter((id) =>
      id.startsWith('alarm-topic'),
    );
    expect(alarms['aws-and-infra-dev-trail-root-user'].alarm_actions).toEqual([
      `\${aws_sns_topic.${topic}.arn}`,
    ]);
  });

  test('the environment owning the trail creates it, with CloudWatch Logs delivery when asked', () => {
    const [trail] = resourcesOf(config, 'aws_cloudtrail');
    expect(trail).toMatchObject({ name: 'aws-and-infra-dev-trail', s3_bucket_name: expect.any(String) });
    expect(resourcesOf(config, 'aws_s3_bucket').map((bucket) => bucket.bucket)).toEqual([
      'aws-and-infra-dev-cloudtrail-123456789012',
    ]);
    expect(resourcesOf(config, 'aws_cloudwatch_log_group')).toEqual([
      expect.objectContaining({ name: '/aws-and-infra-dev/cloudtrail', retention_in_days: 30 }),
    ]);
    expect(
      (trail.event_selector as { data_resource: { values: string[] }[] }[])[0].data_resource[0].values,
    ).toEqual(['arn:aws:s3:::aws-and-infra-dev-tfstate-123456789012/']);
  });
});

describe('ObservabilityStack server access logs of the CloudTrail bucket', () => {
  test("go to the state stack's log bucket by name, under cloudtrail/", () => {
    const bucketIds = Object.keys(config.resource?.aws_s3_bucket ?? {});
    const trailBucketId = bucketIds.find((id) => id.startsWith('audit-trail_bucket_'));
    expect(resourcesOf(config, 'aws_s3_bucket_logging')).toEqual([
      {
        bucket: `\${aws_s3_bucket.${trailBucketId}.id}`,
        target_bucket: 'aws-and-infra-dev-s3-access-logs-123456789012',
        target_prefix: 'cloudtrail/',
      },
    ]);
    expect(config.resource?.aws_s3_bucket?.[trailBucketId ?? '']?.bucket).toBe(
      'aws-and-infra-dev-cloudtrail-123456789012',
    );
  });
});

describe('ObservabilityStack with only the network', () => {
  const leanConfigured = testEnvironment({
    name: 'stg',
    observability: { alarmEmails: ['ops@example.com'], billingAlarm: false, auditTrail: { owner: false } },
  });
  // Without NAT gateways (which the configuration refuses, but the network module supports), so the
  // network brings no NAT alarms.
  const lean = { ...leanConfigured, network: { ...leanConfigured.network, natGateways: 'none' as const } };
  const leanApp = testApp();
  const leanNetwork = new NetworkStack(leanApp, { environment: lean });
  const leanStack = new ObservabilityStack(leanApp, { environment: lean, network: leanNetwork });
  leanStack.prepareStack();
  const leanConfig = synthesizeChecked(leanStack).config;

  test('creates no alarm for a part it was not given', () => {
    expect(resourcesOf(leanConfig, 'aws_cloudwatch_metric_alarm')).toEqual([]);
  });

  test('an environment that does not own the trail has no trail filters', () => {
    expect(resourcesOf(leanConfig, 'aws_cloudwatch_log_metric_filter')).toEqual([]);
  });

  test('an environment that does not own the trail turns on no server access logging', () => {
    expect(resourcesOf(leanConfig, 'aws_s3_bucket_logging')).toEqual([]);
  });

  test('a dashboard still exists, with the header alone', () => {
    const body = evaluatedDashboardBody(leanConfig) as { widgets: { type: string }[] };
    expect(body.widgets.map((widget) => widget.type)).toEqual(['text']);
  });

  test('without the billing alarm there is no us-east-1 provider or billing topic', () => {
    expect(leanConfig.provider?.aws).toHaveLength(1);
    expect(resourcesOf(leanConfig, 'aws_sns_topic').map((topic) => topic.name)).toEqual([
      'aws-and-infra-stg-alarms',
    ]);
  });

  test('an environment that does not own the account trail creates no trail and no bucket', () => {
    expect(resourcesOf(leanConfig, 'aws_cloudtrail')).toEqual([]);
    expect(resourcesOf(leanConfig, 'aws_s3_bucket')).toEqual([]);
  });
});
