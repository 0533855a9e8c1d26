/**
 * `npm run synth [-- --outdir DIR]`: runs the app in this process with a transpile-only loader (no
 * type-check of the provider bindings) into a fresh directory beside DIR (default `cdktf.out`), and
 * swaps it into place only when the whole synth succeeded, so a failed synth never leaves a
 * half-written or stale output behind.
 */
import './shallow-token-traces';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { annotationLines, type SynthManifest } from './annotations';

const root = path.resolve(__dirname, '..');
/** How cdktf's `App.synth()` reports failed stack validations. */
const VALIDATION_FAILED = 'Validation failed with the following errors:';
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = path.resolve(outdirFlag === -1 ? path.join(root, 'cdktf.out') : process.argv[outdirFlag + 1]);
const staging = mkdtempSync(path.join(path.dirname(outdir), '.cdktf.out-'));
let succeeded = false;

// main.ts exits the process on a configuration error; however it ends, drop the staging directory.
process.on('exit', () => {
  if (!succeeded) rmSync(staging, { recursive: true, force: true });
});

process.env.CDKTF_OUTDIR = staging;
try {
  require(path.join(root, 'main'));
} catch (error) {
  // A failed stack validation (the guardrails, policy/) is a finding, not a crash: print the list
  // without a stack trace or cdktf's advice to skip validations.
  if (!(error instanceof Error && error.message.startsWith(VALIDATION_FAILED))) throw error;
  console.error(error.message.replace(/\n\s*If you wish to ignore these validations[\s\S]*$/, '').trimEnd());
  console.error(
    'Fix each resource, or suppress the rule on its construct with a reason (docs/guardrails.md).',
  );
  process.exit(1);
}

rmSync(outdir, { recursive: true, force: true });
renameSync(staging, outdir);
succeeded = true;
const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as SynthManifest;
for (const line of annotationLines(manifest)) console.log(line);
console.log(`Synthesized into ${path.relative(process.cwd(), outdir) || '.'}/`);
