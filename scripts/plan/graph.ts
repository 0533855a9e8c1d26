/**
 * Which stack must be planned before which, read from the synthesized configuration rather than a hand-kept
 * list: a stack depends on every stack whose state it reads through `terraform_remote_state` (what CDKTF
 * emits for a cross-stack reference) and on the stacks its manifest entry names.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { listSynthesizedStacks, type SynthesizedStack } from '../terraform';

/** The parts of a synthesized `cdk.tf.json` the plan pipeline reads. */
export interface TerraformJson {
  readonly terraform?: {
    readonly backend?: Record<string, Record<string, unknown>>;
    readonly required_providers?: Record<string, unknown>;
  };
  readonly provider?: Record<string, ProviderBlock | readonly ProviderBlock[]>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

export interface ProviderBlock {
  readonly alias?: string;
  readonly [argument: string]: unknown;
}

/** A `data.terraform_remote_state.<name>` of a stack. */
export interface RemoteStateRead {
  readonly name: string;
  readonly backend: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface StackConfig extends SynthesizedStack {
  readonly config: TerraformJson;
  /** Where the stack keeps its state, as `stateLocation` spells it; undefined without a backend block. */
  readonly stateLocation?: string;
  readonly remoteStates: readonly RemoteStateRead[];
}

export interface StackNode extends StackConfig {
  /** The stacks to plan before this one: those it reads state from and those the manifest names. */
  readonly upstream: readonly string[];
  /** The stack that writes the state each remote-state read reads, by read name; absent when none does. */
  readonly producers: Readonly<Record<string, string>>;
}

/** Every stack of a synth output directory with its configuration, in manifest order. */
export function loadStacks(outdir: string): StackConfig[] {
  return listSynthesizedStacks(outdir).map((stack) => {
    const file = path.join(stack.workingDirectory, 'cdk.tf.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as TerraformJson;
    return describeStack(stack, config);
  });
}

/** A synthesized stack with the backend and remote-state reads of its configuration. */
export function describeStack(stack: SynthesizedStack, config: TerraformJson): StackConfig {
  const [backend] = Object.entries(config.terraform?.backend ?? {});
  const remoteStates = Object.entries(config.data?.terraform_remote_state ?? {}).map(([name, block]) => ({
    name,
    backend: String(block.backend),
    config: (block.config ?? {}) as Record<string, unknown>,
  }));
  return {
    ...stack,
    config,
    stateLocation:
      backend === undefined ? undefined : stateLocation(backend[0], backend[1], stack.workingDirectory),
    remoteStates,
  };
}

/**
 * Where a backend keeps a state, comparable between the stack that writes it and the `terraform_remote_state`
 * that reads it: the bucket and key for S3, the absolute file for a local backend (paths are relative to the
 * stack's directory), the whole configuration otherwise.
 */
export function stateLocation(type: string, config: Readonly<Record<string, unknown>>, dir: string): string {
  if (type === 's3') return `s3://${String(config.bucket)}/${String(config.key)}`;
  if (type === 'local') return `local:${path.resolve(dir, String(config.path ?? 'terraform.tfstate'))}`;
  return `${type}:${JSON.stringify(config, Object.keys(config).sort())}`;
}

// CDKTF names the read of stack S's outputs `cross-stack-reference-input-S`: the fallback when the backend
// configurations do not match (a producer with a backend this pipeline cannot compare).
const CDKTF_REMOTE_STATE_PREFIX = 'cross-stack-reference-input-';

/**
 * The stacks with their dependencies, in an order that plans every stack after those it depends on (manifest
 * order where it leaves a choice). Throws on a cycle, naming it.
 */
export function dependencyGraph(stacks: readonly StackConfig[]): StackNode[] {
  const byLocation = new Map<string, string>();
  for (const stack of stacks) {
    if (stack.stateLocation !== undefined) byLocation.set(stack.stateLocation, stack.name);
  }
  const names = new Set(stacks.map((stack) => stack.name));
  const nodes = stacks.map((stack): StackNode => {
    const producers: Record<string, string> = {};
    for (const read of stack.remoteStates) {
      const byName = read.name.startsWith(CDKTF_REMOTE_STATE_PREFIX)
        ? read.name.slice(CDKTF_REMOTE_STATE_PREFIX.length)
        : undefined;
      const producer =
        byLocation.get(stateLocation(read.backend, read.config, stack.workingDirectory)) ??
        (byName !== undefined && names.has(byName) ? byName : undefined);
      if (producer !== undefined && producer !== stack.name) producers[read.name] = producer;
    }
    const upstream = unique([...stack.dependencies, ...Object.values(producers)]).filter(
      (name) => name !== stack.name,
    );
    const missing = upstream.filter((name) => !names.has(name));
    if (missing.length > 0) {
      throw new Error(`${stack.name} depends on ${missing.join(', ')}, which is not a synthesized stack.`);
    }
    return { ...stack, upstream, producers };
  });
  return topologicalOrder(nodes);
}

/**
 * The stacks in waves: each wave depends only on earlier ones, so the stacks of one wave can be planned side
 * by side. `nodes` must be in dependency order (as `dependencyGraph` returns them).
 */
export function dependencyWaves(nodes: readonly StackNode[]): string[][] {
  const wave = new Map<string, number>();
  const waves: string[][] = [];
  for (const node of nodes) {
    const index = Math.max(-1, ...node.upstream.map((name) => wave.get(name) ?? -1)) + 1;
    wave.set(node.name, index);
    (waves[index] ??= []).push(node.name);
  }
  return waves;
}

/**
 * The order to deploy `nodes` in (names): dependency order, with one more rule a plan does not need but a
 * deploy does: a stack whose S3 backend keeps state in a bucket (or locks in a DynamoDB table) that another
 * stack creates comes after that stack, since `terraform init` fails until the bucket exists. So
 * `<env>-state` comes first. This is what `order.txt` lists. `nodes` must be in dependency order.
 */
export function deployOrder(nodes: readonly StackNode[]): string[] {
  const creatorOf = new Map<string, string>();
  for (const node of nodes) {
    for (const name of createdStateStores(node.config)) creatorOf.set(name, node.name);
  }
  const after = new Map(
    nodes.map((node) => {
      const backend = node.config.terraform?.backend?.s3;
      const stores = backend === undefined ? [] : [backend.bucket, backend.dynamodb_table];
      const creators = stores.flatMap((store) => {
        const creator = typeof store === 'string' ? creatorOf.get(store) : undefined;
        return creator === undefined || creator === node.name ? [] : [creator];
      });
      return [node.name, unique([...node.upstream, ...creators])];
    }),
  );
  const ordered = topologicalOrder(nodes.map((node) => ({ ...node, upstream: after.get(node.name) ?? [] })));
  return ordered.map((node) => node.name);
}

/** Names of the S3 buckets and DynamoDB tables a stack's configuration creates. */
function createdStateStores(config: TerraformJson): string[] {
  const resources = (config.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  const names = [
    ...Object.values(resources.aws_s3_bucket ?? {}).map((bucket) => bucket.bucket),
    ...Object.values(resources.aws_dynamodb_table ?? {}).map((table) => table.name),
  ];
  return names.filter((name): name is string => typeof name === 'string');
}

/**
 * The stacks of one environment (`<env>-...`), or the named ones among them, with what they depend on when
 * `withUpstream` (an offline plan needs every upstream's planned outputs), in dependency order.
 * @param names stack names, full (`dev-network`) or without the environment (`network`)
 */
export function selectStacks(
  nodes: readonly StackNode[],
  environment: string,
  names: readonly string[],
  withUpstream: boolean,
): StackNode[] {
  const ofEnvironment = nodes.filter((node) => environmentOf(node.name) === environment);
  if (ofEnvironment.length === 0) {
    const known = unique(nodes.map((node) => environmentOf(node.name)));
    throw new Error(`No stacks of environment "${environment}". Environments: ${known.join(', ')}.`);
  }
  let selected = new Set(ofEnvironment.map((node) => node.name));
  if (names.length > 0) {
    const full = names.map((name) => (name.startsWith(`${environment}-`) ? name : `${environment}-${name}`));
    const unknown = full.filter((name) => !selected.has(name));
    if (unknown.length > 0) {
      throw new Error(
        `No stack named ${unknown.join(', ')} in environment "${environment}". Stacks: ${[...selected].join(', ')}.`,
      );
    }
    selected = new Set(full);
  }
  if (withUpstream) {
    const byName = new Map(nodes.map((node) => [node.name, node]));
    const pending = [...selected];
    while (pending.length > 0) {
      for (const name of byName.get(pending.pop() as string)?.upstream ?? []) {
        if (!selected.has(name)) pending.push(name);
        selected.add(name);
      }
    }
  }
  return nodes.filter((node) => selected.has(node.name));
}

/** The environment of a stack id `<env>-<name>` (environment names have no hyphen). */
export function environmentOf(stackName: string): string {
  return stackName.split('-')[0];
}

function topologicalOrder(nodes: readonly StackNode[]): StackNode[] {
  const ordered: StackNode[] = [];
  const done = new Set<string>();
  let remaining = [...nodes];
  while (remaining.length > 0) {
    const ready = remaining.filter((node) => node.upstream.every((name) => done.has(name)));
    if (ready.length === 0) throw new Error(`Dependency cycle between stacks: ${findCycle(remaining)}.`);
    for (const node of ready) {
      ordered.push(node);
      done.add(node.name);
    }
    remaining = remaining.filter((node) => !done.has(node.name));
  }
  return ordered;
}

/** `a -> b -> a`: one cycle among stacks that all wait on one another. */
function findCycle(nodes: readonly StackNode[]): string {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const trail: string[] = [];
  let current = nodes[0];
  while (!trail.includes(current.name)) {
    trail.push(current.name);
    // Every remaining stack waits on at least one other remaining stack, so this finds one.
    current = byName.get(current.upstream.find((name) => byName.has(name)) as string) as StackNode;
  }
  return [...trail.slice(trail.indexOf(current.name)), current.name].join(' -> ');
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
