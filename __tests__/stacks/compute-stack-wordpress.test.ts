import type { EnvironmentConfig } from '../../config';
import { ComputeStack } from '../../stacks/compute-stack';
import { NetworkStack } from '../../stacks/network-stack';
import { resourcesOf, testApp, testEnvironment, type SynthesizedConfig } from '../helpers';
import { FakeDataStack } from './fake-data-stack';
import { synthesizeChecked } from './wiring';

type Body = Record<string, unknown>;

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
  const { config } = synthesizeChecked(stack);
  const typed = config as SynthesizedConfig & { locals: Record<string, string> };
  return { stack, config: typed, script: Object.values(typed.locals)[0] };
}

/** The one resource or data source of `type` whose logical id contains `part`. */
function named(bodies: Record<string, Body> | undefined, part: string): Body {
  const matches = Object.entries(bodies ?? {}).filter(([id]) => id.includes(part));
  expect(matches).toHaveLength(1);
  return matches[0][1];
}

const lines = (script: string) => script.split('\n');

describe('ComputeStack: WordPress on the web tier (dev)', () => {
  const { config, script } = synthCompute(
    testEnvironment({ deletionProtection: false, domain: undefined, logRetentionDays: 14 }),
  );

  test('the pinned release and WP-CLI are downloaded and verified by the boot', () => {
    expect(lines(script)).toContain(
      "if ! echo 'db610ad9f549e0abb5af3e3d5c6729c58d874439654cdf0afea425b2ea895f35  /tmp/wordpress.tar.gz' | sha256sum -c --strict -; then",
    );
    expect(lines(script)).toContain(
      "retry curl -fsSL -o /usr/local/bin/wp 'https://github.com/wp-cli/wp-cli/releases/download/v2.12.0/wp-cli-2.12.0.phar'",
    );
  });

  test('the install uses the administrator secret of this stack and the site address', () => {
    const secret = named(config.resource?.aws_secretsmanager_secret, 'admin-secret');
    expect(secret.name).toBe('aws-and-infra-dev/wordpress/admin');
    const secretId = Object.keys(config.resource!.aws_secretsmanager_secret)[0];
    expect(lines(script)).toContain(`ADMIN_SECRET_ARN='\${aws_secretsmanager_secret.${secretId}.arn}'`);
    expect(lines(script).find((line) => line.startsWith('SITE_URL='))).toMatch(
      /^SITE_URL='http:\/\/\$\{aws_lb\.[\w-]+\.dns_name\}'$/,
    );
  });

  test('Apache believes X-Forwarded-For from the VPC only; Terraform gets the rewrite rules escaped', () => {
    expect(lines(script)).toContain('RemoteIPInternalProxy 10.0.0.0/16');
    expect(lines(script)).toContain('    RewriteCond %%{REQUEST_FILENAME} !-f');
    expect(script).toContain('"AutoScalingGroupName":"$${aws:AutoScalingGroupName}"');
  });

  test('the agent ships to the four log groups of this stack, named /<namePrefix>/web/<log>', () => {
    const groups = resourcesOf(config, 'aws_cloudwatch_log_group')
      .map((group) => group.name)
      .sort();
    expect(groups).toEqual([
      '/aws-and-infra-dev/web/apache-access',
      '/aws-and-infra-dev/web/apache-error',
      '/aws-and-infra-dev/web/cloud-init-output',
      '/aws-and-infra-dev/web/php-fpm-error',
    ]);
    expect(resourcesOf(config, 'aws_cloudwatch_log_group').map((group) => group.retention_in_days)).toEqual([
      14, 14, 14, 14,
    ]);
    for (const name of groups) expect(script).toContain(`"log_group_name":"${name}"`);
  });

  test("the instance role may write exactly those groups' streams and the CWAgent namespace", () => {
    const document = named(config.data?.aws_iam_policy_document, 'cloudwatch-agent-permissions') as {
      statement: Body[];
    };
    const arns = Object.keys(config.resource!.aws_cloudwatch_log_group).map(
      (id) => `\${aws_cloudwatch_log_group.${id}.arn}`,
    );
    const { resources, ...rest } = document.statement[0] as { resources: string[] };
    expect(rest).toEqual({
      sid: 'ShipWebLogs',
      actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
    });
    expect([...resources].sort()).toEqual(arns.flatMap((arn) => [arn, `${arn}:*`]).sort());
    expect(document.statement[1]).toEqual({
      sid: 'PutAgentMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: ['CWAgent'] }],
    });
  });

  test('the administrator secret may be written by the instances, through its own key', () => {
    const document = named(config.data?.aws_iam_policy_document, 'wordpress-admin-permissions') as {
      statement: Body[];
    };
    const secretId = Object.keys(config.resource!.aws_secretsmanager_secret)[0];
    const keyId = Object.keys(config.resource!.aws_kms_key)[0];
    expect(document.statement[0].resources).toEqual([`\${aws_secretsmanager_secret.${secretId}.arn}`]);
    expect(document.statement[1].resources).toEqual([`\${aws_kms_key.${keyId}.arn}`]);
  });

  test('an unprotected environment frees the secret name at once when it is deleted', () => {
    expect(named(config.resource?.aws_secretsmanager_secret, 'admin-secret').recovery_window_in_days).toBe(0);
  });
});

describe('ComputeStack: image and WordPress settings per environment', () => {
  test('a pinned image id is the launch template image, without the warning', () => {
    const { stack, config } = synthCompute(testEnvironment({ web: { imageId: 'ami-0123456789abcdef0' } }));
    expect(resourcesOf(config, 'aws_launch_template')[0].image_id).toBe('ami-0123456789abcdef0');
    expect(
      stack.node.metadata.filter(
        (entry) => entry.type === '@cdktf/warn' && String(entry.data).includes('imageId'),
      ),
    ).toEqual([]);
  });

  test('prod keeps a deleted administrator secret restorable for 30 days', () => {
    const { config } = synthCompute(testEnvironment({ name: 'prod', deletionProtection: true }));
    expect(named(config.resource?.aws_secretsmanager_secret, 'admin-secret').recovery_window_in_days).toBe(
      30,
    );
  });

  test('a localized release comes from downloads.wordpress.org with its supplied checksum', () => {
    const sha256 = 'a'.repeat(64);
    const { script } = synthCompute(testEnvironment({ web: { wordpress: { locale: 'ja', sha256 } } }));
    expect(lines(script)).toContain(
      "retry curl -fsSL -o /tmp/wordpress.tar.gz 'https://downloads.wordpress.org/release/ja/wordpress-6.9.4.tar.gz'",
    );
    expect(lines(script)).toContain(
      `if ! echo '${sha256}  /tmp/wordpress.tar.gz' | sha256sum -c --strict -; then`,
    );
  });

  test('an environment that opts in to file modifications gets them, and its upload limit', () => {
    const { script } = synthCompute(
      testEnvironment({ web: { wordpress: { allowFileMods: true, uploadMaxMegabytes: 256 } } }),
    );
    expect(lines(script)).toContain("define('DISALLOW_FILE_MODS', false);");
    expect(lines(script)).toContain('upload_max_filesize = 256M');
  });
});
