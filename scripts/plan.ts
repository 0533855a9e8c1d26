/**
 * `npm run plan -- --env <env>|all [--stack <name>...] [--offline] [--skip-synth] [--concurrency N]
 * [--outdir DIR] [--plan-dir DIR]`:
 * synthesizes (unless `--skip-synth`: then it plans the synth already in DIR), then plans every stack of the
 * environment in dependency order (see `plan/pipeline.ts`), every environment of `all` at the same time,
 * sharing one place per core (`--concurrency N`: N places; 1 plans one stack at a time); writes the plans and a Markdown summary under `plan.out/<env>/`. Exits
 * non-zero if any stack fails.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { environmentOf, loadStacks } from './plan/graph';
import { DEFAULT_CONCURRENCY, planEnvironment, planSlots } from './plan/pipeline';

const root = path.resolve(__dirname, '..');
const USAGE =
  'Usage: npm run plan -- --env <env>|all [--stack <name>...] [--offline] [--skip-synth] [--concurrency N] [--outdir cdktf.out] [--plan-dir plan.out]';

export interface PlanArguments {
  readonly environment: string;
  readonly stacks: readonly string[];
  readonly offline: boolean;
  /** Plan the synth already in `synthDir` (CI, right after `npm test` synthesized it). */
  readonly skipSynth: boolean;
  /** Stacks planned at once, across all environments: the number of cores unless `--concurrency`. */
  readonly concurrency: number;
  readonly synthDir: string;
  readonly planDir: string;
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
        'skip-synth': { type: 'boolean', default: false },
        concurrency: { type: 'string' },
        outdir: { type: 'string', default: 'cdktf.out' },
        'plan-dir': { type: 'string', default: 'plan.out' },
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
  const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`--concurrency takes a whole number >= 1, not "${values.concurrency}".\n${USAGE}`);
  }
  return {
    environment: values.env,
    concurrency,
    stacks,
    offline: values.offline === true,
    skipSynth: values['skip-synth'] === true,
    synthDir: path.resolve(root, values.outdir as string),
    planDir: path.resolve(root, values['plan-dir'] as string),
  };
}

async function main(args: readonly string[]): Promise<void> {
  const options = parsePlanArguments(args);
  if (!options.skipSynth) synthesize(options.synthDir);

  const environments =
    options.environment === 'all'
      ? [...new Set(loadStacks(options.synthDir).map((stack) => environmentOf(stack.name)))]
      : [options.environment];
  const started = performance.now();
  // Every environment at once: independent chains share one place per core.
  const slot = planSlots(options.concurrency);
  const results = await Promise.all(
    environments.map((environment) => planEnvironment({ ...options, environment, slot })),
  );
  const failed: string[] = [];
  for (const result of results) {
    const relative = path.relative(process.cwd(), result.outputDir) || '.';
    for (const plan of result.plans) {
      if (plan.status !== 'planned') failed.push(`${plan.stack} (${plan.status})`);
    }
    console.log(`Summary: ${path.join(relative, 'summary.md')}`);
  }
  const total = ((performance.now() - started) / 1000).toFixed(1);
  if (failed.length > 0) {
    console.error(
      `${failed.length} stack${failed.length === 1 ? '' : 's'} did NOT plan (${total}s): ${failed.join(', ')}`,
    );
    process.exitCode = 1;
    return;
  }
  console.log(`Every stack of ${environments.join(', ')} planned (${total}s).`);
}

function synthesize(synthDir: string): void {
  const synth = spawnSync(
    process.execPath,
    [
      '-r',
      path.join(root, 'scripts', 'register.js'),
      path.join(root, 'scripts', 'synth.ts'),
      '--outdir',
      synthDir,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (synth.status !== 0) throw new Error('The synth failed; nothing was planned.');
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
