import { Testing } from 'cdktf';
import { FargateCluster } from '../../modules/fargate-cluster';
import { FargateService, type FargateServiceProps } from '../../modules/fargate-service';

type Body = Record<string, unknown>;
interface Statement {
  sid?: string;
  actions: string[];
  resources: string[];
  condition?: Body[];
}
interface Config {
  resource: Record<string, Record<string, Body>>;
  data: Record<string, Record<string, { statement: Statement[] }>>;
}

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };
const SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-1';
const FILES = {
  fileSystemId: 'fs-1',
  fileSystemArn: 'arn:aws:elasticfilesystem:ap-northeast-1:123456789012:file-system/fs-1',
  accessPointId: 'fsap-1',
  accessPointArn: 'arn:aws:elasticfilesystem:ap-northeast-1:123456789012:access-point/fsap-1',
  containerPath: '/data',
};

type Overrides = Partial<Omit<FargateServiceProps, 'container'>> & {
  container?: Partial<FargateServiceProps['container']>;
};

function synthService(overrides: Overrides = {}) {
  const json = Testing.synthScope((scope) => {
    const cluster = new FargateCluster(scope, 'cluster', {
      context,
      name: 'proj-dev',
      execLogGroupName: '/proj-dev/ecs/exec',
      execLogRetentionDays: 14,
      logsKmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/logs',
    });
    const { container, ...rest } = overrides;
    new FargateService(scope, 'app', {
      context,
      name: 'proj-dev-app',
      cluster,
      cpu: 512,
      memory: 1024,
      taskRoleName: 'proj-dev-app-task',
      container: {
        name: 'app',
        image: '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/proj-dev/app:v1',
        port: 8080,
        environment: { DB_PORT: '3306', DB_HOST: 'db.internal' },
        secrets: {
          DB_USERNAME: { secretArn: SECRET, jsonKey: 'username' },
          DB_PASSWORD: { secretArn: SECRET, jsonKey: 'password' },
        },
        secretKmsKeyArns: ['arn:aws:kms:ap-northeast-1:123456789012:key/secret'],
        ...container,
      },
      pullRepositoryArns: ['arn:aws:ecr:ap-northeast-1:123456789012:repository/proj-dev/app'],
      pullKmsKeyArns: ['arn:aws:kms:ap-northeast-1:123456789012:key/images'],
      logs: {
        groupName: '/proj-dev/ecs/app',
        retentionDays: 14,
        kmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/logs',
      },
      fileSystem: FILES,
      subnetIds: ['subnet-a', 'subnet-c'],
      securityGroupIds: ['sg-tasks'],
      loadBalancer: { targetGroupArn: 'arn:tg', dependsOn: [] },
      autoScaling: { minCapacity: 1, maxCapacity: 3 },
      ...rest,
    });
  });
  const config = JSON.parse(json) as Config;
  const bodies = (type: string) => Object.entries(config.resource[type] ?? {});
  const byPath = (type: string, pathEnd: string) =>
    bodies(type).find(([id]) => id.startsWith(pathEnd.replace(/\//g, '_')))?.[1] as Body;
  const document = (idStart: string) =>
    Object.entries(config.data.aws_iam_policy_document).find(([id]) => id.startsWith(idStart))![1];
  const service = byPath('aws_ecs_service', 'app/service');
  const taskDefinition = byPath('aws_ecs_task_definition', 'app/task-definition');
  const containers = JSON.parse(taskDefinition.container_definitions as string) as Body[];
  return { config, bodies, byPath, document, service, taskDefinition, containers };
}

const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => statement.actions).sort();

describe('FargateService', () => {
  const synthesized = synthService();
  const { service, taskDefinition, containers, document, byPath } = synthesized;

  test('the service has ECS Exec on', () => {
    expect(service.enable_execute_command).toBe(true);
  });

  test('the task role may open the four exec channels, decrypt with the exec key, write the exec log group and mount through the access point: nothing more', () => {
    const statements = document('app_task-permissions').statement;
    expect(actionsOf(statements)).toEqual(
      [
        'elasticfilesystem:ClientMount',
        'elasticfilesystem:ClientWrite',
        'kms:Decrypt',
        'logs:CreateLogStream',
        'logs:DescribeLogGroups',
        'logs:DescribeLogStreams',
        'logs:PutLogEvents',
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
      ].sort(),
    );
    const bySid = Object.fromEntries(statements.map((statement) => [statement.sid, statement]));
    expect(bySid.ExecSessionKey.resources).toEqual([
      expect.stringMatching(/^\$\{aws_kms_key\.cluster_exec-key.*\.arn\}$/),
    ]);
    expect(bySid.ExecSessionLogs.resources).toEqual([
      expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.cluster_exec-log-group.*\.arn\}:\*$/),
    ]);
    expect(bySid.MountThroughAccessPoint).toMatchObject({
      resources: [FILES.fileSystemArn],
      condition: [
        {
          test: 'StringEquals',
          variable: 'elasticfilesystem:AccessPointArn',
          values: [FILES.accessPointArn],
        },
      ],
    });
  });

  test('the task role carries the given name, which the file-system policy names', () => {
    expect(byPath('aws_iam_role', 'app/task-role').name).toBe('proj-dev-app-task');
  });

  test('the execution role may only pull the repositories, write the app logs and read the secret', () => {
    const bySid = Object.fromEntries(
      document('app_execution-permissions').statement.map((statement) => [statement.sid, statement]),
    );
    expect(Object.keys(bySid).sort()).toEqual(
      ['DecryptImagesAndSecrets', 'EcrLogin', 'PullImages', 'ReadSecrets', 'WriteContainerLogs'].sort(),
    );
    expect(bySid.EcrLogin).toMatchObject({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });
    expect(bySid.PullImages.resources).toEqual([
      'arn:aws:ecr:ap-northeast-1:123456789012:repository/proj-dev/app',
    ]);
    expect(bySid.ReadSecrets).toMatchObject({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [SECRET],
    });
    expect(bySid.DecryptImagesAndSecrets.resources).toEqual([
      'arn:aws:kms:ap-northeast-1:123456789012:key/images',
      'arn:aws:kms:ap-northeast-1:123456789012:key/secret',
    ]);
    expect(bySid.WriteContainerLogs.resources).toEqual([
      expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.app_log-group.*\.arn\}:\*$/),
    ]);
  });

  test('no role policy allows a "*" action', () => {
    const all = Object.entries(synthesized.config.data.aws_iam_policy_document)
      .filter(([id]) => id.startsWith('app_'))
      .flatMap(([, doc]) => doc.statement);
    expect(all.length).toBeGreaterThan(0);
    expect(all.flatMap((statement) => statement.actions).filter((action) => action.includes('*'))).toEqual(
      [],
    );
  });

  test('the task definition is Fargate, awsvpc, sized and on the configured architecture', () => {
    expect(taskDefinition).toMatchObject({
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
    });
    const arm = synthService({ architecture: 'ARM64' }).taskDefinition;
    expect(arm.runtime_platform).toEqual({ operating_system_family: 'LINUX', cpu_architecture: 'ARM64' });
  });

  test('the container definitions are JSON with secrets injected as secrets, never as environment values', () => {
    expect(containers).toHaveLength(1);
    const [app] = containers;
    expect(app).toMatchObject({
      name: 'app',
      image: '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/proj-dev/app:v1',
      essential: true,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
      environment: [
        { name: 'DB_HOST', value: 'db.internal' },
        { name: 'DB_PORT', value: '3306' },
      ],
      secrets: [
        { name: 'DB_PASSWORD', valueFrom: `${SECRET}:password::` },
        { name: 'DB_USERNAME', valueFrom: `${SECRET}:username::` },
      ],
      linuxParameters: { initProcessEnabled: true },
      readonlyRootFilesystem: false,
    });
    expect(JSON.stringify(app.environment)).not.toContain('secretsmanager');
  });

  test('the container logs through awslogs to its own encrypted log group with retention', () => {
    expect(containers[0].logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: {
        'awslogs-group': expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.app_log-group.*\.name\}$/),
        'awslogs-region': 'ap-northeast-1',
        'awslogs-stream-prefix': 'app',
      },
    });
    expect(byPath('aws_cloudwatch_log_group', 'app/log-group')).toMatchObject({
      name: '/proj-dev/ecs/app',
      retention_in_days: 14,
      kms_key_id: 'arn:aws:kms:ap-northeast-1:123456789012:key/logs',
    });
  });

  test('the EFS volume is mounted through the access point with transit encryption and IAM authorization', () => {
    expect(taskDefinition.volume).toEqual([
      {
        name: 'data',
        efs_volume_configuration: {
          file_system_id: 'fs-1',
          transit_encryption: 'ENABLED',
          authorization_config: { access_point_id: 'fsap-1', iam: 'ENABLED' },
        },
      },
    ]);
    expect(containers[0].mountPoints).toEqual([
      { sourceVolume: 'data', containerPath: '/data', readOnly: false },
    ]);
  });

  test('a container health check is optional', () => {
    expect(containers[0].healthCheck).toBeUndefined();
    const withCheck = synthService({
      container: { healthCheck: { command: 'curl -f http://localhost:8080/' } },
    });
    expect(withCheck.containers[0].healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -f http://localhost:8080/'],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 0,
    });
  });

  test('a read-only root filesystem with exec on fails at construction, saying why', () => {
    expect(() => synthService({ container: { readonlyRootFilesystem: true } })).toThrow(
      'container.readonlyRootFilesystem cannot be true while execEnabled is true: ECS Exec needs a writable root filesystem',
    );
  });

  test('with exec off the root filesystem may be read-only and the task role has no exec rights', () => {
    const {
      service: quiet,
      containers: quietContainers,
      document: quietDocument,
    } = synthService({
      execEnabled: false,
      container: { readonlyRootFilesystem: true },
    });
    expect(quiet.enable_execute_command).toBe(false);
    expect(quietContainers[0].readonlyRootFilesystem).toBe(true);
    expect(actionsOf(quietDocument('app_task-permissions').statement)).toEqual([
      'elasticfilesystem:ClientMount',
      'elasticfilesystem:ClientWrite',
    ]);
  });

  test('the service runs in the private subnets without a public IP, with circuit-breaker rollback', () => {
    expect(service).toMatchObject({
      network_configuration: {
        subnets: ['subnet-a', 'subnet-c'],
        security_groups: ['sg-tasks'],
        assign_public_ip: false,
      },
      platform_version: 'LATEST',
      deployment_circuit_breaker: { enable: true, rollback: true },
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
      health_check_grace_period_seconds: 60,
      propagate_tags: 'SERVICE',
      load_balancer: [{ target_group_arn: 'arn:tg', container_name: 'app', container_port: 8080 }],
    });
  });

  test('auto scaling owns the desired count: Terraform ignores it after creation', () => {
    expect(service.desired_count).toBe(1);
    expect(service.lifecycle).toEqual({ ignore_changes: ['desired_count'] });
  });

  test('the service waits for the cluster capacity providers its strategy names', () => {
    expect(service.capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE', base: 1, weight: 1 },
    ]);
    expect(service.depends_on).toEqual([expect.stringMatching(/^aws_ecs_cluster_capacity_providers\./)]);
  });

  test('auto scaling tracks average CPU at 60 % with 60 s cooldowns, 1 to 3 tasks', () => {
    expect(byPath('aws_appautoscaling_target', 'app/scaling-target')).toMatchObject({
      service_namespace: 'ecs',
      scalable_dimension: 'ecs:service:DesiredCount',
      min_capacity: 1,
      max_capacity: 3,
    });
    const policies = synthesized.bodies('aws_appautoscaling_policy').map(([, body]) => body);
    expect(policies).toEqual([
      expect.objectContaining({
        policy_type: 'TargetTrackingScaling',
        target_tracking_scaling_policy_configuration: {
          target_value: 60,
          predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' },
          scale_out_cooldown: 60,
          scale_in_cooldown: 60,
        },
      }),
    ]);
  });

  test('setting memory and request targets adds a policy for each', () => {
    const policies = synthService({
      autoScaling: {
        minCapacity: 1,
        maxCapacity: 3,
        memoryTargetPercent: 70,
        requestsPerTarget: { resourceLabel: 'app/lb/1/targetgroup/tg/2', target: 500 },
      },
    })
      .bodies('aws_appautoscaling_policy')
      .map(([, body]) => body.target_tracking_scaling_policy_configuration as Body);
    expect(policies.map((policy) => policy.predefined_metric_specification)).toEqual([
      { predefined_metric_type: 'ECSServiceAverageCPUUtilization' },
      { predefined_metric_type: 'ECSServiceAverageMemoryUtilization' },
      { predefined_metric_type: 'ALBRequestCountPerTarget', resource_label: 'app/lb/1/targetgroup/tg/2' },
    ]);
  });

  test('a desired count outside the scaling range fails at construction', () => {
    expect(() => synthService({ desiredCount: 4 })).toThrow(
      'desiredCount (4) must lie within autoScaling.minCapacity (1) and maxCapacity (3)',
    );
  });

  test('both roles trust only ECS tasks of this account', () => {
    const trust = document('app_task-trust').statement[0];
    expect(trust).toMatchObject({
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }],
      condition: expect.arrayContaining([
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] },
      ]),
    });
    expect(document('app_execution-trust').statement[0]).toEqual(trust);
  });
});
