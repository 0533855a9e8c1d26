/**
 * The reasons of the rules added by the per-resource-type review (GR-LMB-2, GR-BAK-1, GR-SNS-2,
 * GR-SM-3), compared whole for the violating fixtures: each names what is missing, on what.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { checkStack } from '../../policy/guardrails';
import { BACKUP_FIXTURES } from './fixtures/backup';
import type { Build, Fixture } from './fixtures/fixture';
import { LAMBDA_FIXTURES } from './fixtures/lambda';
import { SECRETS_ROTATION_FIXTURES } from './fixtures/secrets-rotation';
import { SNS_FIXTURES } from './fixtures/sns';

const app = Testing.app();
let stacks = 0;

/** The reasons `rule` gives for the fixture, with the logical ids' hashes removed. */
function reasons(build: Build, rule: string): string[] {
  const stack = new TerraformStack(app, `review-${++stacks}`);
  build(stack);
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
  return checkStack(stack, { protectedEnvironment: true })
    .findings.filter((finding) => finding.ruleId === rule)
    .map((finding) => finding.reason.replace(/_[0-9A-F]{8}\b/g, ''));
}

const fixture = (fixtures: readonly Fixture[], what: string): Fixture => {
  const found = fixtures.find((f) => f.what === what);
  if (found === undefined) throw new Error(`no fixture "${what}"`);
  return found;
};

describe('reasons of the review rules', () => {
  test('GR-LMB-2 names the missing grant, then the missing dependency', () => {
    const none = fixture(
      LAMBDA_FIXTURES.violating,
      'a function in a VPC whose role has no network-interface grant',
    );
    expect(reasons(none.build, 'GR-LMB-2')).toEqual([
      'role aws_iam_role.role grants none of its policies all of ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DescribeSubnets, ec2:DeleteNetworkInterface, ec2:AssignPrivateIpAddresses, ec2:UnassignPrivateIpAddresses',
    ]);
    const undepended = fixture(
      LAMBDA_FIXTURES.violating,
      'a function in a VPC that does not depend on its role policy',
    );
    expect(reasons(undepended.build, 'GR-LMB-2')).toEqual([
      'the function does not depend on aws_iam_role_policy.policy, its network-interface grant',
    ]);
  });

  test('GR-BAK-1 gives the days kept and the lock bound, for the rule and for the copy', () => {
    const short = fixture(
      BACKUP_FIXTURES.violating,
      'a rule keeping 34 days in a vault locked for at least 35',
    );
    expect(reasons(short.build, 'GR-BAK-1')).toEqual([
      "rule daily keeps recovery points 34 days, less than the vault lock's min_retention_days 35",
    ]);
    const copy = fixture(
      BACKUP_FIXTURES.violating,
      'a copy action keeping 7 days into a vault locked for at least 35',
    );
    expect(reasons(copy.build, 'GR-BAK-1')).toEqual([
      "the copy action of rule daily keeps recovery points 7 days, less than the vault lock's min_retention_days 35",
    ]);
    const forever = fixture(
      BACKUP_FIXTURES.violating,
      'a rule keeping recovery points forever in a vault locked for at most 365 days',
    );
    expect(reasons(forever.build, 'GR-BAK-1')).toEqual([
      "rule daily keeps recovery points forever, more than the vault lock's max_retention_days 365",
    ]);
  });

  test('GR-SNS-2 names the key and the topic, or the AWS managed key', () => {
    const partial = fixture(
      SNS_FIXTURES.violating,
      'an alarm whose topic key lets CloudWatch decrypt but not generate data keys',
    );
    expect(reasons(partial.build, 'GR-SNS-2')).toEqual([
      'the policy of aws_kms_key.key, the key of topic aws_sns_topic.topic, does not allow cloudwatch.amazonaws.com kms:Decrypt, kms:GenerateDataKey',
    ]);
    const managed = fixture(
      SNS_FIXTURES.violating,
      'an alarm whose topic uses the AWS managed key alias/aws/sns',
    );
    expect(reasons(managed.build, 'GR-SNS-2')).toEqual([
      'topic aws_sns_topic.topic uses the AWS managed key alias/aws/sns, which CloudWatch may not use',
    ]);
  });

  test('GR-SM-3 names the missing invoke permission and each missing action with its resource', () => {
    const uninvocable = fixture(
      SECRETS_ROTATION_FIXTURES.violating,
      'a rotation whose function Secrets Manager may not invoke',
    );
    expect(reasons(uninvocable.build, 'GR-SM-3')).toEqual([
      'no aws_lambda_permission lets secretsmanager.amazonaws.com invoke aws_lambda_function.function',
    ]);
    const noStage = fixture(
      SECRETS_ROTATION_FIXTURES.violating,
      'a rotation whose role may not UpdateSecretVersionStage (the last step, finishSecret)',
    );
    expect(reasons(noStage.build, 'GR-SM-3')).toEqual([
      'role aws_iam_role.role is not allowed secretsmanager:UpdateSecretVersionStage on aws_secretsmanager_secret.secret',
    ]);
    const noDataKey = fixture(
      SECRETS_ROTATION_FIXTURES.violating,
      "a rotation whose role may decrypt but not generate data keys with the secret's key",
    );
    expect(reasons(noDataKey.build, 'GR-SM-3')).toEqual([
      'role aws_iam_role.role is not allowed kms:GenerateDataKey on aws_kms_key.key',
    ]);
  });
});
