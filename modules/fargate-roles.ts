/**
 * The two roles of a Fargate service: the execution role ECS starts its tasks with (pull images,
 * write logs, read secrets) and the task role its containers call AWS with (ECS Exec channels, the
 * shared file system). Both are assumed by ECS tasks, with the guard `modules/iam/trust.ts` chose.
 */
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import type { FargateCluster } from './fargate-cluster';
import type { FargateContainerProps, ServiceFileSystem } from './fargate-container';
import { mountThroughAccessPointStatement } from './file-system';
import { pullImagesStatements, readSecretStatement } from './iam/statements';
import { serviceRole } from './iam/trust';

export interface ExecutionRoleProps {
  readonly context: AwsContext;
  /** The service's name, for the description. */
  readonly serviceName: string;
  readonly roleName: string;
  readonly container: FargateContainerProps;
  /** The container's log group. */
  readonly logGroupArn: string;
  readonly pullRepositoryArns: readonly string[];
  readonly pullKmsKeyArns: readonly string[];
}

/** The execution role: may only pull its images, write its logs and read its secrets. */
export function createExecutionRole(scope: Construct, props: ExecutionRoleProps): IamRole {
  const role = serviceRole(scope, 'execution-role', {
    trusted: { service: 'ecs-tasks' },
    context: props.context,
    trustId: 'execution-trust',
    name: props.roleName,
    description: `Starts ${props.serviceName} tasks: pulls their images, writes their logs, reads their secrets`,
    tags: { Name: props.roleName },
  });
  const repositories = [...props.pullRepositoryArns];
  const secretArns = [
    ...new Set(Object.values(props.container.secrets ?? {}).map((secret) => secret.secretArn)),
  ];
  const keys = [...props.pullKmsKeyArns, ...(props.container.secretKmsKeyArns ?? [])];
  const statements: DataAwsIamPolicyDocumentStatement[] = [
    {
      sid: 'WriteContainerLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${props.logGroupArn}:*`],
    },
  ];
  if (repositories.length > 0) statements.push(...pullImagesStatements(repositories));
  if (secretArns.length > 0) statements.push(readSecretStatement('ReadSecrets', secretArns));
  if (keys.length > 0) {
    statements.push({ sid: 'DecryptImagesAndSecrets', actions: ['kms:Decrypt'], resources: keys });
  }
  new IamRolePolicy(scope, 'execution-policy', {
    name: 'start-tasks',
    role: role.id,
    policy: new DataAwsIamPolicyDocument(scope, 'execution-permissions', { statement: statements }).json,
  });
  return role;
}

export interface TaskRoleProps {
  readonly context: AwsContext;
  /** The service's name, for the description. */
  readonly serviceName: string;
  readonly roleName: string;
  readonly cluster: FargateCluster;
  readonly execEnabled: boolean;
  /** @default undefined (no file system) */
  readonly fileSystem?: ServiceFileSystem;
}

/** The task role: exactly what ECS Exec and the file system need, and nothing when neither is on. */
export function createTaskRole(scope: Construct, props: TaskRoleProps): IamRole {
  const role = serviceRole(scope, 'task-role', {
    trusted: { service: 'ecs-tasks' },
    context: props.context,
    trustId: 'task-trust',
    name: props.roleName,
    description: `What ${props.serviceName} tasks may call: ECS Exec channels and the shared file system`,
    tags: { Name: props.roleName },
  });
  const statements: DataAwsIamPolicyDocumentStatement[] = [];
  if (props.execEnabled) statements.push(...execStatements(props.cluster));
  if (props.fileSystem) {
    statements.push(mountThroughAccessPointStatement('MountThroughAccessPoint', props.fileSystem));
  }
  if (statements.length > 0) {
    new IamRolePolicy(scope, 'task-policy', {
      name: 'exec-and-file-system',
      role: role.id,
      policy: new DataAwsIamPolicyDocument(scope, 'task-permissions', { statement: statements }).json,
    });
  }
  return role;
}

/** What the SSM agent ECS Exec starts in the container calls, and the cluster's exec key and logs. */
function execStatements(cluster: FargateCluster): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: 'ExecChannels',
      // Session Manager's message channels have no resource-level permissions: AWS requires "*"
      // (ECS developer guide, "ECS Exec", task IAM role permissions).
      actions: [
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
      ],
      resources: ['*'],
    },
    {
      sid: 'ExecSessionKey',
      actions: ['kms:Decrypt'],
      resources: [cluster.execKey.arn],
    },
    {
      sid: 'ExecLogGroupCheck',
      // The agent checks the exec log group is encrypted; DescribeLogGroups is not scoped to a
      // group by AWS, so it needs "*" (ECS developer guide, "ECS Exec", logging permissions).
      actions: ['logs:DescribeLogGroups'],
      resources: ['*'],
    },
    {
      sid: 'ExecSessionLogs',
      actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      resources: [`${cluster.execLogGroup.arn}:*`],
    },
  ];
}
