/**
 * The offline destroy guard: with no credentials there is no state to plan against, so compare the pull
 * request's synthesized configuration with the base branch's. A stateful resource whose address disappears
 * is deleted; one whose replacement-forcing attribute changes is replaced. Every other difference is listed
 * (resource, attribute, before, after) so a reviewer sees the change an offline plan from empty state hides.
 *
 * Node built-ins only: this runs in CI jobs that install nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { STATEFUL_TYPES, type Allowance, type Removal } from './destroy-guard';

/**
 * The arguments of each stateful type whose change makes Terraform replace the resource ("ForceNew" in the
 * provider schema; "Forces new resource" in the registry documentation of hashicorp/aws 5.x). Read in the
 * provider source (internal/service/<service>/<resource>.go) for rds/instance, efs/file_system, kms/key,
 * dynamodb/table; the others from the registry documentation's argument reference.
 * Not ForceNew, so not here: aws_db_instance `instance_class`, `engine_version` (a major upgrade is in place
 * with allow_major_version_upgrade), `db_subnet_group_name`, `allocated_storage`; aws_kms_key `policy`.
 */
export const REPLACING_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  aws_db_instance: [
    'identifier',
    'identifier_prefix',
    'engine',
    'kms_key_id',
    'storage_encrypted',
    'availability_zone',
    'username',
    'db_name',
    'character_set_name',
    'nchar_character_set_name',
    'timezone',
    'snapshot_identifier',
    'custom_iam_instance_profile',
    'restore_to_point_in_time',
  ],
  aws_rds_cluster: [
    'cluster_identifier',
    'engine',
    'kms_key_id',
    'storage_encrypted',
    'master_username',
    'database_name',
  ],
  aws_efs_file_system: [
    'creation_token',
    'encrypted',
    'kms_key_id',
    'performance_mode',
    'availability_zone_name',
  ],
  aws_s3_bucket: ['bucket', 'bucket_prefix', 'object_lock_enabled'],
  aws_dynamodb_table: ['name', 'hash_key', 'range_key', 'local_secondary_index'],
  aws_kms_key: ['customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id'],
  aws_backup_vault: ['name', 'kms_key_arn'],
  aws_ecr_repository: ['name', 'encryption_configuration'],
  aws_cloudwatch_log_group: ['name', 'name_prefix', 'log_group_class'],
  aws_secretsmanager_secret: ['name', 'name_prefix'],
  aws_ebs_volume: ['availability_zone', 'encrypted', 'kms_key_id', 'snapshot_id'],
  aws_route53_zone: ['name'],
};

