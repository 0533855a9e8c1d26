/**
 * What the CI roles may read, as data: the configuration a Terraform refresh reads, and the
 * data-plane reads the plan role is denied. Action names and the resources and condition keys each action
 * supports come from the Service Authorization Reference ("Actions, resources, and condition keys
 * for <service>"); the reads are the calls the AWS provider's Read function of each resource type
 * makes (hashicorp/terraform-provider-aws, internal/service/<service>).
 */

/**
 * What the plan role may never read: the data-plane reads of the services this project uses. A
 * plan needs configuration (Describe/List/Get of settings), never contents; these actions return
 * contents (Service Authorization Reference, each service's "Actions defined by ..." table):
 *
 * - S3 object contents (`GetObject*`): state files aside, access logs, trail logs, backups.
 * - CloudWatch Logs events and queries: ECS Exec transcripts, RDS slow-query logs, trail events.
 * - ECR image layers (`BatchGetImage`, `GetDownloadUrlForLayer`: what `docker pull` calls).
 * - SSM parameter values and Secrets Manager secret values.
 * - DynamoDB items (the lock table aside), RDS log files, CloudTrail event history, WAF's sampled
 *   requests (headers of real requests), EC2 console output and Windows passwords.
 * - Shells and mounts: ECS Exec, SSM sessions, EFS client mounts, RDS Data API statements.
 *
 * `ReadOnlyAccess` grants most of these; `ViewOnlyAccess` grants none of them but also lacks most of
 * the Get calls a Terraform refresh makes (the key policy, bucket encryption...), which is why the
 * plan role is an explicit allow-list (`CONFIGURATION_READS` below) with this list as an explicit Deny.
 */
export const DATA_PLANE_READS: readonly string[] = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectTorrent',
  's3:GetObjectVersionTorrent',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
  'logs:StartQuery',
  'logs:GetQueryResults',
  'logs:StartLiveTail',
  'logs:GetLogRecord',
  'logs:Unmask',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'ssm:GetParameterHistory',
  'ssm:StartSession',
  'secretsmanager:GetSecretValue',
  'secretsmanager:BatchGetSecretValue',
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:GetRecords',
  'rds:DownloadDBLogFilePortion',
  'rds:DownloadCompleteDBLogFile',
  'rds-data:ExecuteStatement',
  'rds-data:BatchExecuteStatement',
  'cloudtrail:LookupEvents',
  'wafv2:GetSampledRequests',
  'ec2:GetConsoleOutput',
  'ec2:GetConsoleScreenshot',
  'ec2:GetPasswordData',
  'ecs:ExecuteCommand',
  'elasticfilesystem:ClientMount',
  'kms:Decrypt',
];

/** Each pattern compiled once: the CI guardrails match every statement's actions against every read. */
const ACTION_PATTERNS = new Map<string, RegExp>();

/**
 * Whether IAM action pattern `pattern` (which may hold `*` and `?`, as policies write them) covers
 * `action`. IAM compares action names case-insensitively (IAM User Guide, "IAM JSON policy
 * elements: Action").
 */
