/**
 * `npm run synth [-- --outdir DIR]`: runs the app in this process with a transpile-only loader (no
 * type-check of the provider bindings) into a fresh directory beside DIR (default `cdktf.out`), and
 * swaps it into place only when the whole synth succeeded, so a failed synth never leaves a
 * half-written or stale output behind.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { annotationLines, type SynthManifest } from './annotations';

const root = path.resolve(__dirname, '..');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = path.resolve(outdirFlag === -1 ? path.join(root, 'cdktf.out') : process.argv[outdirFlag + 1]);
const staging = mkdtempSync(path.join(path.dirname(outdir), '.cdktf.out-'));
let succeeded = false;

// main.ts exits the process on a configuration error; however it ends, drop the staging directory.
process.on('exit', () => {
  if (!succeeded) rmSync(staging, { recursive: true, force: true });
});

process.env.CDKTF_OUTDIR = staging;
require(path.join(root, 'main'));

rmSync(outdir, { recursive: true, force: true });
renameSync(staging, outdir);
succeeded = true;
const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as SynthManifest;
for (const line of annotationLines(manifest)) console.log(line);
console.log(`Synthesized into ${path.relative(process.cwd(), outdir) || '.'}/`);
