import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { serviceRole } from './iam/trust';

export interface DailyBackupsProps {
  readonly context: AwsContext;
  /** Name of the vault, plan, selection and role, e.g. `<project>-<env>-data`. */
  readonly name: string;
  /**
   * Customer-managed KMS key of the vault. It encrypts only what AWS Backup fully manages (EFS); an
   * RDS snapshot keeps its instance's key (AWS Backup developer guide, "Encryption for backups in
   * AWS Backup"), and a cross-region copy takes the copy vault's key.
   */
  readonly kmsKeyArn: string;
  /** ARNs of the resources to back up (selection by resource, not by tag). */
  readonly resourceArns: readonly string[];
  /** Days each recovery point is kept (billed per GB-month). */
  readonly retentionDays: number;
  /**
   * When the daily backup starts, as an AWS Backup cron expression in UTC.
   * @default 'cron(0 16 * * ? *)' (01:00 JST, clear of the RDS backup window at 19:00 UTC)
   */
  readonly schedule?: string;
  /** Vault Lock, with the minimum retention `retentionDays`. @default false */
  readonly vaultLock?: boolean;
  /**
   * Days after which the lock becomes compliance mode: then nobody, the root user and AWS included,
   * can remove it or shorten retention (AWS Backup developer guide, "AWS Backup Vault Lock"). AWS
   * Backup enforces a 72-hour cooling-off, so at least 3 (AWS Backup API reference,
   * PutBackupVaultLockConfiguration, ChangeableForDays). Unset, the lock stays in governance mode: a
   * principal allowed `backup:DeleteBackupVaultLockConfiguration` can still remove it.
   * @default undefined (governance mode)
   */
  readonly vaultLockChangeableForDays?: number;
  /**
   * A copy of every recovery point to a vault in another region, created here with `provider` and
   * encrypted with `kmsKeyArn` (a key of that region), kept as long as the original.
   * @default undefined (no copy)
   */
  readonly copy?: { readonly provider: TerraformProvider; readonly kmsKeyArn: string };
  /** Let `terraform destroy` delete the vault with its recovery points. @default false */
  readonly forceDestroy?: boolean;
}

/**
 * An AWS Backup vault encrypted with a customer-managed key, a daily plan that keeps each recovery
 * point `retentionDays`, a selection of resources by ARN, and the role AWS Backup works through.
 */
export class DailyBackups extends Construct {
  readonly vault: BackupVault;
  /** The vault in the copy region; undefined without `copy`. */
  readonly copyVault?: BackupVault;
  readonly plan: BackupPlan;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: DailyBackupsProps) {
    super(scope, id);
    if (props.retentionDays < 1)
      throw new Error(`${this.node.path}: retentionDays must be at least 1, got ${props.retentionDays}`);
    if (props.resourceArns.length === 0)
      throw new Error(`${this.node.path}: resourceArns must name at least one resource`);

    this.vault = new BackupVault(this, 'vault', {
      name: props.name,
      kmsKeyArn: props.kmsKeyArn,
      forceDestroy: props.forceDestroy ?? false,
    });
    const changeableForDays = props.vaultLockChangeableForDays;
    if (changeableForDays !== undefined && (!(props.vaultLock ?? false) || changeableForDays < 3))
      throw new Error(
        `${this.node.path}: vaultLockChangeableForDays needs vaultLock and at least 3 days (AWS Backup), got ${changeableForDays}`,
      );
    if (props.vaultLock ?? false) {
      // Without changeable_for_days, governance mode: a principal allowed to remove the lock still
      // can. With it, compliance mode once that many days have passed, irreversibly.
      new BackupVaultLockConfiguration(this, 'vault-lock', {
        backupVaultName: this.vault.name,
        minRetentionDays: props.retentionDays,
        changeableForDays,
      });
    }
    if (props.copy !== undefined) {
      this.copyVault = new BackupVault(this, 'copy-vault', {
        provider: props.copy.provider,
        name: `${props.name}-copy`,
        kmsKeyArn: props.copy.kmsKeyArn,
        forceDestroy: props.forceDestroy ?? false,
      });
    }

    this.plan = new BackupPlan(this, 'plan', {
      name: props.name,
      rule: [
        {
          ruleName: 'daily',
          targetVaultName: this.vault.name,
          schedule: props.schedule ?? 'cron(0 16 * * ? *)',
          startWindow: 60,
          completionWindow: 180,
          lifecycle: { deleteAfter: props.retentionDays },
          recoveryPointTags: { 'backup-plan': props.name },
          copyAction: this.copyVault
            ? [
                {
                  destinationVaultArn: this.copyVault.arn,
                  lifecycle: { deleteAfter: props.retentionDays },
                },
              ]
            : undefined,
        },
      ],
    });

    this.role = serviceRole(this, 'role', {
      trusted: { service: 'backup' },
      context: props.context,
      name: `${props.name}-backup`,
    });
    const attachments = ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores'].map(
      (policy) =>
        new IamRolePolicyAttachment(this, `role-${policy}`, {
          role: this.role.name,
          policyArn: `arn:${props.context.partition}:iam::aws:policy/service-role/${policy}`,
        }),
    );

    new BackupSelection(this, 'selection', {
      name: props.name,
      planId: this.plan.id,
      iamRoleArn: this.role.arn,
      resources: [...props.resourceArns],
      dependsOn: attachments,
    });
  }
}
