import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DbInstance, type DbInstanceConfig } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { EfsFileSystemPolicy } from '@cdktf/provider-aws/lib/efs-file-system-policy';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate, type LaunchTemplateConfig } from '@cdktf/provider-aws/lib/launch-template';
import { Lb, type LbConfig } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformStack, Testing } from 'cdktf';
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AwsContext } from '../../modules/aws-context';
import { cloudWatchLogsKeyStatement, EncryptionKey } from '../../modules/encryption-key';
import { logToBucket } from '../../modules/access-log-bucket';
import { SecureBucket } from '../../modules/secure-bucket';
import { allowLoadBalancerIngress, checkStack, type Finding } from '../../policy/guardrails';
import { RULES } from '../../policy/rules';
import type { RuleFixtures } from './fixtures/fixture';
import { CI_ROLE_FIXTURES } from './fixtures/iam-ci';
import { CLOUDTRAIL_FIXTURES } from './fixtures/cloudtrail';
import { RDS_FIXTURES } from './fixtures/rds';
import { SECRETS_FIXTURES } from './fixtures/secrets';
import { S3_LOGGING_FIXTURES } from './fixtures/s3-logging';
import { REPLACEMENT_FIXTURES } from './fixtures/replacement';
import { WAF_FIXTURES } from './fixtures/waf';
import { LAMBDA_FIXTURES } from './fixtures/lambda';
import { BACKUP_FIXTURES } from './fixtures/backup';
import { SNS_FIXTURES } from './fixtures/sns';
import { SECRETS_ROTATION_FIXTURES } from './fixtures/secrets-rotation';

const context: AwsContext = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };
const DEFAULT_TAGS = { project: 'p', environment: 'dev', stack: 'test', 'managed-by': 'cdktf' };
const KEY = 'arn:aws:kms:ap-northeast-1:123456789012:key/test';

/** Builds a fixture in a stack and returns the construct a finding must name. */
type Build = (stack: TerraformStack) => IConstruct;
interface Fixture {
  readonly rule: string;
  readonly what: string;
  readonly build: Build;
}

/** A log group encrypted with an EncryptionKey of the same stack, whose policy adds `statements`. */
function logGroupUnderKey(
  stack: TerraformStack,
  statements: ReturnType<typeof cloudWatchLogsKeyStatement>[],
): IConstruct {
  const key = new EncryptionKey(stack, 'key', {
    alias: 'a',
    description: 'd',
    context,
    serviceStatements: statements,
  });
  return new CloudwatchLogGroup(stack, 'logs', { name: '/l', kmsKeyId: key.arn, retentionInDays: 30 });
}

const app = Testing.app();
let stacks = 0;

/** The findings of a stack holding the fixture (and an AWS provider with the default tags, unless it brings one). */
function findingsOf(build: Build): { findings: Finding[]; path: string } {
  const stack = new TerraformStack(app, `fixture-${++stacks}`);
  const construct = build(stack);
  if (!stack.node.findAll().some((c) => c instanceof AwsProvider)) {
    new AwsProvider(stack, 'aws', { region: context.region, defaultTags: [{ tags: DEFAULT_TAGS }] });
  }
  return {
    findings: [...checkStack(stack, { protectedEnvironment: true }).findings],
    path: construct.node.path,
  };
}

// --- fixture builders ---------------------------------------------------------------------------

