/**
 * `npm run plan -- --env <env>|all [--stack <name>...] [--offline] [--outdir DIR] [--plan-dir DIR]`:
 * synthesizes, then plans every stack of the environment in dependency order (see `plan/pipeline.ts`),
 * every environment of `all` at the same time, sharing one place per core (`--concurrency N`), and
 * writes the plans and a Markdown summary under `plan.out/<env>/`. Exits non-zero if any stack fails, or
 * if the destroy guard blocks a loss (`plan/review.ts`; `--base DIR` adds the configuration diff against
 * that synth, `--allowances FILE` the accepted losses). `--drift` reports drift instead (`plan/drift.ts`,
 * exit 2 on drift). `--skip-synth` plans an existing synth (CI hands `cdktf.out` over as an artifact).
 * Offline, the stacks ready at the same moment plan as one Terraform run (`plan/wave-run.ts`);
 * `--per-stack` plans each in a run of its own.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ALLOWANCES_FILE, blockedMessage } from './plan/destroy-guard';
import { driftLines, driftOf, driftSelection, renderDriftReport } from './plan/drift';
import { environmentOf, loadStacks } from './plan/graph';
import { DEFAULT_CONCURRENCY, planEnvironment, planText } from './plan/pipeline';
import { planSlots } from './plan/slots';
import { synthArgv } from './synth-command';
import { listSynthesizedStacks } from './terraform';
import { wavePlanner } from './plan/wave-run';
import { readAllowances, reviewEnvironment } from './plan/review';
import { writeFileSync } from 'node:fs';

const root = path.resolve(__dirname, '..');
const USAGE =
  'Usage: npm run plan -- --env <env>|all [--stack <name>...] [--offline | --drift] [--base DIR] [--allowances FILE] [--skip-synth] [--concurrency N] [--per-stack] [--no-review] [--outdir cdktf.out] [--plan-dir plan.out]';

export interface PlanArguments {
  readonly environment: string;
  readonly stacks: readonly string[];
  readonly offline: boolean;
  readonly synthDir: string;
  readonly planDir: string;
  /** Plan against AWS with -detailed-exitcode and report drift. */
  readonly drift: boolean;
  /** Plan the synth already in `synthDir` (CI, right after `npm test` synthesized it). */
  readonly skipSynth: boolean;
  /** Stacks planned at once, across all environments: the number of cores unless `--concurrency`. */
  readonly concurrency: number;
  /** Offline, plan each stack in a Terraform run of its own rather than each wave in one. */
  readonly perStack: boolean;
  /** The base branch's synth, for the configuration diff. */
  readonly baseSynthDir?: string;
  readonly allowancesFile: string;
  /** Leave the review (guard, summary with it) to a later step: CI runs it in a job without credentials. */
  readonly review: boolean;
}

/** The command line, or an error that says what is wrong and how to call it. */
export function parsePlanArguments(args: readonly string[]): PlanArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        env: { type: 'string' },
        stack: { type: 'string', multiple: true },
        offline: { type: 'boolean', default: false },
        outdir: { type: 'string', default: 'cdktf.out' },
        'plan-dir': { type: 'string', default: 'plan.out' },
        drift: { type: 'boolean', default: false },
        'skip-synth': { type: 'boolean', default: false },
        concurrency: { type: 'string' },
        'per-stack': { type: 'boolean', default: false },
        base: { type: 'string' },
        allowances: { type: 'string', default: ALLOWANCES_FILE },
        'no-review': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.env === undefined || values.env === '') throw new Error(`--env is required.\n${USAGE}`);
  const stacks = [...(values.stack ?? []), ...positionals];
  if (stacks.length > 0 && values.env === 'all') {
    throw new Error(`--stack names stacks of one environment; it does not go with --env all.\n${USAGE}`);
  }
  if (values.drift === true && values.offline === true) {
    throw new Error(`--drift plans against AWS; it does not go with --offline.\n${USAGE}`);
  }
  const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`--concurrency takes a whole number >= 1, not "${values.concurrency}".\n${USAGE}`);
  }
  return {
    environment: values.env,
    stacks,
    offline: values.offline === true,
    synthDir: path.resolve(root, values.outdir as string),
    planDir: path.resolve(root, values['plan-dir'] as string),
    drift: values.drift === true,
    skipSynth: values['skip-synth'] === true,
    concurrency,
    perStack: values['per-stack'] === true,
    baseSynthDir: values.base === undefined ? undefined : path.resolve(values.base),
    allowancesFile: path.resolve(values.allowances as string),
    review: values['no-review'] !== true,
  };
}

