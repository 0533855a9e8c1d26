import { parseEnvironments } from '../../config';
import { actionMatches } from '../../modules/ci-read-permissions';
import { NetworkStack } from '../../stacks/network-stack';
import { CI_ROLE_OUTPUTS, StateStack } from '../../stacks/state-stack';
import { resourcesOf, testApp, testEnvironment, type SynthesizedConfig } from '../helpers';
import { synthesizeChecked } from './wiring';

/** The one policy document whose logical id is `ci-roles_<name>_<hash>`. */
function document(config: SynthesizedConfig, name: string): Record<string, unknown> {
  const found = Object.entries(config.data?.aws_iam_policy_document ?? {}).filter(([id]) =>
    new RegExp(`^ci-roles_${name}_[0-9A-F]{8}$`).test(id),
  );
  expect(found).toHaveLength(1);
  return found[0][1];
}

const statements = (config: SynthesizedConfig, name: string) =>
  document(config, name).statement as Record<string, unknown>[];

describe('StateStack', () => {
  const environment = testEnvironment({ name: 'prod', project: 'shop' });
  const stack = new StateStack(testApp(), { environment });
  const { json, config } = synthesizeChecked(stack);

  test('is named <env>-state and keeps its own state in a local file in the project root', () => {
    expect(stack.node.id).toBe('prod-state');
    expect(config.terraform.backend).toEqual({ local: { path: '../../../terraform.prod-state.tfstate' } });
  });

  test('creates the bucket and lock table every other stack of the environment uses', () => {
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket' },
      {
        bucket: environment.state.bucket,
        lifecycle: { prevent_destroy: true },
      },
    );
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_dynamodb_table' },
      {
        name: environment.state.lockTable,
        deletion_protection_enabled: true,
      },
    );
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_kms_alias' },
      { name: 'alias/shop-prod-tfstate' },
    );
  });

  test('without a GitHub repository it creates no CI roles', () => {
    expect(resourcesOf(config, 'aws_iam_role')).toEqual([]);
    expect(resourcesOf(config, 'aws_iam_openid_connect_provider')).toEqual([]);
    expect(config.output).toBeUndefined();
  });
});

