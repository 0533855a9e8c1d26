import { Testing } from 'cdktf';
import { DatabaseUsers, type DatabaseUsersProps } from '../../modules/database-users';

type Body = Record<string, unknown>;
interface Config {
  resource: Record<string, Record<string, Body>>;
  data: Record<string, Record<string, Body>>;
}

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };
const MASTER = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-1-AbCdEf';
const KEY = 'arn:aws:kms:ap-northeast-1:123456789012:key/k';
const code = { zipPath: __filename, inputHash: 'abc123', sourceCodeHash: 'c29tZSBoYXNo' };

function props(overrides: Partial<DatabaseUsersProps> = {}): DatabaseUsersProps {
  return {
    context,
    name: 'proj-dev-db-users',
    code,
    subnetIds: ['subnet-private-a', 'subnet-private-c'],
    securityGroupId: 'sg-db-admin',
    database: { address: 'db.example.internal', port: 3306, masterSecretArn: MASTER },
    kmsKeyArn: KEY,
    applications: {
      wordpress: { databaseName: 'wordpress' },
      app: {
        databaseName: 'app_data',
        restartOnRotation: [{ clusterName: 'proj-dev', serviceName: 'proj-dev-app' }],
      },
    },
    ...overrides,
  };
}

function synth(overrides: Partial<DatabaseUsersProps> = {}): Config {
  return JSON.parse(
    Testing.synthScope((scope) => new DatabaseUsers(scope, 'users', props(overrides))),
  ) as Config;
}

const bodies = (config: Config, type: string): Body[] => Object.values(config.resource[type] ?? {});
const only = (config: Config, type: string): Body => {
  const found = bodies(config, type);
  expect(found).toHaveLength(1);
  return found[0];
};
const byName = (config: Config, type: string, key: string, value: string): Body =>
  bodies(config, type).find((body) => body[key] === value)!;
const ref = (config: Config, type: string, key: string, value: string, attribute: string): string => {
  const [name] = Object.entries(config.resource[type]).find(([, body]) => body[key] === value)!;
  return `\${${type}.${name}.${attribute}}`;
};

