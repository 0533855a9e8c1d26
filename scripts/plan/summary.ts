/**
 * What a reviewer reads: the counts of a plan (as Terraform counts them: a replacement is one add and one
 * destroy), the addresses replaced or destroyed, and one Markdown summary of an environment that puts
 * failures, destroys and replacements first.
 */
import type { PlanJson } from './offline';

export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Addresses destroyed and created again, with Terraform's reason when it gives one. */
  readonly replaced: readonly string[];
  /** Addresses destroyed and not created again. */
  readonly destroyed: readonly string[];
  /** Every managed resource change, as `<symbol> <address>` (`+`, `~`, `-/+`, `-`). */
  readonly actions: readonly string[];
}

/** The counts of `terraform show -json <plan>`: managed resources only, as Terraform's "Plan:" line. */
export function countChanges(plan: PlanJson): PlanCounts {
  let add = 0;
  let change = 0;
  let destroy = 0;
  const replaced: string[] = [];
  const destroyed: string[] = [];
  const actions: string[] = [];
  for (const resource of plan.resource_changes ?? []) {
    if (resource.mode !== 'managed') continue;
    const kinds = resource.change.actions;
    if (kinds.includes('create') && kinds.includes('delete')) {
      add++;
      destroy++;
      const reason = resource.action_reason === undefined ? '' : ` (${resource.action_reason})`;
      replaced.push(`${resource.address}${reason}`);
      actions.push(`-/+ ${resource.address}`);
    } else if (kinds.includes('create')) {
      add++;
      actions.push(`+ ${resource.address}`);
    } else if (kinds.includes('update')) {
      change++;
      actions.push(`~ ${resource.address}`);
    } else if (kinds.includes('delete')) {
      destroy++;
      destroyed.push(resource.address);
      actions.push(`- ${resource.address}`);
    }
  }
  return { add, change, destroy, replaced, destroyed, actions };
}

/** `dev-network: 42 to add, 0 to change, 0 to destroy`, then a line each for replaced and destroyed. */
export function countsText(stack: string, counts: PlanCounts): string {
  const lines = [`${stack}: ${countsPhrase(counts)}`];
  if (counts.replaced.length > 0) lines.push(`  replaced: ${counts.replaced.join(', ')}`);
  if (counts.destroyed.length > 0) lines.push(`  destroyed: ${counts.destroyed.join(', ')}`);
  return lines.join('\n');
}

export function countsPhrase(counts: PlanCounts): string {
  return `${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy`;
}

/** The outcome of one stack's plan. */
export type StackPlan =
  | {
      readonly stack: string;
      readonly status: 'planned';
      readonly counts: PlanCounts;
      /** Terraform's human-readable plan. */
      readonly text: string;
      readonly seconds: number;
      /** With `-detailed-exitcode` (drift): Terraform's exit code 2, the plan has changes. */
      readonly drifted?: boolean;
    }
  | {
      readonly stack: string;
      readonly status: 'failed' | 'skipped';
      /** Why: Terraform's errors, or the upstream that failed. */
      readonly reason: string;
      readonly seconds: number;
    };

export interface SummaryOptions {
  readonly environment: string;
  readonly offline: boolean;
  /**
   * At most this many characters in all: a pull-request comment holds 65,536. Plan texts are cut to fit.
   * @default 60000
   */
  readonly maxLength?: number;
  /** Markdown sections placed after the destroys and before the plan texts (destroy guard, config diff). @default none */
  readonly sections?: readonly string[];
}

const WARNING = ':warning:';
const FAILED = ':x:';

