/**
 * `npm test`: every check of a change, in the order that answers soonest on a 2-core machine. The type
 * check, the lint and the synth each use one core and need nothing of each other, so they run side by
 * side (each one's output is held back and printed as one block when it is done); then the unit tests
 * (jest, one worker per core) and the validation of the synth, also side by side: they need nothing of each
 * other, and much of both is waiting on Terraform (see docs/performance.md, "Tests").
 * Each check is the npm script of its name, so `npm run <name>` alone does the same thing. A failed check
 * stops the run after its phase, with its output.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** A phase's checks run side by side; phases run in order. */
export const TEST_PHASES: readonly (readonly string[])[] = [
  ['build', 'lint', 'synth'],
  ['test:unit', 'validate'],
];

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
}

export interface RunOptions {
  /** The command of check `name`. @default npm run <name> */
  readonly command?: (name: string) => readonly string[];
  /** Where lines go. @default process.stdout */
  readonly write?: (text: string) => void;
  readonly cwd?: string;
}

const root = path.resolve(__dirname, '..');

/** Runs the phases in order; a phase with a failed check is the last. Resolves to every check run. */
export async function runChecks(
  phases: readonly (readonly string[])[],
  options: RunOptions = {},
): Promise<CheckResult[]> {
  const command = options.command ?? ((name: string) => ['npm', 'run', '--silent', name]);
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const results: CheckResult[] = [];
  for (const phase of phases) {
    // Alone, a check streams its output; side by side, each prints its own block when done.
    const alone = phase.length === 1;
    const done = await Promise.all(
      phase.map((name) => runCheck(name, command(name), alone, write, options.cwd ?? root)),
    );
    results.push(...done);
    if (done.some((result) => !result.ok)) break;
  }
  return results;
}

function runCheck(
  name: string,
  argv: readonly string[],
  alone: boolean,
  write: (text: string) => void,
  cwd: string,
): Promise<CheckResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const [file, ...args] = argv;
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const held: Buffer[] = [];
    const take = (chunk: Buffer) => (alone ? write(chunk.toString()) : held.push(chunk));
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    if (alone) write(`> ${name}\n`);
    const finish = (ok: boolean, failure = '') => {
      const seconds = (performance.now() - started) / 1000;
      if (!alone) write(`> ${name}\n${Buffer.concat(held).toString()}`);
      write(`${failure}${ok ? 'ok' : 'FAILED'}  ${name} (${seconds.toFixed(1)}s)\n\n`);
      resolve({ name, ok, seconds });
    };
    child.on('error', (error) => finish(false, `${error.message}\n`));
    child.on('close', (exitCode) => finish(exitCode === 0));
  });
}

/** One line: the verdict, each check's time, the whole run's, and the checks a failure left unrun. */
export function summaryLine(
  phases: readonly (readonly string[])[],
  results: readonly CheckResult[],
  seconds: number,
): string {
  const failed = results.filter((result) => !result.ok).map((result) => result.name);
  const unrun = phases.flat().filter((name) => !results.some((result) => result.name === name));
  const times = results.map((result) => `${result.name} ${result.seconds.toFixed(1)}s`).join(', ');
  const verdict = failed.length === 0 ? 'every check passed' : `FAILED: ${failed.join(', ')}`;
  const skipped = unrun.length === 0 ? '' : `; not run: ${unrun.join(', ')}`;
  return `npm test: ${verdict} in ${seconds.toFixed(1)}s (${times})${skipped}`;
}

if (require.main === module) {
  const started = performance.now();
  runChecks(TEST_PHASES).then((results) => {
    console.log(summaryLine(TEST_PHASES, results, (performance.now() - started) / 1000));
    process.exitCode = results.every((result) => result.ok) ? 0 : 1;
  });
}
