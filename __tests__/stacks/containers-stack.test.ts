import { DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import { parseEnvironments, type EnvironmentConfig } from '../../config';
import { environments } from '../../config/environments';
import { ContainersStack } from '../../stacks/containers-stack';
import { efsClientRoleNames } from '../../stacks/contracts';
import { NetworkStack } from '../../stacks/network-stack';
import { resourcesOf, synthesize, testApp, testEnvironment } from '../helpers';
import { FakeDataStack } from './fake-data-stack';
import { named, SynthesizedApp, where } from './wiring';

const ZONES = ['ap-northeast-1a', 'ap-northeast-1c'];

/**
 * The containers stack with a real network stack and a stand-in data stack, cross-stack references
 * prepared, synthesized after the guardrails passed on it.
 */
function synthContainers(environment: EnvironmentConfig) {
  const app = testApp();
  const network = new NetworkStack(app, { environment });
  const data = new FakeDataStack(app, environment);
  const stack = new ContainersStack(app, {
    environment,
    network,
    database: data.database,
    appFiles: data.appFiles,
  });
  const wiring = new SynthesizedApp([stack]);
  const config = wiring.config(stack);
  const only = (type: string) => resourcesOf(config, type)[0];
  const prefix = environment.namePrefix;
  /** What the containers stack reads of the network and data stacks. */
  const reads = {
    subnets: (tier: string) =>
      ZONES.map((zone) => wiring.readOf(network, 'aws_subnet', named(`${prefix}-${tier}-${zone}`), 'id')),
    group: (role: string) => wiring.readOf(network, 'aws_security_group', named(`${prefix}-${role}`), 'id'),
    certificate: () =>
      wiring.readOf(network, 'aws_acm_certificate_validation', () => true, 'certificate_arn'),
    webAcl: () => wiring.readOf(network, 'aws_wafv2_web_acl', () => true, 'arn'),
    secret: (name: string) => wiring.readOf(data, 'aws_secretsmanager_secret', where('name', name), 'arn'),
    database: (attribute: string) => wiring.readOf(data, 'aws_db_instance', () => true, attribute),
  };
  return { stack, config, only, reads };
}

const shipped = Object.fromEntries(
  parseEnvironments(environments).map((environment) => [environment.name, environment]),
);

describe('ContainersStack', () => {
  const { stack, config, only, reads } = synthContainers(testEnvironment());

  test('is named <env>-containers, in the environment state bucket', () => {
    expect(stack.node.id).toBe('dev-containers');
    expect(config.terraform.backend?.s3).toMatchObject({ key: 'aws-and-infra/dev/containers.tfstate' });
  });

  test('one ECR repository per configured image, scanned, immutable, KMS-encrypted', () => {
    expect(resourcesOf(config, 'aws_ecr_repository')).toEqual([
      expect.objectContaining({
        name: 'aws-and-infra-dev/app',
        image_tag_mutability: 'IMMUTABLE',
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [
          { encryption_type: 'KMS', kms_key: expect.stringMatching(/^\$\{aws_kms_key\.images-key/) },
        ],
      }),
    ]);
  });

  test('the cluster records every exec session', () => {
    expect(only('aws_ecs_cluster')).toMatchObject({
      name: 'aws-and-infra-dev',
      setting: [{ name: 'containerInsights', value: 'enabled' }],
      configuration: { execute_command_configuration: { logging: 'OVERRIDE' } },
    });
  });

  test('the service has exec on, runs in the private subnets of the network stack in the tasks group', () => {
    const service = only('aws_ecs_service');
    expect(service).toMatchObject({ name: 'aws-and-infra-dev-app', enable_execute_command: true });
    const networkConfiguration = service.network_configuration as {
      subnets: string[];
      security_groups: string[];
    };
    expect(networkConfiguration.subnets).toEqual(reads.subnets('private'));
    expect(networkConfiguration.security_groups).toEqual([reads.group('tasks')]);
  });

  test('the task role has the name the data stack file-system policy allows', () => {
    expect(resourcesOf(config, 'aws_iam_role').map((role) => role.name)).toContain(
      efsClientRoleNames('aws-and-infra-dev').app,
    );
  });

  test('without containers.database the container gets no database settings and no secret', () => {
    const [definition] = JSON.parse(only('aws_ecs_task_definition').container_definitions as string);
    expect(definition.secrets).toEqual([]);
    expect(definition.environment).toEqual([]);
    const execution = Object.entries(config.data?.aws_iam_policy_document ?? {}).find(([name]) =>
      name.startsWith('app_execution-permissions_'),
    )![1] as { statement: { sid: string }[] };
    expect(execution.statement.map((statement) => statement.sid)).not.toContain('ReadSecrets');
  });

  test("with containers.database the credentials come from the app's own secret; host, port and name are plain values", () => {
    const { only: onlyWithDatabase, reads: readsWithDatabase } = synthContainers(
      testEnvironment({ containers: { database: { name: 'app' } } }),
    );
    const [definition] = JSON.parse(
      onlyWithDatabase('aws_ecs_task_definition').container_definitions as string,
    );
    const appSecret = readsWithDatabase.secret('app');
    expect(definition.secrets).toEqual([
      { name: 'DB_PASSWORD', valueFrom: `${appSecret}:password::` },
      { name: 'DB_USERNAME', valueFrom: `${appSecret}:username::` },
    ]);
    expect(definition.environment).toEqual([
      { name: 'DB_DATABASE', value: 'app' },
      { name: 'DB_HOST', value: readsWithDatabase.database('address') },
      { name: 'DB_PORT', value: readsWithDatabase.database('port') },
    ]);
  });

  test('the app load balancer targets tasks by ip on the container port and checks the configured path', () => {
    expect(only('aws_lb')).toMatchObject({ name: 'aws-and-infra-dev-app', drop_invalid_header_fields: true });
    expect(only('aws_lb_target_group')).toMatchObject({
      target_type: 'ip',
      port: 80,
      health_check: { path: '/' },
    });
    expect(resourcesOf(config, 'aws_s3_bucket').map((bucket) => bucket.bucket)).toEqual([
      'aws-and-infra-dev-app-alb-logs-123456789012',
    ]);
  });

  test("exposes the app service's metric dimensions: its cluster, service, load balancer and target group", () => {
    const idOf = (type: string) => Object.keys(config.resource?.[type] ?? {});
    const [cluster] = idOf('aws_ecs_cluster');
    const [service] = idOf('aws_ecs_service');
    const [loadBalancer] = idOf('aws_lb');
    const [targetGroup] = idOf('aws_lb_target_group');
    const resolve = (value: unknown): unknown =>
      Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
    expect(resolve(stack.appServiceMetrics)).toEqual({
      clusterName: `\${aws_ecs_cluster.${cluster}.name}`,
      serviceName: `\${aws_ecs_service.${service}.name}`,
      loadBalancerArnSuffix: `\${aws_lb.${loadBalancer}.arn_suffix}`,
      targetGroupArnSuffix: `\${aws_lb_target_group.${targetGroup}.arn_suffix}`,
    });
    expect(resolve(stack.appService.name)).toBe(`\${aws_ecs_service.${service}.name}`);
  });

  test('outputs the cluster, service, URL and the exec command line', () => {
    expect(Object.keys(config.output ?? {}).sort()).toEqual([
      'cluster-name',
      'exec-command',
      'service-name',
      'url',
    ]);
    expect((config.output?.['exec-command'] as { value: string }).value).toBe(
      'aws ecs execute-command --region ap-northeast-1 --cluster aws-and-infra-dev --task <TASK_ID> --container app --interactive --command /bin/sh',
    );
    // The environment's domain (protected environments must have one): the app's own host name.
    expect((config.output?.url as { value: string }).value).toBe('https://app.example.com');
  });

  test('every log group has retention and a KMS key', () => {
    for (const group of resourcesOf(config, 'aws_cloudwatch_log_group')) {
      expect(group).toMatchObject({
        retention_in_days: 30,
        kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.logs-key/),
      });
    }
    expect(
      resourcesOf(config, 'aws_cloudwatch_log_group')
        .map((group) => group.name)
        .sort(),
    ).toEqual(['/aws-and-infra-dev/ecs/app', '/aws-and-infra-dev/ecs/exec']);
  });

  test('reads no AWS data source at plan time', () => {
    expect(Object.keys(config.data ?? {}).sort()).toEqual(
      ['aws_elb_service_account', 'aws_iam_policy_document', 'terraform_remote_state'].sort(),
    );
  });
});

describe('ContainersStack per environment', () => {
  const dev = synthContainers(shipped.dev);
  const stg = synthContainers(shipped.stg);
  const prod = synthContainers({
    ...shipped.prod,
    domain: { name: 'example.com', hostedZoneId: 'Z0123456789' },
  });

  test('dev runs mostly on Spot and can be torn down with its images', () => {
    expect(dev.only('aws_ecs_service').capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE', base: 1, weight: 1 },
      { capacity_provider: 'FARGATE_SPOT', base: 0, weight: 3 },
    ]);
    expect(dev.only('aws_ecr_repository').force_delete).toBe(true);
    expect(dev.only('aws_lb').enable_deletion_protection).toBe(false);
  });

  test('stg splits evenly between on-demand and Spot beyond one on-demand task', () => {
    expect(stg.only('aws_ecs_service').capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE', base: 1, weight: 1 },
      { capacity_provider: 'FARGATE_SPOT', base: 0, weight: 1 },
    ]);
  });

  test('prod runs on demand only, two to three tasks, and keeps its images and load balancer', () => {
    expect(prod.only('aws_ecs_service')).toMatchObject({
      capacity_provider_strategy: [{ capacity_provider: 'FARGATE', base: 1, weight: 1 }],
      desired_count: 2,
    });
    expect(prod.only('aws_appautoscaling_target')).toMatchObject({ min_capacity: 2, max_capacity: 3 });
    expect(prod.only('aws_ecr_repository').force_delete).toBe(false);
    expect(prod.only('aws_lb').enable_deletion_protection).toBe(true);
    expect(prod.only('aws_cloudwatch_log_group').retention_in_days).toBe(365);
  });

  test('with a certificate, HTTPS serves and HTTP redirects; the service waits for the HTTPS listener', () => {
    const listeners = resourcesOf(prod.config, 'aws_lb_listener');
    expect(listeners.map((listener) => [listener.port, listener.protocol]).sort()).toEqual([
      [443, 'HTTPS'],
      [80, 'HTTP'],
    ]);
    expect(prod.only('aws_ecs_service').depends_on).toContainEqual(
      expect.stringMatching(/^aws_lb_listener\.load-balancer_https-listener/),
    );
  });

  test("with WAF on, the network stack's web ACL is associated with the app load balancer", () => {
    expect(prod.only('aws_wafv2_web_acl_association').web_acl_arn).toBe(prod.reads.webAcl());
    expect(resourcesOf(dev.config, 'aws_wafv2_web_acl_association')).toEqual([]);
  });

  test("with a domain, HTTPS uses the network stack's certificate", () => {
    const https = resourcesOf(prod.config, 'aws_lb_listener').find((listener) => listener.port === 443);
    expect(https?.certificate_arn).toBe(prod.reads.certificate());
  });

  test('with a domain, an A alias <subdomain>.<domain> points at the load balancer and is the URL', () => {
    expect(prod.only('aws_route53_record')).toMatchObject({
      zone_id: 'Z0123456789',
      name: 'app.example.com',
      type: 'A',
      alias: { evaluate_target_health: true },
    });
    expect(prod.stack.url).toBe('https://app.example.com');
    expect(resourcesOf(dev.config, 'aws_route53_record')).toEqual([]);
  });
});

