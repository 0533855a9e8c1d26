/**
 * Every synthesized stack validated by one Terraform run: a generated root module (`root-module.ts`) calls
 * each stack as a child module and passes all of them one shared configuration of each provider, so one
 * `terraform init -backend=false` and one `terraform validate -json` start the AWS provider twice in all
 * (its schema, the one configuration) instead of once per provider block. Each diagnostic is mapped back to
 * its stack (by the file it points at) and resource (by the block it is in).
 *
 * What calling a stack this way changes, checked on Terraform 1.11:
 * - its backend block is left out of the copy (a child module's is ignored anyway). The per-stack runner
 *   (`init -backend=false`) does not check the backend block either; only a real `terraform init` does.
 * - its `provider` blocks are left out too, and checked against the provider's schema instead
 *   (`provider-blocks.ts`, which says what that does not cover).
 * - its resources, data sources (`terraform_remote_state` reads included), outputs and `required_providers`
 *   are validated as before, each resource by the provider, with the same lines as in its own file.
 * - the root picks ONE version of each provider for all stacks. If stacks disagree, or one cannot be
 *   installed, the init fails: then `validateStacks` falls back to the per-stack runner, which names the stack.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { schemaDigest, type SchemaDigest } from '../provider-schemas';
import { initStack, outputOf, runTerraform, validateStack, type SynthesizedStack } from '../terraform';
import { checkProviderBlocks } from './provider-blocks';
import { copyDirectory, moduleNames, rootModule, stackCopy, type StackCopy } from './root-module';

/** The file cdktf writes each stack's configuration to. */
const STACK_FILE = 'cdk.tf.json';

/** Terraform's `validate -json` document (the parts read here). */
export interface ValidateJson {
  readonly valid: boolean;
  readonly diagnostics: readonly TerraformDiagnostic[];
}

export interface TerraformDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
  /** `context` names the enclosing block, `resource.aws_vpc.main` (also for JSON configuration). */
  readonly snippet?: { readonly context?: string | null };
}

/** A diagnostic with the stack and resource it is about. */
export interface StackDiagnostic {
  readonly severity: 'error' | 'warning';
  /** Undefined when Terraform gave no file, or a file outside every stack. */
  readonly stack?: string;
  /** `aws_vpc.main`, `data.aws_iam_policy_document.x`, `provider.aws`, `output.x`; undefined if unknown. */
  readonly address?: string;
  /** The construct that made the resource (cdktf's metadata path), when there is one. */
  readonly constructPath?: string;
  /** `cdk.tf.json:12`, relative to the stack's directory. */
  readonly location?: string;
  readonly summary: string;
  readonly detail: string;
}

export interface OnePassResult {
  readonly ok: boolean;
  /** How it was done: one pass, or per stack after the one-pass init failed (and why). */
  readonly mode: 'one-pass' | 'per-stack';
  readonly diagnostics: readonly StackDiagnostic[];
  /** Set in per-stack mode: each stack's own result. */
  readonly perStack?: readonly { readonly name: string; readonly ok: boolean; readonly output: string }[];
  /** Why the one pass could not be used (the failed init's output). */
  readonly fallbackReason?: string;
}

/**
 * Terraform's diagnostics, each with its stack and resource.
 * @param stacks the stacks, each at the directory Terraform read it from
 * @param rootDir the directory the filenames are relative to
 */
export function mapDiagnostics(
  result: ValidateJson,
  stacks: readonly SynthesizedStack[],
  rootDir: string,
): StackDiagnostic[] {
  const byDirectory = new Map(stacks.map((stack) => [path.resolve(stack.workingDirectory), stack]));
  const configs = new Map<string, StackJson | undefined>();
  const configOf = (file: string): StackJson | undefined => {
    if (!configs.has(file)) configs.set(file, readStackJson(file));
    return configs.get(file);
  };
  return result.diagnostics.flatMap((diagnostic): StackDiagnostic[] => {
    const file =
      diagnostic.range === undefined ? undefined : path.resolve(rootDir, diagnostic.range.filename);
    const stack = file === undefined ? undefined : byDirectory.get(path.dirname(file));
    const context = diagnostic.snippet?.context ?? undefined;
    const address = context === undefined ? undefined : addressOf(context);
    return [
      {
        severity: diagnostic.severity,
        stack: stack?.name,
        address,
        constructPath: file === undefined ? undefined : constructPathOf(configOf(file), context),
        location:
          file === undefined || diagnostic.range === undefined
            ? undefined
            : `${stack === undefined ? file : path.basename(file)}:${diagnostic.range.start.line}`,
        summary: diagnostic.summary,
        detail: (diagnostic.detail ?? '').trim(),
      },
    ];
  });
}

/** `resource.aws_vpc.main` -> `aws_vpc.main`; other block kinds keep their prefix (`data.`, `output.`). */
function addressOf(context: string): string {
  return context.startsWith('resource.') ? context.slice('resource.'.length) : context;
}

