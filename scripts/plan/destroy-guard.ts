/**
 * The destroy guard: every planned delete and replace classified by what it loses. A stateful resource
 * (data that exists nowhere else: a database, a file system, a bucket's objects, a key and what it encrypted)
 * deleted or replaced in a protected environment fails the review, with the address, the attribute that
 * forces the replacement and what is lost, unless `plan-allowances.json` allows that address with a reason.
 *
 * Node built-ins only: this runs in CI jobs that install nothing (see `docs/ci.md`).
 */
import type { ResourceChange } from './offline';

/** What deleting a resource of each stateful type loses. Every other type is disposable: re-created from code. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_db_instance:
    'the database: its data and automated backups (only a final snapshot, if one is configured, remains)',
  aws_rds_cluster: 'the cluster volume: every database in it and its automated backups',
  aws_efs_file_system: 'every file on the file system (EFS keeps nothing after DeleteFileSystem)',
  aws_s3_bucket: 'every object and object version in the bucket',
  aws_dynamodb_table: 'every item in the table (and the state lock, for the state table)',
  aws_kms_key: 'the key, and with it every ciphertext it encrypted, once the deletion window ends',
  aws_backup_vault: 'the recovery points (backups) stored in the vault',
  aws_ecr_repository: 'every image in the repository (what running tasks were started from)',
  aws_cloudwatch_log_group: 'every log event retained in the group',
  aws_secretsmanager_secret: 'the secret value and its versions, once the recovery window ends',
  aws_ebs_volume: 'the data on the volume',
  aws_route53_zone: 'the zone: its records, and new name servers that every delegation must be changed to',
};

/** One attribute path whose change forces a replacement, with its values when they are not sensitive. */
export interface ForcedBy {
  /** `engine`, `tags.name`, `subnet_ids[0]`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** The part of a resource change a review needs: no attribute values beyond those that force a replacement. */
export interface ReviewedChange {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly action_reason?: string;
  readonly change: { readonly actions: readonly string[]; readonly forced_by?: readonly ForcedBy[] };
}

/** What `<stack>.changes.json` holds: safe to hand to a job without credentials (no sensitive values). */
export interface ReviewedPlan {
  readonly terraform_version?: string;
  readonly resource_changes: readonly ReviewedChange[];
}

/** A plan change with what `terraform show -json` gives beyond `ResourceChange`. */
interface FullResourceChange extends ResourceChange {
  readonly change: ResourceChange['change'] & {
    readonly before?: unknown;
    readonly after?: unknown;
    readonly before_sensitive?: unknown;
    readonly after_sensitive?: unknown;
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
}

/**
 * The reviewed form of a plan: every resource change with its actions, and for a replacement the paths that
 * force it (`replace_paths`) with their values where neither side is sensitive. Unchanged resources left out.
 */
export function reviewPlan(plan: {
  terraform_version?: string;
  resource_changes?: readonly ResourceChange[];
}): ReviewedPlan {
  const changes = (plan.resource_changes ?? []) as readonly FullResourceChange[];
  return {
    ...(plan.terraform_version === undefined ? {} : { terraform_version: plan.terraform_version }),
    resource_changes: changes
      .filter((resource) => !resource.change.actions.every((action) => action === 'no-op'))
      .map((resource) => {
        const { change } = resource;
        const forced = (change.replace_paths ?? []).map((steps): ForcedBy => {
          const secret =
            valueAt(change.before_sensitive, steps) === true ||
            valueAt(change.after_sensitive, steps) === true;
          return secret
            ? { path: pathText(steps) }
            : {
                path: pathText(steps),
                before: valueAt(change.before, steps),
                after: valueAt(change.after, steps),
              };
        });
        return {
          address: resource.address,
          mode: resource.mode,
          type: resource.type,
          ...(resource.action_reason === undefined ? {} : { action_reason: resource.action_reason }),
          change: { actions: [...change.actions], ...(forced.length > 0 ? { forced_by: forced } : {}) },
        };
      }),
  };
}

/** An allowance: this address of this stack may be deleted or replaced, for this reason. */
export interface Allowance {
  readonly stack: string;
  readonly address: string;
  readonly reason: string;
}

/** The file a change that loses data carries, reviewed with it and removed after the apply. */
export const ALLOWANCES_FILE = 'plan-allowances.json';

const ALLOWANCE_FIELDS = ['stack', 'address', 'reason'];

/**
 * The allowances of `plan-allowances.json` (`{ "allowances": [{ stack, address, reason }] }`); throws with
 * every problem listed: unknown fields, a missing or empty field, a duplicate.
 * @param source the file's name, for the messages
 */
export function parseAllowances(text: string, source = ALLOWANCES_FILE): Allowance[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problems: string[] = [];
  if (!isObject(parsed) || !Array.isArray(parsed.allowances)) {
    throw new Error(`${source}: expected { "allowances": [{ "stack", "address", "reason" }] }`);
  }
  for (const key of Object.keys(parsed)) {
    if (key !== 'allowances') problems.push(`${key}: unknown field (expected only "allowances")`);
  }
  const seen = new Set<string>();
  const allowances: Allowance[] = [];
  parsed.allowances.forEach((entry: unknown, index: number) => {
    const at = `allowances[${index}]`;
    if (!isObject(entry)) {
      problems.push(`${at}: expected an object with stack, address and reason`);
      return;
    }
    for (const key of Object.keys(entry)) {
      if (!ALLOWANCE_FIELDS.includes(key))
        problems.push(`${at}.${key}: unknown field (expected ${ALLOWANCE_FIELDS.join(', ')})`);
    }
    for (const field of ALLOWANCE_FIELDS) {
      const value = entry[field];
      if (typeof value !== 'string' || value.trim() === '') {
        problems.push(
          `${at}.${field}: required, a non-empty string${field === 'reason' ? ' saying why the loss is accepted' : ''}`,
        );
      }
    }
    if (
      ALLOWANCE_FIELDS.every(
        (field) => typeof entry[field] === 'string' && (entry[field] as string).trim() !== '',
      )
    ) {
      const key = `${String(entry.stack)} ${String(entry.address)}`;
      if (seen.has(key))
        problems.push(`${at}: ${String(entry.stack)} ${String(entry.address)} is allowed twice`);
      seen.add(key);
      allowances.push({
        stack: String(entry.stack),
        address: String(entry.address),
        reason: String(entry.reason),
      });
    }
  });
  if (problems.length > 0)
    throw new Error(`${source} is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return allowances;
}

/** One planned delete or replace, classified. */
export interface Removal {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly action: 'delete' | 'replace';
  /** What is lost; undefined for a disposable resource. */
  readonly loses?: string;
  readonly forcedBy: readonly ForcedBy[];
  /** The allowance that accepts it, if any. */
  readonly allowedBy?: Allowance;
  /** A stateful loss in a protected environment with no allowance: the review fails. */
  readonly blocked: boolean;
}

export interface GuardOptions {
  /** The environment's `deletionProtection`. */
  readonly protectedEnvironment: boolean;
  readonly allowances: readonly Allowance[];
}

/** Every managed delete and replace of a stack's reviewed plan, classified and judged. */
export function classifyRemovals(stack: string, plan: ReviewedPlan, options: GuardOptions): Removal[] {
  const removals: Removal[] = [];
  for (const resource of plan.resource_changes) {
    const actions = resource.change.actions;
    if (resource.mode !== 'managed' || !actions.includes('delete')) continue;
    const loses = STATEFUL_TYPES[resource.type];
    const allowedBy = options.allowances.find((a) => a.stack === stack && a.address === resource.address);
    removals.push({
      stack,
      address: resource.address,
      type: resource.type,
      action: actions.includes('create') ? 'replace' : 'delete',
      ...(loses === undefined ? {} : { loses }),
      forcedBy: resource.change.forced_by ?? [],
      ...(allowedBy === undefined ? {} : { allowedBy }),
      blocked: options.protectedEnvironment && loses !== undefined && allowedBy === undefined,
    });
  }
  return removals;
}

/** Allowances of this environment's stacks that match no removal: applied already, to be removed. */
export function unusedAllowances(
  environment: string,
  allowances: readonly Allowance[],
  removals: readonly Removal[],
): Allowance[] {
  return allowances.filter(
    (allowance) =>
      allowance.stack.startsWith(`${environment}-`) &&
      !removals.some((r) => r.stack === allowance.stack && r.address === allowance.address),
  );
}

/** The failure text of blocked removals: one paragraph each, what forces it and what is lost. */
export function blockedMessage(environment: string, removals: readonly Removal[]): string {
  const blocked = removals.filter((removal) => removal.blocked);
  const lines = [
    `Destroy guard: ${blocked.length} stateful resource${blocked.length === 1 ? '' : 's'} of protected environment ${environment} would be deleted or replaced:`,
  ];
  for (const removal of blocked) {
    lines.push(
      `  ${removal.stack}: ${removal.action} ${removal.address}`,
      `    forced by: ${forcedText(removal.forcedBy)}`,
      `    loses: ${removal.loses}`,
    );
  }
  lines.push(
    `If the loss is intended, add to ${ALLOWANCES_FILE} (reviewed with the change, removed after the apply):`,
    `  { "allowances": [{ "stack": "${blocked[0]?.stack ?? ''}", "address": "${blocked[0]?.address ?? ''}", "reason": "why" }] }`,
  );
  return lines.join('\n');
}

/** The summary section: every delete and replace of the environment with its class and verdict. */
export function renderGuardSection(
  environment: string,
  protectedEnvironment: boolean,
  removals: readonly Removal[],
  unused: readonly Allowance[],
): string {
  const blocked = removals.filter((removal) => removal.blocked).length;
  const lines = [`### Destroy guard (${protectedEnvironment ? 'protected' : 'unprotected'} environment)`, ''];
  if (removals.length === 0) {
    lines.push(`Nothing in \`${environment}\` is deleted or replaced.`, '');
  } else {
    lines.push(
      blocked > 0
        ? `:no_entry: **${blocked} stateful resource${blocked === 1 ? '' : 's'} would lose data without an allowance in \`${ALLOWANCES_FILE}\`.**`
        : protectedEnvironment
          ? 'Every stateful loss is allowed in the allowances file, or none is planned.'
          : 'Unprotected environment: losses are listed, not blocked.',
      '',
      '| | stack | action | resource | class | forced by | loses |',
      '|---|---|---|---|---|---|---|',
    );
    for (const removal of [...removals].sort((a, b) => Number(b.blocked) - Number(a.blocked))) {
      const mark = removal.blocked
        ? ':no_entry:'
        : removal.loses === undefined
          ? ''
          : removal.allowedBy
            ? ':white_check_mark: allowed'
            : ':warning:';
      lines.push(
        `| ${mark} | \`${removal.stack}\` | ${removal.action} | \`${removal.address}\` | ${removal.loses === undefined ? 'disposable' : '**stateful**'} | ${cell(forcedText(removal.forcedBy))} | ${cell(removal.loses ?? '')}${removal.allowedBy ? ` (allowed: ${cell(removal.allowedBy.reason)})` : ''} |`,
      );
    }
    lines.push('');
  }
  for (const allowance of unused) {
    lines.push(
      `- Allowance for \`${allowance.stack}\` \`${allowance.address}\` matches nothing planned: remove it from \`${ALLOWANCES_FILE}\`.`,
    );
  }
  if (unused.length > 0) lines.push('');
  return lines.join('\n');
}

function forcedText(forcedBy: readonly ForcedBy[]): string {
  if (forcedBy.length === 0) return '-';
  return forcedBy
    .map((forced) =>
      'before' in forced || 'after' in forced
        ? `${forced.path}: ${JSON.stringify(forced.before)} -> ${JSON.stringify(forced.after)}`
        : `${forced.path} (sensitive)`,
    )
    .join('; ');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** `tags.name`, `subnet_ids[0]`: a plan JSON path in Terraform's own notation. */
export function pathText(steps: readonly (string | number)[]): string {
  return steps
    .map((step, index) => (typeof step === 'number' ? `[${step}]` : index === 0 ? step : `.${step}`))
    .join('');
}

function valueAt(value: unknown, steps: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
