/**
 * The root module of the one-pass validate: every synthesized stack as a child module, all of them sharing
 * ONE configuration of each provider, so `terraform validate` starts each provider twice in all (once for
 * its schema, once for that configuration) instead of once per provider block of every stack.
 *
 * Each stack is called from a copy of its `cdk.tf.json` (`stackCopy`) without its `provider` blocks and its
 * backend, that declares the aliases it uses (`configuration_aliases`); the root passes its one
 * configuration to every name and alias (`providers = { aws = aws, "aws.billing" = aws }`). The copy keeps
 * every line where it was, so diagnostics point at the stack's own file. The provider blocks themselves are
 * checked against the provider's schema instead (`provider-blocks.ts`).
 */
import * as path from 'node:path';
import type { SynthesizedStack } from '../terraform';
import {
  applyEdits,
  insertMember,
  lineAt,
  memberAt,
  removeMember,
  replaceValue,
  scanJson,
  type JsonEdit,
} from './json-edit';

/** A provider block of a stack, as synthesized. */
export interface StackProviderBlock {
  /** The provider's local name: `aws`. */
  readonly name: string;
  readonly alias?: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The line of the block in the stack's `cdk.tf.json`. */
  readonly line: number;
}

export interface StackCopy {
  /** The stack's `cdk.tf.json` without provider blocks and backend, every line where it was. */
  readonly text: string;
  readonly providerBlocks: readonly StackProviderBlock[];
  /** The `source` of each provider the stack requires, by local name (`aws` -> `hashicorp/aws`). */
  readonly providerSources: Readonly<Record<string, string>>;
}

interface StackJson {
  readonly provider?: Record<string, Record<string, unknown> | readonly Record<string, unknown>[]>;
  readonly terraform?: { readonly required_providers?: Record<string, unknown> };
}

/** The copy of a stack's configuration that the root module calls (see the file comment). */
export function stackCopy(source: string): StackCopy {
  const config = JSON.parse(source) as StackJson;
  const root = scanJson(source);
  const edits: JsonEdit[] = [];
  const providerBlocks: StackProviderBlock[] = [];

  const providerMember = memberAt(root, ['provider']);
  if (providerMember !== undefined) {
    for (const byName of providerMember.value.members ?? []) {
      const blocks = config.provider?.[byName.key] ?? [];
      const nodes = byName.value.elements ?? [byName.value];
      (Array.isArray(blocks) ? blocks : [blocks]).forEach((block, index) => {
        const { alias, ...rest } = block as { alias?: unknown };
        providerBlocks.push({
          name: byName.key,
          ...(typeof alias === 'string' ? { alias } : {}),
          arguments: rest,
          line: lineAt(source, (nodes[index] ?? byName.value).start),
        });
      });
    }
    edits.push(removeMember(source, root, providerMember));
  }

  const terraform = memberAt(root, ['terraform']);
  const backend = memberAt(root, ['terraform', 'backend']);
  if (terraform !== undefined && backend !== undefined) {
    edits.push(removeMember(source, terraform.value, backend));
  }

  // The aliases each provider name must declare, now that the root passes them in.
  const aliases = new Map<string, string[]>();
  for (const block of providerBlocks) {
    if (block.alias === undefined) continue;
    aliases.set(block.name, [...(aliases.get(block.name) ?? []), `${block.name}.${block.alias}`]);
  }
  const required = config.terraform?.required_providers ?? {};
  const missing: Record<string, object> = {};
  for (const [name, declared] of aliases) {
    const member = memberAt(root, ['terraform', 'required_providers', name]);
    if (member === undefined) {
      missing[name] = { configuration_aliases: declared };
      continue;
    }
    const current = required[name];
    const requirement = typeof current === 'string' ? { version: current } : (current as object);
    edits.push(replaceValue(source, member.value, { ...requirement, configuration_aliases: declared }));
  }
  if (Object.keys(missing).length > 0) {
    // Another `terraform` block, on the first line: Terraform merges the required_providers of all of them.
    edits.push(insertMember(root, 'terraform', { required_providers: missing }));
  }

  return {
    text: applyEdits(source, edits),
    providerBlocks,
    providerSources: Object.fromEntries(
      Object.entries(required).map(([name, requirement]) => [name, sourceOf(name, requirement)]),
    ),
  };
}

