/**
 * Splits the plan of a wave (several stacks planned by one Terraform run, each a child module `module.<m>`
 * of a generated root; see `wave-run.ts`) back into what each stack's own plan would have given: its part
 * of `terraform show -json` and of the plan text, with the stack's own addresses (`aws_vpc.main`, not
 * `module.dev-network.aws_vpc.main`), provider keys (`aws.billing`, not `aws.dev-observability--billing`)
 * and output names. Anything the split cannot place throws: the wave is then planned stack by stack.
 */
import type { PlanJson } from './offline';
import type { PlanCounts } from './summary';

/** Separates a stack's module name from the name of its output or provider alias in the root module. */
export const WAVE_SEPARATOR = '--';

/** One stack of a wave: its module name in the root and the root provider keys it was given. */
export interface WaveMember {
  /** The child module's name in the root module (`dev-network`). */
  readonly module: string;
  /** The root's provider configuration key for each of the stack's own keys (`aws.dev-network` -> `aws`). */
  readonly providerKeys: Readonly<Record<string, string>>;
  /** The version constraint the stack puts on each provider it requires, by local name (`aws` -> `5.100.0`). */
  readonly providerVersions: Readonly<Record<string, string>>;
}

/** The root module's name for output `output` of the stack called as `module`. */
export function rootOutputName(module: string, output: string): string {
  return `${module}${WAVE_SEPARATOR}${output}`;
}

type Json = Record<string, unknown>;

/** The stack's part of the wave's `terraform show -json` document, as its own plan would have it. */
export function stackPlanJson(wave: PlanJson, member: WaveMember): PlanJson {
  const document = wave as unknown as Json;
  const prefix = `module.${member.module}`;
  const project: Json = {};
  for (const [key, value] of Object.entries(document)) {
    switch (key) {
      case 'planned_values':
        project[key] = stackValues(value as Json, member);
        break;
      case 'prior_state': {
        const state = value as Json;
        project[key] = { ...state, values: stackValues((state.values ?? {}) as Json, member) };
        break;
      }
      case 'resource_changes':
      case 'resource_drift':
      case 'deferred_changes':
        project[key] = (value as Json[]).flatMap((change) => {
          const address = withinModule(String(change.address), prefix);
          if (address === undefined) return [];
          const { module_address: moduleAddress, ...rest } = change;
          const inner = moduleAddress === undefined ? undefined : withinModule(String(moduleAddress), prefix);
          return [
            { ...rest, address, ...(inner === undefined || inner === '' ? {} : { module_address: inner }) },
          ];
        });
        break;
      case 'output_changes':
        project[key] = stackOutputs(value as Json, member);
        break;
      case 'relevant_attributes':
        project[key] = (value as Json[]).flatMap((attribute) => {
          const resource = withinModule(String(attribute.resource), prefix);
          return resource === undefined ? [] : [{ ...attribute, resource }];
        });
        break;
      case 'configuration':
        project[key] = stackConfiguration(value as Json, member);
        break;
      case 'checks':
        // Check results of the root: none of a stack's own (cdktf emits no check blocks).
        break;
      default:
        project[key] = value;
    }
  }
  return project as PlanJson;
}

