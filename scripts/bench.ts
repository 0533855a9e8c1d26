/**
 * `npm run bench [-- --runs N]`: wall time and peak memory of the project's synth (what `npm run synth` and
 * `cdktf synth` run: SWC, transpile-only) against the stock cdktf app command (`npx ts-node main.ts`, which
 * type-checks). Runs alternate so a busy machine slows both alike. Prints figures only; it fails only when a
 * command fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const DEFAULT_RUNS = 3;
// GNU time's `%M`: peak resident set, in KB, of the largest process the command ran (npx's ts-node too).
const GNU_TIME = '/usr/bin/time';

interface Contender {
  readonly label: string;
  readonly command: readonly string[];
  /** Extra environment and a check of the output, for one run. */
  readonly prepare: () => { env: NodeJS.ProcessEnv; check: () => void; cleanUp: () => void };
}

interface Measurement {
  readonly seconds: number;
  /** Undefined where it cannot be measured (no GNU time). */
  readonly peakRssMb?: number;
}

const project: Contender = {
  label: 'project',
  command: [process.execPath, '-r', path.join(root, 'scripts', 'register.js'), 'scripts/synth.ts'],
  // A real synth: it replaces cdktf.out, atomically.
  prepare: () => ({
    env: {},
    check: () => expectManifest(path.join(root, 'cdktf.out')),
    cleanUp: () => undefined,
  }),
};

const stock: Contender = {
  label: 'stock',
  command: ['npx', 'ts-node', 'main.ts'],
  // Into a throwaway directory, so the bench never clobbers cdktf.out.
  prepare: () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'cdktf-bench-'));
    return {
      env: { CDKTF_OUTDIR: outdir },
      check: () => expectManifest(outdir),
      cleanUp: () => rmSync(outdir, { recursive: true, force: true }),
    };
  },
};

async function main(args: readonly string[]): Promise<void> {
  const runs = parseRuns(args);
  if (!existsSync(path.join(root, 'main.ts'))) {
    throw new Error('main.ts does not exist yet: nothing to benchmark.');
  }
  const contenders = [project, stock];
  const width = Math.max(...contenders.map((contender) => contender.label.length));
  for (const contender of contenders) {
    console.log(`${contender.label.padEnd(width)}  ${shown(contender.command)}`);
  }
  if (!existsSync(GNU_TIME)) console.log(`(${GNU_TIME} not found: peak RSS not measured)`);

  const measured = new Map<Contender, Measurement[]>(contenders.map((contender) => [contender, []]));
  const measurementsOf = (contender: Contender): Measurement[] => measured.get(contender) ?? [];
  for (let run = 1; run <= runs; run++) {
    for (const contender of contenders) {
      const measurement = await measure(contender);
      measurementsOf(contender).push(measurement);
      console.log(`run ${run}  ${contender.label.padEnd(width)}  ${format(measurement)}`);
    }
  }

  console.log('');
  for (const contender of contenders) {
    console.log(`median ${contender.label.padEnd(width)}  ${format(summarize(measurementsOf(contender)))}`);
  }
  const ratio = medianSeconds(measurementsOf(stock)) / medianSeconds(measurementsOf(project));
  console.log(`stock / project: ${ratio.toFixed(1)}x (median wall time)`);
}

async function measure(contender: Contender): Promise<Measurement> {
  const run = contender.prepare();
  try {
    const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}`);
    const timed = existsSync(GNU_TIME);
    const command = timed
      ? [GNU_TIME, '-f', '%M', '-o', rssFile, ...contender.command]
      : [...contender.command];
    const started = performance.now();
    await runQuietly(command, run.env, contender.label);
    const seconds = (performance.now() - started) / 1000;
    run.check();
    return { seconds, peakRssMb: timed ? readPeakRssMb(rssFile) : undefined };
  } finally {
    run.cleanUp();
  }
}

/** Runs a command from the repository root; its output is shown only if it fails. */
function runQuietly(command: readonly string[], env: NodeJS.ProcessEnv, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = command;
    const child = spawn(file, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      if (exitCode === 0) return resolve();
      const status = signal === null ? `exit code ${exitCode}` : `signal ${signal}`;
      reject(new Error(`${label} synth failed (${status}): ${shown(command)}\n${Buffer.concat(output)}`));
    });
  });
}

function readPeakRssMb(file: string): number | undefined {
  try {
    // The last line: GNU time puts "Command exited with non-zero status" lines before the figure.
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const kb = Number(lines[lines.length - 1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  } finally {
    rmSync(file, { force: true });
  }
}

function expectManifest(outdir: string): void {
  if (!existsSync(path.join(outdir, 'manifest.json'))) {
    throw new Error(`No manifest.json in ${outdir} after the synth: does main.ts set its own outdir?`);
  }
}

function summarize(measurements: readonly Measurement[]): Measurement {
  const peaks = measurements.map((m) => m.peakRssMb).filter((mb): mb is number => mb !== undefined);
  return { seconds: medianSeconds(measurements), peakRssMb: peaks.length > 0 ? median(peaks) : undefined };
}

function medianSeconds(measurements: readonly Measurement[]): number {
  return median(measurements.map((m) => m.seconds));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function format(measurement: Measurement): string {
  const rss = measurement.peakRssMb === undefined ? 'n/a' : `${Math.round(measurement.peakRssMb)} MB`;
  return `${measurement.seconds.toFixed(2).padStart(7)} s   peak RSS ${rss}`;
}

/** The command as a person would type it (`node`, not the path of this Node binary). */
function shown(command: readonly string[]): string {
  return command.map((part) => (part === process.execPath ? 'node' : part)).join(' ');
}

function parseRuns(args: readonly string[]): number {
  if (args.length === 0) return DEFAULT_RUNS;
  const runs = Number(args[1]);
  if (args[0] !== '--runs' || args.length !== 2 || !Number.isInteger(runs) || runs < 1) {
    throw new Error('Usage: npm run bench [-- --runs N], N a whole number >= 1');
  }
  return runs;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
