/**
 * Plans the stacks of one environment in dependency order, side by side where they are independent (up to
 * the number of cores, shared with the other environments of the run through `slot`):
 * `terraform init`, `terraform plan -out`, `terraform show -json`, then writes under `<planDir>/<env>/`
 * per stack the plan text, the plan JSON and its counts, the dependency order, and one Markdown summary.
 *
 * Against AWS, each stack plans in its synthesized directory with its real backend and providers (what
 * `cdktf deploy` will run). Offline, the stacks ready at the same moment plan as one Terraform run (a wave,
 * `wave-run.ts`; across environments when they share a planner), each stack a child module; a stack alone,
 * or every stack of a wave that fails, plans in a copy of its directory in a temporary directory, with the
 * override file of `offline.ts`. An upstream stack's planned outputs stand in for its state.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initStack, outputOf, runTerraform, type TerraformResult } from '../terraform';
import {
  dependencyGraph,
  dependencyWaves,
  deployOrder,
  loadStacks,
  selectStacks,
  type StackNode,
} from './graph';
import { OFFLINE_ENV, OVERRIDE_FILE, offlineOverride, resourceTypes, type PlanJson } from './offline';
import { indent, recordPlan, type RecordContext } from './record';
import { OFFLINE_STATE_FILE, sharedInit, type PrepareWorkingCopy } from './shared-init';
import { planSlots, type PlanSlot } from './slots';
import { countChanges, renderSummary, type StackPlan } from './summary';
import { canJoinWave, wavePlanner, type WavePlanner } from './wave-run';

// Each plan loads the whole AWS provider schema (~600 MB, seconds of CPU, mostly one core): one per core.
export const DEFAULT_CONCURRENCY = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);

export interface PlanOptions {
  /** The synth output directory (`cdktf.out`), absolute. */
  readonly synthDir: string;
  readonly environment: string;
  /** Outputs go to `<planDir>/<environment>/`, emptied first. */
  readonly planDir: string;
  readonly offline: boolean;
  /** Plan with `-detailed-exitcode` and record whether each plan has changes (drift). @default false */
  readonly detailedExitCode?: boolean;
  /**
   * Only these stacks (`dev-network` or `network`); offline, with the stacks they read from.
   * @default every stack of the environment
   */
  readonly stacks?: readonly string[];
  /** Stacks planned at once, when no `slot` is given. @default the number of cores */
  readonly concurrency?: number;
  /**
   * Runs each stack's plan when a place is free: pass one `planSlots(n)` to every environment of a run so
   * they share the cores. @default planSlots(concurrency)
   */
  readonly slot?: PlanSlot;
  /**
   * Offline: gathers the stacks ready at the same moment into one Terraform run. Pass one
   * `wavePlanner(slot, planText)` to every environment of a run so that their waves join.
   * @default a planner of this environment's own, over `slot`
   */
  readonly waves?: WavePlanner;
  /** Offline, plan each stack in a Terraform run of its own (`--per-stack`). @default false */
  readonly perStack?: boolean;
  /** Progress lines; each stack's lines come as one block when it is done. @default console.log */
  readonly log?: (line: string) => void;
  /**
   * The width stack names are padded to at the start of progress lines: pass the longest name of every
   * environment of a run, so that their interleaved lines line up. @default the longest name planned here
   */
  readonly nameWidth?: number;
}

export interface EnvironmentPlan {
  readonly environment: string;
  /** The stacks planned, in dependency order. */
  readonly plans: readonly StackPlan[];
  /** Stacks that can be planned side by side, wave after wave. */
  readonly waves: readonly (readonly string[])[];
  readonly outputDir: string;
  readonly ok: boolean;
}

