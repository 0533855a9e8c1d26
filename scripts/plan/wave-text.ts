/**
 * Splits the plan text of a wave (`terraform plan -no-color` of the root that calls each stack as a child
 * module, see `wave-run.ts`) into each stack's own plan text, as its own `terraform plan` prints it. Any line
 * the split cannot place throws: the wave is then planned stack by stack.
 */
import type { PlanCounts } from './summary';
import { WAVE_SEPARATOR } from './wave-split';

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
