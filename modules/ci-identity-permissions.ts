import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { AwsContext } from './aws-context';

type Statement = DataAwsIamPolicyDocumentStatement;

/** Services the project's roles are passed to (their trust policies name these principals). */
export const PASSED_TO_SERVICES = [
  'ec2.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'monitoring.rds.amazonaws.com',
  'vpc-flow-logs.amazonaws.com',
  'backup.amazonaws.com',
  'cloudtrail.amazonaws.com',
  'lambda.amazonaws.com',
];

/** Service-linked roles the project's resources need on first use in an account. */
export const SERVICE_LINKED_ROLES = [
  'autoscaling.amazonaws.com',
  'ecs.amazonaws.com',
  'ecs.application-autoscaling.amazonaws.com',
  'elasticloadbalancing.amazonaws.com',
  'elasticfilesystem.amazonaws.com',
  'rds.amazonaws.com',
];

/**
 * AWS managed policies the project attaches to its roles. The deploy role may attach these and the
 * project's own `<project>-<env>-*` policies, nothing else (AdministratorAccess included).
 */
export const ATTACHABLE_AWS_POLICIES = [
  'AmazonSSMManagedInstanceCore',
  'CloudWatchAgentServerPolicy',
  'service-role/AmazonRDSEnhancedMonitoringRole',
  'service-role/AmazonECSTaskExecutionRolePolicy',
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
  'service-role/AWSLambdaVPCAccessExecutionRole',
  'service-role/AWSLambdaBasicExecutionRole',
];

export interface IdentityScope {
  readonly context: AwsContext;
  readonly namePrefix: string;
  /** ARN of the permissions boundary every role the deploy role creates must carry. */
  readonly boundaryArn: string;
}

/**
 * The deploy role's IAM permissions. The classic escalation is CreateRole + AttachRolePolicy (or
 * PutRolePolicy) + PassRole: make a role with more rights than yourself and use it. It is closed
 * by the `iam:PermissionsBoundary` condition, which IAM evaluates on CreateRole, PutRolePolicy,
 * AttachRolePolicy, DetachRolePolicy, DeleteRolePolicy and PutRolePermissionsBoundary (IAM User
 * Guide, "Permissions boundaries for IAM entities", delegating responsibility): every role the
 * deploy role creates or changes carries the same boundary, so none exceeds it. Roles are limited
 * to the `<namePrefix>-` names, PassRole to those roles and the services they serve.
 */
export function identityStatements(scope: IdentityScope): Statement[] {
  const { partition, accountId } = scope.context;
  const iam = (resource: string) => `arn:${partition}:iam::${accountId}:${resource}`;
  const roles = iam(`role/${scope.namePrefix}-*`);
  const iamActions = (actions: string[]) => actions.map((action) => `iam:${action}`);
  return [
    {
      sid: 'RolesWithinBoundary',
      actions: iamActions([
        'CreateRole',
        'PutRolePolicy',
        'DeleteRolePolicy',
        'AttachRolePolicy',
        'DetachRolePolicy',
        'PutRolePermissionsBoundary',
      ]),
      resources: [roles],
      condition: [{ test: 'StringEquals', variable: 'iam:PermissionsBoundary', values: [scope.boundaryArn] }],
    },
    {
      sid: 'AttachKnownPoliciesOnly',
      effect: 'Deny',
      actions: ['iam:AttachRolePolicy'],
      resources: ['*'],
      condition: [
        {
          test: 'ArnNotLike',
          variable: 'iam:PolicyARN',
          values: [
            iam(`policy/${scope.namePrefix}-*`),
            ...ATTACHABLE_AWS_POLICIES.map((policy) => `arn:${partition}:iam::aws:policy/${policy}`),
          ],
        },
      ],
    },
    {
      sid: 'Roles',
      actions: iamActions([
        'DeleteRole',
        'UpdateRole',
        'UpdateRoleDescription',
        'UpdateAssumeRolePolicy',
        'TagRole',
        'UntagRole',
      ]),
      resources: [roles],
    },
    {
      sid: 'PassRolesToTheirServices',
      actions: ['iam:PassRole'],
      resources: [roles],
      // IfExists: adding a role to an instance profile passes it without naming a service.
      condition: [
        { test: 'StringEqualsIfExists', variable: 'iam:PassedToService', values: PASSED_TO_SERVICES },
      ],
    },
    {
      sid: 'InstanceProfiles',
      actions: iamActions([
        'CreateInstanceProfile',
        'DeleteInstanceProfile',
        'AddRoleToInstanceProfile',
        'RemoveRoleFromInstanceProfile',
        'TagInstanceProfile',
        'UntagInstanceProfile',
      ]),
      resources: [iam(`instance-profile/${scope.namePrefix}-*`)],
    },
    {
      sid: 'Policies',
      actions: iamActions([
        'CreatePolicy',
        'DeletePolicy',
        'CreatePolicyVersion',
        'DeletePolicyVersion',
        'TagPolicy',
        'UntagPolicy',
      ]),
      resources: [iam(`policy/${scope.namePrefix}-*`)],
    },
    {
      sid: 'ServiceLinkedRoles',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [iam('role/aws-service-role/*')],
      condition: [{ test: 'StringEquals', variable: 'iam:AWSServiceName', values: SERVICE_LINKED_ROLES }],
    },
  ];
}

