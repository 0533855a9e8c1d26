/**
 * `npm run validate [stack ...]`: `terraform init -backend=false` + `terraform validate` on every stack of
 * `cdktf.out/` (or the named ones). Offline through the provider mirror; exits non-zero if any stack fails.
 */
import {
  listSynthesizedStacks,
  validateStack,
  type SynthesizedStack,
  type ValidationResult,
} from './terraform';

// Each validate loads the whole AWS provider schema (~600 MB, ~3 s of CPU): two at a time suits 2 cores.
const CONCURRENCY = 2;

interface StackReport extends ValidationResult {
  readonly name: string;
  readonly seconds: number;
}

async function main(args: readonly string[]): Promise<void> {
  const stacks = selectStacks(listSynthesizedStacks(), args);
  const nameWidth = Math.max(...stacks.map((stack) => stack.name.length));
  const started = performance.now();
  const reports = await mapConcurrently(stacks, CONCURRENCY, async (stack) => {
    const report = await validate(stack);
    printReport(report, nameWidth);
    return report;
  });
  const failed = reports.filter((report) => !report.ok).map((report) => report.name);
  const total = secondsSince(started).toFixed(1);
  if (failed.length > 0) {
    console.error(
      `${failed.length} of ${reports.length} stacks FAILED validation (${total}s): ${failed.join(', ')}`,
    );
    process.exitCode = 1;
    return;
  }
  console.log(`All ${reports.length} stacks are valid (${total}s).`);
}

/** The stacks named on the command line, in manifest order; all of them when none is named. */
function selectStacks(all: readonly SynthesizedStack[], names: readonly string[]): SynthesizedStack[] {
  const options = names.filter((name) => name.startsWith('-'));
  if (options.length > 0)
    throw new Error(`Unknown option ${options[0]}. Usage: npm run validate [stack ...]`);
  const unknown = names.filter((name) => !all.some((stack) => stack.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `No synthesized stack named ${unknown.join(', ')}. Stacks in cdktf.out: ${all.map((s) => s.name).join(', ')}`,
    );
  }
  const selected = names.length === 0 ? [...all] : all.filter((stack) => names.includes(stack.name));
  if (selected.length === 0) throw new Error('cdktf.out has no stacks; run `npm run synth` first.');
  return selected;
}

async function validate(stack: SynthesizedStack): Promise<StackReport> {
  const started = performance.now();
  const result = await validateStack(stack.workingDirectory);
  return { ...result, name: stack.name, seconds: secondsSince(started) };
}

function printReport(report: StackReport, nameWidth: number): void {
  const line = `${report.name.padEnd(nameWidth)}  ${report.ok ? 'ok    ' : 'FAILED'}  ${report.seconds.toFixed(1)}s`;
  if (!report.ok) {
    console.error(`${line}\n${indent(report.output)}`);
  } else if (report.output.includes('Warning:')) {
    // Deprecations of the pinned provider show up here; worth reading, not worth failing.
    console.log(`${line}  with warnings\n${indent(report.output)}`);
  } else {
    console.log(line);
  }
}

/** Runs `task` on every item with at most `limit` in flight; results in the items' order. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `    ${line}`))
    .join('\n');
}

function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
