import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { checkStack, type Finding } from '../../policy/guardrails';
import { namesMasterSecret } from '../../policy/rules/secrets';
import type { Fixture } from './fixtures/fixture';
import { SECRETS_COMPLIANT_CASES, SECRETS_VIOLATING_CASES } from './fixtures/secrets';

const app = Testing.app();
let stacks = 0;

function findingsOf(fixture: Fixture): { findings: Finding[]; path: string } {
  const stack = new TerraformStack(app, `secrets-fixture-${++stacks}`);
  new AwsProvider(stack, 'aws', {
    region: 'ap-northeast-1',
    defaultTags: [{ tags: { project: 'p', environment: 'dev', stack: 'test', 'managed-by': 'cdktf' } }],
  });
  const construct = fixture.build(stack);
  const findings = checkStack(stack, { protectedEnvironment: true }).findings.filter(
    (f) => f.ruleId === fixture.rule,
  );
  return { findings: [...findings], path: construct.node.path };
}

describe('Secrets Manager guardrails', () => {
  test.each(SECRETS_VIOLATING_CASES.map((f) => [f.rule, f.what, f] as const))(
    '%s fails %s',
    (rule, _what, fixture) => {
      const { findings, path } = findingsOf(fixture);
      expect(findings).toEqual([expect.objectContaining({ ruleId: rule, severity: 'error', path })]);
    },
  );

  test.each(SECRETS_COMPLIANT_CASES.map((f) => [f.rule, f.what, f] as const))(
    '%s passes %s',
    (_rule, _what, fixture) => {
      expect(findingsOf(fixture).findings).toEqual([]);
    },
  );

  test('GR-SM-1 says which action on which resource', () => {
    const [fixture] = SECRETS_VIOLATING_CASES.filter((f) => f.what.includes('wildcard action'));
    expect(findingsOf(fixture).findings.map((f) => f.reason)).toEqual(['grants secretsmanager:Get* on *']);
  });

  test('GR-SM-2 names the container and the variable', () => {
    const [fixture] = SECRETS_VIOLATING_CASES.filter((f) => f.rule === 'GR-SM-2');
    expect(findingsOf(fixture).findings.map((f) => f.reason)).toEqual([
      'container app gets DB_PASSWORD from the master secret',
    ]);
  });

  test('the master secret is recognised by reference, by cross-stack output and by RDS-managed ARN only', () => {
    expect(namesMasterSecret('${aws_db_instance.mysql_instance_1.master_user_secret[0].secret_arn}')).toBe(
      true,
    );
    expect(
      namesMasterSecret(
        '${data.terraform_remote_state.x.outputs.cross-stack-output-aws_db_instancemysql_instancemaster_user_secret0secret_arn}',
      ),
    ).toBe(true);
    expect(
      namesMasterSecret('arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-0123-AbCdEf'),
    ).toBe(true);
    expect(
      namesMasterSecret('arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:wordpress-AbCdEf'),
    ).toBe(false);
    expect(namesMasterSecret('${aws_secretsmanager_secret.database-users_secret-wordpress_1.arn}')).toBe(
      false,
    );
  });
});