const denyInsecureTransport = (stack: TerraformStack, id: string, action: string, resources: string[]) =>
  new DataAwsIamPolicyDocument(stack, id, {
    statement: [
      {
        effect: 'Deny',
        principals: [{ type: '*', identifiers: ['*'] }],
        actions: [action],
        resources,
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
    ],
  });

function database(stack: TerraformStack, overrides: Partial<DbInstanceConfig> = {}): DbInstance {
  const parameters = new DbParameterGroup(stack, 'parameters', {
    family: 'mysql8.0',
    parameter: [{ name: 'require_secure_transport', value: '1' }],
  });
  return new DbInstance(stack, 'database', {
    engine: 'mysql',
    instanceClass: 'db.t4g.micro',
    allocatedStorage: 20,
    storageEncrypted: true,
    publiclyAccessible: false,
    parameterGroupName: parameters.name,
    backupRetentionPeriod: 7,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: 'final',
    ...overrides,
  });
}

function fileSystem(
  stack: TerraformStack,
  options: { encrypted: boolean; tlsPolicy: boolean },
): EfsFileSystem {
  const fs = new EfsFileSystem(stack, 'fs', { encrypted: options.encrypted, kmsKeyId: KEY });
  if (options.tlsPolicy) {
    const policy = denyInsecureTransport(stack, 'fs-policy-document', '*', [fs.arn]);
    new EfsFileSystemPolicy(stack, 'fs-policy', { fileSystemId: fs.id, policy: policy.json });
  }
  return fs;
}

const launchTemplate = (stack: TerraformStack, overrides: Partial<LaunchTemplateConfig> = {}) =>
  new LaunchTemplate(stack, 'template', {
    metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled' },
    blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true', volumeSize: 20 } }],
    ...overrides,
  });

function ingress(
  stack: TerraformStack,
  options: {
    port: number;
    cidr: string;
    protocol?: string;
    loadBalancerGroup?: boolean;
    listeners?: { ports: number[]; ipv6: boolean };
  },
): VpcSecurityGroupIngressRule {
  const group = new SecurityGroup(stack, 'group', { name: 'g', vpcId: 'vpc-1' });
  if (options.loadBalancerGroup) allowLoadBalancerIngress(group, options.listeners);
  return new VpcSecurityGroupIngressRule(stack, 'ingress', {
    securityGroupId: group.id,
    ipProtocol: options.protocol ?? 'tcp',
    fromPort: options.protocol === '-1' ? undefined : options.port,
    toPort: options.protocol === '-1' ? undefined : options.port,
    cidrIpv4: options.cidr.includes(':') ? undefined : options.cidr,
    cidrIpv6: options.cidr.includes(':') ? options.cidr : undefined,
  });
}

const loadBalancer = (stack: TerraformStack, overrides: Partial<LbConfig> = {}) =>
  new Lb(stack, 'lb', {
    name: 'lb',
    loadBalancerType: 'application',
    dropInvalidHeaderFields: true,
    accessLogs: { bucket: 'logs', enabled: true },
    ...overrides,
  });

const listener = (stack: TerraformStack, sslPolicy?: string) =>
  new LbListener(stack, 'listener', {
    loadBalancerArn: 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/lb/1',
    port: 443,
    protocol: 'HTTPS',
    certificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/1',
    sslPolicy,
    defaultAction: [
      { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404' } },
    ],
  });

const cluster = (stack: TerraformStack, exec: boolean) =>
  new EcsCluster(stack, 'cluster', {
    name: 'cluster',
    configuration: exec
      ? {
          executeCommandConfiguration: {
            kmsKeyId: KEY,
            logging: 'OVERRIDE',
            logConfiguration: { cloudWatchLogGroupName: '/exec', cloudWatchEncryptionEnabled: true },
          },
        }
      : undefined,
  });

function rolePolicy(stack: TerraformStack, actions: string[], resources: string[]): IamRolePolicy {
  const role = new IamRole(stack, 'role', { name: 'r', assumeRolePolicy: '{}' });
  const document = new DataAwsIamPolicyDocument(stack, 'document', { statement: [{ actions, resources }] });
  return new IamRolePolicy(stack, 'policy', { role: role.id, policy: document.json });
}

function keyWithPolicy(stack: TerraformStack, principal: string): KmsKey {
  const policy = new DataAwsIamPolicyDocument(stack, 'key-policy', {
    statement: [
      { principals: [{ type: 'AWS', identifiers: [principal] }], actions: ['kms:*'], resources: ['*'] },
    ],
  });
  return new KmsKey(stack, 'key', { enableKeyRotation: true, policy: policy.json });
}

// --- the fixtures: for every rule, one resource that breaks it and one that complies -------------

/** A managed policy allowing every action on everything; with `boundaryOf`, a role's permissions boundary. */
function allowEverything(s: TerraformStack, boundaryOf?: string): IamPolicy {
  const policy = new IamPolicy(s, 'everything', {
    name: 'everything',
    policy: new DataAwsIamPolicyDocument(s, 'everything-document', {
      statement: [{ actions: ['*'], resources: ['*'] }],
    }).json,
  });
  if (boundaryOf !== undefined)
    new IamRole(s, 'bounded', { name: boundaryOf, assumeRolePolicy: '{}', permissionsBoundary: policy.arn });
  return policy;
}

const violating: Fixture[] = [
  {
    rule: 'GR-S3-1',
    what: 'a bucket without default encryption',
    build: (s) => new S3Bucket(s, 'bucket', {}),
  },
  {
    rule: 'GR-S3-2',
    what: 'a bucket whose public-access block leaves restrict_public_buckets off',
    build: (s) => {
      const bucket = new S3Bucket(s, 'bucket', {});
      new S3BucketPublicAccessBlock(s, 'block', {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: false,
      });
      return bucket;
    },
  },
  {
    rule: 'GR-S3-3',
    what: 'a bucket whose policy does not deny plain HTTP',
    build: (s) => {
      const bucket = new S3Bucket(s, 'bucket', {});
      const document = new DataAwsIamPolicyDocument(s, 'document', {
        statement: [
          {
            principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
            actions: ['s3:PutObject'],
            resources: [`${bucket.arn}/*`],
          },
        ],
      });
      new S3BucketPolicy(s, 'policy', { bucket: bucket.id, policy: document.json });
      return bucket;
    },
  },
  {
    rule: 'GR-S3-4',
    what: 'a bucket with versioning suspended',
    build: (s) => new SecureBucket(s, 'secure', { bucketName: 'b', versioned: false }).bucket,
  },
  {
    rule: 'GR-RDS-1',
    what: 'an unencrypted instance',
    build: (s) => database(s, { storageEncrypted: false }),
  },
  {
    rule: 'GR-RDS-2',
    what: 'a publicly accessible instance',
    build: (s) => database(s, { publiclyAccessible: true }),
  },
  {
    rule: 'GR-RDS-3',
    what: 'a MySQL instance on the default parameter group',
    build: (s) => database(s, { parameterGroupName: 'default.mysql8.0' }),
  },
  {
    rule: 'GR-RDS-4',
    what: 'an instance without backups',
    build: (s) => database(s, { backupRetentionPeriod: 0 }),
  },
  {
    rule: 'GR-RDS-5',
    what: 'an instance without deletion protection',
    build: (s) => database(s, { deletionProtection: false }),
  },
  {
    rule: 'GR-RDS-6',
    what: 'an instance that skips its final snapshot',
    build: (s) => database(s, { skipFinalSnapshot: true }),
  },
  {
    rule: 'GR-EFS-1',
    what: 'an unencrypted file system',
    build: (s) => fileSystem(s, { encrypted: false, tlsPolicy: true }),
  },
  {
    rule: 'GR-EFS-2',
    what: 'a file system without a TLS-only policy',
    build: (s) => fileSystem(s, { encrypted: true, tlsPolicy: false }),
  },
  {
    rule: 'GR-EBS-1',
    what: 'a launch template with an unencrypted volume',
    build: (s) =>
      launchTemplate(s, { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 20 } }] }),
  },
  {
    rule: 'GR-EC2-1',
    what: 'a launch template that allows IMDSv1',
    build: (s) => launchTemplate(s, { metadataOptions: { httpTokens: 'optional' } }),
  },
  {
    rule: 'GR-EC2-2',
    what: 'a service whose tasks get public IPs',
    build: (s) =>
      new EcsService(s, 'service', {
        name: 'svc',
        networkConfiguration: { subnets: ['subnet-1'], assignPublicIp: true },
      }),
  },
  {
    rule: 'GR-SG-1',
    what: 'HTTPS from anywhere on a group that is not a load balancer group',
    build: (s) => ingress(s, { port: 443, cidr: '0.0.0.0/0' }),
  },
  {
    rule: 'GR-SG-2',
    what: 'SSH from inside the VPC',
    build: (s) => ingress(s, { port: 22, cidr: '10.0.0.0/16' }),
  },
  {
    rule: 'GR-ELB-1',
    what: 'an HTTPS listener on the default (TLS 1.0) policy',
    build: (s) => listener(s, 'ELBSecurityPolicy-2016-08'),
  },
  {
    rule: 'GR-ELB-2',
    what: 'an ALB that forwards invalid headers',
    build: (s) => loadBalancer(s, { dropInvalidHeaderFields: false }),
  },
  {
    rule: 'GR-ELB-3',
    what: 'an ALB without access logs',
    build: (s) => loadBalancer(s, { accessLogs: undefined }),
  },
  {
    rule: 'GR-ECR-1',
    what: 'a repository on the default AES256 encryption',
    build: (s) =>
      new EcrRepository(s, 'repo', { name: 'r', imageScanningConfiguration: { scanOnPush: true } }),
  },
  {
    rule: 'GR-ECR-2',
    what: 'a repository that does not scan on push',
    build: (s) =>
      new EcrRepository(s, 'repo', {
        name: 'r',
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: KEY }],
      }),
  },
  { rule: 'GR-ECS-1', what: 'a cluster without an exec configuration', build: (s) => cluster(s, false) },
  {
    rule: 'GR-DDB-1',
    what: 'a table on the AWS-owned key',
    build: (s) =>
      new DynamodbTable(s, 'table', { name: 't', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] }),
  },
  { rule: 'GR-SNS-1', what: 'an unencrypted topic', build: (s) => new SnsTopic(s, 'topic', { name: 't' }) },
  {
    rule: 'GR-LOG-1',
    what: 'a log group without a KMS key',
    build: (s) => new CloudwatchLogGroup(s, 'logs', { name: '/l', retentionInDays: 30 }),
  },
  {
    rule: 'GR-LOG-2',
    what: 'a log group that never expires',
    build: (s) => new CloudwatchLogGroup(s, 'logs', { name: '/l', kmsKeyId: KEY }),
  },
  {
    rule: 'GR-LOG-3',
    what: 'a log group under a key of this stack whose policy only delegates to IAM',
    build: (s) => logGroupUnderKey(s, []),
  },
  {
    rule: 'GR-LOG-3',
    what: 'a log group under a key that lets CloudWatch Logs decrypt but not encrypt',
    build: (s) =>
      logGroupUnderKey(s, [
        { ...cloudWatchLogsKeyStatement(context), actions: ['kms:Decrypt*', 'kms:Describe*'] },
      ]),
  },
  { rule: 'GR-IAM-1', what: 'a role policy that allows * on *', build: (s) => rolePolicy(s, ['*'], ['*']) },
  {
    rule: 'GR-IAM-1',
    what: 'a managed policy allowing * on * that no role uses as its boundary',
    build: (s) => allowEverything(s),
  },
  {
    rule: 'GR-KMS-1',
    what: 'a key without rotation',
    build: (s) => new KmsKey(s, 'key', { enableKeyRotation: false }),
  },
  {
    rule: 'GR-KMS-2',
    what: 'a key policy that gives kms:* to a role',
    build: (s) => keyWithPolicy(s, 'arn:aws:iam::123456789012:role/admin'),
  },
  {
    rule: 'GR-TAG-1',
    what: 'a provider without default tags',
    build: (s) => new AwsProvider(s, 'aws', { region: context.region }),
  },
  {
    rule: 'GR-TAG-2',
    what: 'a resource that overrides the project tag',
    build: (s) => new SnsTopic(s, 'topic', { name: 't', kmsMasterKeyId: KEY, tags: { project: 'other' } }),
  },
];

