import { randomBytes } from 'node:crypto';
import { Testing } from 'cdktf';
import {
  AMAZON_LINUX_2023_IMAGE_PARAMETERS,
  ssmImageId,
  WebServerFleet,
  type WebServerFleetProps,
} from '../../modules/web-server-fleet';

type Body = Record<string, unknown>;
interface Config {
  resource: Record<string, Record<string, Body>>;
  data: Record<string, Record<string, Body>>;
  locals: Record<string, string>;
}

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };
const secretArn = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-1-AbCdEf';
const keyArn = 'arn:aws:kms:ap-northeast-1:123456789012:key/k';
const fileSystemArn = 'arn:aws:elasticfilesystem:ap-northeast-1:123456789012:file-system/fs-1';
const accessPointArn = 'arn:aws:elasticfilesystem:ap-northeast-1:123456789012:access-point/fsap-1';

function synthFleet(overrides: Partial<WebServerFleetProps> = {}): Config {
  const json = Testing.synthScope((scope) => {
    new WebServerFleet(scope, 'web', {
      context,
      name: 'proj-dev-web',
      roleName: 'proj-dev-web-instance',
      subnetIds: ['subnet-private-a', 'subnet-private-c'],
      securityGroupId: 'sg-web',
      imageId: ssmImageId(AMAZON_LINUX_2023_IMAGE_PARAMETERS.arm64),
      instanceType: 't4g.small',
      userData: '#!/bin/bash\necho "hello" \\\n  world\n',
      targetGroupArns: ['arn:tg'],
      desiredCapacity: 2,
      detailedMonitoring: false,
      cpuTargetPercent: 60,
      secret: { arn: secretArn, kmsKeyArn: keyArn },
      fileSystem: { arn: fileSystemArn, accessPointArn },
      instanceTags: { project: 'proj' },
      ...overrides,
    });
  });
  return JSON.parse(json) as Config;
}

/** The one data source or resource of `type` whose logical id contains `part`. */
const named = (bodies: Record<string, Body> | undefined, part: string): Body | undefined => {
  const matches = Object.entries(bodies ?? {}).filter(([id]) => id.includes(part));
  expect(matches.length).toBeLessThanOrEqual(1);
  return matches[0]?.[1];
};

const only = (config: Config, type: string): Body => {
  const bodies = Object.values(config.resource[type] ?? {});
  expect(bodies).toHaveLength(1);
  return bodies[0];
};