/** The provider local names of every stack, each with the one source all stacks agree on. */
export function rootProviderSources(copies: ReadonlyMap<string, StackCopy>): Record<string, string> {
  const sources: Record<string, string> = {};
  const names = new Set<string>();
  for (const copy of copies.values()) {
    for (const block of copy.providerBlocks) names.add(block.name);
    for (const name of Object.keys(copy.providerSources)) names.add(name);
  }
  for (const name of [...names].sort()) {
    const claimed = new Map<string, string[]>();
    for (const [stack, copy] of copies) {
      const uses = copy.providerBlocks.some((block) => block.name === name);
      if (!uses && copy.providerSources[name] === undefined) continue;
      const source = normalizedSource(copy.providerSources[name] ?? name);
      claimed.set(source, [...(claimed.get(source) ?? []), stack]);
    }
    if (claimed.size > 1) {
      const who = [...claimed].map(([source, stacks]) => `${source} (${stacks.join(', ')})`).join('; ');
      throw new Error(
        `The stacks disagree on the provider named "${name}": ${who}. One pass cannot serve both.`,
      );
    }
    sources[name] = [...claimed.keys()][0];
  }
  return sources;
}

/**
 * The module name of each stack in the root module: the stack name where Terraform accepts it as an
 * identifier (letters, digits, `_`, `-`, not starting with a digit), else a cleaned-up `stack_...` form.
 */
export function moduleNames(stacks: readonly SynthesizedStack[]): Map<string, SynthesizedStack> {
  const names = new Map<string, SynthesizedStack>();
  for (const stack of stacks) {
    const base = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(stack.name)
      ? stack.name
      : `stack_${stack.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    let name = base;
    for (let suffix = 2; names.has(name); suffix++) name = `${base}_${suffix}`;
    names.set(name, stack);
  }
  return names;
}

/** Where each stack's copy goes, relative to the root module's directory. */
export function copyDirectory(moduleName: string): string {
  return path.join('stacks', moduleName);
}

/**
 * The root module (`main.tf.json`): one empty configuration of each provider, passed to every stack under
 * each name and alias it uses; each stack called from its copy (`./stacks/<module name>`, a relative path,
 * which Terraform reads in place rather than copying).
 * @param stacks the stacks' copies by module name (see `moduleNames`)
 */
export function rootModule(stacks: ReadonlyMap<string, StackCopy>): object {
  const sources = rootProviderSources(stacks);
  const module: Record<string, { source: string; providers?: Record<string, string> }> = {};
  for (const [name, copy] of stacks) {
    const providers: Record<string, string> = {};
    for (const block of copy.providerBlocks) {
      providers[block.alias === undefined ? block.name : `${block.name}.${block.alias}`] = block.name;
    }
    const source = `./${copyDirectory(name).split(path.sep).join('/')}`;
    // Without provider blocks, no `providers`: the stack inherits the root's default configurations.
    module[name] = Object.keys(providers).length > 0 ? { source, providers } : { source };
  }
  const names = Object.keys(sources);
  return {
    '//': 'Generated by scripts/validate/root-module.ts: every stack as a child module, one provider configuration for all.',
    ...(names.length > 0
      ? {
          terraform: {
            required_providers: Object.fromEntries(names.map((name) => [name, { source: sources[name] }])),
          },
          provider: Object.fromEntries(names.map((name) => [name, [{}]])),
        }
      : {}),
    module,
  };
}

/** `aws`, `hashicorp/aws` and `registry.terraform.io/hashicorp/aws` all name the same provider. */
export function normalizedSource(source: string): string {
  const parts = source.toLowerCase().split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts.join('/')}`;
  return parts.join('/');
}

function sourceOf(name: string, requirement: unknown): string {
  const source = (requirement as { source?: unknown } | undefined)?.source;
  return typeof source === 'string' ? source : name;
}