const compliant: Fixture[] = [
  {
    rule: 'GR-S3-1',
    what: 'a SecureBucket',
    build: (s) => new SecureBucket(s, 'secure', { bucketName: 'b' }).bucket,
  },
  {
    rule: 'GR-S3-2',
    what: 'a SecureBucket',
    build: (s) => new SecureBucket(s, 'secure', { bucketName: 'b' }).bucket,
  },
  {
    rule: 'GR-S3-3',
    what: 'a SecureBucket',
    build: (s) => new SecureBucket(s, 'secure', { bucketName: 'b' }).bucket,
  },
  {
    rule: 'GR-S3-4',
    what: 'a SecureBucket',
    build: (s) => new SecureBucket(s, 'secure', { bucketName: 'b' }).bucket,
  },
  { rule: 'GR-RDS-1', what: 'an encrypted instance', build: (s) => database(s) },
  { rule: 'GR-RDS-2', what: 'a private instance', build: (s) => database(s) },
  { rule: 'GR-RDS-3', what: 'an instance whose parameter group requires TLS', build: (s) => database(s) },
  { rule: 'GR-RDS-4', what: 'an instance with 7 days of backups', build: (s) => database(s) },
  { rule: 'GR-RDS-5', what: 'an instance with deletion protection', build: (s) => database(s) },
  { rule: 'GR-RDS-6', what: 'an instance with a final snapshot', build: (s) => database(s) },
  {
    rule: 'GR-EFS-1',
    what: 'an encrypted file system',
    build: (s) => fileSystem(s, { encrypted: true, tlsPolicy: true }),
  },
  {
    rule: 'GR-EFS-2',
    what: 'a file system with a TLS-only policy',
    build: (s) => fileSystem(s, { encrypted: true, tlsPolicy: true }),
  },
  {
    rule: 'GR-EBS-1',
    what: 'a launch template with an encrypted root volume',
    build: (s) => launchTemplate(s),
  },
  { rule: 'GR-EC2-1', what: 'a launch template that requires IMDSv2', build: (s) => launchTemplate(s) },
  {
    rule: 'GR-EC2-2',
    what: 'a service in private subnets and a subnet without auto-assigned IPs',
    build: (s) => {
      new Subnet(s, 'subnet', { vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24', mapPublicIpOnLaunch: false });
      return new EcsService(s, 'service', {
        name: 'svc',
        networkConfiguration: { subnets: ['subnet-1'], assignPublicIp: false },
      });
    },
  },
  {
    rule: 'GR-SG-1',
    what: 'HTTPS from anywhere (IPv4) on a load balancer group listening on 443',
    build: (s) => ingress(s, { port: 443, cidr: '0.0.0.0/0', loadBalancerGroup: true }),
  },
  {
    rule: 'GR-SG-2',
    what: 'HTTPS from inside the VPC',
    build: (s) => ingress(s, { port: 443, cidr: '10.0.0.0/16' }),
  },
  {
    rule: 'GR-ELB-1',
    what: 'an HTTPS listener on ELBSecurityPolicy-TLS13-1-2-2021-06',
    build: (s) => listener(s, 'ELBSecurityPolicy-TLS13-1-2-2021-06'),
  },
  { rule: 'GR-ELB-2', what: 'an ALB that drops invalid headers', build: (s) => loadBalancer(s) },
  { rule: 'GR-ELB-3', what: 'an ALB with access logs', build: (s) => loadBalancer(s) },
  {
    rule: 'GR-ECR-1',
    what: 'a KMS-encrypted repository',
    build: (s) =>
      new EcrRepository(s, 'repo', {
        name: 'r',
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: KEY }],
      }),
  },
  {
    rule: 'GR-ECR-2',
    what: 'a repository that scans on push',
    build: (s) =>
      new EcrRepository(s, 'repo', { name: 'r', imageScanningConfiguration: { scanOnPush: true } }),
  },
  {
    rule: 'GR-ECS-1',
    what: 'a cluster whose exec sessions use KMS and log to an encrypted group',
    build: (s) => cluster(s, true),
  },
  {
    rule: 'GR-DDB-1',
    what: 'a KMS-encrypted table',
    build: (s) =>
      new DynamodbTable(s, 'table', {
        name: 't',
        hashKey: 'id',
        attribute: [{ name: 'id', type: 'S' }],
        serverSideEncryption: { enabled: true, kmsKeyArn: KEY },
      }),
  },
  {
    rule: 'GR-SNS-1',
    what: 'a KMS-encrypted topic',
    build: (s) => new SnsTopic(s, 'topic', { name: 't', kmsMasterKeyId: KEY }),
  },
  {
    rule: 'GR-LOG-1',
    what: 'a log group with a KMS key',
    build: (s) => new CloudwatchLogGroup(s, 'logs', { name: '/l', kmsKeyId: KEY, retentionInDays: 30 }),
  },
  {
    rule: 'GR-LOG-2',
    what: 'a log group with 30 days of retention',
    build: (s) => new CloudwatchLogGroup(s, 'logs', { name: '/l', kmsKeyId: KEY, retentionInDays: 30 }),
  },
  {
    rule: 'GR-LOG-3',
    what: 'a log group under a key of this stack that admits CloudWatch Logs (cloudWatchLogsKeyStatement)',
    build: (s) => logGroupUnderKey(s, [cloudWatchLogsKeyStatement(context)]),
  },
  {
    rule: 'GR-LOG-3',
    what: 'a log group under a key of another stack (not visible, not checked)',
    build: (s) => new CloudwatchLogGroup(s, 'logs', { name: '/l', kmsKeyId: KEY, retentionInDays: 30 }),
  },
  {
    rule: 'GR-IAM-1',
    what: "a permissions boundary allowing * on * (it caps a role's grants, grants nothing)",
    build: (s) => allowEverything(s, 'bounded'),
  },
  {
    rule: 'GR-IAM-1',
    what: 'a role policy with named actions on a named resource, and * only for an action without resource-level permissions',
    build: (s) => {
      const role = new IamRole(s, 'role', { name: 'r', assumeRolePolicy: '{}' });
      const document = new DataAwsIamPolicyDocument(s, 'document', {
        statement: [
          { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] },
          { actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
        ],
      });
      return new IamRolePolicy(s, 'policy', { role: role.id, policy: document.json });
    },
  },
  {
    rule: 'GR-KMS-1',
    what: 'a key with rotation',
    build: (s) => new KmsKey(s, 'key', { enableKeyRotation: true }),
  },
  {
    rule: 'GR-KMS-2',
    what: "an EncryptionKey (AWS's default key policy: kms:* for the account root)",
    build: (s) => new EncryptionKey(s, 'key', { alias: 'a', description: 'd', context }).key,
  },
  {
    rule: 'GR-TAG-1',
    what: 'a provider with the default tags',
    build: (s) =>
      new AwsProvider(s, 'aws', { region: context.region, defaultTags: [{ tags: DEFAULT_TAGS }] }),
  },
  {
    rule: 'GR-TAG-2',
    what: 'a resource that adds a Name tag and repeats a default tag unchanged',
    build: (s) =>
      new SnsTopic(s, 'topic', { name: 't', kmsMasterKeyId: KEY, tags: { Name: 't', project: 'p' } }),
  },
];