describe('StateStack CI roles', () => {
  const environment = testEnvironment({
    name: 'prod',
    project: 'shop',
    github: { repository: 'acme/infra' },
  });
  const { config } = synthesizeChecked(new StateStack(testApp(), { environment }));
  const provider = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  const workflow = 'acme/infra/.github/workflows/infrastructure.yml';

  test("creates the account's GitHub OIDC provider for STS, without thumbprints", () => {
    const providers = resourcesOf(config, 'aws_iam_openid_connect_provider');
    expect(providers).toHaveLength(1);
    const { url, client_id_list, thumbprint_list } = providers[0];
    expect({ url, client_id_list, thumbprint_list }).toEqual({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
      thumbprint_list: undefined,
    });
  });

  test('the plan role trusts reviewed pull-request plans and drift plans of main, from their workflows', () => {
    const [statement] = statements(config, 'plan-trust');
    expect(statement).toEqual({
      sid: 'GitHubActions',
      actions: ['sts:AssumeRoleWithWebIdentity'],
      principals: [
        {
          type: 'Federated',
          identifiers: ['${aws_iam_openid_connect_provider.github-oidc_provider_D7593BA3.arn}'],
        },
      ],
      condition: [
        {
          test: 'StringEquals',
          variable: 'token.actions.githubusercontent.com:aud',
          values: ['sts.amazonaws.com'],
        },
        {
          test: 'StringLike',
          variable: 'token.actions.githubusercontent.com:sub',
          values: [
            `repo:acme/infra:environment:prod-plan:job_workflow_ref:${workflow}@refs/pull/*/merge`,
            'repo:acme/infra:environment:prod-drift:job_workflow_ref:acme/infra/.github/workflows/drift.yml@refs/heads/main',
          ],
        },
      ],
    });
  });

  test('the deploy role trusts only the workflow on main in the prod environment', () => {
    expect(statements(config, 'deploy-trust')).toEqual([
      {
        sid: 'GitHubActions',
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [
          {
            type: 'Federated',
            identifiers: ['${aws_iam_openid_connect_provider.github-oidc_provider_D7593BA3.arn}'],
          },
        ],
        condition: [
          {
            test: 'StringEquals',
            variable: 'token.actions.githubusercontent.com:aud',
            values: ['sts.amazonaws.com'],
          },
          {
            test: 'StringEquals',
            variable: 'token.actions.githubusercontent.com:sub',
            values: [`repo:acme/infra:environment:prod:job_workflow_ref:${workflow}@refs/heads/main`],
          },
        ],
      },
    ]);
  });

  test('the plan role reads its state files, takes the lock, and uses the state key', () => {
    const bucket = '${aws_s3_bucket.state-backend_bucket_0D46D3DB.arn}';
    expect(statements(config, 'plan-state-policy-document')).toEqual([
      { sid: 'ListStateBucket', actions: ['s3:ListBucket'], resources: [bucket] },
      { sid: 'StateFiles', actions: ['s3:GetObject'], resources: [`${bucket}/shop/prod/*.tfstate`] },
      {
        sid: 'StateLock',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: ['${aws_dynamodb_table.state-backend_lock-table_A169D93E.arn}'],
        condition: [
          {
            test: 'ForAllValues:StringLike',
            variable: 'dynamodb:LeadingKeys',
            values: [`${environment.state.bucket}/shop/prod/*`],
          },
        ],
      },
      {
        sid: 'StateKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['${aws_kms_key.state-backend_key_7D885887.arn}'],
      },
    ]);
  });

  test('the plan role is denied object reads outside its state keys, and log events everywhere', () => {
    const denials = statements(config, 'plan-deny-data-plane-policy-document');
    expect(denials.find((s) => s.sid === 'DenysGetObjectOutsideState')).toEqual({
      sid: 'DenysGetObjectOutsideState',
      effect: 'Deny',
      actions: ['s3:GetObject'],
      not_resources: ['${aws_s3_bucket.state-backend_bucket_0D46D3DB.arn}/shop/prod/*.tfstate'],
    });
    const all = denials.find((s) => s.sid === 'DenyDataPlaneReads');
    expect(all?.resources).toEqual(['*']);
    expect(all?.actions).toEqual(
      expect.arrayContaining([
        'logs:GetLogEvents',
        'logs:FilterLogEvents',
        'logs:StartQuery',
        'ecr:BatchGetImage',
        'ssm:GetParameter',
        'secretsmanager:GetSecretValue',
      ]),
    );
  });

  test('the deploy role may create roles only with its own boundary, and attach only known policies', () => {
    const identity = statements(config, 'deploy-identity-policy-document');
    expect(identity.find((s) => s.sid === 'RolesWithinBoundary')).toEqual({
      sid: 'RolesWithinBoundary',
      actions: [
        'iam:CreateRole',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:PutRolePermissionsBoundary',
      ],
      resources: ['arn:aws:iam::123456789012:role/shop-prod-*'],
      condition: [
        {
          test: 'StringEquals',
          variable: 'iam:PermissionsBoundary',
          values: ['arn:aws:iam::123456789012:policy/shop-prod-ci-boundary'],
        },
      ],
    });
  });

  test("the deploy role may turn on the CloudTrail bucket's access logging; the plan role may read it", () => {
    const buckets = statements(config, 'deploy-data-policy-document').find((s) => s.sid === 'Buckets');
    const reads = statements(config, 'read-policy-document').find((s) => s.sid === 'ReadConfiguration');
    const grants = (statement: Record<string, unknown> | undefined, action: string, bucket: string) =>
      (statement?.actions as string[]).some((pattern) => actionMatches(pattern, action)) &&
      (statement?.resources as string[]).some((pattern) => actionMatches(pattern, `arn:aws:s3:::${bucket}`));
    const trailBucket = 'shop-prod-cloudtrail-123456789012';
    expect(buckets?.resources).toEqual(['arn:aws:s3:::shop-prod-*']);
    expect(grants(buckets, 's3:PutBucketLogging', trailBucket)).toBe(true);
    expect(grants(reads, 's3:GetBucketLogging', trailBucket)).toBe(true);
    expect(grants(buckets, 's3:PutBucketLogging', 'other-prod-cloudtrail-123456789012')).toBe(false);
  });

  test('the boundary keeps the region, the state bucket policy and itself', () => {
    const boundary = statements(config, 'boundary-policy-document');
    expect(boundary.find((s) => s.sid === 'StateBucketPolicyStays')).toEqual({
      sid: 'StateBucketPolicyStays',
      effect: 'Deny',
      actions: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:DeleteBucket'],
      resources: ['${aws_s3_bucket.state-backend_bucket_0D46D3DB.arn}'],
    });
    expect(boundary.find((s) => s.sid === 'StayInTheRegion')?.condition).toEqual([
      { test: 'StringNotEquals', variable: 'aws:RequestedRegion', values: ['ap-northeast-1'] },
    ]);
    expect(boundary.find((s) => s.sid === 'AlsoInUsEast1')).toEqual({
      sid: 'AlsoInUsEast1',
      effect: 'Deny',
      actions: ['cloudwatch:*', 'sns:*', 'kms:*'],
      resources: ['*'],
      condition: [
        { test: 'StringNotEquals', variable: 'aws:RequestedRegion', values: ['ap-northeast-1', 'us-east-1'] },
      ],
    });
    expect(boundary.find((s) => s.sid === 'BoundaryStays')).toEqual({
      sid: 'BoundaryStays',
      effect: 'Deny',
      actions: ['iam:DeleteRolePermissionsBoundary'],
      resources: ['*'],
    });
  });

  test('without the billing alarm, the boundary allows no call outside the region but to global services', () => {
    const lean = testEnvironment({
      github: { repository: 'acme/infra' },
      observability: { alarmEmails: ['ops@example.com'], billingAlarm: false },
    });
    const { config: other } = synthesizeChecked(new StateStack(testApp(), { environment: lean }));
    const boundary = statements(other, 'boundary-policy-document');
    expect(boundary.filter((s) => String(s.sid).startsWith('AlsoIn'))).toEqual([]);
    expect(boundary.find((s) => s.sid === 'StayInTheRegion')?.not_actions).toEqual([
      'iam:*',
      'sts:*',
      'route53:*',
      'cloudfront:*',
      'organizations:*',
      'account:*',
      'support:*',
      'health:*',
      'budgets:*',
      'ce:*',
      'pricing:*',
    ]);
  });

  test('with a backup copy region, the boundary admits there what AWS Backup copies through its role', () => {
    // A cross-region RDS copy is rds:CopyDBSnapshot called in the destination region (RDS API
    // reference, CopyDBSnapshot) with the backup role (AWSBackupServiceRolePolicyForBackup grants it).
    const copying = testEnvironment({
      github: { repository: 'acme/infra' },
      observability: { alarmEmails: ['ops@example.com'], billingAlarm: false },
      data: { backup: { copyRegion: 'ap-northeast-3' } },
    });
    const { config: other } = synthesizeChecked(new StateStack(testApp(), { environment: copying }));
    const boundary = statements(other, 'boundary-policy-document');
    expect(boundary.find((s) => s.sid === 'AlsoInApNortheast3')).toEqual({
      sid: 'AlsoInApNortheast3',
      effect: 'Deny',
      actions: ['backup:*', 'backup-storage:*', 'kms:*', 'rds:*'],
      resources: ['*'],
      condition: [
        {
          test: 'StringNotEquals',
          variable: 'aws:RequestedRegion',
          values: ['ap-northeast-1', 'ap-northeast-3'],
        },
      ],
    });
  });

  test('both roles carry the boundary; their ARNs are the outputs the workflow reads', () => {
    const roles = resourcesOf(config, 'aws_iam_role');
    expect(roles.map((r) => [r.name, r.permissions_boundary, r.tags])).toEqual([
      [
        'shop-prod-ci-deploy',
        '${aws_iam_policy.ci-roles_boundary-policy_5C915C3C.arn}',
        { 'ci-role': 'deploy' },
      ],
      ['shop-prod-ci-plan', '${aws_iam_policy.ci-roles_boundary-policy_5C915C3C.arn}', { 'ci-role': 'plan' }],
    ]);
    expect(Object.keys(config.output ?? {}).sort()).toEqual([CI_ROLE_OUTPUTS.deploy, CI_ROLE_OUTPUTS.plan]);
    expect(CI_ROLE_OUTPUTS).toEqual({ plan: 'ci_plan_role_arn', deploy: 'ci_deploy_role_arn' });
  });

  test('a second environment of the account references the provider by its ARN instead of creating it', () => {
    const [, second] = parseEnvironments([
      {
        name: 'dev',
        accountId: '123456789012',
        deletionProtection: false,
        github: { repository: 'acme/infra' },
      },
      {
        name: 'stg',
        accountId: '123456789012',
        deletionProtection: false,
        github: { repository: 'acme/infra', createOidcProvider: false },
        observability: { auditTrail: { owner: false } },
      },
    ]);
    const { config: other } = synthesizeChecked(new StateStack(testApp(), { environment: second }));
    expect(resourcesOf(other, 'aws_iam_openid_connect_provider')).toEqual([]);
    const [statement] = statements(other, 'deploy-trust');
    expect(statement.principals).toEqual([{ type: 'Federated', identifiers: [provider] }]);
  });

  test('roles of the other stacks carry the boundary, so the deploy role may create them', () => {
    const { config: network } = synthesizeChecked(new NetworkStack(testApp(), { environment }));
    const roles = resourcesOf(network, 'aws_iam_role');
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      expect(role.permissions_boundary).toBe('arn:aws:iam::123456789012:policy/shop-prod-ci-boundary');
    }
  });
});