export async function planEnvironment(options: PlanOptions): Promise<EnvironmentPlan> {
  const log = options.log ?? ((line: string) => console.log(line));
  const nodes = selectStacks(
    dependencyGraph(loadStacks(options.synthDir)),
    options.environment,
    options.stacks ?? [],
    options.offline,
  );
  const waves = dependencyWaves(nodes);
  const outputDir = path.join(options.planDir, options.environment);
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  writeFileSync(path.join(outputDir, 'order.txt'), `${deployOrder(nodes).join('\n')}\n`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), `plan-${options.environment}-`));
  log(
    `Planning ${options.environment}${options.offline ? ' offline' : ' against AWS'}: ${waves.map((w) => w.join(', ')).join(' → ')}`,
  );

  const width = options.nameWidth ?? Math.max(...nodes.map((node) => node.name.length));
  const context: StackContext = {
    offline: options.offline,
    prepareWorkingCopy: sharedInit(scratch, OFFLINE_ENV),
    detailedExitCode: options.detailedExitCode === true,
    outputDir,
    scratch,
    standIns: {},
    dependents: new Set(nodes.flatMap((node) => node.upstream)),
    progress: (node, text) => log(`${node.name.padEnd(width)}  ${text}`),
  };
  const slot = options.slot ?? planSlots(options.concurrency ?? DEFAULT_CONCURRENCY);
  const planner = options.waves ?? wavePlanner(slot, planText);
  const planned = new Map<string, Promise<StackPlan>>();
  try {
    for (const node of nodes) {
      // Dependency order: every upstream in the selection already has its promise.
      const upstream = node.upstream.flatMap((name) => planned.get(name) ?? []);
      planned.set(
        node.name,
        Promise.all(upstream).then((before) => {
          const failed = before.filter((plan) => plan.status !== 'planned').map((plan) => plan.stack);
          if (options.offline && failed.length > 0) {
            const reason = `not planned: it reads the outputs of ${failed.join(', ')}, which did not plan`;
            context.progress(node, `SKIPPED (${reason})`);
            return { stack: node.name, status: 'skipped', reason, seconds: 0 } as const;
          }
          const alone = () =>
            slot(async () => {
              const block = buffered(context);
              try {
                return await planStack(node, block.context);
              } finally {
                block.flush();
              }
            });
          const inWave = options.offline && options.perStack !== true && canJoinWave(node);
          return inWave ? planInWave(node, context, planner, alone) : alone();
        }),
      );
    }
    const plans = await Promise.all(nodes.map((node) => planned.get(node.name) as Promise<StackPlan>));
    writeFileSync(
      path.join(outputDir, 'summary.md'),
      renderSummary(plans, { environment: options.environment, offline: options.offline }),
    );
    return {
      environment: options.environment,
      plans,
      waves,
      outputDir,
      ok: plans.every((plan) => plan.status === 'planned'),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface StackContext extends RecordContext {
  /** Offline: readies a working copy to plan (see `shared-init.ts`). */
  readonly prepareWorkingCopy: PrepareWorkingCopy;
  readonly detailedExitCode: boolean;
}

async function planStack(node: StackNode, context: StackContext): Promise<StackPlan> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const fail = (step: string, result: TerraformResult | string): StackPlan => {
    const reason = `terraform ${step} failed:\n${typeof result === 'string' ? result : outputOf(result)}`;
    writeFileSync(path.join(context.outputDir, `${node.name}.error.txt`), `${reason}\n`);
    context.progress(node, `FAILED at ${step} (${seconds().toFixed(1)}s)\n${indent(reason)}`);
    return { stack: node.name, status: 'failed', reason, seconds: seconds() };
  };
  context.progress(node, 'init, plan...');

  let dir = node.workingDirectory;
  let planFile = path.join(context.outputDir, `${node.name}.tfplan`);
  let env: NodeJS.ProcessEnv = {};
  if (context.offline) {
    dir = path.join(context.scratch, 'work', node.name);
    planFile = path.join(context.scratch, `${node.name}.tfplan`);
    env = OFFLINE_ENV;
    try {
      // A copy, so `npm run validate` and `cdktf deploy` never meet the override; assets come along.
      cpSync(node.workingDirectory, dir, {
        recursive: true,
        filter: (source) => path.basename(source) !== '.terraform',
      });
      const override = offlineOverride(node, { state: OFFLINE_STATE_FILE, standIns: context.standIns });
      writeFileSync(path.join(dir, OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);
    } catch (error) {
      return fail('override', error instanceof Error ? error.message : String(error));
    }
  }

  const init = context.offline
    ? await context.prepareWorkingCopy(node.config, dir)
    : await nonZero(initStack(dir, [], env));
  if (init !== undefined) return fail('init', init);
  // Offline the state is empty, so a refresh has nothing to read (data sources are read either way).
  const lock = context.offline ? ['-lock=false', '-refresh=false'] : ['-lock-timeout=120s'];
  // With -detailed-exitcode, 2 means "planned, with changes" (drift); 1 is still an error.
  const detailed = context.detailedExitCode ? ['-detailed-exitcode'] : [];
  const plan = await runTerraform(
    ['plan', '-input=false', '-no-color', ...lock, ...detailed, `-out=${planFile}`],
    { cwd: dir, env },
  );
  const drifted = context.detailedExitCode && plan.exitCode === 2;
  if (plan.exitCode !== 0 && !drifted) return fail('plan', plan);
  const show = await runTerraform(['show', '-json', planFile], { cwd: dir, env });
  if (show.exitCode !== 0) return fail('show', show);
  const planJson = JSON.parse(show.stdout) as PlanJson;
  return recordPlan(node, context, {
    plan: planJson,
    planJsonText: show.stdout,
    text: planText(plan.stdout),
    counts: countChanges(planJson),
    types: () => resourceTypes(dir),
    ...(context.detailedExitCode ? { drifted } : {}),
    started,
  });
}

/**
 * Offline: plans the stack in the next wave (`wave-run.ts`), or on its own (`alone`) when it is the only
 * stack of its wave or the wave could not be planned as one.
 */
async function planInWave(
  node: StackNode,
  context: StackContext,
  waves: WavePlanner,
  alone: () => Promise<StackPlan>,
): Promise<StackPlan> {
  const started = performance.now();
  const outcome = await waves({ node, standIns: { ...context.standIns } });
  if (outcome.status === 'alone') {
    if (outcome.plannedWith.length > 1) {
      // The reason's first line, and Terraform's first error if it gives one.
      const lines = outcome.reason.split('\n').map((line) => line.trim());
      const error = lines.find((line) => line.startsWith('Error: '));
      const why = [lines.find((line) => line !== ''), error].filter((line) => line !== undefined).join(' ');
      context.progress(
        node,
        `its wave (${outcome.plannedWith.join(', ')}) did not plan as one (${why}); planning it alone`,
      );
    }
    return alone();
  }
  const block = buffered(context);
  try {
    return await recordPlan(node, block.context, {
      plan: outcome.plan,
      planJsonText: JSON.stringify(outcome.plan),
      text: outcome.text,
      counts: outcome.counts,
      types: async () => {
        if (outcome.types === undefined) throw new Error('the wave did not read the provider types');
        return outcome.types;
      },
      wave: outcome.wave,
      started,
    });
  } finally {
    block.flush();
  }
}

/**
 * Terraform's plan output without the reads and refreshes it logs on the way, nor the advice to apply the
 * saved plan file (the text of `terraform show <plan>`, without loading the provider a third time).
 */
export function planText(stdout: string): string {
  const lines = stdout.split('\n');
  const saved = lines.findIndex((line) => line.startsWith('Saved the plan to:'));
  const kept = (saved === -1 ? lines : lines.slice(0, saved)).filter(
    (line) => !/^\S+: (Reading\.\.\.|Read complete after|Refreshing state\.\.\.)/.test(line),
  );
  while (kept.length > 0 && /^(─*|\s*)$/.test(kept[kept.length - 1])) kept.pop();
  while (kept.length > 0 && kept[0].trim() === '') kept.shift();
  return `${kept.join('\n')}\n`;
}

/**
 * The context of one stack's plan whose progress lines are held back and printed as one block when the plan
 * is done, so stacks planned side by side never interleave their lines.
 */
function buffered(context: StackContext): { context: StackContext; flush: () => void } {
  const lines: [StackNode, string][] = [];
  return {
    context: { ...context, progress: (node, text) => lines.push([node, text]) },
    flush: () => {
      for (const [node, text] of lines.splice(0)) context.progress(node, text);
    },
  };
}

/** The result of a Terraform run that failed; undefined when it succeeded. */
async function nonZero(run: Promise<TerraformResult>): Promise<TerraformResult | undefined> {
  const result = await run;
  return result.exitCode === 0 ? undefined : result;
}
