/**
 * AWS Backup rules: what a backup vault refuses when a job runs, long after the apply succeeded.
 */
import type { Rule } from '../rule';
import {
  asNumber,
  block,
  blocks,
  referencedAddress,
  type SynthesizedResource,
  type SynthesizedStack,
} from '../synthesized';

/** The vault lock of the vault a plan rule or copy action names by reference, if both are in this stack. */
function lockOf(stack: SynthesizedStack, vaultReference: unknown): SynthesizedResource | undefined {
  const vault = stack.get(referencedAddress(vaultReference));
  if (vault?.type !== 'aws_backup_vault') return undefined;
  return stack.referencing('aws_backup_vault_lock_configuration', 'backup_vault_name', vault, 'name')[0];
}

/** Why `deleteAfter` days (undefined: kept forever) breaks the lock's retention range, or undefined. */
function retentionProblem(
  what: string,
  deleteAfter: number | undefined,
  lock: SynthesizedResource,
): string | undefined {
  const min = asNumber(lock.config.min_retention_days);
  const max = asNumber(lock.config.max_retention_days);
  const kept = deleteAfter === undefined ? 'forever' : `${deleteAfter} days`;
  if (min !== undefined && deleteAfter !== undefined && deleteAfter < min)
    return `${what} keeps recovery points ${kept}, less than the vault lock's min_retention_days ${min}`;
  if (max !== undefined && (deleteAfter === undefined || deleteAfter > max))
    return `${what} keeps recovery points ${kept}, more than the vault lock's max_retention_days ${max}`;
  return undefined;
}

export const BACKUP_RULES: readonly Rule[] = [
  {
    id: 'GR-BAK-1',
    info: "Backup rules and copy actions into a locked vault keep recovery points within the lock's range.",
    explanation:
      "A vault with Vault Lock fails every backup or copy job whose lifecycle is shorter than the lock's " +
      'minimum retention or longer than its maximum (AWS Backup API reference, ' +
      'PutBackupVaultLockConfiguration, MinRetentionDays and MaxRetentionDays). The plan applies and ' +
      'the jobs fail every day after. Checked where the vault and its lock are in the same stack.',
    resourceTypes: ['aws_backup_plan'],
    severity: 'error',
    check: (plan, { stack }) =>
      blocks(plan.config.rule).flatMap((rule) => {
        const name = String(rule.rule_name ?? 'a rule');
        const problems: (string | undefined)[] = [];
        const lock = lockOf(stack, rule.target_vault_name);
        if (lock !== undefined)
          problems.push(retentionProblem(`rule ${name}`, asNumber(block(rule.lifecycle).delete_after), lock));
        for (const copy of blocks(rule.copy_action)) {
          const copyLock = lockOf(stack, copy.destination_vault_arn);
          if (copyLock !== undefined)
            problems.push(
              retentionProblem(
                `the copy action of rule ${name}`,
                asNumber(block(copy.lifecycle).delete_after),
                copyLock,
              ),
            );
        }
        return problems.filter((problem): problem is string => problem !== undefined);
      }),
  },
];
