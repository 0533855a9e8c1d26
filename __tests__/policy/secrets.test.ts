/** How GR-SM-1 and GR-SM-2 recognise the master secret (their cases are in fixtures/secrets.ts). */
import { namesMasterSecret } from '../../policy/rules/secrets';

describe('the RDS master secret', () => {
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
