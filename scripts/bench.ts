/**
 * `npm run bench [-- --parts synth,synth10,test,validate,plan] [--runs N] [--heavy-runs M]`: the wall time
 * of each fast path next to its baseline, both measured in this run (alternating, so a busy machine slows
 * both alike), with the ratio and the target of issue #13:
 * - synth: `npm run synth` against the stock cdktf app command `npx ts-node main.ts` (>= 8x), both run
 *   through their package runner as the issue names them;
 * - synth10: a synth of 10 environments (made from the shipped ones) against the shipped 3 (<= 3 s, linear);
 * - test: `npm test` against its checks one after another without lint caches (<= 40 s);
 * - validate: one pass against the per-stack runner (<= 10 s);
 * - plan: `npm run plan -- --env all --offline` (each wave one Terraform run) against `--per-stack` (each
 *   stack its own run, as before the waves) (<= 45 s).
 * Prints figures; fails only when a command fails. `--runs` (default 3) repeats the synth parts,
 * `--heavy-runs` (default 1) the others.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { environments as shippedEnvironments } from '../config/environments';
import type { EnvironmentInput } from '../config/schema';
import { synthArgv } from './synth-command';

const root = path.resolve(__dirname, '..');
const PARTS = ['synth', 'synth10', 'test', 'validate', 'plan'] as const;
type Part = (typeof PARTS)[number];
// GNU time: `%M` the peak resident set, in KB, of the largest process the command ran; `%U %S` the CPU
// seconds of the command and its children, which a busy machine stretches far less than the wall time.
const GNU_TIME = '/usr/bin/time';
const node = process.execPath;
const register = path.join(root, 'scripts', 'register.js');
const USAGE = `Usage: npm run bench -- [--parts ${PARTS.join(',')}] [--runs N] [--heavy-runs M]`;

/**
 * The baseline of `npm test`: its checks one after another, with ESLint and Prettier checking every file
 * (no cache), as `npm test` ran them before `scripts/test.ts`.
 */
export const SEQUENTIAL_CHECKS = [
  'npm run --silent build',
  'npx eslint .',
  'npx prettier --check .',
  'npm run --silent test:unit',
  'npm run --silent synth',
  'npm run --silent validate',
].join(' && ');

