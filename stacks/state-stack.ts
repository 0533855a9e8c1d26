import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { resolveGitHub, type ResolvedGitHub } from '../config/github';
import { AccessLogBucket, logToBucket } from '../modules/access-log-bucket';
import { CiRoles } from '../modules/ci-roles';
import { GitHubOidcProvider, type GitHubJob } from '../modules/github-oidc';
import { StateBackend, stateKeyAlias } from '../modules/state-backend';
import { BaseStack, type BaseStackProps } from './base-stack';
import { ACCESS_LOG_PREFIXES, auditTrailBucketName } from './contracts';
import { BILLING_REGION } from './observability-stack';

/** Terraform outputs the workflow's role ARNs come from (docs/ci.md, bootstrap). */
export const CI_ROLE_OUTPUTS = { plan: 'ci_plan_role_arn', deploy: 'ci_deploy_role_arn' } as const;

/**
 * `<env>-state`: the S3 bucket and DynamoDB table that hold every other stack's state and, when
 * the environment names its GitHub repository, the roles GitHub Actions plans and deploys with.
 * Deployed first, once per account, with local state (the backend cannot store its own state
 * before it exists), by a person with admin rights: the pipeline never deploys it.
 */
export class StateStack extends BaseStack {
  readonly backend: StateBackend;
  readonly ciRoles?: CiRoles;
  readonly accessLogs: AccessLogBucket;

  constructor(scope: Construct, props: BaseStackProps) {
    super(scope, 'state', props, 'local');
    const environment = this.environment;
    this.backend = new StateBackend(this, 'state-backend', {
      context: this.context,
      bucketName: environment.state.bucket,
      lockTableName: environment.state.lockTable,
      keyAlias: stateKeyAlias(environment.namePrefix),
    });
    // Who read the state and the audit log (AWS Foundational Security Best Practices S3.9). The
    // CloudTrail bucket is in <env>-observability, deployed after this stack: it names this bucket.
    this.accessLogs = new AccessLogBucket(this, 'access-logs', {
      context: this.context,
      bucketName: environment.state.accessLogBucket,
      retentionDays: environment.logRetentionDays,
      sources: [
        { bucketName: environment.state.bucket, prefix: ACCESS_LOG_PREFIXES.state },
        ...(environment.observability.auditTrail.owner
          ? [
              {
                bucketName: auditTrailBucketName(environment.namePrefix, environment.accountId),
                prefix: ACCESS_LOG_PREFIXES.cloudTrail,
              },
            ]
          : []),
      ],
    });
    logToBucket(this, 'state-access-logging', {
      bucket: this.backend.bucket.bucket.id,
      targetBucket: this.accessLogs.bucket.bucketName,
      targetPrefix: ACCESS_LOG_PREFIXES.state,
      dependsOn: [this.accessLogs.bucket.policy],
    });
    if (environment.github === undefined) return;

    const github = resolveGitHub(environment.name, environment.github);
    const oidc = new GitHubOidcProvider(this, 'github-oidc', {
      context: this.context,
      create: github.createOidcProvider,
    });
    const roles = new CiRoles(this, 'ci-roles', {
      context: this.context,
      namePrefix: environment.namePrefix,
      project: environment.project,
      environment: environment.name,
      oidcProviderArn: oidc.arn,
      ...ciJobs(github),
      state: {
        bucketArn: this.backend.bucket.arn,
        bucketName: environment.state.bucket,
        keyPrefix: `${environment.project}/${environment.name}/`,
        lockTableArn: this.backend.lockTable.arn,
        keyArn: this.backend.key.arn,
      },
      hostedZoneIds: environment.domain ? [environment.domain.hostedZoneId] : [],
      secondaryRegions: secondaryRegions(environment),
    });
    this.ciRoles = roles;
    new TerraformOutput(this, CI_ROLE_OUTPUTS.plan, {
      value: roles.planRole.arn,
      description: `Repository variable of the plan jobs (GitHub environments ${github.environments.plan}, ${github.environments.drift})`,
    });
    new TerraformOutput(this, CI_ROLE_OUTPUTS.deploy, {
      value: roles.deployRole.arn,
      description: `Repository variable of the deploy job (GitHub environment ${github.environments.deploy})`,
    });
  }
}

/**
 * Who may assume which role: pull-request plans run in the plan environment (required reviewers)
 * from the workflow file at any pull request's merge ref; drift plans run in the drift environment
 * from the drift workflow on the deploy branch; deploys run in the deploy environment from the
 * workflow on the deploy branch.
 */
export function ciJobs(github: ResolvedGitHub): { planJobs: GitHubJob[]; deployJobs: GitHubJob[] } {
  const { repository, environments, workflowPath } = github;
  const deployRef = `refs/heads/${github.deployBranch}`;
  return {
    planJobs: [
      { repository, environment: environments.plan, workflowPath, ref: 'refs/pull/*/merge' },
      { repository, environment: environments.drift, workflowPath: github.driftWorkflowPath, ref: deployRef },
    ],
    deployJobs: [{ repository, environment: environments.deploy, workflowPath, ref: deployRef }],
  };
}

/**
 * Regions besides the environment's own that the stacks write to, with the services they use there
 * (the CI boundary denies every other region): us-east-1 for the billing alarm, its topic and the
 * topic's key (observability stack); the backup copy region for its vault and key (data stack),
 * and for the database's copies: AWS Backup copies an RDS snapshot by calling rds:CopyDBSnapshot
 * in the destination region (RDS API reference, CopyDBSnapshot) as the backup role, which this
 * boundary also caps (AWS managed policy reference, AWSBackupServiceRolePolicyForBackup).
 */
function secondaryRegions(environment: BaseStack['environment']): Record<string, string[]> {
  const regions: Record<string, string[]> = {};
  const add = (region: string, services: readonly string[]) => {
    regions[region] = [...new Set([...(regions[region] ?? []), ...services])];
  };
  if (environment.observability.billingAlarm) add(BILLING_REGION, ['cloudwatch', 'sns', 'kms']);
  const copyRegion = environment.data.backup.enabled ? environment.data.backup.copyRegion : undefined;
  if (copyRegion !== undefined) add(copyRegion, ['backup', 'backup-storage', 'kms', 'rds']);
  return regions;
}