/** Whether `--stack` names this stack (`network` or `dev-network`). */
function wanted(environment: string, stack: string, names: readonly string[]): boolean {
  return names.some((name) => name === stack || `${environment}-${name}` === stack);
}

async function main(args: readonly string[]): Promise<void> {
  const options = parsePlanArguments(args);
  if (!options.skipSynth) {
    // A child process: the synth and the config it reads need node_modules; this file (compiled for CI)
    // does not. The synth also writes environments.json, which the destroy guard reads.
    const [node, ...synthArgs] = synthArgv();
    const synth = spawnSync(node, [...synthArgs, '--outdir', options.synthDir], {
      cwd: root,
      stdio: 'inherit',
    });
    if (synth.status !== 0) throw new Error('The synth failed; nothing was planned.');
  }
  const allowances = readAllowances(options.allowancesFile);

  // The manifest's stack names: no configuration needs reading for them.
  const synthesized = listSynthesizedStacks(options.synthDir);
  const environments =
    options.environment === 'all'
      ? [...new Set(synthesized.map((stack) => environmentOf(stack.name)))]
      : [options.environment];
  const started = performance.now();
  // Drift needs each stack's configuration: read once for every environment.
  const configs = options.drift ? loadStacks(options.synthDir) : undefined;
  const selections = environments.map((environment) =>
    configs === undefined ? undefined : driftSelection(configs, environment),
  );
  // Every environment at once: independent chains share one place per core, and offline the stacks of
  // every environment that are ready at the same moment plan as one Terraform run.
  const slot = planSlots(options.concurrency);
  const waves = wavePlanner(slot, planText);
  // Their lines interleave: one width for every environment's stack names keeps the columns straight.
  const nameWidth = Math.max(
    ...synthesized
      .filter((stack) => environments.includes(environmentOf(stack.name)))
      .map((stack) => stack.name.length),
  );
  const results = await Promise.all(
    environments.map((environment, index) => {
      const selection = selections[index];
      return planEnvironment({
        ...options,
        environment,
        slot,
        waves,
        nameWidth,
        stacks:
          selection === undefined
            ? options.stacks
            : selection.planned.filter(
                (name) => options.stacks.length === 0 || wanted(environment, name, options.stacks),
              ),
        detailedExitCode: options.drift,
      });
    }),
  );
  const failed: string[] = [];
  let blocked = false;
  let drifted = false;
  for (const [index, result] of results.entries()) {
    const environment = environments[index];
    const selection = selections[index];
    const relative = path.relative(process.cwd(), result.outputDir) || '.';
    for (const plan of result.plans) {
      if (plan.status !== 'planned') failed.push(`${plan.stack} (${plan.status})`);
    }
    if (selection !== undefined) {
      const notChecked = selection.notChecked.filter(
        (drift) => options.stacks.length === 0 || wanted(environment, drift.stack, options.stacks),
      );
      const drifts = [...notChecked, ...driftOf(result.plans)];
      writeFileSync(path.join(result.outputDir, 'drift.md'), renderDriftReport(environment, drifts));
      console.log(`\nDrift of ${environment}:\n${driftLines(drifts).join('\n')}`);
      console.log(`Report: ${path.join(relative, 'drift.md')}\n`);
      drifted ||= drifts.some((drift) => drift.status === 'drifted');
      continue;
    }
    console.log(`Summary: ${path.join(relative, 'summary.md')}\n`);
    if (!options.review) continue;
    const review = reviewEnvironment(
      { ...options, environment, baseSynthDir: options.baseSynthDir, allowances },
      result.plans,
    );
    if (review.blocked.length > 0) {
      console.error(blockedMessage(environment, review.removals));
      blocked = true;
    }
  }
  const total = ((performance.now() - started) / 1000).toFixed(1);
  if (failed.length > 0) {
    console.error(
      `${failed.length} stack${failed.length === 1 ? '' : 's'} did NOT plan (${total}s): ${failed.join(', ')}`,
    );
    process.exitCode = 1;
    return;
  }
  if (blocked) {
    process.exitCode = 1;
    return;
  }
  if (drifted) {
    console.error(`Drift in ${environments.join(', ')}: AWS differs from this configuration (${total}s).`);
    process.exitCode = 2;
    return;
  }
  console.log(`Every stack of ${environments.join(', ')} planned (${total}s).`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