export interface Command {
  readonly label: string;
  readonly argv: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

interface Measurement {
  readonly seconds: number;
  readonly peakRssMb?: number;
  /** User + system CPU seconds. */
  readonly cpuSeconds?: number;
}

export interface BenchArguments {
  readonly parts: readonly Part[];
  readonly runs: number;
  readonly heavyRuns: number;
}

export function parseBenchArguments(args: readonly string[]): BenchArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        parts: { type: 'string', default: PARTS.join(',') },
        runs: { type: 'string', default: '3' },
        'heavy-runs': { type: 'string', default: '1' },
      },
    }));
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const parts = String(values.parts)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const unknown = parts.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0 || parts.length === 0) {
    throw new Error(
      `Unknown part ${unknown.join(', ') || '(none)'}: choose from ${PARTS.join(', ')}.\n${USAGE}`,
    );
  }
  const count = (name: string, text: unknown): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number >= 1.\n${USAGE}`);
    return n;
  };
  return {
    parts: PARTS.filter((part) => parts.includes(part)),
    runs: count('runs', values.runs),
    heavyRuns: count('heavy-runs', values['heavy-runs']),
  };
}

/**
 * `count` environments made from the shipped ones, in turn (`dev`, `stg`, `prod`, `dev2`, ...), each with
 * its own account id so names stay unique; as the JSON `INFRA_ENVIRONMENTS_FILE` reads.
 */
export function generatedEnvironments(
  count: number,
  shipped: readonly EnvironmentInput[],
): EnvironmentInput[] {
  return Array.from({ length: count }, (_, index) => {
    const base = shipped[index % shipped.length];
    const round = Math.floor(index / shipped.length);
    return {
      ...base,
      name: round === 0 ? base.name : `${base.name}${round + 1}`,
      accountId: String(100_000_000_000 + index + 1),
    };
  });
}

/**
 * The two commands issue #13 compares, each as a person runs it, with its package runner's own start
 * (npm's and npx's, about 0.3 s of CPU each): `npm run synth` and the stock `npx ts-node main.ts`.
 */
export function synthAgainstStock(scratch: string): [Command, Command] {
  return [
    {
      label: 'npm run synth',
      argv: ['npm', 'run', '--silent', 'synth', '--', '--outdir', path.join(scratch, 'synth')],
      env: { INFRA_ENVIRONMENTS_FILE: '' },
    },
    {
      label: 'npx ts-node main.ts',
      argv: ['npx', 'ts-node', 'main.ts'],
      env: { CDKTF_OUTDIR: path.join(scratch, 'stock'), INFRA_ENVIRONMENTS_FILE: '' },
    },
  ];
}

/** One row of the result table. */
interface Row {
  readonly part: string;
  readonly measured: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly met?: boolean;
}

async function main(args: readonly string[]): Promise<void> {
  const options = parseBenchArguments(args);
  if (!existsSync(GNU_TIME)) console.log(`(${GNU_TIME} not found: peak RSS not measured)`);
  console.log(`${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} at start\n`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const rows: Row[] = [];
  try {
    for (const part of options.parts) rows.push(...(await benchPart(part, options, scratch)));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log('');
  printTable(rows);
  console.log(
    `\nload average ${os.loadavg()[0].toFixed(1)} at the end (figures from a busy machine mean little)`,
  );
}

async function benchPart(part: Part, options: BenchArguments, scratch: string): Promise<Row[]> {
  // What `npm run synth` runs, without npm's start: for the parts that compare synths with each other
  // (synth10) or only need one to work on (validate, plan).
  const synth = (outdir: string, env: NodeJS.ProcessEnv = {}): Command => ({
    label: 'synth',
    argv: [...synthArgv(), '--outdir', outdir],
    env: { INFRA_ENVIRONMENTS_FILE: '', ...env },
  });
  switch (part) {
    case 'synth': {
      // The synth alone too, to show what npm's start adds (the target is on npm run synth).
      const [project, stock, alone] = await compare(options.runs, [
        ...synthAgainstStock(scratch),
        { ...synth(path.join(scratch, 'synth-alone')), label: 'synth without npm' },
      ]);
      const ratio = stock.seconds / project.seconds;
      return [
        {
          part: 'synth (3 envs)',
          measured: formatMeasurement(project),
          baseline: `stock ${formatMeasurement(stock)}`,
          ratio: `${ratio.toFixed(1)}x faster`,
          target: '>= 8x',
          met: ratio >= 8,
        },
        {
          part: '  without npm',
          measured: formatMeasurement(alone),
          baseline: '',
          ratio: `${(stock.seconds / alone.seconds).toFixed(1)}x faster`,
          target: '',
        },
      ];
    }
    case 'synth10': {
      const file = path.join(scratch, 'environments-10.json');
      writeFileSync(file, JSON.stringify(generatedEnvironments(10, shippedEnvironments), null, 2));
      const [ten, three] = await compare(options.runs, [
        {
          ...synth(path.join(scratch, 'synth10'), { INFRA_ENVIRONMENTS_FILE: file }),
          label: 'synth, 10 envs',
        },
        { ...synth(path.join(scratch, 'synth3')), label: 'synth, 3 envs' },
      ]);
      // Linear: 10 environments cost 10/3 of 3, or less (the fixed start-up is paid once).
      const linear = ten.seconds / ((three.seconds * 10) / 3);
      return [
        {
          part: 'synth (10 envs)',
          measured: formatMeasurement(ten),
          baseline: `3 envs ${three.seconds.toFixed(2)} s`,
          ratio: `${(ten.seconds / three.seconds).toFixed(2)}x for 3.33x the envs (${linear.toFixed(2)} of linear)`,
          target: '<= 3 s, <= linear',
          met: ten.seconds <= 3 && linear <= 1,
        },
      ];
    }
    case 'test': {
      const [test, sequential] = await compare(options.heavyRuns, [
        { label: 'npm test', argv: ['npm', 'test'] },
        { label: 'checks in sequence', argv: ['sh', '-c', SEQUENTIAL_CHECKS] },
      ]);
      return [
        {
          part: 'npm test',
          measured: `${test.seconds.toFixed(1)} s`,
          baseline: `in sequence ${sequential.seconds.toFixed(1)} s`,
          ratio: `${(sequential.seconds / test.seconds).toFixed(1)}x faster`,
          target: '<= 40 s',
          met: test.seconds <= 40,
        },
      ];
    }
    case 'validate': {
      const outdir = path.join(scratch, 'validate-synth');
      await compare(1, [synth(outdir)]);
      const validate = (extra: string[], label: string): Command => ({
        label,
        argv: [node, '-r', register, 'scripts/validate.ts', '--outdir', outdir, ...extra],
      });
      const [onePass, perStack] = await compare(options.heavyRuns, [
        validate([], 'validate, one pass'),
        validate(['--per-stack'], 'validate, per stack'),
      ]);
      const ratio = perStack.seconds / onePass.seconds;
      return [
        {
          part: 'validate (all stacks)',
          measured: formatMeasurement(onePass),
          baseline: `per stack ${formatMeasurement(perStack)}`,
          ratio: `${ratio.toFixed(1)}x faster`,
          target: '<= 10 s',
          met: onePass.seconds <= 10,
        },
      ];
    }
    case 'plan': {
      const outdir = path.join(scratch, 'plan-synth');
      await compare(1, [synth(outdir)]);
      const plan = (extra: string[], label: string): Command => ({
        label,
        argv: [
          node,
          '-r',
          register,
          'scripts/plan.ts',
          '--env',
          'all',
          '--offline',
          '--skip-synth',
          '--outdir',
          outdir,
          '--plan-dir',
          path.join(scratch, 'plan-out'),
          ...extra,
        ],
      });
      const [waves, perStack] = await compare(options.heavyRuns, [
        plan([], 'plan --env all --offline'),
        plan(['--per-stack'], 'plan, each stack its own run'),
      ]);
      const ratio = perStack.seconds / waves.seconds;
      return [
        {
          part: 'plan --env all --offline',
          measured: formatMeasurement(waves),
          baseline: `each stack its own run ${formatMeasurement(perStack)}`,
          ratio: `${ratio.toFixed(1)}x faster`,
          target: '<= 45 s',
          met: waves.seconds <= 45,
        },
      ];
    }
  }
}

/** Runs the commands in turn, `runs` rounds; the median of each. */
async function compare(runs: number, commands: readonly Command[]): Promise<Measurement[]> {
  const measured: Measurement[][] = commands.map(() => []);
  for (let run = 1; run <= runs; run++) {
    for (const [index, command] of commands.entries()) {
      const measurement = await measure(command);
      measured[index].push(measurement);
      console.log(`run ${run}  ${command.label.padEnd(28)}  ${formatMeasurement(measurement)}`);
    }
  }
  return measured.map(summarize);
}

async function measure(command: Command): Promise<Measurement> {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}`);
  const timed = existsSync(GNU_TIME);
  const argv = timed ? [GNU_TIME, '-f', '%M %U %S', '-o', rssFile, ...command.argv] : [...command.argv];
  const started = performance.now();
  await runQuietly(argv, command.env ?? {}, command.label);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, ...(timed ? readTimeFile(rssFile) : {}) };
}

