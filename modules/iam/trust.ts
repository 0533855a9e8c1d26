/**
 * The one way to let an AWS service assume a role of this estate: the trust statement of each
 * service principal, with its confused-deputy guard chosen once, here, against that service's own
 * documentation. Callers name the service; they never write conditions.
 *
 * A guard is only added where the service documents which `aws:SourceAccount` / `aws:SourceArn`
 * it sends when it assumes the role: a condition the service does not satisfy makes the role
 * unusable (CloudTrail even refuses the trail). Where a service documents none, the role can only
 * reach that service through `iam:PassRole` by a principal of this account, which is the guard.
 */
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
  type DataAwsIamPolicyDocumentStatementCondition,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole, type IamRoleConfig } from '@cdktf/provider-aws/lib/iam-role';
import type { Construct } from 'constructs';
import type { AwsContext } from '../aws-context';

/** A service that assumes a role of this estate, with what its guard needs to know. */
export type TrustedService =
  | { readonly service: 'ec2-instances' }
  | { readonly service: 'ecs-tasks' }
  | { readonly service: 'vpc-flow-logs' }
  | { readonly service: 'cloudtrail-to-logs' }
  | { readonly service: 'lambda' }
  | { readonly service: 'backup' }
  | {
      readonly service: 'rds-enhanced-monitoring';
      /** The DB instance identifier whose OS metrics the role delivers. */
      readonly dbInstanceIdentifier: string;
    };

export type TrustedServiceName = TrustedService['service'];

const sourceAccount = (context: AwsContext): DataAwsIamPolicyDocumentStatementCondition => ({
  test: 'StringEquals',
  variable: 'aws:SourceAccount',
  values: [context.accountId],
});

const sourceArnLike = (arn: string): DataAwsIamPolicyDocumentStatementCondition => ({
  test: 'ArnLike',
  variable: 'aws:SourceArn',
  values: [arn],
});

/** The principal and the guard of each service, each checked against the document it cites. */
const TRUST: {
  readonly [name in TrustedServiceName]: {
    readonly principal: string;
    readonly guard: (
      trusted: Extract<TrustedService, { service: name }>,
      context: AwsContext,
    ) => DataAwsIamPolicyDocumentStatementCondition[] | undefined;
  };
} = {
  // No condition. EC2 hands the role to an instance through an instance profile, which only a
  // principal of this account allowed iam:PassRole can attach; EC2 documents no aws:SourceArn or
  // aws:SourceAccount value for the instance role's trust policy (IAM User Guide, "Use an IAM role
  // to grant permissions to applications running on Amazon EC2 instances").
  'ec2-instances': { principal: 'ec2.amazonaws.com', guard: () => undefined },

  // Account and any ECS resource of this account and region: ECS does not support aws:SourceArn
  // naming one cluster, so the ARN ends in a wildcard (Amazon ECS Developer Guide, "Amazon ECS
  // task IAM role", trust policy). The task execution role has the same principal and guard.
  'ecs-tasks': {
    principal: 'ecs-tasks.amazonaws.com',
    guard: (_, context) => [
      sourceAccount(context),
      sourceArnLike(`arn:${context.partition}:ecs:${context.region}:${context.accountId}:*`),
    ],
  },

  // Account and any flow log of this account and region: the source ARN is the flow log's, whose
  // id only exists once the flow log (which needs this role) does, so the id is a wildcard (Amazon
  // VPC User Guide, "IAM role for publishing flow logs to CloudWatch Logs").
  'vpc-flow-logs': {
    principal: 'vpc-flow-logs.amazonaws.com',
    guard: (_, context) => [
      sourceAccount(context),
      sourceArnLike(`arn:${context.partition}:ec2:${context.region}:${context.accountId}:vpc-flow-log/*`),
    ],
  },

  // No condition: CloudTrail does not support aws:SourceArn or aws:SourceAccount in the trust policy
  // of its CloudWatch Logs role, and CreateTrail then fails with InvalidCloudWatchLogsRoleArnException
  // (AWS CloudTrail User Guide, "Role policy document for CloudTrail to use CloudWatch Logs for
  // monitoring"). Guardrail GR-CT-1 refuses the conditions at synth.
  'cloudtrail-to-logs': { principal: 'cloudtrail.amazonaws.com', guard: () => undefined },

  // No condition. Lambda's guide only says a trust policy *can* carry aws:SourceAccount and
  // aws:SourceArn (AWS Lambda Developer Guide, "Working with AWS managed policies in the execution
  // role"); it documents no value Lambda sends when it assumes a function's execution role, and
  // CreateFunction refuses a role Lambda cannot assume. The role reaches a function only through
  // iam:PassRole in this account.
  lambda: { principal: 'lambda.amazonaws.com', guard: () => undefined },

  // No condition. The AWS Backup Developer Guide documents no aws:SourceArn or aws:SourceAccount
  // value AWS Backup sends when it assumes a backup selection's role ("Access control", "Using roles
  // to back up and copy" name backup.amazonaws.com alone); the role reaches a selection only through
  // iam:PassRole in this account.
  backup: { principal: 'backup.amazonaws.com', guard: () => undefined },

  // Account and the one DB instance: RDS recommends both keys in the Enhanced Monitoring role's trust
  // policy, the source ARN being the instance's `arn:<partition>:rds:<region>:<account>:db:<id>`
  // (Amazon RDS User Guide, "Setting up and enabling Enhanced Monitoring", protecting against the
  // confused deputy problem).
  'rds-enhanced-monitoring': {
    principal: 'monitoring.rds.amazonaws.com',
    guard: (trusted, context) => [
      sourceAccount(context),
      sourceArnLike(
        `arn:${context.partition}:rds:${context.region}:${context.accountId}:db:${trusted.dbInstanceIdentifier}`,
      ),
    ],
  },
};

/** The service principal (`<service>.amazonaws.com`) a service assumes roles as. */
export function servicePrincipal(service: TrustedServiceName): string {
  return TRUST[service].principal;
}

/** The trust statement letting `trusted` assume a role, with that service's guard. */
export function serviceTrustStatement(
  trusted: TrustedService,
  context: AwsContext,
): DataAwsIamPolicyDocumentStatement {
  const { principal, guard } = TRUST[trusted.service] as {
    principal: string;
    guard: (t: TrustedService, c: AwsContext) => DataAwsIamPolicyDocumentStatementCondition[] | undefined;
  };
  return {
    actions: ['sts:AssumeRole'],
    principals: [{ type: 'Service', identifiers: [principal] }],
    condition: guard(trusted, context),
  };
}

/** The trust policy document of a role `trusted` assumes. */
export function assumeRolePolicy(
  scope: Construct,
  id: string,
  trusted: TrustedService,
  context: AwsContext,
): DataAwsIamPolicyDocument {
  return new DataAwsIamPolicyDocument(scope, id, { statement: [serviceTrustStatement(trusted, context)] });
}

export interface ServiceRoleProps extends Omit<IamRoleConfig, 'assumeRolePolicy'> {
  readonly trusted: TrustedService;
  readonly context: AwsContext;
  /** Id of the trust policy document (a state address of the caller). @default 'trust' */
  readonly trustId?: string;
}

/** A role `trusted` assumes: its trust policy document (`trustId`), then the role (`id`). */
export function serviceRole(scope: Construct, id: string, props: ServiceRoleProps): IamRole {
  const { trusted, context, trustId, ...config } = props;
  const trust = assumeRolePolicy(scope, trustId ?? 'trust', trusted, context);
  return new IamRole(scope, id, { ...config, assumeRolePolicy: trust.json });
}
