/**
 * Drift: `npm run plan -- --env <env> --drift` plans main's configuration against AWS with
 * `-detailed-exitcode` and reports each stack as clean (exit 0), drifted (exit 2, with its changes) or failed.
 *
 * Why a normal plan and not `-refresh-only`: a refresh-only plan reports every attribute AWS changed since the
 * last apply, including those that change by design (RDS `latest_restorable_time` moves every few minutes),
 * so every run would "drift". A normal plan of the committed configuration against real state shows only
 * what differs from what was committed: a change made outside Terraform, or a committed change not applied
 * yet (a prod deploy waiting for approval), both of which the team must hear about.
 *
 * Node built-ins only (CI runs the compiled form).
 */
import { existsSync } from 'node:fs';
import type { StackConfig } from './graph';
import type { StackPlan } from './summary';

export type DriftStatus = 'clean' | 'drifted' | 'failed' | 'not checked';

export interface StackDrift {
  readonly stack: string;
  readonly status: DriftStatus;
  /** The changes (`~ aws_x.y`), Terraform's plan text, or why it failed or was not checked. */
  readonly detail: string;
  readonly actions: readonly string[];
}

/**
 * The stacks a drift check plans, and those it cannot: a stack with a local backend whose state file is not
 * here (the state stack, bootstrapped by a person) would plan from nothing and report everything as drift.
 */
export function driftSelection(
  stacks: readonly StackConfig[],
  environment: string,
): {
  readonly planned: string[];
  readonly notChecked: StackDrift[];
} {
  const planned: string[] = [];
  const notChecked: StackDrift[] = [];
  for (const stack of stacks.filter((s) => s.name.split('-')[0] === environment)) {
    const local =
      stack.stateLocation?.startsWith('local:') === true ? stack.stateLocation.slice(6) : undefined;
    if (local !== undefined && !existsSync(local)) {
      notChecked.push({
        stack: stack.name,
        status: 'not checked',
        detail: `its state is a local file (${local}) that is not here`,
        actions: [],
      });
    } else {
      planned.push(stack.name);
    }
  }
  return { planned, notChecked };
}

/** Each planned stack's drift status. */
export function driftOf(plans: readonly StackPlan[]): StackDrift[] {
  return plans.map((plan): StackDrift => {
    if (plan.status !== 'planned')
      return { stack: plan.stack, status: 'failed', detail: plan.reason, actions: [] };
    if (plan.drifted === true) {
      return { stack: plan.stack, status: 'drifted', detail: plan.text, actions: plan.counts.actions };
    }
    return { stack: plan.stack, status: 'clean', detail: '', actions: [] };
  });
}

const MARK: Record<DriftStatus, string> = {
  clean: ':white_check_mark:',
  drifted: ':warning:',
  failed: ':x:',
  'not checked': ':grey_question:',
};

/** The report for the job summary: a table of every stack, then the changes of each drifted stack. */
export function renderDriftReport(environment: string, drifts: readonly StackDrift[]): string {
  const drifted = drifts.filter((d) => d.status === 'drifted');
  const failed = drifts.filter((d) => d.status === 'failed');
  const verdict =
    failed.length > 0
      ? `:x: ${failed.length} stack${failed.length === 1 ? '' : 's'} could not be checked`
      : drifted.length > 0
        ? `:warning: **Drift in ${drifted.map((d) => `\`${d.stack}\``).join(', ')}**: AWS differs from main`
        : 'No drift: AWS matches main.';
  const lines = [`## Drift: \`${environment}\``, '', verdict, '', '| | stack | status |', '|---|---|---|'];
  for (const drift of drifts) {
    const note =
      drift.status === 'drifted'
        ? `drifted (${drift.actions.length} change${drift.actions.length === 1 ? '' : 's'})`
        : drift.status;
    lines.push(`| ${MARK[drift.status]} | \`${drift.stack}\` | ${note} |`);
  }
  lines.push('');
  for (const drift of drifts.filter((d) => d.status !== 'clean')) {
    lines.push(
      `<details><summary><code>${drift.stack}</code>: ${drift.status}</summary>`,
      '',
      ...(drift.actions.length > 0 ? ['```diff', ...drift.actions, '```', ''] : []),
      '```',
      drift.detail.trimEnd(),
      '```',
      '',
      '</details>',
      '',
    );
  }
  return lines.join('\n');
}

/** One line per stack for the terminal. */
export function driftLines(drifts: readonly StackDrift[]): string[] {
  const width = Math.max(0, ...drifts.map((d) => d.stack.length));
  return drifts.map((drift) => {
    const extra =
      drift.status === 'drifted'
        ? `\n${drift.actions.map((action) => `    ${action}`).join('\n')}`
        : drift.status === 'failed' || drift.status === 'not checked'
          ? `: ${drift.detail.split('\n').find((line) => line.trim() !== '') ?? ''}`
          : '';
    return `${drift.stack.padEnd(width)}  ${drift.status}${extra}`;
  });
}
