/**
 * `npm run validate [-- --stack <name>...] [--per-stack] [--outdir DIR]`: validates the synthesized stacks
 * of `cdktf.out/` offline (through the provider mirror) without credentials or state; exits non-zero if any
 * stack fails.
 *
 * By default every stack in one Terraform run (`validate/one-pass.ts`: one init, one provider schema load),
 * each problem named by stack and resource. Named stacks (`--stack`), or `--per-stack`, run the per-stack
 * runner instead: `terraform init -backend=false` + `terraform validate` in each stack's own directory.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { listSynthesizedStacks, validateStack, type SynthesizedStack } from './terraform';
import { mapConcurrently, validateStacks } from './validate/one-pass';
import { diagnosticLines } from './validate/report';

const root = path.resolve(__dirname, '..');
const USAGE = 'Usage: npm run validate [-- --stack <name>...] [--per-stack] [--outdir cdktf.out]';
// Each per-stack validate loads the whole AWS provider schema (~600 MB, ~3 s of CPU): two at a time suits 2 cores.
const CONCURRENCY = 2;

export interface ValidateArguments {
  readonly stacks: readonly string[];
  readonly perStack: boolean;
  readonly outdir: string;
}

export function parseValidateArguments(args: readonly string[]): ValidateArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        stack: { type: 'string', multiple: true },
        'per-stack': { type: 'boolean', default: false },
        outdir: { type: 'string', default: 'cdktf.out' },
      },
    });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const stacks = [...(values.stack ?? []), ...positionals];
  return {
    stacks,
    perStack: values['per-stack'] === true || stacks.length > 0,
    outdir: path.resolve(root, values.outdir as string),
  };
}

async function main(args: readonly string[]): Promise<void> {
  const options = parseValidateArguments(args);
  const stacks = selectStacks(listSynthesizedStacks(options.outdir), options.stacks);
  const started = performance.now();
  const verdict = options.perStack ? await validatePerStack(stacks) : await validateOnePass(stacks);
  const line = `${verdict.message} (${secondsSince(started).toFixed(1)}s)`;
  if (verdict.ok) {
    console.log(line);
  } else {
    console.error(line);
    process.exitCode = 1;
  }
}

interface Verdict {
  readonly ok: boolean;
  /** The last line: how many stacks are valid, or which failed. */
  readonly message: string;
}

async function validateOnePass(stacks: readonly SynthesizedStack[]): Promise<Verdict> {
  const result = await validateStacks(stacks);
  if (result.mode === 'per-stack') {
    console.log(
      `One-pass init failed, so each stack was validated on its own:\n${indent(result.fallbackReason ?? '')}`,
    );
    for (const stack of result.perStack ?? []) printReport({ ...stack, seconds: undefined }, stacks);
  }
  for (const line of diagnosticLines(result.diagnostics))
    (line.startsWith('ERROR') ? console.error : console.log)(line);
  const failed = new Set(
    result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.stack ?? '(no stack)'),
  );
  for (const stack of result.perStack ?? []) if (!stack.ok) failed.add(stack.name);
  const how = result.mode === 'one-pass' ? 'in one pass' : 'one by one';
  if (!result.ok && failed.size === 0) {
    return { ok: false, message: `Validation FAILED (${how}): Terraform failed without naming a stack` };
  }
  if (failed.size > 0) {
    return {
      ok: false,
      message: `${failed.size} of ${stacks.length} stacks FAILED validation (${how}): ${[...failed].join(', ')}`,
    };
  }
  return { ok: true, message: `All ${stacks.length} stacks are valid (${how})` };
}

async function validatePerStack(stacks: readonly SynthesizedStack[]): Promise<Verdict> {
  const reports = await mapConcurrently(stacks, CONCURRENCY, async (stack) => {
    const started = performance.now();
    const report = {
      name: stack.name,
      ...(await validateStack(stack.workingDirectory)),
      seconds: secondsSince(started),
    };
    printReport(report, stacks);
    return report;
  });
  const failed = reports.filter((report) => !report.ok).map((report) => report.name);
  if (failed.length > 0) {
    return {
      ok: false,
      message: `${failed.length} of ${reports.length} stacks FAILED validation (per stack): ${failed.join(', ')}`,
    };
  }
  return { ok: true, message: `All ${reports.length} stacks are valid (per stack)` };
}

/** The stacks named on the command line, in manifest order; all of them when none is named. */
function selectStacks(all: readonly SynthesizedStack[], names: readonly string[]): SynthesizedStack[] {
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

interface StackReport {
  readonly name: string;
  readonly ok: boolean;
  readonly output: string;
  readonly seconds: number | undefined;
}

function printReport(report: StackReport, stacks: readonly SynthesizedStack[]): void {
  const nameWidth = Math.max(...stacks.map((stack) => stack.name.length));
  const time = report.seconds === undefined ? '' : `  ${report.seconds.toFixed(1)}s`;
  const line = `${report.name.padEnd(nameWidth)}  ${report.ok ? 'ok    ' : 'FAILED'}${time}`;
  if (!report.ok) {
    console.error(`${line}\n${indent(report.output)}`);
  } else if (report.output.includes('Warning:')) {
    // Deprecations of the pinned provider show up here; worth reading, not worth failing.
    console.log(`${line}  with warnings\n${indent(report.output)}`);
  } else {
    console.log(line);
  }
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

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
