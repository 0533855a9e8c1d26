/**
 * Fixtures of the Secrets Manager guardrails (`policy/rules/secrets.ts`): for each rule, resources
 * that break it and resources that comply, at its edges. Spread into the fixture lists of
 * `rules.test.ts`; `secrets.test.ts` checks the reasons.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import type { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

export interface SecretsFixture {
  readonly rule: string;
  readonly what: string;
  readonly build: (stack: TerraformStack) => IConstruct;
}

const masterSecretArn = (stack: TerraformStack): string =>
  new DbInstance(stack, 'db', {
    engine: 'mysql',
    instanceClass: 'db.t4g.micro',
    username: 'dbadmin',
    manageMasterUserPassword: true,
  }).masterUserSecret.get(0).secretArn;

const trustedBy = (stack: TerraformStack, service: string): IamRole =>
  new IamRole(stack, 'role', {
    name: 'r',
    assumeRolePolicy: new DataAwsIamPolicyDocument(stack, 'trust', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: [service] }] }],
    }).json,
  });

/** A role policy allowing `actions` on `resources`; `role` decides whose. */
function grant(
  stack: TerraformStack,
  role: IamRole,
  actions: string[],
  resources: string[],
  effect: 'Allow' | 'Deny' = 'Allow',
): IamRolePolicy {
  return new IamRolePolicy(stack, 'policy', {
    role: role.id,
    policy: new DataAwsIamPolicyDocument(stack, 'document', { statement: [{ effect, actions, resources }] })
      .json,
  });
}

/** A Lambda function with the role; with `rotates`, the rotation function of a secret. */
function lambdaRole(stack: TerraformStack, rotates: boolean): IamRole {
  const role = trustedBy(stack, 'lambda.amazonaws.com');
  const fn = new LambdaFunction(stack, 'function', {
    functionName: 'db-users',
    role: role.arn,
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    filename: 'code.zip',
  });
  if (rotates) {
    new SecretsmanagerSecretRotation(stack, 'rotation', {
      secretId: new SecretsmanagerSecret(stack, 'secret', { name: 'app' }).id,
      rotationLambdaArn: fn.arn,
      rotationRules: { automaticallyAfterDays: 30 },
    });
  }
  return role;
}

const taskWithSecret = (stack: TerraformStack, valueFrom: string): EcsTaskDefinition =>
  new EcsTaskDefinition(stack, 'task', {
    family: 'app',
    containerDefinitions: JSON.stringify([
      { name: 'app', image: 'nginx', secrets: [{ name: 'DB_PASSWORD', valueFrom }] },
    ]),
  });

const APP_SECRET =
  'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:proj-dev-db-users/wordpress-AbCdEf';

/** Every case that breaks a rule; the first of each rule also joins `rules.test.ts`'s list. */
export const SECRETS_VIOLATING_CASES: readonly SecretsFixture[] = [
  {
    rule: 'GR-SM-1',
    what: 'an instance role reading the master secret by reference',
    build: (s) =>
      grant(s, trustedBy(s, 'ec2.amazonaws.com'), ['secretsmanager:GetSecretValue'], [masterSecretArn(s)]),
  },
  {
    rule: 'GR-SM-1',
    what: 'a role reading an RDS-managed secret by ARN',
    build: (s) =>
      grant(
        s,
        trustedBy(s, 'ec2.amazonaws.com'),
        ['secretsmanager:GetSecretValue'],
        ['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-0123-AbCdEf'],
      ),
  },
  {
    rule: 'GR-SM-1',
    what: 'a role reading every secret with a wildcard action',
    build: (s) => grant(s, trustedBy(s, 'ec2.amazonaws.com'), ['secretsmanager:Get*'], ['*']),
  },
  {
    rule: 'GR-SM-1',
    what: 'a Lambda role that rotates nothing reading the master secret',
    build: (s) => grant(s, lambdaRole(s, false), ['secretsmanager:GetSecretValue'], [masterSecretArn(s)]),
  },
  {
    rule: 'GR-SM-1',
    what: 'a managed policy allowing everything that no role uses as its boundary',
    build: (s) =>
      new IamPolicy(s, 'everything', {
        name: 'everything',
        policy: new DataAwsIamPolicyDocument(s, 'everything-document', {
          statement: [{ actions: ['*'], resources: ['*'] }],
        }).json,
      }),
  },
  {
    rule: 'GR-SM-2',
    what: 'a container receiving the master password',
    build: (s) => taskWithSecret(s, `${masterSecretArn(s)}:password::`),
  },
];

/** Every case that complies; the first of each rule also joins `rules.test.ts`'s list. */
export const SECRETS_COMPLIANT_CASES: readonly SecretsFixture[] = [
  {
    rule: 'GR-SM-1',
    what: "the rotation function's role reading the master secret",
    build: (s) => grant(s, lambdaRole(s, true), ['secretsmanager:GetSecretValue'], [masterSecretArn(s)]),
  },
  {
    rule: 'GR-SM-1',
    what: "an instance role reading its application's secret",
    build: (s) =>
      grant(s, trustedBy(s, 'ec2.amazonaws.com'), ['secretsmanager:GetSecretValue'], [APP_SECRET]),
  },
  {
    rule: 'GR-SM-1',
    what: 'a role denied the master secret, or only describing it',
    build: (s) => {
      const master = masterSecretArn(s);
      grant(s, trustedBy(s, 'ec2.amazonaws.com'), ['secretsmanager:GetSecretValue'], [master], 'Deny');
      return new IamRolePolicy(s, 'describe', {
        role: 'r',
        policy: new DataAwsIamPolicyDocument(s, 'describe-document', {
          statement: [{ actions: ['secretsmanager:DescribeSecret'], resources: [master] }],
        }).json,
      });
    },
  },
  {
    rule: 'GR-SM-1',
    what: "a permissions boundary allowing everything (it caps a role's grants, grants nothing)",
    build: (s) => {
      const boundary = new IamPolicy(s, 'boundary', {
        name: 'boundary',
        policy: new DataAwsIamPolicyDocument(s, 'boundary-document', {
          statement: [{ actions: ['*'], resources: ['*'] }],
        }).json,
      });
      new IamRole(s, 'bounded', { name: 'b', assumeRolePolicy: '{}', permissionsBoundary: boundary.arn });
      return boundary;
    },
  },
  {
    rule: 'GR-SM-2',
    what: "a container receiving its own user's secret",
    build: (s) => taskWithSecret(s, `${APP_SECRET}:password::`),
  },
];

const firstOfEachRule = (cases: readonly SecretsFixture[]) =>
  cases.filter((fixture, index) => cases.findIndex((other) => other.rule === fixture.rule) === index);

/** One violating fixture per rule, for the rule-pack test. */
export const SECRETS_VIOLATING = firstOfEachRule(SECRETS_VIOLATING_CASES);
/** One compliant fixture per rule, for the rule-pack test. */
export const SECRETS_COMPLIANT = firstOfEachRule(SECRETS_COMPLIANT_CASES);
