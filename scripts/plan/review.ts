/**
 * The review of an environment's plans: the destroy guard over the reviewed plan changes, the configuration
 * diff against a base synth when one is given, and the Markdown summary with both. Runs after `npm run plan`
 * (the same process) and on its own from the plan files, in CI without credentials:
 *
 *   npm run plan:review -- --env <env>|all [--plan-dir plan.out] [--outdir cdktf.out] [--base DIR]
 *                          [--allowances plan-allowances.json] [--offline]
 *
 * Exits 1 when a stateful resource of a protected environment would be lost without an allowance.
 * Node built-ins only: CI runs the compiled form in jobs that install nothing.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { configRemovals, diffSynthDirs, renderConfigDiffSection } from './config-diff';
import {
  ALLOWANCES_FILE,
  blockedMessage,
  classifyRemovals,
  parseAllowances,
  renderGuardSection,
  unusedAllowances,
  type Allowance,
  type Removal,
  type ReviewedPlan,
} from './destroy-guard';
import { isProtected, readEnvironmentFacts } from './environment-facts';
import type { PlanJson } from './offline';
import { countChanges, renderSummary, type StackPlan } from './summary';

export interface ReviewOptions {
  readonly environment: string;
  /** `<planDir>/<environment>/` holds order.txt and the per-stack files. */
  readonly planDir: string;
  /** The head synth (`cdktf.out`): its `environments.json` says which environments are protected. */
  readonly synthDir: string;
  /** The base branch's synth, for the configuration diff. @default no diff */
  readonly baseSynthDir?: string;
  /** @default no allowances */
  readonly allowances?: readonly Allowance[];
  readonly offline: boolean;
}

export interface EnvironmentReview {
  readonly removals: readonly Removal[];
  readonly blocked: readonly Removal[];
  readonly summary: string;
}

/** The file names the pipeline writes per stack. */
export const planFiles = (stack: string) => ({
  changes: `${stack}.changes.json`,
  text: `${stack}.plan.txt`,
  error: `${stack}.error.txt`,
});

/** The stacks' outcomes, read back from `<planDir>/<env>/` (what the plan job hands to the review job). */
export function loadPlans(outputDir: string): StackPlan[] {
  const order = path.join(outputDir, 'order.txt');
  if (!existsSync(order)) throw new Error(`${order} does not exist: plan the environment first.`);
  const stacks = readFileSync(order, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  return stacks.map((stack): StackPlan => {
    const files = planFiles(stack);
    const changes = path.join(outputDir, files.changes);
    if (existsSync(changes)) {
      const reviewed = JSON.parse(readFileSync(changes, 'utf8')) as ReviewedPlan;
      const text = path.join(outputDir, files.text);
      return {
        stack,
        status: 'planned',
        counts: countChanges(reviewed as PlanJson),
        text: existsSync(text) ? readFileSync(text, 'utf8') : '',
        seconds: 0,
      };
    }
    const error = path.join(outputDir, files.error);
    return existsSync(error)
      ? { stack, status: 'failed', reason: readFileSync(error, 'utf8'), seconds: 0 }
      : { stack, status: 'skipped', reason: 'not planned (an upstream stack failed)', seconds: 0 };
  });
}

/** The reviewed plan changes of a planned stack, from its `.changes.json`. */
function reviewedPlan(outputDir: string, stack: string): ReviewedPlan | undefined {
  const file = path.join(outputDir, planFiles(stack).changes);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ReviewedPlan) : undefined;
}

/** Guards and summarizes one environment; writes `summary.md`. `plans` default to those read from the files. */
export function reviewEnvironment(options: ReviewOptions, plans?: readonly StackPlan[]): EnvironmentReview {
  const outputDir = path.join(options.planDir, options.environment);
  const stackPlans = plans ?? loadPlans(outputDir);
  const protectedEnvironment = isProtected(readEnvironmentFacts(options.synthDir), options.environment);
  const guard = { protectedEnvironment, allowances: options.allowances ?? [] };

  const removals: Removal[] = [];
  for (const plan of stackPlans) {
    const reviewed = plan.status === 'planned' ? reviewedPlan(outputDir, plan.stack) : undefined;
    if (reviewed !== undefined) removals.push(...classifyRemovals(plan.stack, reviewed, guard));
  }
  const sections: string[] = [];
  let diffSection: string | undefined;
  if (options.baseSynthDir !== undefined) {
    const diffs = diffSynthDirs(options.baseSynthDir, options.synthDir, options.environment);
    const fromConfig = configRemovals(
      diffs.flatMap((diff) => diff.changes),
      guard,
    );
    // The plan knows best (it read the state); the configuration diff adds what an offline plan cannot see.
    for (const removal of fromConfig) {
      if (!removals.some((r) => r.stack === removal.stack && r.address === removal.address))
        removals.push(removal);
    }
    diffSection = renderConfigDiffSection(diffs);
  }
  const unused = unusedAllowances(options.environment, guard.allowances, removals);
  sections.push(renderGuardSection(options.environment, protectedEnvironment, removals, unused));
  if (diffSection !== undefined) sections.push(diffSection);

  const summary = renderSummary(stackPlans, {
    environment: options.environment,
    offline: options.offline,
    sections,
  });
  writeFileSync(path.join(outputDir, 'summary.md'), summary);
  return { removals, blocked: removals.filter((removal) => removal.blocked), summary };
}

/** The allowances file, or none when it does not exist; throws when it is not valid. */
export function readAllowances(file: string): Allowance[] {
  if (!existsSync(file)) return [];
  return parseAllowances(readFileSync(file, 'utf8'), path.basename(file));
}

/** The environments planned in a plan directory: its subdirectories with an order.txt. */
function plannedEnvironments(planDir: string): string[] {
  return readdirSync(planDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(planDir, entry.name, 'order.txt')))
    .map((entry) => entry.name);
}

async function main(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      env: { type: 'string' },
      'plan-dir': { type: 'string', default: 'plan.out' },
      outdir: { type: 'string', default: 'cdktf.out' },
      base: { type: 'string' },
      allowances: { type: 'string', default: ALLOWANCES_FILE },
      offline: { type: 'boolean', default: false },
    },
  });
  if (values.env === undefined) throw new Error('Usage: npm run plan:review -- --env <env>|all [--base DIR]');
  const planDir = path.resolve(values['plan-dir'] as string);
  const environments = values.env === 'all' ? plannedEnvironments(planDir) : [values.env];
  const allowances = readAllowances(path.resolve(values.allowances as string));
  let blocked = false;
  for (const environment of environments) {
    const review = reviewEnvironment({
      environment,
      planDir,
      synthDir: path.resolve(values.outdir as string),
      baseSynthDir: values.base === undefined ? undefined : path.resolve(values.base),
      allowances,
      offline: values.offline === true,
    });
    console.log(`Summary: ${path.relative(process.cwd(), path.join(planDir, environment, 'summary.md'))}`);
    if (review.blocked.length > 0) {
      console.error(blockedMessage(environment, review.removals));
      blocked = true;
    }
  }
  if (blocked) process.exitCode = 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