interface StackJson {
  readonly resource?: Record<string, Record<string, { '//'?: { metadata?: { path?: string } } }>>;
  readonly data?: Record<string, Record<string, { '//'?: { metadata?: { path?: string } } }>>;
}

function readStackJson(file: string): StackJson | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackJson;
  } catch {
    return undefined;
  }
}

/** The construct path cdktf records in a resource's or data source's `//` metadata. */
function constructPathOf(config: StackJson | undefined, context: string | undefined): string | undefined {
  const parts = context?.split('.') ?? [];
  const [kind, type, name] = parts;
  if (parts.length < 3 || (kind !== 'resource' && kind !== 'data')) return undefined;
  return config?.[kind]?.[type]?.[name]?.['//']?.metadata?.path;
}

/**
 * Validates `stacks` in one pass (see the file comment); if the root module cannot be made or its init
 * fails, validates each stack on its own (two at a time) so the failure still names its stack.
 */
export async function validateStacks(stacks: readonly SynthesizedStack[]): Promise<OnePassResult> {
  const rootDir = mkdtempSync(path.join(os.tmpdir(), 'validate-root-'));
  try {
    let copies: readonly CalledStack[];
    try {
      copies = writeRootModule(stacks, rootDir);
    } catch (error) {
      return await validateEachStack(stacks, error instanceof Error ? error.message : String(error));
    }
    const init = await initStack(rootDir, ['-backend=false']);
    if (init.exitCode !== 0) return await validateEachStack(stacks, outputOf(init));
    // The provider blocks' check needs the schema: read (or taken from the cache) while validate runs.
    const [validate, providerBlocks] = await Promise.all([
      runTerraform(['validate', '-json', '-no-color'], { cwd: rootDir }),
      checkEveryProviderBlock(copies, rootDir),
    ]);
    let parsed: ValidateJson;
    try {
      parsed = JSON.parse(validate.stdout) as ValidateJson;
    } catch {
      throw new Error(`terraform validate -json gave no JSON document:\n${outputOf(validate)}`);
    }
    const called = copies.map(({ stack, directory }) => ({ ...stack, workingDirectory: directory }));
    const diagnostics = [...mapDiagnostics(parsed, called, rootDir), ...providerBlocks];
    return {
      ok: parsed.valid && validate.exitCode === 0 && diagnostics.every((d) => d.severity !== 'error'),
      mode: 'one-pass',
      diagnostics,
    };
  } finally {
    rmSync(rootDir, { recursive: true, force: true });
  }
}

/** A stack as the root module calls it: from its copy in `directory`. */
interface CalledStack {
  readonly stack: SynthesizedStack;
  readonly copy: StackCopy;
  readonly directory: string;
}

/**
 * Writes the root module and each stack's copy into `rootDir`. Everything else in a stack's directory (its
 * assets) is linked into the copy, so relative paths read the same files.
 */
function writeRootModule(stacks: readonly SynthesizedStack[], rootDir: string): CalledStack[] {
  const called = new Map<string, CalledStack>();
  for (const [name, stack] of moduleNames(stacks)) {
    const file = path.join(stack.workingDirectory, STACK_FILE);
    let copy: StackCopy;
    try {
      copy = stackCopy(readFileSync(file, 'utf8'));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${stack.name}: ${file} could not be read as a stack: ${reason}`);
    }
    const directory = path.join(rootDir, copyDirectory(name));
    mkdirSync(directory, { recursive: true });
    writeFileSync(path.join(directory, STACK_FILE), copy.text);
    for (const entry of readdirSync(stack.workingDirectory)) {
      if (entry === STACK_FILE || entry.startsWith('.terraform')) continue;
      symlinkSync(path.join(stack.workingDirectory, entry), path.join(directory, entry));
    }
    called.set(name, { stack, copy, directory });
  }
  const byModule = new Map([...called].map(([name, { copy }]) => [name, copy]));
  writeFileSync(path.join(rootDir, 'main.tf.json'), `${JSON.stringify(rootModule(byModule), null, 2)}\n`);
  return [...called.values()];
}

/** Every stack's provider blocks against the provider schema (see `provider-blocks.ts`). */
async function checkEveryProviderBlock(
  called: readonly CalledStack[],
  rootDir: string,
): Promise<StackDiagnostic[]> {
  let digest: SchemaDigest;
  try {
    digest = await schemaDigest(rootDir);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [{ severity: 'error', summary: 'Provider blocks not checked', detail: reason }];
  }
  return called.flatMap(({ stack, copy }) => checkProviderBlocks(stack.name, copy, digest));
}

async function validateEachStack(
  stacks: readonly SynthesizedStack[],
  fallbackReason: string,
): Promise<OnePassResult> {
  const perStack = await mapConcurrently(stacks, 2, async (stack) => ({
    name: stack.name,
    ...(await validateStack(stack.workingDirectory)),
  }));
  return {
    ok: perStack.every((result) => result.ok),
    mode: 'per-stack',
    diagnostics: [],
    perStack,
    fallbackReason,
  };
}

/** Runs `task` on every item with at most `limit` in flight; results in the items' order. */
export async function mapConcurrently<T, R>(
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