/** The fixtures of the rule files under policy/rules/, one import each. */
const FIXTURES_BY_FILE: readonly RuleFixtures[] = [
  SECRETS_FIXTURES,
  CI_ROLE_FIXTURES,
  CLOUDTRAIL_FIXTURES,
  WAF_FIXTURES,
  REPLACEMENT_FIXTURES,
  RDS_FIXTURES,
  S3_LOGGING_FIXTURES,
  LAMBDA_FIXTURES,
  BACKUP_FIXTURES,
  SNS_FIXTURES,
  SECRETS_ROTATION_FIXTURES,
];
violating.push(...FIXTURES_BY_FILE.flatMap((f) => f.violating));
compliant.push(...FIXTURES_BY_FILE.flatMap((f) => f.compliant));

describe('guardrail rules', () => {
  test('every rule has a violating and a compliant fixture', () => {
    const ids = RULES.map((rule) => rule.id).sort();
    const covered = (fixtures: Fixture[]) => [...new Set(fixtures.map((f) => f.rule))].sort();
    expect(covered(violating)).toEqual(ids);
    expect(covered(compliant)).toEqual(ids);
  });

  test('every rule has a unique id, a one-line info and an explanation', () => {
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^GR-[A-Z0-9]+-\d+$/);
      expect(rule.info).not.toContain('\n');
      expect(rule.explanation.length).toBeGreaterThan(20);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
    }
  });

  test('the docs/guardrails.md table lists every rule with what it requires', () => {
    const doc = readFileSync(path.join(__dirname, '../../docs/guardrails.md'), 'utf8');
    const rows = doc.split('\n').filter((line) => /^\| GR-/.test(line));
    expect(rows.map((row) => row.split('|')[1].trim())).toEqual(RULES.map((rule) => rule.id));
    for (const rule of RULES) expect(doc).toContain(`| ${rule.id.padEnd(8)} | ${rule.info}`);
  });

  test.each(violating.map((f) => [f.rule, f.what, f] as const))('%s fails %s', (rule, _what, fixture) => {
    const { findings, path } = findingsOf(fixture.build);
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: rule, severity: 'error', path }));
  });

  test.each(compliant.map((f) => [f.rule, f.what, f] as const))('%s passes %s', (rule, _what, fixture) => {
    const { findings } = findingsOf(fixture.build);
    expect(findings.filter((f) => f.ruleId === rule)).toEqual([]);
  });
});