export interface BoundaryScope extends IdentityScope {
  readonly stateBucketArn: string;
  /** Other regions the project uses, each with the services it uses there (see `CiRolesProps`). */
  readonly secondaryRegions: Readonly<Record<string, readonly string[]>>;
}

/** Services that are global or answer only in us-east-1: exempt from the region limit. */
const GLOBAL_SERVICES = [
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
];
/** `us-east-1` as a word for a statement id: `UsEast1`. */
const regionWord = (region: string) =>
  region
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * One Deny per group of services that share their allowed regions: outside the environment's
 * region, a service may only be called in the secondary regions that list it.
 */
function regionDenials(region: string, secondaryRegions: BoundaryScope['secondaryRegions']): Statement[] {
  const regionsByService = new Map<string, string[]>();
  for (const [other, services] of Object.entries(secondaryRegions)) {
    for (const service of services)
      regionsByService.set(service, [...(regionsByService.get(service) ?? []), other]);
  }
  const servicesByRegions = new Map<string, string[]>();
  for (const [service, regions] of regionsByService) {
    const key = [...new Set(regions)].sort().join(',');
    servicesByRegions.set(key, [...(servicesByRegions.get(key) ?? []), service]);
  }
  return [
    {
      sid: 'StayInTheRegion',
      effect: 'Deny',
      notActions: [...GLOBAL_SERVICES, ...[...regionsByService.keys()].map((service) => `${service}:*`)],
      resources: ['*'],
      condition: [{ test: 'StringNotEquals', variable: 'aws:RequestedRegion', values: [region] }],
    },
    ...[...servicesByRegions].map(([regions, services]) => ({
      sid: `AlsoIn${regions.split(',').map(regionWord).join('And')}`,
      effect: 'Deny',
      actions: services.map((service) => `${service}:*`),
      resources: ['*'],
      condition: [
        {
          test: 'StringNotEquals',
          variable: 'aws:RequestedRegion',
          values: [...new Set([region, ...regions.split(',')])],
        },
      ],
    })),
  ];
}

/**
 * The permissions boundary of the CI roles and of every role they create: a boundary grants
 * nothing, it caps what identity policies grant (IAM User Guide, "Permissions boundaries for IAM
 * entities"), so it allows everything but what this project never does. The denials hold even
 * where a resource policy would allow, because an explicit Deny wins (IAM User Guide, "Policy
 * evaluation logic").
 */
export function permissionsBoundaryStatements(scope: BoundaryScope): Statement[] {
  const { partition, accountId, region } = scope.context;
  const iam = (resource: string) => `arn:${partition}:iam::${accountId}:${resource}`;
  return [
    { sid: 'CapOnly', actions: ['*'], resources: ['*'] },
    {
      sid: 'NoIamUsersOrLongLivedCredentials',
      effect: 'Deny',
      actions: [
        'iam:CreateUser',
        'iam:CreateAccessKey',
        'iam:UpdateAccessKey',
        'iam:CreateLoginProfile',
        'iam:UpdateLoginProfile',
        'iam:CreateServiceSpecificCredential',
        'iam:UploadSSHPublicKey',
        'iam:UploadSigningCertificate',
        'iam:AttachUserPolicy',
        'iam:PutUserPolicy',
        'iam:AddUserToGroup',
        'iam:CreateGroup',
        'iam:CreateOpenIDConnectProvider',
        'iam:CreateSAMLProvider',
      ],
      resources: ['*'],
    },
    ...regionDenials(region, scope.secondaryRegions),
    {
      sid: 'StateBucketPolicyStays',
      effect: 'Deny',
      actions: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:DeleteBucket'],
      resources: [scope.stateBucketArn],
    },
    {
      sid: 'BoundaryStays',
      effect: 'Deny',
      actions: ['iam:DeleteRolePermissionsBoundary'],
      resources: ['*'],
    },
    {
      sid: 'NoOtherBoundary',
      effect: 'Deny',
      actions: ['iam:PutRolePermissionsBoundary'],
      resources: ['*'],
      condition: [
        { test: 'StringNotEquals', variable: 'iam:PermissionsBoundary', values: [scope.boundaryArn] },
      ],
    },
    {
      // The CI roles, their policies and this boundary belong to the state stack, which a person
      // with admin rights deploys; the pipeline never changes them.
      sid: 'CiIdentityStays',
      effect: 'Deny',
      actions: [
        'iam:Create*',
        'iam:Delete*',
        'iam:Put*',
        'iam:Update*',
        'iam:Attach*',
        'iam:Detach*',
        'iam:Tag*',
        'iam:Untag*',
        'iam:SetDefaultPolicyVersion',
      ],
      resources: [
        iam(`role/${scope.namePrefix}-ci-*`),
        iam(`policy/${scope.namePrefix}-ci-*`),
        iam('oidc-provider/*'),
      ],
    },
    {
      // A role trusting its creator by ARN could be assumed on the trust policy alone; no role of
      // this project assumes another.
      sid: 'NoRoleChaining',
      effect: 'Deny',
      actions: ['sts:AssumeRole'],
      resources: ['*'],
    },
  ];
}
