import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { AwsContext } from './aws-context';

type Statement = DataAwsIamPolicyDocumentStatement;

/** What the deploy statements scope by: names start with `namePrefix`, tags say project and environment. */
export interface DeployScope {
  readonly context: AwsContext;
  /** `<project>-<env>`. */
  readonly namePrefix: string;
  readonly project: string;
  readonly environment: string;
  /** Route 53 hosted zones the environment writes records to. */
  readonly hostedZoneIds: readonly string[];
}

/**
 * The deploy role's management permissions, grouped into policies of one area each (a managed
 * policy holds at most 6,144 characters: IAM User Guide, "IAM and AWS STS quotas"). Names are
 * scoped to `<project>-<env>` where the service's ARN carries the name; where ARNs carry only
 * generated ids (EC2, EFS, KMS keys, backup plans, certificates), creation requires the project's
 * tags (`aws:RequestTag`) and every later change requires them on the resource
 * (`aws:ResourceTag`); the provider's default tags put them on every resource at creation.
 * ARNs that name no region (`*`) leave the regions to the permissions boundary, which allows the
 * environment's region and the secondary regions it names.
 */
export function deployStatements(scope: DeployScope): Record<string, Statement[]> {
  const { partition, region, accountId } = scope.context;
  const p = scope.namePrefix;
  const arn = (service: string, resource: string, where = region) =>
    `arn:${partition}:${service}:${where}:${accountId}:${resource}`;
  const tagged = (key: 'aws:RequestTag' | 'aws:ResourceTag') => [
    { test: 'StringEquals', variable: `${key}/project`, values: [scope.project] },
    { test: 'StringEquals', variable: `${key}/environment`, values: [scope.environment] },
  ];
  const allow = (
    sid: string,
    service: string,
    actions: string[],
    resources: string[],
    condition?: Statement['condition'],
  ): Statement => ({
    sid,
    actions: actions.map((action) => `${service}:${action}`),
    resources,
    ...(condition ? { condition } : {}),
  });

  const network: Statement[] = [
    allow(
      'CreateTaggedNetwork',
      'ec2',
      [
        'CreateVpc',
        'CreateSubnet',
        'CreateInternetGateway',
        'CreateNatGateway',
        'AllocateAddress',
        'CreateRouteTable',
        'CreateSecurityGroup',
        'CreateFlowLogs',
        'CreateVpcEndpoint',
        'CreateLaunchTemplate',
        'CreateNetworkAcl',
      ],
      ['*'],
      tagged('aws:RequestTag'),
    ),
    allow(
      'ChangeTaggedNetwork',
      'ec2',
      [
        'Modify*',
        'Delete*',
        'Associate*',
        'Disassociate*',
        'Attach*',
        'Detach*',
        'Authorize*',
        'Revoke*',
        'Replace*',
        'ReleaseAddress',
        'CreateRoute',
        'CreateLaunchTemplateVersion',
        'UpdateSecurityGroupRuleDescriptions*',
        'CreateTags',
        'DeleteTags',
      ],
      ['*'],
      tagged('aws:ResourceTag'),
    ),
    // Tags in the same call that creates the resource (EC2 User Guide, "Grant permission to tag
    // Amazon EC2 resources during creation").
    allow(
      'TagOnCreate',
      'ec2',
      ['CreateTags'],
      ['*'],
      [
        {
          test: 'StringLike',
          variable: 'ec2:CreateAction',
          values: ['Create*', 'AllocateAddress', 'RunInstances'],
        },
      ],
    ),
    // A VPC's default security group is created by EC2 without tags: adopting it (the provider's
    // aws_default_security_group) revokes its rules and tags it. Only untagged groups qualify.
    allow(
      'AdoptDefaultSecurityGroup',
      'ec2',
      ['CreateTags', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress'],
      [arn('ec2', 'security-group/*')],
      [{ test: 'Null', variable: 'aws:ResourceTag/project', values: ['true'] }],
    ),
    // Auto Scaling checks that the caller may launch what the launch template describes.
    allow('LaunchWebInstances', 'ec2', ['RunInstances', 'CreateNetworkInterface'], ['*']),
    allow(
      'LoadBalancers',
      'elasticloadbalancing',
      [
        'Create*',
        'Delete*',
        'Modify*',
        'Set*',
        'AddTags',
        'RemoveTags',
        'RegisterTargets',
        'DeregisterTargets',
      ],
      [
        arn('elasticloadbalancing', `loadbalancer/app/${p}-*`),
        arn('elasticloadbalancing', `targetgroup/${p}-*`),
        arn('elasticloadbalancing', `listener/app/${p}-*`),
        arn('elasticloadbalancing', `listener-rule/app/${p}-*`),
      ],
    ),
    allow(
      'AutoScalingGroups',
      'autoscaling',
      [
        'CreateAutoScalingGroup',
        'UpdateAutoScalingGroup',
        'DeleteAutoScalingGroup',
        'PutScalingPolicy',
        'DeletePolicy',
        'CreateOrUpdateTags',
        'DeleteTags',
        'EnableMetricsCollection',
        'DisableMetricsCollection',
        'StartInstanceRefresh',
        'PutLifecycleHook',
        'DeleteLifecycleHook',
        'AttachLoadBalancerTargetGroups',
        'DetachLoadBalancerTargetGroups',
        'SetInstanceProtection',
      ],
      [arn('autoscaling', `autoScalingGroup:*:autoScalingGroupName/${p}-*`)],
    ),
    allow(
      'ServiceScaling',
      'application-autoscaling',
      [
        'RegisterScalableTarget',
        'DeregisterScalableTarget',
        'PutScalingPolicy',
        'DeleteScalingPolicy',
        'TagResource',
        'UntagResource',
      ],
      ['*'],
    ),
    allow(
      'LaunchTemplateImage',
      'ssm',
      ['GetParameters'],
      [`arn:${partition}:ssm:${region}::parameter/aws/service/*`],
    ),
  ];

  const data: Statement[] = [
    allow(
      'Buckets',
      's3',
      [
        'CreateBucket',
        'DeleteBucket',
        'PutBucket*',
        'DeleteBucket*',
        'PutEncryptionConfiguration',
        'PutLifecycleConfiguration',
        'PutAccelerateConfiguration',
      ],
      [`arn:${partition}:s3:::${p}-*`],
    ),
    allow(
      'Tables',
      'dynamodb',
      [
        'CreateTable',
        'DeleteTable',
        'UpdateTable',
        'UpdateContinuousBackups',
        'UpdateTimeToLive',
        'TagResource',
        'UntagResource',
      ],
      [arn('dynamodb', `table/${p}-*`)],
    ),
    allow(
      'Databases',
      'rds',
      [
        'CreateDBInstance',
        'DeleteDBInstance',
        'ModifyDBInstance',
        'RebootDBInstance',
        'CreateDBSnapshot',
        'CreateDBParameterGroup',
        'ModifyDBParameterGroup',
        'DeleteDBParameterGroup',
        'CreateOptionGroup',
        'ModifyOptionGroup',
        'DeleteOptionGroup',
        'CreateDBSubnetGroup',
        'ModifyDBSubnetGroup',
        'DeleteDBSubnetGroup',
        'AddTagsToResource',
        'RemoveTagsFromResource',
      ],
      [
        arn('rds', `db:${p}-*`),
        arn('rds', `pg:${p}-*`),
        arn('rds', `og:${p}-*`),
        arn('rds', `subgrp:${p}-*`),
        arn('rds', `snapshot:${p}-*`),
      ],
    ),
    allow(
      'CreateTaggedFileSystems',
      'elasticfilesystem',
      ['CreateFileSystem', 'CreateAccessPoint', 'TagResource'],
      ['*'],
      tagged('aws:RequestTag'),
    ),
    allow(
      'ChangeTaggedFileSystems',
      'elasticfilesystem',
      [
        'Delete*',
        'Put*',
        'Update*',
        'CreateMountTarget',
        'ModifyMountTargetSecurityGroups',
        'CreateAccessPoint',
        'TagResource',
        'UntagResource',
      ],
      ['*'],
      tagged('aws:ResourceTag'),
    ),
    allow(
      'BackupVaults',
      'backup',
      [
        'CreateBackupVault',
        'DeleteBackupVault',
        'PutBackupVaultAccessPolicy',
        'DeleteBackupVaultAccessPolicy',
        'PutBackupVaultLockConfiguration',
        'PutBackupVaultNotifications',
        'DeleteBackupVaultNotifications',
        'TagResource',
        'UntagResource',
      ],
      [arn('backup', `backup-vault:${p}-*`, '*')],
    ),
    allow(
      'BackupPlans',
      'backup',
      [
        'CreateBackupPlan',
        'UpdateBackupPlan',
        'DeleteBackupPlan',
        'CreateBackupSelection',
        'DeleteBackupSelection',
        'TagResource',
        'UntagResource',
      ],
      ['*'],
    ),
    // Creating a vault with a customer managed key mounts backup storage (AWS Backup Developer Guide).
    allow('BackupStorage', 'backup-storage', ['MountCapsule'], ['*']),
    allow('CreateTaggedKeys', 'kms', ['CreateKey', 'TagResource'], ['*'], tagged('aws:RequestTag')),
    allow(
      'UseAndChangeTaggedKeys',
      'kms',
      [
        'PutKeyPolicy',
        'EnableKeyRotation',
        'DisableKeyRotation',
        'ScheduleKeyDeletion',
        'CancelKeyDeletion',
        'UpdateKeyDescription',
        'TagResource',
        'UntagResource',
        'CreateGrant',
        'RetireGrant',
        'Encrypt',
        'Decrypt',
        'GenerateDataKey*',
        'ReEncrypt*',
        'CreateAlias',
        'DeleteAlias',
        'UpdateAlias',
      ],
      ['*'],
      tagged('aws:ResourceTag'),
    ),
    // An alias operation is authorized on the alias and on its key (AWS KMS Developer Guide, "Controlling access to aliases").
    allow(
      'KeyAliases',
      'kms',
      ['CreateAlias', 'DeleteAlias', 'UpdateAlias'],
      [arn('kms', `alias/${p}-*`, '*')],
    ),
    allow(
      'Secrets',
      'secretsmanager',
      [
        'CreateSecret',
        'DeleteSecret',
        'UpdateSecret',
        'PutSecretValue',
        'GetSecretValue',
        'PutResourcePolicy',
        'DeleteResourcePolicy',
        'RotateSecret',
        'CancelRotateSecret',
        'TagResource',
        'UntagResource',
      ],
      [arn('secretsmanager', `secret:${p}-*`), arn('secretsmanager', 'secret:rds!*')],
    ),
  ];

  const platform: Statement[] = [
    allow(
      'LogGroups',
      'logs',
      [
        'CreateLogGroup',
        'DeleteLogGroup',
        'PutRetentionPolicy',
        'DeleteRetentionPolicy',
        'AssociateKmsKey',
        'DisassociateKmsKey',
        'TagResource',
        'UntagResource',
        'TagLogGroup',
        'UntagLogGroup',
        'PutMetricFilter',
        'DeleteMetricFilter',
      ],
      [
        arn('logs', `log-group:/${p}/*`),
        arn('logs', `log-group:/aws/rds/instance/${p}-*`),
        arn('logs', `log-group:aws-waf-logs-${p}-*`),
        arn('logs', `log-group:/aws/lambda/${p}-*`),
      ],
    ),
    // WAF log delivery to CloudWatch Logs (AWS WAF Developer Guide, "Permissions required to publish logs").
    allow('WafLogDelivery', 'logs', ['CreateLogDelivery', 'DeleteLogDelivery', 'PutResourcePolicy'], ['*']),
    allow(
      'Alarms',
      'cloudwatch',
      ['PutMetricAlarm', 'DeleteAlarms', 'TagResource', 'UntagResource', 'PutDashboard', 'DeleteDashboards'],
      [
        arn('cloudwatch', `alarm:${p}-*`, '*'),
        `arn:${partition}:cloudwatch::${accountId}:dashboard/${p}`,
        `arn:${partition}:cloudwatch::${accountId}:dashboard/${p}-*`,
      ],
    ),
    allow(
      'Topics',
      'sns',
      [
        'CreateTopic',
        'DeleteTopic',
        'SetTopicAttributes',
        'Subscribe',
        'Unsubscribe',
        'TagResource',
        'UntagResource',
      ],
      [arn('sns', `${p}-*`, '*')],
    ),
    allow(
      'Trail',
      'cloudtrail',
      [
        'CreateTrail',
        'UpdateTrail',
        'DeleteTrail',
        'StartLogging',
        'StopLogging',
        'PutEventSelectors',
        'PutInsightSelectors',
        'AddTags',
        'RemoveTags',
      ],
      [arn('cloudtrail', `trail/${p}-*`)],
    ),
    allow(
      'Repositories',
      'ecr',
      [
        'CreateRepository',
        'DeleteRepository',
        'PutLifecyclePolicy',
        'DeleteLifecyclePolicy',
        'SetRepositoryPolicy',
        'DeleteRepositoryPolicy',
        'PutImageScanningConfiguration',
        'PutImageTagMutability',
        'TagResource',
        'UntagResource',
      ],
      [arn('ecr', `repository/${p}/*`), arn('ecr', `repository/${p}-*`)],
    ),
    allow(
      'Containers',
      'ecs',
      [
        'CreateCluster',
        'DeleteCluster',
        'UpdateCluster',
        'UpdateClusterSettings',
        'PutClusterCapacityProviders',
        'CreateService',
        'UpdateService',
        'DeleteService',
        'TagResource',
        'UntagResource',
      ],
      [arn('ecs', `cluster/${p}`), arn('ecs', `service/${p}/*`), arn('ecs', `task-definition/${p}-*:*`)],
    ),
    // Task definitions take no resource-level permission on registration (Service Authorization Reference, Amazon ECS).
    allow('TaskDefinitions', 'ecs', ['RegisterTaskDefinition', 'DeregisterTaskDefinition'], ['*']),
    allow(
      'WebAcls',
      'wafv2',
      [
        'CreateWebACL',
        'UpdateWebACL',
        'DeleteWebACL',
        'AssociateWebACL',
        'DisassociateWebACL',
        'PutLoggingConfiguration',
        'DeleteLoggingConfiguration',
        'TagResource',
        'UntagResource',
      ],
      [
        arn('wafv2', `regional/webacl/${p}-*/*`),
        arn('wafv2', 'regional/managedruleset/*/*'),
        arn('elasticloadbalancing', `loadbalancer/app/${p}-*`),
      ],
    ),
    allow(
      'Functions',
      'lambda',
      [
        'CreateFunction',
        'DeleteFunction',
        'UpdateFunctionCode',
        'UpdateFunctionConfiguration',
        'PublishVersion',
        'AddPermission',
        'RemovePermission',
        'PutFunctionConcurrency',
        'DeleteFunctionConcurrency',
        'InvokeFunction',
        'TagResource',
        'UntagResource',
      ],
      [arn('lambda', `function:${p}-*`)],
    ),
    allow(
      'CreateTaggedCertificates',
      'acm',
      ['RequestCertificate', 'AddTagsToCertificate'],
      ['*'],
      tagged('aws:RequestTag'),
    ),
    allow(
      'ChangeTaggedCertificates',
      'acm',
      ['DeleteCertificate', 'AddTagsToCertificate', 'RemoveTagsFromCertificate'],
      ['*'],
      tagged('aws:ResourceTag'),
    ),
    ...(scope.hostedZoneIds.length > 0
      ? [
          allow(
            'Records',
            'route53',
            ['ChangeResourceRecordSets'],
            scope.hostedZoneIds.map((id) => `arn:${partition}:route53:::hostedzone/${id}`),
          ),
        ]
      : []),
  ];

  return { network, data, platform };
}