export function actionMatches(pattern: string, action: string): boolean {
  let regex = ACTION_PATTERNS.get(pattern);
  if (regex === undefined) {
    const source = pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${source}$`, 'i');
    ACTION_PATTERNS.set(pattern, regex);
  }
  return regex.test(action);
}

/** The data-plane reads `pattern` grants. */
export function dataPlaneReadsOf(pattern: string): string[] {
  return DATA_PLANE_READS.filter((action) => actionMatches(pattern, action));
}

/**
 * Configuration reads a refresh of this project's resource types needs, by service. `Describe*` is
 * used only where every Describe action of the service returns settings (EC2, ELB, Auto Scaling,
 * RDS, EFS, ECS); elsewhere the Get/List calls are named one by one, so no wildcard reaches a
 * data-plane read (`policy/ci-access.ts`; the guardrail GR-CI-2 checks it).
 */
export const CONFIGURATION_READS: Readonly<Record<string, readonly string[]>> = {
  ec2: ['Describe*', 'GetEbsEncryptionByDefault', 'GetEbsDefaultKmsKeyId'],
  elasticloadbalancing: ['Describe*'],
  autoscaling: ['Describe*'],
  'application-autoscaling': ['Describe*', 'ListTagsForResource'],
  rds: ['Describe*', 'ListTagsForResource'],
  elasticfilesystem: ['Describe*', 'ListTagsForResource'],
  ecs: ['Describe*', 'ListTagsForResource', 'ListServices', 'ListClusters'],
  ecr: ['DescribeRepositories', 'GetLifecyclePolicy', 'GetRepositoryPolicy', 'ListTagsForResource'],
  backup: [
    'DescribeBackupVault',
    'GetBackupPlan',
    'GetBackupSelection',
    'GetBackupVaultAccessPolicy',
    'GetBackupVaultNotifications',
    'ListTags',
  ],
  logs: [
    'DescribeLogGroups',
    'DescribeMetricFilters',
    'DescribeResourcePolicies',
    'DescribeSubscriptionFilters',
    'ListTagsForResource',
    'ListTagsLogGroup',
  ],
  cloudwatch: ['DescribeAlarms', 'GetDashboard', 'ListTagsForResource'],
  sns: ['GetTopicAttributes', 'GetSubscriptionAttributes', 'ListSubscriptionsByTopic', 'ListTagsForResource'],
  cloudtrail: [
    'DescribeTrails',
    'GetTrail',
    'GetTrailStatus',
    'GetEventSelectors',
    'GetInsightSelectors',
    'ListTags',
  ],
  kms: ['DescribeKey', 'GetKeyPolicy', 'GetKeyRotationStatus', 'ListAliases', 'ListResourceTags'],
  // HeadBucket, which the provider calls first, needs s3:ListBucket (S3 API Reference, HeadBucket).
  s3: [
    'ListAllMyBuckets',
    'ListBucket',
    'GetBucket*',
    'GetAccelerateConfiguration',
    'GetEncryptionConfiguration',
    'GetLifecycleConfiguration',
    'GetReplicationConfiguration',
  ],
  dynamodb: [
    'DescribeTable',
    'DescribeContinuousBackups',
    'DescribeTimeToLive',
    'DescribeKinesisStreamingDestination',
    'ListTagsOfResource',
  ],
  iam: [
    'GetRole',
    'GetRolePolicy',
    'ListRolePolicies',
    'ListAttachedRolePolicies',
    'ListRoleTags',
    'GetPolicy',
    'GetPolicyVersion',
    'ListPolicyVersions',
    'ListPolicyTags',
    'GetInstanceProfile',
    'ListInstanceProfileTags',
    'ListInstanceProfilesForRole',
    'GetOpenIDConnectProvider',
  ],
  wafv2: ['GetWebACL', 'GetWebACLForResource', 'GetLoggingConfiguration', 'ListTagsForResource'],
  secretsmanager: ['DescribeSecret', 'GetResourcePolicy'],
  // GetFunction also returns a short-lived link to the function's code: code from this repository.
  lambda: [
    'GetFunction',
    'GetFunctionConfiguration',
    'GetFunctionCodeSigningConfig',
    'GetFunctionRecursionConfig',
    'GetRuntimeManagementConfig',
    'GetPolicy',
    'ListVersionsByFunction',
    'ListTags',
  ],
  route53: ['GetHostedZone', 'GetChange', 'ListResourceRecordSets', 'ListTagsForResource'],
  acm: ['DescribeCertificate', 'ListTagsForCertificate'],
  ssm: ['DescribeParameters', 'ListTagsForResource'],
};

/** Every configuration read as `service:Action`. */
export function configurationReadActions(): string[] {
  return Object.entries(CONFIGURATION_READS).flatMap(([service, actions]) =>
    actions.map((action) => `${service}:${action}`),
  );
}