describe('StateStack server access logs', () => {
  const environment = testEnvironment({ name: 'prod', project: 'shop', logRetentionDays: 400 });
  const { config } = synthesizeChecked(new StateStack(testApp(), { environment }));
  const logBucketName = 'shop-prod-s3-access-logs-123456789012';
  const bucketId = (name: string) =>
    Object.entries(config.resource?.aws_s3_bucket ?? {}).find(([, bucket]) => bucket.bucket === name)?.[0];
  const logBucketId = bucketId(logBucketName) ?? '';
  const ofLogBucket = (type: string) =>
    resourcesOf(config, type).filter((r) => r.bucket === `\${aws_s3_bucket.${logBucketId}.id}`);

  test('a log bucket named from the environment, encrypted with SSE-S3 (log delivery takes no SSE-KMS)', () => {
    expect(environment.state.accessLogBucket).toBe(logBucketName);
    expect(ofLogBucket('aws_s3_bucket_server_side_encryption_configuration').map((c) => c.rule)).toEqual([
      [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: false }],
    ]);
  });

  test('keeps log objects logRetentionDays', () => {
    const [lifecycle] = ofLogBucket('aws_s3_bucket_lifecycle_configuration');
    const rules = lifecycle.rule as { id: string; expiration?: unknown }[];
    expect(rules.find((rule) => rule.id === 'expire-objects')?.expiration).toEqual([{ days: 400 }]);
  });

  test('its policy lets S3 log delivery write each prefix, for that source bucket and account only', () => {
    const documents = Object.entries(config.data?.aws_iam_policy_document ?? {});
    const [, document] = documents.find(([id]) => id.startsWith('access-logs_bucket_policy-document_')) ?? [];
    const statements = document?.statement as { sid?: string }[];
    const arn = `arn:aws:s3:::${logBucketName}`;
    const delivery = (prefix: string, source: string) => ({
      sid: `S3ServerAccessLogs${prefix.replace('/', '')}`,
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
      actions: ['s3:PutObject'],
      resources: [`${arn}/${prefix}*`],
      condition: [
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:s3:::${source}`] },
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] },
      ],
    });
    expect(statements.filter((s) => s.sid?.startsWith('S3ServerAccessLogs'))).toEqual([
      delivery('state/', environment.state.bucket),
      delivery('cloudtrail/', 'shop-prod-cloudtrail-123456789012'),
    ]);
  });

  test('the state bucket logs there under state/; the log bucket does not log itself', () => {
    const stateBucketId = bucketId(environment.state.bucket);
    const [logPolicyId] =
      Object.entries(config.resource?.aws_s3_bucket_policy ?? {}).find(
        ([, policy]) => policy.bucket === `\${aws_s3_bucket.${logBucketId}.id}`,
      ) ?? [];
    expect(resourcesOf(config, 'aws_s3_bucket_logging')).toEqual([
      {
        bucket: `\${aws_s3_bucket.${stateBucketId}.id}`,
        target_bucket: `\${aws_s3_bucket.${logBucketId}.bucket}`,
        target_prefix: 'state/',
        depends_on: [`aws_s3_bucket_policy.${logPolicyId}`],
      },
    ]);
  });

  test('an environment that does not own the trail admits only the state bucket', () => {
    const shared = testEnvironment({
      name: 'stg',
      observability: { alarmEmails: ['ops@example.com'], auditTrail: { owner: false } },
    });
    const sharedConfig = synthesizeChecked(new StateStack(testApp(), { environment: shared })).config;
    const [, document] =
      Object.entries(sharedConfig.data?.aws_iam_policy_document ?? {}).find(([id]) =>
        id.startsWith('access-logs_bucket_policy-document_'),
      ) ?? [];
    const sids = (document?.statement as { sid?: string }[]).map((s) => s.sid);
    expect(sids).toEqual(['DenyInsecureTransport', 'S3ServerAccessLogsstate']);
  });
});
