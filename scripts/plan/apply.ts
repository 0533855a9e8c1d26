/**
 * `npm run apply -- --env <env> [--plan-dir plan.out] [--outdir cdktf.out] [--allowances FILE]`: applies
 * the plans `npm run plan -- --env <env>` saved (what was reviewed), stack by stack in the plan's dependency
 * order (`order.txt`), stopping at the first failure. Never plans again: a plan whose state changed since
 * (Terraform: "Saved plan is stale") fails with what happened and what to do. `<env>-state` is skipped: a
 * person bootstraps it (its state is a local file). The destroy guard is checked again before anything runs.
 *
 * At a terminal, `npx cdktf deploy <stack>` still plans and applies in one go (docs/operations.md).
 * Node built-ins only: CI runs the compiled form in the deploy job, which installs nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { initStack, listSynthesizedStacks, outputOf, runTerraform, type TerraformResult } from '../terraform';
import {
  ALLOWANCES_FILE,
  blockedMessage,
  classifyRemovals,
  type Allowance,
  type ReviewedPlan,
} from './destroy-guard';
import { isProtected, readEnvironmentFacts } from './environment-facts';
import { readAllowances } from './review';

export interface ApplyOptions {
  readonly environment: string;
  /** Where `npm run plan` wrote `<env>/order.txt`, `<stack>.tfplan` and `<stack>.changes.json`. */
  readonly planDir: string;
  /** The synth output the plans were made from (each stack's directory holds its `.terraform`). */
  readonly synthDir: string;
  readonly allowances: readonly Allowance[];
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** Runs Terraform; replaced in tests. @default runTerraform */
  readonly terraform?: (args: readonly string[], cwd: string) => Promise<TerraformResult>;
}

export interface ApplyResult {
  readonly applied: readonly string[];
  /** The stack that failed and why, in words a person can act on. */
  readonly failure?: { readonly stack: string; readonly message: string };
  /** Stacks not applied because an earlier one failed. */
  readonly notApplied: readonly string[];
  readonly skipped: readonly string[];
}

/** Terraform's error when the state changed between `plan -out` and `apply <plan>`. */
const STALE_PLAN = 'Saved plan is stale';

export async function applyEnvironment(options: ApplyOptions): Promise<ApplyResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const terraform = options.terraform ?? ((args, cwd) => runTerraform(args, { cwd }));
  const outputDir = path.join(options.planDir, options.environment);
  const orderFile = path.join(outputDir, 'order.txt');
  if (!existsSync(orderFile)) {
    throw new Error(
      `${orderFile} does not exist: run \`npm run plan -- --env ${options.environment}\` first.`,
    );
  }
  const order = readFileSync(orderFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const skipped = order.filter((stack) => stack === `${options.environment}-state`);
  const stacks = order.filter((stack) => !skipped.includes(stack));
  const directories = new Map(
    listSynthesizedStacks(options.synthDir).map((s) => [s.name, s.workingDirectory]),
  );

  // Everything checked before the first apply: a missing plan or a blocked loss stops the run up front.
  const protectedEnvironment = isProtected(readEnvironmentFacts(options.synthDir), options.environment);
  const removals = stacks.flatMap((stack) => {
    const file = path.join(outputDir, `${stack}.changes.json`);
    if (!existsSync(path.join(outputDir, `${stack}.tfplan`)) || !existsSync(file)) {
      throw new Error(
        `No saved plan for ${stack} in ${outputDir}: run \`npm run plan -- --env ${options.environment}\` against AWS (an offline plan cannot be applied).`,
      );
    }
    const reviewed = JSON.parse(readFileSync(file, 'utf8')) as ReviewedPlan;
    return classifyRemovals(stack, reviewed, { protectedEnvironment, allowances: options.allowances });
  });
  if (removals.some((removal) => removal.blocked)) {
    throw new Error(`${blockedMessage(options.environment, removals)}\nNothing was applied.`);
  }

  const applied: string[] = [];
  for (const [index, stack] of stacks.entries()) {
    const cwd = directories.get(stack);
    const planFile = path.join(outputDir, `${stack}.tfplan`);
    const stop = (message: string): ApplyResult => {
      log(`${stack}  FAILED\n${message}`);
      return { applied, failure: { stack, message }, notApplied: stacks.slice(index + 1), skipped };
    };
    if (cwd === undefined)
      return stop(
        `${stack} is not a stack of ${options.synthDir}: apply from the synth the plan was made from.`,
      );
    log(`${stack}  applying the saved plan...`);
    // The plan ran in this directory; its provider and lock file are here unless the directory was copied.
    if (!existsSync(path.join(cwd, '.terraform'))) {
      const init = await initStack(cwd);
      if (init.exitCode !== 0) return stop(`terraform init failed:\n${outputOf(init)}`);
    }
    const result = await terraform(['apply', '-input=false', '-no-color', planFile], cwd);
    if (result.exitCode !== 0) return stop(applyFailure(stack, options.environment, result));
    applied.push(stack);
    log(`${stack}  applied`);
  }
  return { applied, notApplied: [], skipped };
}

/** What a failed apply means: a stale plan explained, anything else with Terraform's own output. */
export function applyFailure(stack: string, environment: string, result: TerraformResult): string {
  const output = outputOf(result);
  if (output.includes(STALE_PLAN)) {
    return [
      `The saved plan of ${stack} is stale: its state changed after the plan was made (another apply, or a`,
      'change through another run), so Terraform refused to apply it and changed nothing in this stack.',
      `Plan again (\`npm run plan -- --env ${environment}\`, or re-run the deploy job), review the new plan,`,
      'then apply it. Stacks before this one were applied; the ones after it were not.',
    ].join('\n');
  }
  return `terraform apply failed:\n${output}`;
}

async function main(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      env: { type: 'string' },
      'plan-dir': { type: 'string', default: 'plan.out' },
      outdir: { type: 'string', default: 'cdktf.out' },
      allowances: { type: 'string', default: ALLOWANCES_FILE },
    },
  });
  if (values.env === undefined || values.env === 'all') {
    throw new Error('Usage: npm run apply -- --env <env> (one environment: the one `npm run plan` planned)');
  }
  const result = await applyEnvironment({
    environment: values.env,
    planDir: path.resolve(values['plan-dir'] as string),
    synthDir: path.resolve(values.outdir as string),
    allowances: readAllowances(path.resolve(values.allowances as string)),
  });
  for (const stack of result.skipped)
    console.log(`${stack}  skipped: bootstrapped by a person (docs/operations.md)`);
  if (result.failure !== undefined) {
    if (result.notApplied.length > 0) console.error(`Not applied: ${result.notApplied.join(', ')}`);
    process.exitCode = 1;
    return;
  }
  console.log(
    `Applied ${result.applied.length} stack${result.applied.length === 1 ? '' : 's'} of ${values.env}.`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
