/**
 * RDS rules: encryption, exposure, TLS and durability of instances and clusters; combinations the RDS
 * API refuses, and defaults it bills for. Aurora's member instances are aws_rds_cluster_instance (an
 * aws_db_instance has no cluster_identifier), so their cluster's settings are what these rules read.
 */
import type { Rule } from '../rule';
import { asNumber, blocks, isSet, isTrue } from '../synthesized';
import { failIf } from './helpers';

/** The parameter that refuses plaintext connections, per engine family; undefined if none is known. */
function tlsParameter(engine: string): { name: string; values: string[] } | undefined {
  if (/^(mysql|mariadb)/.test(engine))
    return { name: 'require_secure_transport', values: ['1', 'ON', 'on', 'true'] };
  if (/^postgres/.test(engine)) return { name: 'rds.force_ssl', values: ['1'] };
  return undefined;
}

/** Engines whose parameter-group family is `<engine><major>.<minor>` (mysql8.4, mariadb10.11). */
const VERSIONED_FAMILY_ENGINES = /^(mysql|mariadb)$/;

/** Engines RDS Extended Support applies to (RDS API reference, CreateDBInstance, EngineLifecycleSupport). */
const EXTENDED_SUPPORT_ENGINES = /^(mysql|postgres)$/;

/** `8.4` of `8.4.6`, `8.4` of `8.4`. */
const majorOf = (version: string): string | undefined => /^(\d+\.\d+)/.exec(version)?.[1];

export const RDS_RULES: readonly Rule[] = [
  {
    id: 'GR-RDS-1',
    info: 'RDS storage is encrypted.',
    explanation:
      'Encryption of an RDS instance or cluster can only be chosen at creation (KMS; the aws/rds key ' +
      'unless kms_key_id names one); adding it later means a snapshot, a copy and a restore.',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
    severity: 'error',
    check: (db) => failIf(!isTrue(db.config.storage_encrypted), 'storage_encrypted is not true'),
  },
  {
    id: 'GR-RDS-2',
    info: 'RDS instances are not publicly accessible.',
    explanation:
      'A public instance gets an internet-resolvable address; databases live in the database subnets.',
    resourceTypes: ['aws_db_instance'],
    severity: 'error',
    check: (db) => failIf(isTrue(db.config.publicly_accessible), 'publicly_accessible is true'),
  },
  {
    id: 'GR-RDS-3',
    info: 'RDS instances refuse connections without TLS (require_secure_transport / rds.force_ssl).',
    explanation:
      'MySQL and MariaDB accept plaintext unless the parameter group sets require_secure_transport = 1 ' +
      '(PostgreSQL: rds.force_ssl = 1); the default parameter group does not.',
    resourceTypes: ['aws_db_instance'],
    severity: 'error',
    check: (db, { stack }) => {
      const parameter = tlsParameter(String(db.config.engine ?? ''));
      if (parameter === undefined) return [];
      const group = stack.follow(db, 'parameter_group_name');
      const required =
        group?.type === 'aws_db_parameter_group' &&
        blocks(group.config.parameter).some(
          (p) => p.name === parameter.name && parameter.values.includes(String(p.value)),
        );
      return failIf(
        !required,
        `parameter_group_name does not reference an aws_db_parameter_group of this stack that sets ${parameter.name} = ${parameter.values[0]}`,
      );
    },
  },
  {
    id: 'GR-RDS-4',
    info: 'RDS instances keep automated backups (backup_retention_period >= 1).',
    explanation:
      'Without automated backups there is no point-in-time restore. An error where the environment is ' +
      'protected, a warning elsewhere.',
    resourceTypes: ['aws_db_instance'],
    severity: 'error',
    relaxedWhereUnprotected: true,
    check: (db) => {
      if (isSet(db.config.replicate_source_db)) return [];
      const days = asNumber(db.config.backup_retention_period);
      return failIf(days === undefined || days < 1, `backup_retention_period is ${days ?? 'not set'}`);
    },
  },
  {
    id: 'GR-RDS-5',
    info: 'RDS instances and clusters have deletion protection.',
    explanation:
      'A destroy or replacement in a plan must not delete the data. An error where the environment is ' +
      'protected, a warning elsewhere.',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
    severity: 'error',
    relaxedWhereUnprotected: true,
    check: (db) => failIf(!isTrue(db.config.deletion_protection), 'deletion_protection is not true'),
  },
  {
    id: 'GR-RDS-6',
    info: 'RDS instances and clusters take a final snapshot when deleted.',
    explanation:
      'The last copy of the data when the instance goes (skip_final_snapshot false and a ' +
      'final_snapshot_identifier). An error where the environment is protected, a warning elsewhere.',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
    severity: 'error',
    relaxedWhereUnprotected: true,
    check: (db) => {
      if (isTrue(db.config.skip_final_snapshot)) return ['skip_final_snapshot is true'];
      return failIf(!isSet(db.config.final_snapshot_identifier), 'final_snapshot_identifier is not set');
    },
  },
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
      !isSet(db.config.engine_lifecycle_support)
        ? ['engine_lifecycle_support is not set (RDS enrols the instance in billed Extended Support)']
        : [],
  },
];
