import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { deployStatements } from './ci-deploy-permissions';
import { identityStatements, permissionsBoundaryStatements } from './ci-identity-permissions';
import { configurationReadActions, DATA_PLANE_READS } from './ci-read-permissions';
import { githubTrustStatement, type GitHubJob } from './github-oidc';

/** The tag each CI role carries (`plan` or `deploy`): the guardrails GR-CI-* find the roles by it. */
export const CI_ROLE_TAG = 'ci-role';
export type CiRoleKind = 'plan' | 'deploy';

/** Where Terraform state lives, as the roles reach it. */
export interface StateAccess {
  /** ARN of the state bucket. */
  readonly bucketArn: string;
  /** Name of the state bucket (the DynamoDB lock ids start with it). */
  readonly bucketName: string;
  /** Keys of this environment's state files: `<project>/<env>/`. */
  readonly keyPrefix: string;
  readonly lockTableArn: string;
  /** The KMS key that encrypts state and locks. */
  readonly keyArn: string;
}

export interface CiRolesProps {
  readonly context: AwsContext;
  /** `<project>-<env>`: names the roles `<namePrefix>-ci-plan` and `-ci-deploy`, and scopes the deploy role. */
  readonly namePrefix: string;
  /** Value of the `project` tag the deploy role may create and change. */
  readonly project: string;
  /** Value of the `environment` tag the deploy role may create and change. */
  readonly environment: string;
  /** ARN of the account's GitHub OIDC provider. */
  readonly oidcProviderArn: string;
  /** The jobs that may assume the plan role (pull requests after review, drift on the deploy branch). */
  readonly planJobs: readonly GitHubJob[];
  /** The jobs that may assume the deploy role (the deploy branch only). */
  readonly deployJobs: readonly GitHubJob[];
  readonly state: StateAccess;
  /** Route 53 hosted zones the deploy role writes records to. @default [] */
  readonly hostedZoneIds?: readonly string[];
  /**
   * Regions besides `context.region` the stacks use, each with the services (IAM prefixes) used
   * there; every other regional call outside `context.region` is denied by the boundary.
   * @default { 'us-east-1': ['cloudwatch', 'sns', 'kms'] } (the billing alarm and its topic)
   */
  readonly secondaryRegions?: Readonly<Record<string, readonly string[]>>;
  /** Longest session, seconds (IAM: 3600-43200). @default 3600 */
  readonly maxSessionDurationSeconds?: number;
}

/** `<namePrefix>-ci-boundary`'s ARN: known before the policy exists, so roles of other stacks can name it. */
export function ciBoundaryArn(context: AwsContext, namePrefix: string): string {
  return `arn:${context.partition}:iam::${context.accountId}:policy/${namePrefix}-ci-boundary`;
}

/** IAM's limit on a managed policy document, whitespace excluded (IAM User Guide, "IAM and AWS STS quotas"). */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;

/**
 * The roles GitHub Actions assumes: a plan role that reads configuration and state, never data,
 * and a deploy role that manages this environment's resources by name or tag. Both are capped by a
 * permissions boundary (`<namePrefix>-ci-boundary`) that every role the deploy role creates must
 * carry too, so no role the pipeline makes can exceed it.
 */
export class CiRoles extends Construct {
  readonly planRole: IamRole;
  readonly deployRole: IamRole;
  readonly boundary: IamPolicy;
  /** The boundary's ARN, known before it exists (roles of other stacks name it). */
  readonly boundaryArn: string;

  constructor(scope: Construct, id: string, props: CiRolesProps) {
    super(scope, id);
    if (props.planJobs.length === 0 || props.deployJobs.length === 0) {
      throw new Error(`${this.node.path}: planJobs and deployJobs each need at least one job`);
    }
    if (props.deployJobs.some((job) => /[*?]/.test(`${job.environment}${job.ref}${job.workflowPath}`))) {
      throw new Error(`${this.node.path}: deploy jobs must name an exact environment, workflow and ref`);
    }
    const name = (thing: string) => `${props.namePrefix}-ci-${thing}`;
    this.boundaryArn = ciBoundaryArn(props.context, props.namePrefix);
    const maxSessionDuration = props.maxSessionDurationSeconds ?? 3600;
    const secondaryRegions = props.secondaryRegions ?? { 'us-east-1': ['cloudwatch', 'sns', 'kms'] };

    this.boundary = this.managedPolicy(
      'boundary',
      name('boundary'),
      'Caps the CI roles and every role they create: what this project never does.',
      permissionsBoundaryStatements({
        context: props.context,
        namePrefix: props.namePrefix,
        boundaryArn: this.boundaryArn,
        stateBucketArn: props.state.bucketArn,
        secondaryRegions,
      }),
    );

    const reads = this.managedPolicy(
      'read',
      name('read'),
      'Configuration reads a Terraform refresh makes; no data-plane reads.',
      [{ sid: 'ReadConfiguration', actions: configurationReadActions(), resources: ['*'] }],
    );

    this.planRole = this.role(
      'plan',
      name('plan'),
      props.oidcProviderArn,
      props.planJobs,
      maxSessionDuration,
    );
    this.attach('plan', reads);
    this.inlinePolicy('plan', 'state', stateStatements(props.state, ['s3:GetObject']));
    this.inlinePolicy('plan', 'deny-data-plane', dataPlaneDenials(props.state));

    this.deployRole = this.role(
      'deploy',
      name('deploy'),
      props.oidcProviderArn,
      props.deployJobs,
      maxSessionDuration,
    );
    this.attach('deploy', reads);
    this.inlinePolicy('deploy', 'state', stateStatements(props.state, ['s3:GetObject', 's3:PutObject']));
    const areas = {
      ...deployStatements({
        context: props.context,
        namePrefix: props.namePrefix,
        project: props.project,
        environment: props.environment,
        hostedZoneIds: props.hostedZoneIds ?? [],
      }),
      identity: identityStatements({
        context: props.context,
        namePrefix: props.namePrefix,
        boundaryArn: this.boundaryArn,
      }),
    };
    for (const [area, statements] of Object.entries(areas)) {
      const policy = this.managedPolicy(
        `deploy-${area}`,
        name(`deploy-${area}`),
        `What the deploy role may change: ${area}.`,
        statements,
      );
      this.attach('deploy', policy, area);
    }
  }