describe('rule details', () => {
  const ruleFindings = (build: Build, rule: string) =>
    findingsOf(build).findings.filter((f) => f.ruleId === rule);

  test('GR-S3-6 names each thing a same-stack log target lacks', () => {
    const findings = ruleFindings((s) => {
      const source = new S3Bucket(s, 'source', { bucket: 'p-dev-source' });
      const target = new SecureBucket(s, 'target', { bucketName: 'p-dev-access-logs' });
      return logToBucket(s, 'logging', {
        bucket: source.id,
        targetBucket: target.bucketName,
        targetPrefix: 'x/',
      });
    }, 'GR-S3-6');
    // The address's hash depends on the fixture stack's name.
    const reasons = findings.map((f) => f.reason.replace(/target_bucket_[0-9A-F]{8}/, 'target_bucket'));
    expect(reasons).toEqual([
      'the target bucket aws_s3_bucket.target_bucket has default encryption aws:kms; server access log delivery needs AES256 (SSE-S3)',
      'the policy of the target bucket aws_s3_bucket.target_bucket does not allow logging.s3.amazonaws.com s3:PutObject',
    ]);
  });

  test('GR-SG-1 allows only 80 and 443 on a load balancer group', () => {
    const findings = ruleFindings(
      (s) => ingress(s, { port: 8080, cidr: '0.0.0.0/0', loadBalancerGroup: true }),
      'GR-SG-1',
    );
    expect(findings.map((f) => f.reason)).toEqual(['ingress tcp 8080 from 0.0.0.0/0']);
  });

  test('GR-SG-1 refuses a port the load balancers do not listen on', () => {
    const findings = ruleFindings(
      (s) =>
        ingress(s, {
          port: 443,
          cidr: '0.0.0.0/0',
          loadBalancerGroup: true,
          listeners: { ports: [80], ipv6: false },
        }),
      'GR-SG-1',
    );
    expect(findings.map((f) => f.reason)).toEqual([
      "ingress tcp 443 from anywhere, but no listener of the group's load balancers is on that port",
    ]);
  });

  test('GR-SG-1 refuses ::/0 to IPv4-only load balancers', () => {
    const findings = ruleFindings(
      (s) =>
        ingress(s, {
          port: 80,
          cidr: '::/0',
          loadBalancerGroup: true,
          listeners: { ports: [80], ipv6: false },
        }),
      'GR-SG-1',
    );
    expect(findings.map((f) => f.reason)).toEqual(['ingress tcp 80 from ::/0 to IPv4-only load balancers']);
  });

  test('GR-SG-1 accepts ::/0 to dual-stack load balancers on a listener port', () => {
    const findings = ruleFindings(
      (s) =>
        ingress(s, {
          port: 80,
          cidr: '::/0',
          loadBalancerGroup: true,
          listeners: { ports: [80], ipv6: true },
        }),
      'GR-SG-1',
    );
    expect(findings).toEqual([]);
  });

  test('GR-SG-1 checks inline ingress blocks of a group', () => {
    const findings = ruleFindings(
      (s) =>
        new SecurityGroup(s, 'group', {
          name: 'g',
          ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: ['0.0.0.0/0'] }],
        }),
      'GR-SG-1',
    );
    expect(findings).toHaveLength(1);
  });

  test('GR-SG-2 counts an all-traffic rule as opening 22 and 3389', () => {
    const findings = ruleFindings(
      (s) => ingress(s, { port: 0, cidr: '10.0.0.0/16', protocol: '-1' }),
      'GR-SG-2',
    );
    expect(findings.map((f) => f.reason)).toEqual([
      'ingress all traffic opens port 22',
      'ingress all traffic opens port 3389',
    ]);
  });

  test('GR-S3-1 correlates a configuration that names the bucket literally', () => {
    const findings = ruleFindings((s) => {
      const bucket = new S3Bucket(s, 'bucket', { bucket: 'literal-name' });
      new S3BucketServerSideEncryptionConfigurationA(s, 'encryption', {
        bucket: 'literal-name',
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }],
      });
      return bucket;
    }, 'GR-S3-1');
    expect(findings).toEqual([]);
  });

  test('GR-S3-3 reads a bucket policy given as JSON', () => {
    const findings = ruleFindings((s) => {
      const bucket = new S3Bucket(s, 'bucket', { bucket: 'b' });
      const policy = {
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      };
      new S3BucketPolicy(s, 'policy', { bucket: bucket.id, policy: JSON.stringify(policy) });
      return bucket;
    }, 'GR-S3-3');
    expect(findings).toEqual([]);
  });

  test('GR-IAM-1 fails a service-wide wildcard on * and an AdministratorAccess attachment', () => {
    const findings = ruleFindings((s) => {
      const policy = rolePolicy(s, ['s3:*'], ['*']);
      new IamRolePolicyAttachment(s, 'admin', {
        role: 'r',
        policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      });
      return policy;
    }, 'GR-IAM-1');
    expect(findings.map((f) => f.reason)).toEqual([
      'allows s3:* on resource *',
      'attaches arn:aws:iam::aws:policy/AdministratorAccess',
    ]);
  });

  test('GR-ELB-1 fails an HTTPS listener without a policy and ignores HTTP listeners', () => {
    const findings = ruleFindings((s) => {
      new LbListener(s, 'http', {
        loadBalancerArn: 'arn',
        port: 80,
        protocol: 'HTTP',
        defaultAction: [
          { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
        ],
      });
      return listener(s);
    }, 'GR-ELB-1');
    expect(findings.map((f) => f.path)).toEqual([expect.stringMatching(/\/listener$/)]);
  });

  test('GR-EBS-1 fails a launch template that maps no volume', () => {
    const findings = ruleFindings((s) => launchTemplate(s, { blockDeviceMappings: undefined }), 'GR-EBS-1');
    expect(findings).toHaveLength(1);
  });
});