/** Runs a command from the repository root; its output is shown only if it fails. */
function runQuietly(argv: readonly string[], env: NodeJS.ProcessEnv, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    const child = spawn(file, args, {
      cwd: root,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      if (exitCode === 0) return resolve();
      const status = signal === null ? `exit code ${exitCode}` : `signal ${signal}`;
      reject(new Error(`${label} failed (${status}): ${shown(argv)}\n${Buffer.concat(output)}`));
    });
  });
}

function readTimeFile(file: string): Omit<Measurement, 'seconds'> {
  try {
    return parseTimeOutput(readFileSync(file, 'utf8'));
  } catch {
    return {};
  } finally {
    rmSync(file, { force: true });
  }
}

/** GNU time's `%M %U %S` line (the last: "Command exited with non-zero status" lines come before it). */
export function parseTimeOutput(text: string): Omit<Measurement, 'seconds'> {
  const lines = text.trim().split('\n');
  const [kb, user, system] = lines[lines.length - 1].split(' ').map(Number);
  return {
    ...(Number.isFinite(kb) ? { peakRssMb: kb / 1024 } : {}),
    ...(Number.isFinite(user) && Number.isFinite(system) ? { cpuSeconds: user + system } : {}),
  };
}

function summarize(measurements: readonly Measurement[]): Measurement {
  const peaks = measurements.map((m) => m.peakRssMb).filter((mb): mb is number => mb !== undefined);
  const cpu = measurements.map((m) => m.cpuSeconds).filter((s): s is number => s !== undefined);
  return {
    seconds: median(measurements.map((m) => m.seconds)),
    peakRssMb: peaks.length > 0 ? median(peaks) : undefined,
    cpuSeconds: cpu.length > 0 ? median(cpu) : undefined,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function formatMeasurement(measurement: Measurement): string {
  const rss = measurement.peakRssMb === undefined ? '' : `, ${Math.round(measurement.peakRssMb)} MB`;
  const cpu = measurement.cpuSeconds === undefined ? '' : `, CPU ${measurement.cpuSeconds.toFixed(1)} s`;
  return `${measurement.seconds.toFixed(2)} s${rss}${cpu}`;
}

function printTable(rows: readonly Row[]): void {
  const header: Row = {
    part: 'part',
    measured: 'measured',
    baseline: 'baseline (this run)',
    ratio: 'ratio',
    target: 'target',
  };
  const cells = (row: Row) => [
    row.part,
    row.measured,
    row.baseline,
    row.ratio,
    row.target,
    row.met === undefined ? (row === header ? 'met' : '') : row.met ? 'yes' : 'NO',
  ];
  const all = [header, ...rows].map(cells);
  const widths = all[0].map((_, column) => Math.max(...all.map((line) => line[column].length)));
  for (const line of all)
    console.log(
      line
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    );
}

/** The command as a person would type it (`node`, not the path of this Node binary). */
function shown(argv: readonly string[]): string {
  return argv.map((part) => (part === process.execPath ? 'node' : part)).join(' ');
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
