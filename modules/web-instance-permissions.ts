/**
 * The web instances' role: Session Manager, their database secret and file system, the WordPress
 * administrator's secret and the CloudWatch agent, each in its own inline policy.
 */
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { mountThroughAccessPointStatement } from './file-system';
import { readSecretStatement, secretKeyStatement } from './iam/statements';
import { serviceRole } from './iam/trust';

export interface WebInstanceRoleProps {
  readonly context: AwsContext;
  /** The fleet's name, for the description. */
  readonly fleetName: string;
  readonly roleName: string;
  /** @default undefined (none) */
  readonly secret?: { readonly arn: string; readonly kmsKeyArn: string };
  /** @default undefined (none) */
  readonly fileSystem?: { readonly arn: string; readonly accessPointArn: string };
  /** @default undefined (none) */
  readonly adminSecret?: { readonly arn: string; readonly kmsKeyArn: string };
  /** @default undefined (no agent permissions) */
  readonly cloudWatchAgent?: { readonly logGroupArns: string[]; readonly namespace: string };
}

/** The instance role (assumed by EC2, no condition: see `modules/iam/trust.ts`). */
export function createWebInstanceRole(scope: Construct, props: WebInstanceRoleProps): IamRole {
  const { context } = props;
  const role = serviceRole(scope, 'role', {
    trusted: { service: 'ec2-instances' },
    context,
    name: props.roleName,
    description: `Instances of ${props.fleetName}: Session Manager, CloudWatch agent, their secret and file system`,
  });
  new IamRolePolicyAttachment(scope, 'session-manager', {
    role: role.name,
    policyArn: `arn:${context.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
  });
  addInlinePolicy(
    scope,
    role,
    'wordpress-admin',
    props.adminSecret && adminSecretStatements(props.adminSecret, context),
  );
  addInlinePolicy(
    scope,
    role,
    'cloudwatch-agent',
    props.cloudWatchAgent && cloudWatchAgentStatements(props.cloudWatchAgent),
  );

  const statements: DataAwsIamPolicyDocumentStatement[] = [];
  if (props.secret !== undefined) {
    statements.push(
      readSecretStatement('ReadDatabaseSecret', [props.secret.arn]),
      secretKeyStatement('DecryptDatabaseSecret', [props.secret.kmsKeyArn], context.region),
    );
  }
  if (props.fileSystem !== undefined) {
    statements.push(
      mountThroughAccessPointStatement('MountSharedFiles', {
        fileSystemArn: props.fileSystem.arn,
        accessPointArn: props.fileSystem.accessPointArn,
      }),
    );
  }
  if (statements.length > 0) {
    const permissions = new DataAwsIamPolicyDocument(scope, 'permissions', { statement: statements });
    new IamRolePolicy(scope, 'policy', {
      name: 'secret-and-file-system',
      role: role.id,
      policy: permissions.json,
    });
  }
  return role;
}

function addInlinePolicy(
  scope: Construct,
  role: IamRole,
  name: string,
  statements?: DataAwsIamPolicyDocumentStatement[],
): void {
  if (statements === undefined) return;
  const document = new DataAwsIamPolicyDocument(scope, `${name}-permissions`, { statement: statements });
  new IamRolePolicy(scope, `${name}-policy`, { name, role: role.id, policy: document.json });
}

/**
 * The administrator's secret: written once by the first install, read back by a retried install.
 * With a customer-managed key, PutSecretValue needs kms:GenerateDataKey and GetSecretValue needs
 * kms:Decrypt, both through Secrets Manager (Secrets Manager user guide, "Secret encryption and
 * decryption in AWS Secrets Manager").
 */
function adminSecretStatements(
  secret: { readonly arn: string; readonly kmsKeyArn: string },
  context: AwsContext,
): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: 'WriteAdminSecret',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
      resources: [secret.arn],
    },
    secretKeyStatement('EncryptAdminSecret', [secret.kmsKeyArn], context.region, [
      'kms:GenerateDataKey',
      'kms:Decrypt',
    ]),
  ];
}

/**
 * What the CloudWatch agent needs, narrower than the managed CloudWatchAgentServerPolicy: streams and
 * events in the given log groups only (the groups exist: Terraform creates them, so no
 * logs:CreateLogGroup or PutRetentionPolicy), metrics in one namespace only (`cloudwatch:namespace`
 * condition key, CloudWatch user guide "Using condition keys to limit access to CloudWatch
 * namespaces"), and ec2:DescribeTags, which resolves `${aws:AutoScalingGroupName}` in
 * `append_dimensions` (it has no resource-level permissions, so `*`; CloudWatch user guide, "Create
 * IAM roles to use with the CloudWatch agent").
 */
function cloudWatchAgentStatements(agent: {
  readonly logGroupArns: string[];
  readonly namespace: string;
}): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: 'ShipWebLogs',
      actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      // The group (DescribeLogStreams) and its streams (CreateLogStream, PutLogEvents).
      resources: agent.logGroupArns.flatMap((arn) => [arn, `${arn}:*`]),
    },
    {
      sid: 'PutAgentMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: [agent.namespace] }],
    },
    { sid: 'ReadOwnTags', actions: ['ec2:DescribeTags'], resources: ['*'] },
  ];
}