describe('WebServerFleet', () => {
  const config = synthFleet();
  const template = only(config, 'aws_launch_template');
  const group = only(config, 'aws_autoscaling_group');

  test('boots Amazon Linux 2023 through its public SSM parameter, never an AMI look-up', () => {
    expect(template.image_id).toBe(
      'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    );
    expect(config.data?.aws_ami).toBeUndefined();
  });

  test('requires IMDSv2 with a hop limit of 1', () => {
    expect(template.metadata_options).toEqual({
      http_endpoint: 'enabled',
      http_tokens: 'required',
      http_put_response_hop_limit: 1,
      instance_metadata_tags: 'disabled',
    });
  });

  test('the root volume is encrypted gp3', () => {
    expect(template.block_device_mappings).toEqual([
      {
        device_name: '/dev/xvda',
        ebs: { volume_type: 'gp3', volume_size: 20, encrypted: 'true', delete_on_termination: 'true' },
      },
    ]);
  });

  test('no key pair and no public address, in the given security group', () => {
    expect(template.key_name).toBeUndefined();
    expect(template.vpc_security_group_ids).toBeUndefined();
    expect(template.network_interfaces).toEqual([
      expect.objectContaining({ associate_public_ip_address: 'false', security_groups: ['sg-web'] }),
    ]);
  });

  test('detailed monitoring follows the setting', () => {
    expect(template.monitoring).toEqual({ enabled: false });
    expect(only(synthFleet({ detailedMonitoring: true }), 'aws_launch_template').monitoring).toEqual({
      enabled: true,
    });
  });

  test('setting cpuCredits writes the credit specification; unset leaves the type default', () => {
    expect(template.credit_specification).toBeUndefined();
    expect(only(synthFleet({ cpuCredits: 'standard' }), 'aws_launch_template').credit_specification).toEqual({
      cpu_credits: 'standard',
    });
  });

  test('user data is the script, gzipped and base64-encoded from a plain string', () => {
    const [localName, script] = Object.entries(config.locals)[0];
    expect(script).toBe('#!/bin/bash\necho "hello" \\\n  world\n');
    expect(template.user_data).toBe(`\${base64gzip(local.${localName})}`);
  });

  test("the script's own %{ and ${ reach the instance literally; references still resolve", () => {
    const script = 'RewriteCond %{REQUEST_FILENAME} !-f\n{"a":"${aws:InstanceId}"}\nARN=';
    const synthesized = synthFleet({ userData: `${script}${secretArn}` });
    expect(Object.values(synthesized.locals)[0]).toBe(
      `RewriteCond %%{REQUEST_FILENAME} !-f\n{"a":"$\${aws:InstanceId}"}\nARN=${secretArn}`,
    );
  });

  test('instances and volumes carry the given tags and a Name', () => {
    expect(template.tag_specifications).toEqual([
      { resource_type: 'instance', tags: { project: 'proj', Name: 'proj-dev-web' } },
      { resource_type: 'volume', tags: { project: 'proj', Name: 'proj-dev-web' } },
    ]);
  });

  test('the group spans the given subnets, replaces instances the load balancer finds unhealthy', () => {
    expect(group).toMatchObject({
      name: 'proj-dev-web',
      vpc_zone_identifier: ['subnet-private-a', 'subnet-private-c'],
      target_group_arns: ['arn:tg'],
      min_size: 2,
      max_size: 4,
      desired_capacity: 2,
      health_check_type: 'ELB',
      health_check_grace_period: 300,
      capacity_rebalance: false,
      metrics_granularity: '1Minute',
      lifecycle: { ignore_changes: ['desired_capacity'] },
    });
    expect(group.enabled_metrics).toEqual(expect.arrayContaining(['GroupInServiceInstances']));
  });

  test('a new launch template version rolls through an instance refresh', () => {
    const [templateId] = Object.keys(config.resource.aws_launch_template);
    expect(group.launch_template).toEqual({
      id: `\${aws_launch_template.${templateId}.id}`,
      version: `\${aws_launch_template.${templateId}.latest_version}`,
    });
    expect(group.instance_refresh).toEqual({
      strategy: 'Rolling',
      preferences: { min_healthy_percentage: 50, instance_warmup: '300' },
    });
  });

  test('target tracking keeps average CPU at the target', () => {
    expect(only(config, 'aws_autoscaling_policy')).toMatchObject({
      policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: {
        predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' },
        target_value: 60,
      },
    });
  });

  test('mixed instances: Spot above the on-demand base over several types, with capacity rebalancing', () => {
    const mixed = only(
      synthFleet({
        mixedInstances: {
          onDemandBaseCapacity: 1,
          onDemandPercentageAboveBaseCapacity: 25,
          extraInstanceTypes: ['t4g.medium'],
        },
      }),
      'aws_autoscaling_group',
    );
    expect(mixed.launch_template).toBeUndefined();
    expect(mixed.capacity_rebalance).toBe(true);
    expect(mixed.mixed_instances_policy).toMatchObject({
      instances_distribution: {
        on_demand_base_capacity: 1,
        on_demand_percentage_above_base_capacity: 25,
        spot_allocation_strategy: 'price-capacity-optimized',
      },
      launch_template: {
        override: [{ instance_type: 't4g.small' }, { instance_type: 't4g.medium' }],
      },
    });
  });

  test('the role and its instance profile share the given name and trust EC2', () => {
    expect(only(config, 'aws_iam_role').name).toBe('proj-dev-web-instance');
    expect(only(config, 'aws_iam_instance_profile').name).toBe('proj-dev-web-instance');
    const trust = Object.values(config.data.aws_iam_policy_document).find((document) =>
      JSON.stringify(document).includes('sts:AssumeRole'),
    );
    expect(trust?.statement).toEqual([
      expect.objectContaining({ principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }),
    ]);
  });

  test('Session Manager through its AWS managed policy, and nothing else managed', () => {
    expect(
      Object.values(config.resource.aws_iam_role_policy_attachment).map(
        (attachment) => attachment.policy_arn,
      ),
    ).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
  });

  test('the CloudWatch agent writes only to its log groups and its metric namespace', () => {
    const logGroupArn = 'arn:aws:logs:ap-northeast-1:123456789012:log-group:/proj-dev/web/apache-access';
    const synthesized = synthFleet({
      cloudWatchAgent: { logGroupArns: [logGroupArn], namespace: 'CWAgent' },
    });
    expect(
      named(synthesized.data.aws_iam_policy_document, 'cloudwatch-agent-permissions')?.statement,
    ).toEqual([
      {
        sid: 'ShipWebLogs',
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [logGroupArn, `${logGroupArn}:*`],
      },
      {
        sid: 'PutAgentMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: ['CWAgent'] }],
      },
      { sid: 'ReadOwnTags', actions: ['ec2:DescribeTags'], resources: ['*'] },
    ]);
    expect(only(synthesized, 'aws_iam_role_policy_attachment').policy_arn).toBe(
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    );
    expect(named(config.data.aws_iam_policy_document, 'cloudwatch-agent-permissions')).toBeUndefined();
  });

  test('the administrator secret: read and write that one secret, its key only through Secrets Manager', () => {
    const adminSecretArn =
      'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:proj-dev/wordpress/admin-x';
    const adminKeyArn = 'arn:aws:kms:ap-northeast-1:123456789012:key/web';
    const synthesized = synthFleet({ adminSecret: { arn: adminSecretArn, kmsKeyArn: adminKeyArn } });
    expect(named(synthesized.data.aws_iam_policy_document, 'wordpress-admin-permissions')?.statement).toEqual(
      [
        {
          sid: 'WriteAdminSecret',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
          resources: [adminSecretArn],
        },
        {
          sid: 'EncryptAdminSecret',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [adminKeyArn],
          condition: [
            {
              test: 'StringEquals',
              variable: 'kms:ViaService',
              values: ['secretsmanager.ap-northeast-1.amazonaws.com'],
            },
          ],
        },
      ],
    );
    expect(
      Object.values(synthesized.resource.aws_iam_role_policy)
        .map((policy) => policy.name)
        .sort(),
    ).toEqual(['secret-and-file-system', 'wordpress-admin']);
  });

  test('reads only its secret, decrypts only through Secrets Manager, mounts only through the access point', () => {
    const permissions = Object.values(config.data.aws_iam_policy_document).find((document) =>
      JSON.stringify(document).includes('GetSecretValue'),
    );
    expect(permissions?.statement).toEqual([
      { sid: 'ReadDatabaseSecret', actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] },
      {
        sid: 'DecryptDatabaseSecret',
        actions: ['kms:Decrypt'],
        resources: [keyArn],
        condition: [
          {
            test: 'StringEquals',
            variable: 'kms:ViaService',
            values: ['secretsmanager.ap-northeast-1.amazonaws.com'],
          },
        ],
      },
      {
        sid: 'MountSharedFiles',
        actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        resources: [fileSystemArn],
        condition: [
          { test: 'StringEquals', variable: 'elasticfilesystem:AccessPointArn', values: [accessPointArn] },
        ],
      },
    ]);
  });

  test('user data over 16 KB once gzipped fails at construction, naming its size', () => {
    const incompressible = randomBytes(20000).toString('base64');
    expect(() => synthFleet({ userData: incompressible })).toThrow(
      /userData is \d{5} bytes gzipped; EC2 allows 16384 \(16 KB\)/,
    );
    expect(() => synthFleet({ userData: 'x'.repeat(100000) })).not.toThrow();
  });

  test('sizes out of order fail at construction', () => {
    expect(() => synthFleet({ minSize: 3, desiredCapacity: 2 })).toThrow(
      'minSize (3) <= desiredCapacity (2) <= maxSize (4) does not hold',
    );
  });

  test('a role name over the IAM limit fails at construction', () => {
    expect(() => synthFleet({ roleName: 'r'.repeat(65) })).toThrow('is 65 characters; IAM allows 64');
  });
});
