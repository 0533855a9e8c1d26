/**
 * What a planned stack leaves behind, however it was planned (alone or in a wave): its plan text, plan JSON,
 * reviewed changes and counts under the environment's output directory, the stand-in state of its outputs
 * for the stacks that read it (offline), and its lines in the log.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { reviewPlan } from './destroy-guard';
import type { StackNode } from './graph';
import {
  hasUnknownOutputs,
  pinnedAccountId,
  standInOutputs,
  standInState,
  type PlanJson,
  type ResourceTypes,
} from './offline';
import { countsPhrase, countsText, type PlanCounts, type StackPlan } from './summary';

/** Where a stack's plan is recorded. */
export interface RecordContext {
  readonly offline: boolean;
  readonly outputDir: string;
  /** A temporary directory: offline working copies, local states and stand-ins; removed at the end. */
  readonly scratch: string;
  /** The stand-in state file of each upstream stack planned so far. */
  readonly standIns: Record<string, string>;
  /** Stacks another selected stack reads from: they need a stand-in. */
  readonly dependents: ReadonlySet<string>;
  readonly progress: (node: StackNode, text: string) => void;
}

export interface PlannedStack {
  readonly plan: PlanJson;
  /** What `<stack>.plan.json` holds. */
  readonly planJsonText: string;
  readonly text: string;
  readonly counts: PlanCounts;
  /** The providers' resource types, for a stand-in with values unknown until apply. */
  readonly types: () => Promise<ResourceTypes>;
  readonly drifted?: boolean;
  /** Offline: the stacks of the Terraform run this stack was planned in, when there were several. */
  readonly wave?: readonly string[];
  readonly started: number;
}

/** Writes a planned stack's files and stand-in, logs its counts and returns its plan. */
export async function recordPlan(
  node: StackNode,
  context: RecordContext,
  planned: PlannedStack,
): Promise<StackPlan> {
  const seconds = () => (performance.now() - planned.started) / 1000;
  const { counts, text } = planned;
  const note = localStateNote(node, context.offline);
  writeFileSync(path.join(context.outputDir, `${node.name}.plan.txt`), text);
  writeFileSync(path.join(context.outputDir, `${node.name}.plan.json`), planned.planJsonText);
  // What the review job without credentials gets: actions and replace paths, no sensitive values.
  writeFileSync(
    path.join(context.outputDir, `${node.name}.changes.json`),
    `${JSON.stringify(reviewPlan(planned.plan), null, 2)}\n`,
  );
  writeFileSync(
    path.join(context.outputDir, `${node.name}.counts.txt`),
    `${countsText(node.name, counts)}\n`,
  );

  if (context.offline && context.dependents.has(node.name)) {
    try {
      context.standIns[node.name] = await writeStandIn(node, planned.types, planned.plan, context.scratch);
    } catch (error) {
      const reason = `terraform stand-in failed:\n${error instanceof Error ? error.message : String(error)}`;
      writeFileSync(path.join(context.outputDir, `${node.name}.error.txt`), `${reason}\n`);
      context.progress(node, `FAILED at stand-in (${seconds().toFixed(1)}s)\n${indent(reason)}`);
      return { stack: node.name, status: 'failed', reason, seconds: seconds() };
    }
  }
  const flagged = counts.destroy > 0 ? '  <-- DESTROYS OR REPLACES' : '';
  const wave = planned.wave ?? [];
  const withOthers = wave.length > 1 ? `, one Terraform run for ${wave.length} stacks` : '';
  context.progress(
    node,
    `ok      ${countsPhrase(counts)} (${seconds().toFixed(1)}s${withOthers})${flagged}${note ?? ''}`,
  );
  for (const line of countsText(node.name, counts).split('\n').slice(1)) context.progress(node, line);
  return {
    stack: node.name,
    status: 'planned',
    counts,
    text: note === undefined ? text : `${note.trim()}\n\n${text}`,
    seconds: seconds(),
    ...(planned.drifted === undefined ? {} : { drifted: planned.drifted }),
  };
}

/** Writes the stand-in state of a planned stack for the stacks that read it; returns its path. */
async function writeStandIn(
  node: StackNode,
  types: () => Promise<ResourceTypes>,
  plan: PlanJson,
  scratch: string,
): Promise<string> {
  const outputs = standInOutputs(plan, {
    types: hasUnknownOutputs(plan) ? await types() : undefined,
    accountId: pinnedAccountId(node.config),
  });
  const file = path.join(scratch, 'stand-in', `${node.name}.tfstate`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(standInState(outputs, plan.terraform_version ?? '1.11.4'), null, 2));
  return file;
}

/** Against AWS, a stack with local state (the state stack) plans from nothing where its file is missing. */
function localStateNote(node: StackNode, offline: boolean): string | undefined {
  if (offline || node.stateLocation?.startsWith('local:') !== true) return undefined;
  const file = node.stateLocation.slice('local:'.length);
  if (existsSync(file)) return undefined;
  return `\n    note: its local state ${file} is not here, so this plan starts from nothing`;
}

/** Every line of the text indented by four spaces (a failure's output under its stack's line). */
export function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `    ${line}`))
    .join('\n');
}
