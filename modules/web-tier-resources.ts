import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { cloudWatchLogsKeyStatement, EncryptionKey } from './encryption-key';
import { WEB_LOG_FILES, webLogGroupName, type WebLogName } from './web-server-config';

export interface WebTierResourcesProps {
  readonly context: AwsContext;
  /** `<project>-<env>`: names the log groups `/<namePrefix>/web/<log>` and the secret. */
  readonly namePrefix: string;
  /** Days the web logs are kept. */
  readonly logRetentionDays: number;
  /**
   * Days a deleted administrator secret can still be restored (0 deletes at once, 7-30 otherwise;
   * Secrets Manager DeleteSecret). @default 30
   */
  readonly secretRecoveryWindowInDays?: number;
}

/**
 * What the web instances write to besides the database and EFS: a KMS key (whose policy admits
 * CloudWatch Logs for this account's log groups, with the encryption-context condition), the log
 * groups the CloudWatch agent ships Apache, PHP-FPM and cloud-init logs to (created here, with the
 * environment's retention, so the agent never creates one without key or expiry), and the secret
 * that receives the WordPress administrator's credentials. The secret is created without a value:
 * the first install generates the password on an instance and stores it (PutSecretValue), so it is
 * never in Terraform state or user data.
 */
export class WebTierResources extends Construct {
  readonly key: EncryptionKey;
  readonly logGroups: Readonly<Record<WebLogName, CloudwatchLogGroup>>;
  /** Log group names by log, as the agent's configuration needs them. */
  readonly logGroupNames: Readonly<Record<WebLogName, string>>;
  readonly adminSecret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: WebTierResourcesProps) {
    super(scope, id);
    this.key = new EncryptionKey(this, 'key', {
      alias: `${props.namePrefix}-web`,
      description: 'Encrypts the web tier log groups and the WordPress administrator secret',
      context: props.context,
      serviceStatements: [cloudWatchLogsKeyStatement(props.context)],
    });

    const logs = Object.keys(WEB_LOG_FILES) as WebLogName[];
    const groups = {} as Record<WebLogName, CloudwatchLogGroup>;
    const names = {} as Record<WebLogName, string>;
    for (const log of logs) {
      names[log] = webLogGroupName(props.namePrefix, log);
      groups[log] = new CloudwatchLogGroup(this, `${log}-log-group`, {
        name: names[log],
        retentionInDays: props.logRetentionDays,
        kmsKeyId: this.key.arn,
        tags: { Name: names[log] },
      });
    }
    this.logGroups = groups;
    this.logGroupNames = names;

    this.adminSecret = new SecretsmanagerSecret(this, 'admin-secret', {
      name: `${props.namePrefix}/wordpress/admin`,
      description: 'WordPress administrator (username, password, email), written by the first install',
      kmsKeyId: this.key.arn,
      recoveryWindowInDays: props.secretRecoveryWindowInDays ?? 30,
    });
  }
}