/** The Markdown summary of an environment's plans: failures, then destroys and replacements, then the rest. */
export function renderSummary(plans: readonly StackPlan[], options: SummaryOptions): string {
  const maxLength = options.maxLength ?? 60_000;
  const failed = plans.filter((plan) => plan.status !== 'planned');
  const planned = plans.filter((plan) => plan.status === 'planned');
  const risky = planned.filter((plan) => plan.counts.destroy > 0);
  const safe = planned.filter((plan) => plan.counts.destroy === 0);

  const head: string[] = [
    `## Terraform plan: \`${options.environment}\`${options.offline ? ' (offline)' : ''}`,
    '',
  ];
  if (options.offline) {
    head.push(
      '> Offline plan: mock credentials, empty local state, upstream outputs stood in by placeholders. It shows',
      '> what the configuration creates from nothing and that it plans, not its difference with what is deployed.',
      '',
    );
  }
  const verdict =
    failed.length > 0
      ? `${FAILED} **${failed.length} of ${plans.length} stacks did not plan:** ${failed.map((p) => `\`${p.stack}\``).join(', ')}`
      : risky.length > 0
        ? `${WARNING} **Destroys or replacements in ${risky.map((p) => `\`${p.stack}\``).join(', ')}**: read them before approving.`
        : `All ${plans.length} stacks planned; nothing is destroyed or replaced.`;
  head.push(verdict, '', '| | stack | add | change | destroy | |', '|---|---|--:|--:|--:|---|');
  for (const plan of failed) head.push(`| ${FAILED} | \`${plan.stack}\` | | | | ${plan.status} |`);
  for (const plan of [...risky, ...safe]) {
    const { counts } = plan;
    const note = [
      counts.replaced.length > 0 ? `${counts.replaced.length} replaced` : '',
      counts.destroyed.length > 0 ? `${counts.destroyed.length} destroyed` : '',
    ]
      .filter((part) => part !== '')
      .join(', ');
    head.push(
      `| ${counts.destroy > 0 ? WARNING : ''} | \`${plan.stack}\` | ${counts.add} | ${counts.change} | ${counts.destroy} | ${note} |`,
    );
  }
  head.push('');

  if (failed.length > 0) {
    head.push(`### ${FAILED} Not planned`, '');
    for (const plan of failed) {
      head.push(`- \`${plan.stack}\` (${plan.status}): ${firstErrors(plan.reason)}`);
    }
    head.push('');
  }
  if (risky.length > 0) {
    head.push(`### ${WARNING} Destroys and replacements`, '');
    for (const plan of risky) {
      for (const address of plan.counts.replaced)
        head.push(`- \`${plan.stack}\`: **replace** \`${address}\``);
      for (const address of plan.counts.destroyed)
        head.push(`- \`${plan.stack}\`: **destroy** \`${address}\``);
    }
    head.push('');
  }

  for (const section of options.sections ?? []) head.push(section);

  const detailed = [...risky, ...safe].filter((plan) => plan.counts.actions.length > 0);
  if (detailed.length > 0) head.push('### Changes', '');
  let body = head.join('\n');
  const details = detailed.map((plan) => ({
    open: `<details><summary><code>${plan.stack}</code>: ${countsPhrase(plan.counts)}</summary>\n\n\`\`\`diff\n${plan.counts.actions.join('\n')}\n\`\`\`\n\n`,
    text: plan.text,
  }));
  const close = '</details>\n';
  // Whatever room the summary leaves is shared out among the plan texts; each gets at least its action list.
  const fixed = body.length + details.reduce((sum, d) => sum + d.open.length + close.length + 40, 0);
  const share = Math.max(0, Math.floor((maxLength - fixed) / Math.max(1, details.length)));
  for (const detail of details) {
    body += `${detail.open}${fence(truncate(detail.text, share))}${close}`;
  }
  return body.length > maxLength ? `${body.slice(0, maxLength - 40)}\n\n(summary cut to fit)\n` : body;
}

/** Terraform's `Error:` lines, or the first line of the reason, on one line. */
function firstErrors(reason: string): string {
  const errors = reason
    .split('\n')
    .filter((line) => line.trimStart().startsWith('Error:'))
    .map((line) => line.trim());
  const text = (errors.length > 0 ? errors : [reason.trim().split('\n')[0]]).join(' ');
  return text.replace(/\|/g, '\\|');
}

function truncate(text: string, length: number): string {
  if (text.length <= length) return text;
  const kept = text.slice(0, Math.max(0, length - 80));
  const cut = kept.slice(0, Math.max(0, kept.lastIndexOf('\n')));
  const omitted = text.slice(cut.length).split('\n').length;
  return `${cut}\n... ${omitted} more lines in the full plan text`;
}

function fence(text: string): string {
  if (text.trim() === '') return '';
  // The plan text may itself hold three backticks (a heredoc); a longer fence keeps it inside.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}\n${text.trimEnd()}\n${marks}\n\n`;
}
