import { AwsProvider, type AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { Aspects, LocalBackend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import type { AwsContext } from '../modules/aws-context';
import { ciBoundaryArn } from '../modules/ci-roles';
import { PermissionsBoundary } from '../modules/permissions-boundary';
import { stateKeyAliasArn } from '../modules/state-backend';
import { applyGuardrails } from '../policy/guardrails';
import { LockingS3Backend } from './s3-backend';

export interface BaseStackProps {
  readonly environment: EnvironmentConfig;
}

/**
 * What every stack shares: the stack id `<env>-<name>`, an AWS provider pinned to the environment's
 * account and region with the default tags, and the S3 backend (state key
 * `<project>/<env>/<name>.tfstate`, DynamoDB lock, encrypted). The `state` stack, which creates
 * that backend, keeps its own state locally.
 */
export abstract class BaseStack extends TerraformStack {
  readonly environment: EnvironmentConfig;
  readonly provider: AwsProvider;
  readonly context: AwsContext;
  /** The tags the provider puts on every resource; for what it cannot reach (instances an Auto Scaling group launches). */
  readonly defaultTags: Readonly<Record<string, string>>;

  protected constructor(
    scope: Construct,
    stackName: string,
    props: BaseStackProps,
    backend: 'local' | 's3' = 's3',
  ) {
    const environment = props.environment;
    const id = `${environment.name}-${stackName}`;
    super(scope, id);
    // The guardrail pack checks this stack at every synth; a violation fails it (policy/rules.ts).
    applyGuardrails(this, { protectedEnvironment: environment.deletionProtection });
    this.environment = environment;
    this.context = {
      accountId: environment.accountId,
      region: environment.region,
      partition: environment.partition,
    };

    this.defaultTags = {
      ...environment.tags,
      project: environment.project,
      environment: environment.name,
      stack: stackName,
      'managed-by': 'cdktf',
    };
    this.provider = new AwsProvider(this, 'aws', this.providerConfig(environment.region));
    if (environment.github !== undefined) {
      // The CI deploy role may only create roles that carry its boundary (the state stack's CiRoles).
      Aspects.of(this).add(new PermissionsBoundary(ciBoundaryArn(this.context, environment.namePrefix)));
    }

    if (backend === 's3') {
      // Locked by DynamoDB; the reads other stacks make of this state carry no lock (s3-backend.ts).
      new LockingS3Backend(this, {
        bucket: environment.state.bucket,
        key: `${environment.project}/${environment.name}/${stackName}.tfstate`,
        region: environment.region,
        dynamodbTable: environment.state.lockTable,
        encrypt: true,
        // Without it `encrypt` means SSE-S3; the state bucket refuses anything but SSE-KMS. CDKTF
        // copies these settings into the remote-state reads of later stacks.
        kmsKeyId: stateKeyAliasArn(this.context, environment.namePrefix),
      });
    } else {
      // Relative to cdktf.out/stacks/<id>/, so the state file lives in the project root, which a
      // new synth never wipes (cdktf's default path is absolute, tied to one machine).
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }
  }

  /**
   * A second AWS provider, for the few resources that must live in another region (billing metrics
   * exist only in us-east-1): same account pin and default tags, named by `alias`.
   */
  protected aliasedProvider(alias: string, region: string): AwsProvider {
    return new AwsProvider(this, `aws-${alias}`, { ...this.providerConfig(region), alias });
  }

  private providerConfig(region: string): AwsProviderConfig {
    const environment = this.environment;
    return {
      region,
      // A plan with credentials for any other account stops before it reads or changes anything.
      allowedAccountIds: [environment.accountId],
      defaultTags: [{ tags: { ...this.defaultTags } }],
    };
  }

  /** `<project>-<env>-<thing>`: the name of one of this environment's resources. */
  protected resourceName(thing: string): string {
    return `${this.environment.namePrefix}-${thing}`;
  }
}
