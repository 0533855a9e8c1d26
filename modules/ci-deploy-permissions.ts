import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { AwsContext } from './aws-context';
import { dataStatements } from './ci-deploy-data';
import { networkStatements } from './ci-deploy-network';
import { platformStatements } from './ci-deploy-platform';

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
  const helpers = deployHelpers(scope);
  return {
    network: networkStatements(helpers),
    data: dataStatements(helpers),
    platform: platformStatements(helpers),
  };
}

/** What every area's statements are written with. */
export interface DeployHelpers {
  readonly scope: DeployScope;
  /** `<project>-<env>`. */
  readonly p: string;
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  /** `arn:<partition>:<service>:<region>:<account>:<resource>`; `where` overrides the region (`*` for any). */
  arn(service: string, resource: string, where?: string): string;
  /** Conditions: the request (`aws:RequestTag`) or the resource (`aws:ResourceTag`) carries the project's tags. */
  tagged(key: 'aws:RequestTag' | 'aws:ResourceTag'): NonNullable<Statement['condition']>;
  /** An Allow of `service:<action>` for each of `actions` on `resources`. */
  allow(
    sid: string,
    service: string,
    actions: string[],
    resources: string[],
    condition?: Statement['condition'],
  ): Statement;
}

function deployHelpers(scope: DeployScope): DeployHelpers {
  const { partition, region, accountId } = scope.context;
  return {
    scope,
    p: scope.namePrefix,
    partition,
    accountId,
    region,
    arn: (service, resource, where = region) =>
      `arn:${partition}:${service}:${where}:${accountId}:${resource}`,
    tagged: (key) => [
      { test: 'StringEquals', variable: `${key}/project`, values: [scope.project] },
      { test: 'StringEquals', variable: `${key}/environment`, values: [scope.environment] },
    ],
    allow: (sid, service, actions, resources, condition) => ({
      sid,
      actions: actions.map((action) => `${service}:${action}`),
      resources,
      ...(condition ? { condition } : {}),
    }),
  };
}
