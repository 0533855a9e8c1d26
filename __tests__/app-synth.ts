import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { synthArgv } from '../scripts/synth-command';

const root = path.resolve(__dirname, '..');

export interface AppSynth {
  /** The synth output directory (manifest.json, stacks/): read it, never write to it. */
  readonly outdir: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The whole app synthesized by `npm run synth -- --verbose` with the shipped environments, once per jest
 * run: the first test file that asks runs it, the others (in any worker) wait for and share its output.
 * Each full synth costs seconds; four test files used to make their own.
 */
export function sharedAppSynth(): AppSynth {
  const dir = path.join(process.env.AWS_AND_INFRA_JEST_TMP ?? tmpdir(), 'app-synth');
  const resultFile = path.join(dir, 'result.json');
  if (!existsSync(resultFile)) {
    let owner = false;
    try {
      mkdirSync(dir, { recursive: false });
      owner = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (owner) {
      const outdir = path.join(dir, 'out');
      // `npm run synth`'s own command (its Node flags included), without npm's start.
      const [node, ...args] = synthArgv();
      const result = spawnSync(node, [...args, '--outdir', outdir, '--verbose'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, INFRA_ENVIRONMENTS_FILE: '' },
      });
      const synth: AppSynth = { outdir, status: result.status, stdout: result.stdout, stderr: result.stderr };
      // Written aside and renamed, so a waiting worker never reads half a file.
      writeFileSync(`${resultFile}.tmp`, JSON.stringify(synth));
      renameSync(`${resultFile}.tmp`, resultFile);
    } else {
      waitFor(resultFile, 300_000);
    }
  }
  return JSON.parse(readFileSync(resultFile, 'utf8')) as AppSynth;
}

function waitFor(file: string, timeoutMs: number): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for the shared app synth (${file}).`);
    Atomics.wait(pause, 0, 0, 100);
  }
}
