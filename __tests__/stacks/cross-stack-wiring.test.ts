import { TerraformStack } from 'cdktf';
import { defineEnvironment } from '../../stacks/estate';
import { testApp, testEnvironment } from '../helpers';
import { named, SynthesizedApp, where } from './wiring';

/**
 * Every value one stack of the estate reads from another, asserted where it is used: the one
 * attribute or policy statement, compared whole with the producer's output of exactly the resource
 * attribute it must be (so a stack passing the wrong attribute, or the right one of the wrong
 * resource, fails here). The whole estate of one environment with a domain, WAF and a database for the
 * container app, so every optional reference exists; every stack passes the guardrails.
 */

type Body = Record<string, unknown>;

const environment = testEnvironment({
  domain: { name: 'example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
  waf: { enabled: true },
  containers: { database: { name: 'app' } },
});
const prefix = environment.namePrefix;
const app = testApp();
defineEnvironment(app, environment);
const stacks = Object.fromEntries(
  app.node.children
    .filter(TerraformStack.isStack)
    .map((stack) => [stack.node.id.replace(/^dev-/, ''), stack]),
);
const { network, data, compute, containers, observability } = stacks;
const estate = new SynthesizedApp(Object.values(stacks));

const ZONES = ['ap-northeast-1a', 'ap-northeast-1c'];
/** Matches the one resource of its type. */
const theOne = () => true;

/** What consumers read of the network stack. */
const fromNetwork = {
  subnets: (tier: string) =>
    ZONES.map((zone) => estate.readOf(network, 'aws_subnet', named(`${prefix}-${tier}-${zone}`), 'id')),
  group: (role: string) => estate.readOf(network, 'aws_security_group', named(`${prefix}-${role}`), 'id'),
  vpc: () => estate.readOf(network, 'aws_vpc', theOne, 'id'),
  certificate: () => estate.readOf(network, 'aws_acm_certificate_validation', theOne, 'certificate_arn'),
  webAcl: () => estate.readOf(network, 'aws_wafv2_web_acl', theOne, 'arn'),
  nat: (zone: string) => estate.readOf(network, 'aws_nat_gateway', named(`${prefix}-nat-${zone}`), 'id'),
};

/** What consumers read of the data stack. */
const fromData = {
  secret: (application: string) =>
    estate.readOf(
      data,
      'aws_secretsmanager_secret',
      where('name', `${prefix}-db-users/${application}`),
      'arn',
    ),
  dataKey: () =>
    estate.readOf(
      data,
      'aws_kms_key',
      where(
        'description',
        'Encrypts the database, its master secret and logs, the shared file system and backups',
      ),
      'arn',
    ),
  database: (attribute: string) => estate.readOf(data, 'aws_db_instance', theOne, attribute),
  fileSystem: (attribute: string) => estate.readOf(data, 'aws_efs_file_system', theOne, attribute),
  accessPoint: (path: string, attribute: string) =>
    estate.readOf(
      data,
      'aws_efs_access_point',
      (body) => (body.root_directory as { path: string }).path === path,
      attribute,
    ),
};

/** The statement `sid` of the policy document whose logical id starts with `documentId`. */
function statement(stack: TerraformStack, documentId: string, sid: string): Body {
  const documents = Object.entries(estate.config(stack).data?.aws_iam_policy_document ?? {}).filter(([id]) =>
    id.startsWith(documentId),
  );
  expect(documents).toHaveLength(1);
  const statements = (documents[0][1].statement as Body[]).filter((each) => each.sid === sid);
  expect(statements).toHaveLength(1);
  return statements[0];
}

const resource = (stack: TerraformStack, type: string, match: (body: Body) => boolean = () => true) =>
  estate.only(stack, type, match);

describe('every stack of the estate passes the guardrails', () => {
  test.each(Object.keys(stacks))('%s', (name) => {
    expect(() => estate.config(stacks[name])).not.toThrow();
  });
});

describe('the data stack reads the network stack', () => {
  test('the database: database subnets, db group', () => {
    expect(resource(data, 'aws_db_subnet_group').subnet_ids).toEqual(fromNetwork.subnets('database'));
    expect(resource(data, 'aws_db_instance').vpc_security_group_ids).toEqual([fromNetwork.group('db')]);
  });

  test.each(ZONES)('the file system mount target in %s: that zone’s private subnet, efs group', (zone) => {
    const subnet = fromNetwork.subnets('private')[ZONES.indexOf(zone)];
    expect(resource(data, 'aws_efs_mount_target', where('subnet_id', subnet)).security_groups).toEqual([
      fromNetwork.group('efs'),
    ]);
  });

  test('the database-users function: private subnets, db-admin group', () => {
    expect(resource(data, 'aws_lambda_function').vpc_config).toEqual({
      subnet_ids: fromNetwork.subnets('private'),
      security_group_ids: [fromNetwork.group('db-admin')],
    });
  });
});

describe('the compute stack reads the network and data stacks', () => {
  test('the load balancer: public subnets, alb group; its target group in the VPC', () => {
    const loadBalancer = resource(compute, 'aws_lb');
    expect(loadBalancer.subnets).toEqual(fromNetwork.subnets('public'));
    expect(loadBalancer.security_groups).toEqual([fromNetwork.group('alb')]);
    expect(resource(compute, 'aws_lb_target_group').vpc_id).toBe(fromNetwork.vpc());
  });

  test("HTTPS with the network stack's validated certificate; its web ACL on the load balancer", () => {
    expect(resource(compute, 'aws_lb_listener', where('port', 443)).certificate_arn).toBe(
      fromNetwork.certificate(),
    );
    expect(resource(compute, 'aws_wafv2_web_acl_association').web_acl_arn).toBe(fromNetwork.webAcl());
  });

  test('the instances: private subnets, web group', () => {
    expect(resource(compute, 'aws_autoscaling_group').vpc_zone_identifier).toEqual(
      fromNetwork.subnets('private'),
    );
    const [networkInterface] = resource(compute, 'aws_launch_template').network_interfaces as Body[];
    expect(networkInterface.security_groups).toEqual([fromNetwork.group('web')]);
  });

  test("the instance role reads WordPress's own secret and decrypts it with the data key, nothing else", () => {
    expect(statement(compute, 'web-servers_permissions', 'ReadDatabaseSecret')).toEqual({
      sid: 'ReadDatabaseSecret',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [fromData.secret('wordpress')],
    });
    expect(statement(compute, 'web-servers_permissions', 'DecryptDatabaseSecret')).toEqual({
      sid: 'DecryptDatabaseSecret',
      actions: ['kms:Decrypt'],
      resources: [fromData.dataKey()],
      condition: [
        {
          test: 'StringEquals',
          variable: 'kms:ViaService',
          values: ['secretsmanager.ap-northeast-1.amazonaws.com'],
        },
      ],
    });
  });

  test('the instance role mounts the shared file system only through the web access point', () => {
    expect(statement(compute, 'web-servers_permissions', 'MountSharedFiles')).toEqual({
      sid: 'MountSharedFiles',
      actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
      resources: [fromData.fileSystem('arn')],
      condition: [
        {
          test: 'StringEquals',
          variable: 'elasticfilesystem:AccessPointArn',
          values: [fromData.accessPoint('/wordpress/wp-content', 'arn')],
        },
      ],
    });
  });

  test('the first-boot script takes the database, its secret and the web access point from the data stack', () => {
    const locals = (estate.config(compute) as { locals?: Record<string, string> }).locals ?? {};
    const lines = Object.values(locals)[0].split('\n');
    // The script's assignments of a value from outside (quoted); later lines may reuse the variable.
    const line = (name: string) => lines.filter((each) => each.startsWith(`${name}='`));
    expect(line('DB_HOST')).toEqual([`DB_HOST='${fromData.database('address')}'`]);
    expect(line('DB_PORT')).toEqual([`DB_PORT='${fromData.database('port')}'`]);
    expect(line('DB_SECRET_ARN')).toEqual([`DB_SECRET_ARN='${fromData.secret('wordpress')}'`]);
    expect(line('EFS_ID')).toEqual([`EFS_ID='${fromData.fileSystem('id')}'`]);
    expect(line('EFS_ACCESS_POINT_ID')).toEqual([
      `EFS_ACCESS_POINT_ID='${fromData.accessPoint('/wordpress/wp-content', 'id')}'`,
    ]);
  });
});

describe('the containers stack reads the network and data stacks', () => {
  test('the load balancer: public subnets, alb group, the certificate and web ACL; its target group in the VPC', () => {
    const loadBalancer = resource(containers, 'aws_lb');
    expect(loadBalancer.subnets).toEqual(fromNetwork.subnets('public'));
    expect(loadBalancer.security_groups).toEqual([fromNetwork.group('alb')]);
    expect(resource(containers, 'aws_lb_target_group').vpc_id).toBe(fromNetwork.vpc());
    expect(resource(containers, 'aws_lb_listener', where('port', 443)).certificate_arn).toBe(
      fromNetwork.certificate(),
    );
    expect(resource(containers, 'aws_wafv2_web_acl_association').web_acl_arn).toBe(fromNetwork.webAcl());
  });

  test('the service: private subnets, tasks group, no public address', () => {
    expect(resource(containers, 'aws_ecs_service').network_configuration).toEqual({
      subnets: fromNetwork.subnets('private'),
      security_groups: [fromNetwork.group('tasks')],
      assign_public_ip: false,
    });
  });

  test("the task definition mounts the app access point of the data stack's file system", () => {
    const [volume] = resource(containers, 'aws_ecs_task_definition').volume as Body[];
    expect(volume.efs_volume_configuration).toEqual({
      file_system_id: fromData.fileSystem('id'),
      transit_encryption: 'ENABLED',
      authorization_config: { access_point_id: fromData.accessPoint('/app', 'id'), iam: 'ENABLED' },
    });
  });

  test('the task role mounts the file system only through the app access point', () => {
    expect(statement(containers, 'app_task-permissions', 'MountThroughAccessPoint')).toEqual({
      sid: 'MountThroughAccessPoint',
      actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
      resources: [fromData.fileSystem('arn')],
      condition: [
        {
          test: 'StringEquals',
          variable: 'elasticfilesystem:AccessPointArn',
          values: [fromData.accessPoint('/app', 'arn')],
        },
      ],
    });
  });

  test("the container's credentials come from the app's own secret, and the execution role may read that secret only", () => {
    const [definition] = JSON.parse(
      resource(containers, 'aws_ecs_task_definition').container_definitions as string,
    ) as { secrets: Body[]; environment: Body[] }[];
    const appSecret = fromData.secret('app');
    expect(definition.secrets).toEqual([
      { name: 'DB_PASSWORD', valueFrom: `${appSecret}:password::` },
      { name: 'DB_USERNAME', valueFrom: `${appSecret}:username::` },
    ]);
    expect(definition.environment).toEqual([
      { name: 'DB_DATABASE', value: 'app' },
      { name: 'DB_HOST', value: fromData.database('address') },
      { name: 'DB_PORT', value: fromData.database('port') },
    ]);
    expect(statement(containers, 'app_execution-permissions', 'ReadSecrets')).toEqual({
      sid: 'ReadSecrets',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [appSecret],
    });
  });
});

describe('the observability stack reads every other stack', () => {
  const alarm = (name: string) =>
    resource(observability, 'aws_cloudwatch_metric_alarm', where('alarm_name', `${prefix}-${name}`));

  test('NAT gateway alarms: each zone’s gateway', () => {
    for (const zone of ZONES) {
      expect(alarm(`nat-${zone}-packets-dropped`).dimensions).toEqual({
        NatGatewayId: fromNetwork.nat(zone),
      });
    }
  });

  test('database alarms: the data stack’s instance', () => {
    expect(alarm('db-cpu-high').dimensions).toEqual({
      DBInstanceIdentifier: fromData.database('identifier'),
    });
  });

  test('file-system alarms: the data stack’s file system', () => {
    expect(alarm('efs-io-limit-high').dimensions).toEqual({ FileSystemId: fromData.fileSystem('id') });
  });

  test('web tier alarms: the compute stack’s Auto Scaling group, load balancer and target group', () => {
    expect(alarm('web-cpu-high').dimensions).toEqual({
      AutoScalingGroupName: estate.readOf(compute, 'aws_autoscaling_group', theOne, 'name'),
    });
    expect(alarm('web-unhealthy-hosts').dimensions).toEqual({
      LoadBalancer: estate.readOf(compute, 'aws_lb', theOne, 'arn_suffix'),
      TargetGroup: estate.readOf(compute, 'aws_lb_target_group', theOne, 'arn_suffix'),
    });
  });

  test('container alarms: the containers stack’s cluster, service, load balancer and target group', () => {
    expect(alarm('app-cpu-high').dimensions).toEqual({
      ClusterName: estate.readOf(containers, 'aws_ecs_cluster', theOne, 'name'),
      ServiceName: estate.readOf(containers, 'aws_ecs_service', theOne, 'name'),
    });
    expect(alarm('app-unhealthy-hosts').dimensions).toEqual({
      LoadBalancer: estate.readOf(containers, 'aws_lb', theOne, 'arn_suffix'),
      TargetGroup: estate.readOf(containers, 'aws_lb_target_group', theOne, 'arn_suffix'),
    });
  });
});