describe('ContainersStack settings', () => {
  test('an image from a configured repository at a tag', () => {
    const { only } = synthContainers(
      testEnvironment({ containers: { image: { repository: 'app', tag: 'v1.2.3' } } }),
    );
    const [definition] = JSON.parse(only('aws_ecs_task_definition').container_definitions as string);
    expect(definition.image).toMatch(
      /^\$\{aws_ecr_repository\.repository-app_repository_[^.]+\.repository_url\}:v1\.2\.3$/,
    );
  });

  test('a mutable repository synthesizes with a warning', () => {
    const { stack } = synthContainers(
      testEnvironment({ containers: { repositories: { app: { mutableTags: true } } } }),
    );
    const repository = stack.repositories.app;
    expect(repository.node.metadata.map((entry) => entry.type)).toContain('@cdktf/warn');
  });

  test('the health-check path, port and size come from the environment', () => {
    const { only } = synthContainers(
      testEnvironment({
        containers: {
          healthCheckPath: '/login',
          containerPort: 8080,
          cpu: 1024,
          memory: 2048,
          architecture: 'ARM64',
        },
      }),
    );
    expect(only('aws_lb_target_group')).toMatchObject({ port: 8080, health_check: { path: '/login' } });
    expect(only('aws_ecs_task_definition')).toMatchObject({
      cpu: '1024',
      memory: '2048',
      runtime_platform: { cpu_architecture: 'ARM64' },
    });
  });

  test('the network stack opens the configured container port to the tasks group', () => {
    const environment = testEnvironment({ containers: { containerPort: 8080 } });
    const network = synthesize(new NetworkStack(testApp(), { environment })).config;
    expect(resourcesOf(network, 'aws_vpc_security_group_ingress_rule')).toContainEqual(
      expect.objectContaining({ description: 'App traffic from alb', from_port: 8080, to_port: 8080 }),
    );
  });

  test('a request-count target tracks requests per target of this load balancer', () => {
    const { config } = synthContainers(testEnvironment({ containers: { requestsPerTarget: 200 } }));
    const request = resourcesOf(config, 'aws_appautoscaling_policy')
      .map(
        (policy) =>
          policy.target_tracking_scaling_policy_configuration as Record<string, Record<string, string>>,
      )
      .find(
        (policy) =>
          policy.predefined_metric_specification.predefined_metric_type === 'ALBRequestCountPerTarget',
      );
    expect(request?.predefined_metric_specification.resource_label).toMatch(
      /^\$\{aws_lb\.load-balancer_[^.]+\.arn_suffix\}\/\$\{aws_lb_target_group\.load-balancer_target-group_[^.]+\.arn_suffix\}$/,
    );
  });
});
