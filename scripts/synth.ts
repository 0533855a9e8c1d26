/**
 * `npm run synth [-- --outdir DIR] [--verbose]`: runs the app in this process with a transpile-only loader
 * (no type-check of the provider bindings) into a fresh directory beside DIR (default `cdktf.out`), and
 * swaps it into place only when the whole synth succeeded, so a failed synth never leaves a half-written
 * or stale output behind. Prints one line per environment plus what is new or wrong (`synth-report.ts`);
 * `--verbose` prints every guardrail warning, exception and note.
 *
 * Run as `node --no-opt` (package.json, cdktf.json): in a run this short V8's optimizing compiler
 * (TurboFan) cost more CPU than the code it optimized saved, a quarter of the synth's CPU time
 * (docs/performance.md); the interpreter and the baseline compiler run the same code.
 */
import './lazy-archiver';
import './shallow-token-traces';
import './resolve-once';
import './lean-resolve';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadEnvironments } from '../config';
import type { SynthManifest } from './annotations';
import { ENVIRONMENT_FACTS_FILE } from './plan/environment-facts';
import { environmentFacts } from './plan/write-environment-facts';
import { annotationNotices, parseAppOutput, synthReport, type EnvironmentFacts } from './synth-report';

const root = path.resolve(__dirname, '..');
/** How cdktf's `App.synth()` reports failed stack validations. */
const VALIDATION_FAILED = 'Validation failed with the following errors:';
/** Beside the manifest: the notice lines of this synth, so the next one can tell what is new. */
const NOTICES_FILE = 'synth-notices.txt';
const outdirFlag = process.argv.indexOf('--outdir');
const verbose = process.argv.includes('--verbose');
const outdir = path.resolve(outdirFlag === -1 ? path.join(root, 'cdktf.out') : process.argv[outdirFlag + 1]);
const staging = mkdtempSync(path.join(path.dirname(outdir), '.cdktf.out-'));
let succeeded = false;

// main.ts exits the process on a configuration error; however it ends, drop the staging directory.
process.on('exit', () => {
  if (!succeeded) rmSync(staging, { recursive: true, force: true });
});

// What the app prints (the guardrail summary) is collected, then reported per environment.
const printed: string[] = [];
const print = console.log;
console.log = (...parts: unknown[]) => printed.push(...parts.map(String).join(' ').split('\n'));
process.env.CDKTF_OUTDIR = staging;
try {
  require(path.join(root, 'main'));
} catch (error) {
  console.log = print;
  for (const line of printed) print(line);
  // A failed stack validation (the guardrails, policy/) is a finding, not a crash: print the list
  // without a stack trace or cdktf's advice to skip validations.
  if (!(error instanceof Error && error.message.startsWith(VALIDATION_FAILED))) throw error;
  console.error(error.message.replace(/\n\s*If you wish to ignore these validations[\s\S]*$/, '').trimEnd());
  console.error(
    'Fix each resource, or suppress the rule on its construct with a reason (docs/guardrails.md).',
  );
  process.exit(1);
}
console.log = print;

const manifest = JSON.parse(readFileSync(path.join(staging, 'manifest.json'), 'utf8')) as SynthManifest;
const environments = loadEnvironments();
const stackEnvironment = (stack: string): string | undefined =>
  environments.find((environment) => stack.startsWith(`${environment.name}-`))?.name;
const app = parseAppOutput(printed, stackEnvironment);
const notices = [...app.notices, ...annotationNotices(manifest, stackEnvironment)];
const previousFile = path.join(outdir, NOTICES_FILE);
const previous = existsSync(previousFile)
  ? new Set(readFileSync(previousFile, 'utf8').split('\n'))
  : undefined;
writeFileSync(path.join(staging, NOTICES_FILE), notices.map((notice) => `${notice.text}\n`).join(''));
// Which environments are protected, for the plan's destroy guard in CI jobs that cannot load config/.
writeFileSync(
  path.join(staging, ENVIRONMENT_FACTS_FILE),
  `${JSON.stringify(environmentFacts(environments), null, 2)}\n`,
);

rmSync(outdir, { recursive: true, force: true });
renameSync(staging, outdir);
succeeded = true;

const stackNames = Object.keys(manifest.stacks);
const facts: EnvironmentFacts[] = environments.map((environment) => {
  const own = stackNames.filter((stack) => stackEnvironment(stack) === environment.name);
  return {
    name: environment.name,
    stacks: own.length,
    resources: own.reduce((sum, stack) => sum + resourceCount(stack), 0),
    protected: environment.deletionProtection,
  };
});
for (const line of app.other) console.log(line);
for (const line of synthReport({ environments: facts, notices, previous, verbose, header: app.header })) {
  console.log(line);
}
const more = verbose ? '' : ' (every warning and exception: npm run synth -- --verbose)';
console.log(`Synthesized into ${path.relative(process.cwd(), outdir) || '.'}/${more}`);

function resourceCount(stack: string): number {
  const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, object> };
  return Object.values(config.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}