describe('DatabaseUsers', () => {
  const config = synth();
  const wordpressSecret = ref(
    config,
    'aws_secretsmanager_secret',
    'name',
    'proj-dev-db-users/wordpress',
    'arn',
  );
  const appSecret = ref(config, 'aws_secretsmanager_secret', 'name', 'proj-dev-db-users/app', 'arn');
  const fn = only(config, 'aws_lambda_function');
  const functionName = `\${aws_lambda_function.${Object.keys(config.resource.aws_lambda_function)[0]}.function_name}`;

  test('one secret per application, under the data key, with no version from Terraform', () => {
    expect(byName(config, 'aws_secretsmanager_secret', 'name', 'proj-dev-db-users/wordpress')).toMatchObject({
      kms_key_id: KEY,
      recovery_window_in_days: 30,
    });
    expect(bodies(config, 'aws_secretsmanager_secret')).toHaveLength(2);
    expect(config.resource.aws_secretsmanager_secret_version).toBeUndefined();
  });

  test('a Node.js 22 function (Lambda no longer creates Node.js 20 ones) in the private subnets and its own group, told where the database is', () => {
    expect(fn).toMatchObject({
      function_name: 'proj-dev-db-users',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: expect.stringMatching(/^assets\/users_code_\w+\/abc123\/database-users\.test\.ts$/),
      source_code_hash: 'c29tZSBoYXNo',
      vpc_config: {
        subnet_ids: ['subnet-private-a', 'subnet-private-c'],
        security_group_ids: ['sg-db-admin'],
      },
      environment: {
        variables: {
          DB_HOST: 'db.example.internal',
          DB_PORT: '3306',
          MASTER_SECRET_ARN: MASTER,
          RESTART_ON_ROTATION: '{"app":[{"cluster":"proj-dev","service":"proj-dev-app"}]}',
        },
      },
    });
    expect(fn.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\.users_policy_\w+$/)]);
  });

  test('its role alone reads the master secret, and manages only the application secrets', () => {
    const document = Object.values(config.data.aws_iam_policy_document).find(
      (body) => (body.statement as Body[]).length > 1,
    )!;
    expect(document.statement).toEqual([
      { sid: 'ReadMasterSecret', actions: ['secretsmanager:GetSecretValue'], resources: [MASTER] },
      {
        sid: 'RotateApplicationSecrets',
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [wordpressSecret, appSecret],
      },
      { sid: 'GeneratePasswords', actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] },
      {
        sid: 'SecretsKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [KEY],
        condition: [
          {
            test: 'StringEquals',
            variable: 'kms:ViaService',
            values: ['secretsmanager.ap-northeast-1.amazonaws.com'],
          },
        ],
      },
      {
        sid: 'WriteLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.users_log-group_\w+\.arn\}:\*$/)],
      },
      {
        sid: 'VpcNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      },
      {
        sid: 'RedeployReaders',
        actions: ['ecs:UpdateService'],
        resources: ['arn:aws:ecs:ap-northeast-1:123456789012:service/proj-dev/proj-dev-app'],
      },
    ]);
  });

  test('without services to redeploy, the role gets no ECS permission and the function an empty map', () => {
    const plain = synth({ applications: { wordpress: { databaseName: 'wordpress' } } });
    const document = Object.values(plain.data.aws_iam_policy_document).find(
      (body) => (body.statement as Body[]).length > 1,
    )!;
    expect((document.statement as Body[]).map((statement) => statement.sid)).not.toContain('RedeployReaders');
    expect(
      (only(plain, 'aws_lambda_function').environment as { variables: Record<string, string> }).variables
        .RESTART_ON_ROTATION,
    ).toBe('{}');
  });

  // Synthesized resources come sorted by logical id: app before wordpress.
  test('Secrets Manager may invoke it for these secrets of this account only', () => {
    expect(
      bodies(config, 'aws_lambda_permission').map(
        ({ statement_id, principal, source_arn, source_account }) => ({
          statement_id,
          principal,
          source_arn,
          source_account,
        }),
      ),
    ).toEqual([
      {
        statement_id: 'rotate-app',
        principal: 'secretsmanager.amazonaws.com',
        source_arn: appSecret,
        source_account: '123456789012',
      },
      {
        statement_id: 'rotate-wordpress',
        principal: 'secretsmanager.amazonaws.com',
        source_arn: wordpressSecret,
        source_account: '123456789012',
      },
    ]);
  });

  test('Terraform invokes it at apply with names and ARNs only, again when the code changes', () => {
    const invocation = only(config, 'aws_lambda_invocation');
    expect(invocation.function_name).toBe(functionName);
    expect(invocation.triggers).toEqual({ code: 'c29tZSBoYXNo' });
    const bare = (reference: string) => reference.slice(2, -1);
    expect(invocation.input).toBe(
      '${jsonencode({"action" = "provision", "host" = "db.example.internal", "port" = 3306, ' +
        `"masterSecretArn" = "${MASTER}", "applications" = [` +
        `{"name" = "wordpress", "database" = "wordpress", "secretArn" = ${bare(wordpressSecret)}}, ` +
        `{"name" = "app", "database" = "app_data", "secretArn" = ${bare(appSecret)}}]})}`,
    );
  });

  test('each secret rotates every 30 days after the first version exists, not at creation', () => {
    const rotations = bodies(config, 'aws_secretsmanager_secret_rotation');
    expect(
      rotations.map(({ rotation_rules, rotate_immediately }) => ({ rotation_rules, rotate_immediately })),
    ).toEqual([
      { rotation_rules: { automatically_after_days: 30 }, rotate_immediately: false },
      { rotation_rules: { automatically_after_days: 30 }, rotate_immediately: false },
    ]);
    for (const rotation of rotations) {
      expect(rotation.depends_on).toEqual([
        expect.stringMatching(/^aws_lambda_invocation\.users_provision_\w+$/),
        expect.stringMatching(/^aws_lambda_permission\.users_rotation-permission-\w+$/),
      ]);
    }
  });

  test('setting rotationDays and secretRecoveryDays works', () => {
    const custom = synth({
      rotationDays: 90,
      secretRecoveryDays: 0,
      applications: { wordpress: { databaseName: 'wp' } },
    });
    expect(only(custom, 'aws_secretsmanager_secret_rotation').rotation_rules).toEqual({
      automatically_after_days: 90,
    });
    expect(only(custom, 'aws_secretsmanager_secret').recovery_window_in_days).toBe(0);
  });

  test.each([1, 1000])('rotationDays %d is accepted', (days) => {
    expect(() => synth({ rotationDays: days })).not.toThrow();
  });
  test.each([0, 1001, 1.5])('rotationDays %d is refused', (days) => {
    expect(() => synth({ rotationDays: days })).toThrow('rotationDays must be 1-1000');
  });
  test.each(['Wordpress', 'word_press', 'a'.repeat(31), '1app'])(
    'application name "%s" is refused',
    (name) => {
      expect(() => synth({ applications: { [name]: { databaseName: 'x' } } })).toThrow(
        'must be 1-30 lowercase letters or digits',
      );
    },
  );
  test('a 30-character application name is accepted (users of 32 characters, the MySQL limit)', () => {
    expect(() => synth({ applications: { ['a'.repeat(30)]: { databaseName: 'x' } } })).not.toThrow();
  });
});
