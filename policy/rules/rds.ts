/**
 * RDS rules: combinations the RDS API refuses, and defaults it bills for.
 */
import type { Rule } from '../rules';
import { isSet } from '../synthesized';

/** Engines whose parameter-group family is `<engine><major>.<minor>` (mysql8.4, mariadb10.11). */
const VERSIONED_FAMILY_ENGINES = /^(mysql|mariadb)$/;

/** Engines RDS Extended Support applies to (RDS API reference, CreateDBInstance, EngineLifecycleSupport). */
const EXTENDED_SUPPORT_ENGINES = /^(mysql|postgres)$/;

/** `8.4` of `8.4.6`, `8.4` of `8.4`. */
const majorOf = (version: string): string | undefined => /^(\d+\.\d+)/.exec(version)?.[1];

export const RDS_RULES: readonly Rule[] = [
  {
    id: 'GR-RDS-7',
    info: "An RDS instance's parameter-group family and option-group version match its engine's major version.",
    explanation:
      'RDS refuses a DB parameter group of another family and an option group of another major engine ' +
      'version (CreateDBInstance: InvalidParameterCombination; the parameters of one family differ from ' +
      "another's), so a version change without its groups fails only at apply. Checked where the groups " +
      'are in the same stack.',
    resourceTypes: ['aws_db_instance'],
    severity: 'error',
    check: (db, { stack }) => {
      const engine = String(db.config.engine ?? '');
      const major = majorOf(String(db.config.engine_version ?? ''));
      if (!VERSIONED_FAMILY_ENGINES.test(engine) || major === undefined) return [];
      const reasons: string[] = [];
      const parameters = stack.follow(db, 'parameter_group_name');
      const family = parameters?.config.family;
      if (parameters?.type === 'aws_db_parameter_group' && family !== `${engine}${major}`)
        reasons.push(`parameter group family ${String(family)} is not ${engine}${major}`);
      const options = stack.follow(db, 'option_group_name');
      const optionsVersion = options?.config.major_engine_version;
      if (options?.type === 'aws_db_option_group' && optionsVersion !== major)
        reasons.push(`option group major_engine_version ${String(optionsVersion)} is not ${major}`);
      return reasons;
    },
  },
  {
    id: 'GR-RDS-8',
    info: 'MySQL and PostgreSQL instances set engine_lifecycle_support explicitly.',
    explanation:
      'Unset, RDS enrols the instance in RDS Extended Support (open-source-rds-extended-support), billed ' +
      'per vCPU-hour once its major version leaves standard support (RDS API reference, ' +
      'CreateDBInstance, EngineLifecycleSupport). Choose it, or open-source-rds-extended-support-disabled ' +
      '(then RDS refuses to create a version past standard support).',
    resourceTypes: ['aws_db_instance'],
    severity: 'error',
    check: (db) =>
      EXTENDED_SUPPORT_ENGINES.test(String(db.config.engine ?? '')) &&
      !isSet(db.config.cluster_identifier) &&
      !isSet(db.config.engine_lifecycle_support)
        ? ['engine_lifecycle_support is not set (RDS enrols the instance in billed Extended Support)']
        : [],
  },
];