/** One difference between the base and head configuration of a resource. */
export interface ConfigChange {
  readonly stack: string;
  /** `aws_db_instance.database_1A2B3C`. */
  readonly address: string;
  readonly kind: 'added' | 'removed' | 'changed';
  /** The top-level argument, for `changed`. */
  readonly attribute?: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface StackConfigDiff {
  readonly stack: string;
  /** The stack exists only in the head (`added`) or only in the base (`removed`). */
  readonly stackChange?: 'added' | 'removed';
  readonly changes: readonly ConfigChange[];
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** The managed resources of a synthesized stack by address, without cdktf's `//` metadata. */
export function resourcesOf(config: { resource?: Resources }): Map<string, Record<string, unknown>> {
  const resources = new Map<string, Record<string, unknown>>();
  for (const [type, byName] of Object.entries(config.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const rest = { ...body };
      delete rest['//'];
      resources.set(`${type}.${name}`, rest);
    }
  }
  return resources;
}

/** `moved` blocks of a configuration (what `moveTo` emits): the base address they carry to a new one. */
function movedFrom(config: { moved?: readonly { from: string; to: string }[] }): Map<string, string> {
  return new Map((config.moved ?? []).map((block) => [block.from, block.to]));
}

/** Every added, removed and changed resource argument of one stack between two synthesized configurations. */
export function diffStackConfig(
  stack: string,
  base: { resource?: Resources; moved?: readonly { from: string; to: string }[] },
  head: { resource?: Resources; moved?: readonly { from: string; to: string }[] },
): ConfigChange[] {
  const before = resourcesOf(base);
  const after = resourcesOf(head);
  const moved = movedFrom(head);
  const changes: ConfigChange[] = [];
  for (const [address, body] of before) {
    const target = after.has(address) ? address : moved.get(address);
    const headBody = target === undefined ? undefined : after.get(target);
    if (headBody === undefined) {
      changes.push({ stack, address, kind: 'removed' });
      continue;
    }
    for (const attribute of unique([...Object.keys(body), ...Object.keys(headBody)]).sort()) {
      if (!sameValue(body[attribute], headBody[attribute])) {
        changes.push({
          stack,
          address: target ?? address,
          kind: 'changed',
          attribute,
          before: body[attribute],
          after: headBody[attribute],
        });
      }
    }
  }
  const carried = new Set(moved.values());
  for (const address of after.keys()) {
    if (!before.has(address) && !carried.has(address)) changes.push({ stack, address, kind: 'added' });
  }
  return changes;
}

/** The changes of a diff that delete or replace a resource, classified like the plan's (see `destroy-guard`). */
export function configRemovals(
  changes: readonly ConfigChange[],
  options: { protectedEnvironment: boolean; allowances: readonly Allowance[] },
): Removal[] {
  const removals = new Map<
    string,
    { stack: string; address: string; action: 'delete' | 'replace'; forced: ConfigChange[] }
  >();
  for (const change of changes) {
    const type = change.address.split('.')[0];
    const key = `${change.stack} ${change.address}`;
    if (change.kind === 'removed') {
      removals.set(key, { stack: change.stack, address: change.address, action: 'delete', forced: [] });
    } else if (
      change.kind === 'changed' &&
      (REPLACING_ARGUMENTS[type] ?? []).includes(change.attribute as string)
    ) {
      const entry = removals.get(key) ?? {
        stack: change.stack,
        address: change.address,
        action: 'replace',
        forced: [],
      };
      entry.forced.push(change);
      removals.set(key, entry);
    }
  }
  return [...removals.values()].map((entry) => {
    const type = entry.address.split('.')[0];
    const loses = STATEFUL_TYPES[type];
    const allowedBy = options.allowances.find((a) => a.stack === entry.stack && a.address === entry.address);
    return {
      stack: entry.stack,
      address: entry.address,
      type,
      action: entry.action,
      ...(loses === undefined ? {} : { loses }),
      forcedBy: entry.forced.map((change) => ({
        path: change.attribute as string,
        before: change.before,
        after: change.after,
      })),
      ...(allowedBy === undefined ? {} : { allowedBy }),
      blocked: options.protectedEnvironment && loses !== undefined && allowedBy === undefined,
    };
  });
}

/** The stacks of one environment in two synth output directories, compared stack by stack. */
export function diffSynthDirs(baseDir: string, headDir: string, environment: string): StackConfigDiff[] {
  const base = stackConfigs(baseDir, environment);
  const head = stackConfigs(headDir, environment);
  const names = unique([...head.keys(), ...base.keys()]);
  return names.map((stack) => {
    const before = base.get(stack);
    const after = head.get(stack);
    return {
      stack,
      ...(before === undefined
        ? { stackChange: 'added' as const }
        : after === undefined
          ? { stackChange: 'removed' as const }
          : {}),
      changes: diffStackConfig(stack, before ?? {}, after ?? {}),
    };
  });
}

function stackConfigs(synthDir: string, environment: string): Map<string, Record<string, never>> {
  const stacksDir = path.join(synthDir, 'stacks');
  const configs = new Map<string, Record<string, never>>();
  const manifest = path.join(synthDir, 'manifest.json');
  if (!existsSync(manifest)) throw new Error(`${manifest} does not exist: synthesize that branch first.`);
  const stacks = (
    JSON.parse(readFileSync(manifest, 'utf8')) as { stacks: Record<string, { workingDirectory?: string }> }
  ).stacks;
  for (const [name, entry] of Object.entries(stacks)) {
    if (name.split('-')[0] !== environment) continue;
    const dir = path.resolve(synthDir, entry.workingDirectory ?? path.join('stacks', name));
    configs.set(name, JSON.parse(readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')));
  }
  if (configs.size === 0 && !existsSync(stacksDir)) throw new Error(`No stacks in ${synthDir}.`);
  return configs;
}

/** The summary section: per stack, every resource added or removed and every argument changed. */
export function renderConfigDiffSection(diffs: readonly StackConfigDiff[], maxCell = 120): string {
  const lines = ['### Configuration diff against the base branch', ''];
  const changed = diffs.filter((diff) => diff.changes.length > 0 || diff.stackChange !== undefined);
  if (changed.length === 0) {
    lines.push('No resource of this environment changes its configuration.', '');
    return lines.join('\n');
  }
  for (const diff of changed) {
    const label = diff.stackChange === undefined ? '' : ` (stack ${diff.stackChange})`;
    lines.push(
      `<details><summary><code>${diff.stack}</code>${label}: ${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'}</summary>`,
      '',
      '| resource | attribute | before | after |',
      '|---|---|---|---|',
    );
    for (const change of diff.changes) {
      if (change.kind === 'changed') {
        lines.push(
          `| \`${change.address}\` | \`${change.attribute}\` | ${valueCell(change.before, maxCell)} | ${valueCell(change.after, maxCell)} |`,
        );
      } else {
        lines.push(`| \`${change.address}\` | (${change.kind}) | | |`);
      }
    }
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}

function valueCell(value: unknown, max: number): string {
  if (value === undefined) return '(unset)';
  const text = JSON.stringify(value);
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return `\`${cut.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
}

/** Equal as JSON values, object keys in any order. */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
