import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { actionMatches, DATA_PLANE_READS } from '../../modules/ci-read-permissions';
import { checkStack } from '../../policy/guardrails';
import { boundedRole, ciRoles, planRoleAlsoAllowing } from './fixtures/iam-ci';

const PROVIDER = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
const WORKFLOW = 'o/n/.github/workflows/infrastructure.yml';
const app = Testing.app();
let stacks = 0;

/** The reasons of rule `rule` for a stack built by `build`. */
function reasons(rule: string, build: (stack: TerraformStack) => void): string[] {
  const stack = new TerraformStack(app, `ci-${++stacks}`);
  new AwsProvider(stack, 'aws', {
    region: 'ap-northeast-1',
    defaultTags: [{ tags: { project: 'p', environment: 'dev', stack: 's', 'managed-by': 'cdktf' } }],
  });
  build(stack);
  return checkStack(stack, { protectedEnvironment: true })
    .findings.filter((f) => f.ruleId === rule)
    .map((f) => f.reason);
}

/** A role of kind `tag` (or untagged) trusting GitHub with a sub condition. */
function githubRole(
  stack: TerraformStack,
  tag: string | undefined,
  test: string,
  subjects: string[],
): IamRole {
  const trust = new DataAwsIamPolicyDocument(stack, 'trust', {
    statement: [
      {
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [{ type: 'Federated', identifiers: [PROVIDER] }],
        condition: [
          {
            test: 'StringEquals',
            variable: 'token.actions.githubusercontent.com:aud',
            values: ['sts.amazonaws.com'],
          },
          { test, variable: 'token.actions.githubusercontent.com:sub', values: subjects },
        ],
      },
    ],
  });
  return new IamRole(stack, 'role', {
    name: 'r',
    assumeRolePolicy: trust.json,
    tags: tag === undefined ? undefined : { 'ci-role': tag },
  });
}

describe('GR-CI-1: who may assume a CI role', () => {
  test('a plan role may trust pull-request merge refs and exact branches, nothing wider', () => {
    const loose = [
      'repo:o/n:*',
      `repo:o/n:environment:dev-plan:job_workflow_ref:${WORKFLOW}@refs/heads/*`,
      'repo:o/n:pull_request',
      `repo:o/n:environment:dev-plan:job_workflow_ref:other/repo/.github/workflows/x.yml@refs/heads/main`,
    ];
    expect(reasons('GR-CI-1', (s) => githubRole(s, 'plan', 'StringLike', loose))).toEqual([
      'sub repo:o/n:* is not repo:<o>/<n>:environment:<env>:job_workflow_ref:<o>/<n>/.github/workflows/<file>@<ref>',
      `sub repo:o/n:environment:dev-plan:job_workflow_ref:${WORKFLOW}@refs/heads/*: a plan role may not trust ref refs/heads/*`,
      'sub repo:o/n:pull_request is not repo:<o>/<n>:environment:<env>:job_workflow_ref:<o>/<n>/.github/workflows/<file>@<ref>',
      'sub repo:o/n:environment:dev-plan:job_workflow_ref:other/repo/.github/workflows/x.yml@refs/heads/main is not repo:<o>/<n>:environment:<env>:job_workflow_ref:<o>/<n>/.github/workflows/<file>@<ref>',
    ]);
    const pinned = [
      `repo:o/n:environment:dev-plan:job_workflow_ref:${WORKFLOW}@refs/pull/*/merge`,
      `repo:o/n:environment:dev-drift:job_workflow_ref:o/n/.github/workflows/drift.yml@refs/heads/main`,
    ];
    expect(reasons('GR-CI-1', (s) => githubRole(s, 'plan', 'StringLike', pinned))).toEqual([]);
  });

  test('a deploy role trusts one exact branch; a role trusting GitHub without the tag is caught', () => {
    const main = `repo:o/n:environment:dev:job_workflow_ref:${WORKFLOW}@refs/heads/main`;
    expect(reasons('GR-CI-1', (s) => githubRole(s, 'deploy', 'StringEquals', [main]))).toEqual([]);
    expect(reasons('GR-CI-1', (s) => githubRole(s, undefined, 'StringEquals', [main]))).toEqual([
      'trusts GitHub but its ci-role tag is untagged, not plan or deploy',
    ]);
  });

  test('an audience other than STS fails', () => {
    const found = reasons('GR-CI-1', (s) => {
      const roles = ciRoles(s);
      roles.planRole.assumeRolePolicy = JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRoleWithWebIdentity',
            Principal: { Federated: PROVIDER },
            Condition: {
              StringLike: {
                'token.actions.githubusercontent.com:aud': '*',
                'token.actions.githubusercontent.com:sub': `repo:o/n:environment:dev:job_workflow_ref:${WORKFLOW}@refs/heads/main`,
              },
            },
          },
        ],
      });
    });
    expect(found).toEqual(['aud is not StringEquals sts.amazonaws.com']);
  });
});