/** The object without the given keys. */
function without(object: Json, ...keys: string[]): Json {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

/** `aws_vpc.main` for `module.dev-network.aws_vpc.main` and prefix `module.dev-network`; else undefined. */
function withinModule(address: string, prefix: string): string | undefined {
  if (address === prefix) return '';
  return address.startsWith(`${prefix}.`) ? address.slice(prefix.length + 1) : undefined;
}

/** `planned_values` or `prior_state.values`: the stack's child module as the root, with its outputs. */
function stackValues(values: Json, member: WaveMember): Json {
  const prefix = `module.${member.module}`;
  const root = (values.root_module ?? {}) as Json;
  const child = ((root.child_modules ?? []) as Json[]).find((module) => module.address === prefix);
  const outputs =
    values.outputs === undefined ? {} : { outputs: stackOutputs(values.outputs as Json, member) };
  return { ...outputs, root_module: child === undefined ? {} : stripModule(child, prefix) };
}

function stripModule(module: Json, prefix: string): Json {
  const stripped = without(module, 'address');
  if (Array.isArray(module.resources)) {
    stripped.resources = (module.resources as Json[]).map((resource) => ({
      ...resource,
      address: withinModule(String(resource.address), prefix),
    }));
  }
  if (Array.isArray(module.child_modules)) {
    stripped.child_modules = (module.child_modules as Json[]).map((child) => ({
      ...stripModule(child, prefix),
      address: withinModule(String(child.address), prefix),
    }));
  }
  return stripped;
}

/** The root outputs `<module>--<name>` of the stack, named `<name>`. */
function stackOutputs(outputs: Json, member: WaveMember): Json {
  const prefix = rootOutputName(member.module, '');
  return Object.fromEntries(
    Object.entries(outputs)
      .filter(([name]) => name.startsWith(prefix))
      .map(([name, value]) => [name.slice(prefix.length), value]),
  );
}

function stackConfiguration(configuration: Json, member: WaveMember): Json {
  const providerConfig = (configuration.provider_config ?? {}) as Record<string, Json>;
  const keys = stackProviderKeys(member, Object.keys(providerConfig));
  const providers: Record<string, Json> = {};
  for (const [rootKey, stackKey] of Object.entries(keys)) {
    const rest = without(providerConfig[rootKey], 'alias', 'module_address', 'version_constraint');
    const alias = stackKey.includes('.') ? stackKey.slice(stackKey.indexOf('.') + 1) : undefined;
    const version = member.providerVersions[String(rest.name)];
    providers[stackKey] = {
      ...rest,
      ...(alias === undefined ? {} : { alias }),
      ...(version === undefined ? {} : { version_constraint: version }),
    };
  }
  const calls = (((configuration.root_module ?? {}) as Json).module_calls ?? {}) as Record<string, Json>;
  const call = calls[member.module];
  if (call === undefined) throw new Error(`the wave's configuration has no module "${member.module}"`);
  return {
    provider_config: providers,
    root_module: renameProviderKeys(call.module as Json, keys),
  };
}

/**
 * The stack's key for each root key of its providers: the configurations the root passed it, and the ones
 * Terraform made inside its module (`module.dev-data:terraform`, the built-in provider, becomes `terraform`).
 */
function stackProviderKeys(member: WaveMember, rootKeys: readonly string[]): Record<string, string> {
  const own = `module.${member.module}:`;
  const keys: Record<string, string> = {};
  for (const key of rootKeys) {
    if (member.providerKeys[key] !== undefined) keys[key] = member.providerKeys[key];
    else if (key.startsWith(own)) keys[key] = key.slice(own.length);
  }
  return keys;
}

/** Every `provider_config_key` of a module's resources (and its calls'), from the root's to the stack's. */
function renameProviderKeys(module: Json, keys: Readonly<Record<string, string>>): Json {
  const renamed: Json = { ...module };
  if (Array.isArray(module.resources)) {
    renamed.resources = (module.resources as Json[]).map((resource) => {
      const key = resource.provider_config_key;
      return typeof key === 'string' && keys[key] !== undefined
        ? { ...resource, provider_config_key: keys[key] }
        : resource;
    });
  }
  if (module.module_calls !== undefined) {
    renamed.module_calls = Object.fromEntries(
      Object.entries(module.module_calls as Record<string, Json>).map(([name, call]) => [
        name,
        { ...call, module: renameProviderKeys(call.module as Json, keys) },
      ]),
    );
  }
  return renamed;
}

/** The sections of a wave's plan text (`terraform plan -no-color`, reads already dropped by `planText`). */
interface WaveText {
  /** The legend of symbols, up to and including "Terraform will perform the following actions:". */
  readonly legend: readonly string[];
  /** Each resource's block, by module name, in Terraform's order. */
  readonly blocks: ReadonlyMap<string, string[][]>;
  /** Each output's lines under "Changes to Outputs:", by module name. */
  readonly outputs: ReadonlyMap<string, { name: string; symbol: string; lines: string[] }[]>;
  /** Warning and error boxes (`╷` to `╵`), each with the modules it names. */
  readonly boxes: readonly { modules: readonly string[]; lines: string[] }[];
  /** Terraform's own counts for the whole wave (its "Plan:" line), or zeros for "No changes." */
  readonly total: { add: number; change: number; destroy: number };
}

const RESOURCE_HEADER = /^ {2}# module\.([A-Za-z0-9_-]+)\.(\S.*)$/;
const PLAN_LINE = /^Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\.$/;
/** What Terraform says after the outputs when only outputs change. */
const OUTPUTS_ONLY = [
  'You can apply this plan to save these new output values to the Terraform',
  'state, without changing any real infrastructure.',
];
const OUTPUT_ENTRY = /^ {2}([+~-]|-\/\+) ([A-Za-z0-9_-]+?) *= (.*)$/;

function parseWaveText(text: string, modules: readonly string[]): WaveText {
  const lines = text.replace(/\n$/, '').split('\n');
  const known = new Set(modules);
  const legend: string[] = [];
  const blocks = new Map<string, string[][]>(modules.map((module) => [module, []]));
  const outputs = new Map<string, { name: string; symbol: string; lines: string[] }[]>(
    modules.map((module) => [module, []]),
  );
  const boxes: { modules: string[]; lines: string[] }[] = [];
  let total: WaveText['total'] | undefined;
  let section: 'legend' | 'resources' | 'outputs' | 'after' = 'legend';
  let current: string[] | undefined;
  let box: string[] | undefined;
  const moduleOf = (name: string) => {
    if (!known.has(name)) throw new Error(`the wave's plan names a module it did not call: ${name}`);
    return name;
  };
  for (const line of lines) {
    if (box !== undefined) {
      box.push(line);
      if (line.startsWith('╵')) {
        const named = [
          ...new Set([...box.join('\n').matchAll(/module\.([A-Za-z0-9_-]+)/g)].map((m) => m[1])),
        ];
        boxes.push({ modules: named.filter((name) => known.has(name)), lines: box });
        box = undefined;
      }
      continue;
    }
    if (line.startsWith('╷')) {
      box = [line];
      continue;
    }
    const plan = PLAN_LINE.exec(line);
    if (plan !== null) {
      total = { add: Number(plan[1]), change: Number(plan[2]), destroy: Number(plan[3]) };
      section = 'after';
      current = undefined;
      continue;
    }
    if (line.startsWith('No changes.')) {
      total = { add: 0, change: 0, destroy: 0 };
      section = 'after';
      continue;
    }
    if (section === 'legend' && line === 'Changes to Outputs:') {
      // Only outputs change: Terraform prints neither the legend nor a "Plan:" line.
      total = { add: 0, change: 0, destroy: 0 };
      section = 'outputs';
      continue;
    }
    if (section === 'legend') {
      legend.push(line);
      if (line === 'Terraform will perform the following actions:') section = 'resources';
      continue;
    }
    if (section === 'resources') {
      const header = RESOURCE_HEADER.exec(line);
      if (header !== null) {
        current = [`  # ${header[2]}`];
        blocks.get(moduleOf(header[1]))?.push(current);
      } else if (current !== undefined) {
        current.push(line);
      } else if (line.trim() === '') {
        legend.push(line);
      } else {
        throw new Error(`the wave's plan has a line outside every resource: ${line}`);
      }
      continue;
    }
    if (line === 'Changes to Outputs:') {
      section = 'outputs';
      current = undefined;
      continue;
    }
    if (section === 'outputs') {
      const entry = OUTPUT_ENTRY.exec(line);
      if (entry !== null) {
        const [module, ...rest] = entry[2].split(WAVE_SEPARATOR);
        current = [entry[3]];
        outputs
          .get(moduleOf(module))
          ?.push({ name: rest.join(WAVE_SEPARATOR), symbol: entry[1], lines: current });
      } else if (current !== undefined && line.startsWith('    ')) {
        current.push(line);
      } else if (line.trim() === '' || OUTPUTS_ONLY.includes(line)) {
        current = undefined;
      } else {
        throw new Error(`the wave's plan has an output line it cannot place: ${line}`);
      }
      continue;
    }
    if (line.trim() !== '' && !/^─+$/.test(line)) {
      throw new Error(`the wave's plan has a line after its Plan line that belongs to no stack: ${line}`);
    }
  }
  if (total === undefined) throw new Error('the wave\'s plan has no "Plan:" or "No changes." line');
  return { legend, blocks, outputs, boxes, total };
}

/**
 * Each stack's plan text, in the form of its own `terraform plan`: the wave's legend, its resources, a
 * "Plan:" line from its counts, its outputs (names padded as Terraform pads them) and the warnings that
 * name it (or name no stack). Throws when the counts of the stacks do not add up to Terraform's own
 * "Plan:" line of the wave, or when a line cannot be placed.
 */
export function stackPlanTexts(text: string, counts: ReadonlyMap<string, PlanCounts>): Map<string, string> {
  const modules = [...counts.keys()];
  const wave = parseWaveText(text, modules);
  const sum = { add: 0, change: 0, destroy: 0 };
  for (const count of counts.values()) {
    sum.add += count.add;
    sum.change += count.change;
    sum.destroy += count.destroy;
  }
  if (sum.add !== wave.total.add || sum.change !== wave.total.change || sum.destroy !== wave.total.destroy) {
    throw new Error(
      `the stacks' counts (${sum.add}/${sum.change}/${sum.destroy}) do not add up to the wave's Plan line (${wave.total.add}/${wave.total.change}/${wave.total.destroy})`,
    );
  }
  const texts = new Map<string, string>();
  for (const module of modules) {
    const count = counts.get(module) as PlanCounts;
    const blocks = wave.blocks.get(module) ?? [];
    const outputs = wave.outputs.get(module) ?? [];
    const changesResources = blocks.length > 0 || count.add + count.change + count.destroy > 0;
    const outputLines = outputSection(outputs);
    const lines: string[] = [];
    if (changesResources) {
      lines.push(...wave.legend);
      for (const block of blocks) lines.push(...block);
      if (blocks.length === 0) lines.push('');
      lines.push(`Plan: ${count.add} to add, ${count.change} to change, ${count.destroy} to destroy.`);
      if (outputLines.length > 0) lines.push('', ...outputLines);
    } else if (outputLines.length > 0) {
      lines.push(...outputLines, '', ...OUTPUTS_ONLY);
    } else {
      lines.push('No changes. Your infrastructure matches the configuration.');
    }
    for (const box of wave.boxes) {
      if (box.modules.length > 0 && !box.modules.includes(module)) continue;
      lines.push('', ...box.lines.map((line) => ownAddresses(line, module)));
    }
    texts.set(module, `${lines.join('\n').replace(/\n+$/, '')}\n`);
  }
  return texts;
}

/** "Changes to Outputs:" and a stack's outputs, names padded to the longest as Terraform pads them. */
function outputSection(outputs: readonly { name: string; symbol: string; lines: string[] }[]): string[] {
  if (outputs.length === 0) return [];
  const width = Math.max(...outputs.map((output) => output.name.length));
  return [
    'Changes to Outputs:',
    ...outputs.flatMap(({ name, symbol, lines: [first, ...rest] }) => [
      `  ${symbol} ${name.padEnd(width)} = ${first}`,
      ...rest,
    ]),
  ];
}

/** A line of a stack's warning with the stack's own addresses and file (`cdk.tf.json`, not `stacks/x/...`). */
function ownAddresses(line: string, module: string): string {
  return line.replaceAll(`module.${module}.`, '').replaceAll(`stacks/${module}/`, '');
}