  private role(
    kind: CiRoleKind,
    roleName: string,
    providerArn: string,
    jobs: readonly GitHubJob[],
    maxSessionDuration: number,
  ): IamRole {
    const trust = new DataAwsIamPolicyDocument(this, `${kind}-trust`, {
      statement: [githubTrustStatement(providerArn, jobs)],
    });
    return new IamRole(this, `${kind}-role`, {
      name: roleName,
      description:
        kind === 'plan'
          ? 'GitHub Actions: plans (configuration and state reads only)'
          : 'GitHub Actions: deploys the deploy branch',
      assumeRolePolicy: trust.json,
      maxSessionDuration,
      permissionsBoundary: this.boundary.arn,
      tags: { [CI_ROLE_TAG]: kind },
    });
  }

  private roleOf(kind: CiRoleKind): IamRole {
    return kind === 'plan' ? this.planRole : this.deployRole;
  }

  private attach(kind: CiRoleKind, policy: IamPolicy, area = 'read'): void {
    new IamRolePolicyAttachment(this, `${kind}-${area}-attachment`, {
      role: this.roleOf(kind).name,
      policyArn: policy.arn,
    });
  }

  private inlinePolicy(
    kind: CiRoleKind,
    policyName: string,
    statements: DataAwsIamPolicyDocumentStatement[],
  ): void {
    const document = new DataAwsIamPolicyDocument(this, `${kind}-${policyName}-policy-document`, {
      statement: statements,
    });
    new IamRolePolicy(this, `${kind}-${policyName}-policy`, {
      name: policyName,
      role: this.roleOf(kind).id,
      policy: document.json,
    });
  }

  private managedPolicy(
    id: string,
    policyName: string,
    description: string,
    statements: DataAwsIamPolicyDocumentStatement[],
  ): IamPolicy {
    const length = estimatedLength(statements);
    if (length > MANAGED_POLICY_MAX_CHARACTERS) {
      throw new Error(
        `${this.node.path}: policy ${policyName} would be about ${length} characters; IAM accepts ${MANAGED_POLICY_MAX_CHARACTERS}. Split it.`,
      );
    }
    const document = new DataAwsIamPolicyDocument(this, `${id}-policy-document`, { statement: statements });
    return new IamPolicy(this, `${id}-policy`, { name: policyName, description, policy: document.json });
  }
}

/** The state of this environment: its keys, the bucket listing, the lock items and the key. */
function stateStatements(state: StateAccess, objectActions: string[]): DataAwsIamPolicyDocumentStatement[] {
  return [
    { sid: 'ListStateBucket', actions: ['s3:ListBucket'], resources: [state.bucketArn] },
    { sid: 'StateFiles', actions: objectActions, resources: [stateKeys(state)] },
    {
      sid: 'StateLock',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      resources: [state.lockTableArn],
      // The S3 backend's lock ids are `<bucket>/<key>` and `<bucket>/<key>-md5`.
      condition: [
        {
          test: 'ForAllValues:StringLike',
          variable: 'dynamodb:LeadingKeys',
          values: [`${state.bucketName}/${state.keyPrefix}*`],
        },
      ],
    },
    {
      sid: 'StateKey',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [state.keyArn],
    },
  ];
}

function stateKeys(state: StateAccess): string {
  return `${state.bucketArn}/${state.keyPrefix}*.tfstate`;
}

/**
 * Explicit denials of every data-plane read, so no later attachment (a managed policy added by
 * hand) can give the plan role contents: an explicit Deny wins over any Allow (IAM User Guide,
 * "Policy evaluation logic"). The state files, the lock items and the state key are the only
 * exceptions, each by `NotResource`.
 */
function dataPlaneDenials(state: StateAccess): DataAwsIamPolicyDocumentStatement[] {
  const excepted: Record<string, string> = {
    's3:GetObject': stateKeys(state),
    'dynamodb:GetItem': state.lockTableArn,
    'kms:Decrypt': state.keyArn,
  };
  return [
    {
      sid: 'DenyDataPlaneReads',
      effect: 'Deny',
      actions: DATA_PLANE_READS.filter((action) => !(action in excepted)),
      resources: ['*'],
    },
    ...Object.entries(excepted).map(([action, resource]) => ({
      sid: `Deny${action.replace(/[^A-Za-z]/g, '')}OutsideState`,
      effect: 'Deny',
      actions: [action],
      notResources: [resource],
    })),
  ];
}

/** The policy's length as IAM counts it, with every unresolved reference counted as a long ARN. */
function estimatedLength(statements: DataAwsIamPolicyDocumentStatement[]): number {
  const text = JSON.stringify(statements, (_key, value: unknown) =>
    typeof value === 'string' && Token.isUnresolved(value) ? 'x'.repeat(100) : value,
  );
  // The provider's JSON uses PascalCase keys of similar length, and IAM does not count whitespace.
  return text.replace(/\s/g, '').length;
}