describe('GR-CI-2 and GR-CI-3: what a CI role may do', () => {
  test('an AWS managed policy (ReadOnlyAccess) on a CI role fails: the synth cannot see what it grants', () => {
    const found = reasons('GR-CI-2', (s) => {
      const roles = ciRoles(s);
      new IamRolePolicyAttachment(s, 'read-only', {
        role: roles.planRole.name,
        policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      });
    });
    expect(found).toEqual([
      'attaches arn:aws:iam::aws:policy/ReadOnlyAccess, whose statements the synth cannot see',
    ]);
  });

  test('object reads beyond the state keys fail, named through the pattern that grants them', () => {
    expect(
      reasons('GR-CI-3', (s) => {
        planRoleAlsoAllowing(s, ['s3:GetObject*'], ['arn:aws:s3:::p-dev-tfstate/*']);
      }),
    ).toEqual([
      'allows s3:GetObject (through s3:GetObject*) on arn:aws:s3:::p-dev-tfstate/*',
      'allows s3:GetObjectVersion (through s3:GetObject*) on arn:aws:s3:::p-dev-tfstate/*',
      'allows s3:GetObjectTorrent (through s3:GetObject*) on arn:aws:s3:::p-dev-tfstate/*',
      'allows s3:GetObjectVersionTorrent (through s3:GetObject*) on arn:aws:s3:::p-dev-tfstate/*',
    ]);
  });

  test('a plan role without the explicit denials fails even when it allows no data read', () => {
    const found = reasons('GR-CI-3', (s) => {
      ciRoles(s);
      // A second plan role, with no policy at all: the CiRoles plan role beside it passes.
      const trust = new DataAwsIamPolicyDocument(s, 'bare-trust', {
        statement: [
          {
            actions: ['sts:AssumeRole'],
            principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }],
          },
        ],
      });
      new IamRole(s, 'bare', { name: 'bare', assumeRolePolicy: trust.json, tags: { 'ci-role': 'plan' } });
    });
    expect(found).toEqual([`does not explicitly deny ${DATA_PLANE_READS.join(', ')}`]);
  });

  test('action patterns match as IAM does: wildcards, single characters, any case', () => {
    expect(actionMatches('s3:Get*', 's3:GetObject')).toBe(true);
    expect(actionMatches('S3:getobject', 's3:GetObject')).toBe(true);
    expect(actionMatches('logs:Get?ogEvents', 'logs:GetLogEvents')).toBe(true);
    expect(actionMatches('s3:GetBucket*', 's3:GetObject')).toBe(false);
    expect(actionMatches('ecr:Describe*', 'ecr:BatchGetImage')).toBe(false);
  });
});

describe('GR-CI-4: roles the deploy role creates', () => {
  test('an attachment the deploy role may not make fails; the project’s own policy passes', () => {
    expect(
      reasons('GR-CI-4', (s) => {
        boundedRole(s, 'p-dev-web', 'arn:aws:iam::aws:policy/AdministratorAccess');
      }),
    ).toEqual(['attaches arn:aws:iam::aws:policy/AdministratorAccess, which the deploy role may not attach']);
    expect(
      reasons('GR-CI-4', (s) => {
        const policy = new IamPolicy(s, 'own', { name: 'p-dev-own', policy: '{}' });
        boundedRole(s, 'p-dev-web', policy.arn);
      }),
    ).toEqual([]);
  });
});
