/**
 * Offline, the stacks that are ready to plan at the same moment (a dependency wave, across every environment
 * of the run) are planned by ONE Terraform run: a generated root module calls each stack as a child module,
 * gives each of the stack's provider blocks its own configuration in the root (with the offline arguments),
 * and re-exports its outputs. Every `terraform plan` and `terraform show -json` reads the AWS provider's
 * whole schema (about 4.5 s of CPU each); a wave reads it twice instead of twice per stack.
 *
 * What stays as in a stack's own offline plan: its resources, data sources, outputs and `required_providers`,
 * each provider block's arguments (`default_tags` included, so `tags_all` is the same), every remote-state
 * read pointed at its upstream's stand-in, and the lines of its file in diagnostics. `wave-split.ts` cuts the
 * wave's plan back into each stack's plan JSON and plan text. When anything fails (an init, the plan, the
 * split), the planner reports it and `pipeline.ts` plans each stack of the wave on its own, so a failure is
 * reported by the stack it belongs to, as before.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initStack, outputOf, runTerraform } from '../terraform';
import { moduleNames, rootProviderSources, stackCopy, type StackCopy } from '../validate/root-module';
import type { StackNode } from './graph';
import {
  OFFLINE_ENV,
  OFFLINE_PROVIDER_ARGUMENTS,
  OVERRIDE_FILE,
  offlineOverride,
  hasUnknownOutputs,
  resourceTypes,
  type PlanJson,
  type ResourceTypes,
} from './offline';
import { OFFLINE_STATE_FILE, templateKey } from './shared-init';
import { countChanges, type PlanCounts } from './summary';
import { rootOutputName, stackPlanJson, WAVE_SEPARATOR, type WaveMember } from './wave-split';
import { stackPlanTexts } from './wave-text';
import type { PlanSlot } from './slots';

/** A stack asking to be planned in the next wave, with the stand-in state of each stack it reads. */
export interface WaveRequest {
  readonly node: StackNode;
  readonly standIns: Readonly<Record<string, string>>;
}

export type WaveOutcome =
  | {
      readonly status: 'planned';
      /** The stack's part of the wave's `terraform show -json`, as its own plan would have it. */
      readonly plan: PlanJson;
      /** The stack's part of the plan text (reads dropped, see `planText`). */
      readonly text: string;
      readonly counts: PlanCounts;
      /** The resource types of the wave's providers, read only when some stand-in needs them. */
      readonly types?: ResourceTypes;
      /** The stacks planned in the same Terraform run, this one included. */
      readonly wave: readonly string[];
    }
  /** The wave could not be planned or split (why, for the log): plan this stack on its own. */
  | { readonly status: 'alone'; readonly reason: string; readonly plannedWith: readonly string[] };

/** Plans a stack in the next wave; resolves when the wave is done. */
export type WavePlanner = (request: WaveRequest) => Promise<WaveOutcome>;

/**
 * A planner that gathers every request made until it gets a place (`slot`) into one wave. Pass one planner
 * to every environment of a run, so that their chains share each wave.
 * @param planText turns Terraform's plan output into the plan text (the pipeline's `planText`)
 * @param run plans one wave @default planWave
 */
export function wavePlanner(
  slot: PlanSlot,
  planText: (stdout: string) => string,
  run: typeof planWave = planWave,
): WavePlanner {
  let waiting: { request: WaveRequest; resolve: (outcome: WaveOutcome) => void }[] = [];
  let asked = false;
  const start = async () => {
    const members = await slot(async () => {
      // One turn of the event loop first: every stack that becomes ready with the first joins it.
      await new Promise((resolve) => setImmediate(resolve));
      const taken = waiting;
      waiting = [];
      asked = false;
      try {
        const outcomes = await run(
          taken.map((member) => member.request),
          planText,
        );
        return taken.map((member, index) => ({ member, outcome: outcomes[index] }));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const plannedWith = taken.map((member) => member.request.node.name);
        return taken.map((member) => ({
          member,
          outcome: { status: 'alone', reason, plannedWith } as const,
        }));
      }
    });
    for (const { member, outcome } of members) member.resolve(outcome);
  };
  return (request) =>
    new Promise((resolve) => {
      waiting.push({ request, resolve });
      if (!asked) {
        asked = true;
        void start();
      }
    });
}

/**
 * Whether a stack can be a wave's child module: as for sharing an init (`templateKey`), it neither calls
 * modules of its own nor uses a provider it does not declare; and its name has no `--`, which separates
 * a stack's module name from its outputs' and providers' names in the root.
 */
export function canJoinWave(node: StackNode): boolean {
  return templateKey(node.config) !== undefined && !node.name.includes(WAVE_SEPARATOR);
}

/** Plans the requests as one Terraform run; one outcome per request, in order. */
export async function planWave(
  requests: readonly WaveRequest[],
  planText: (stdout: string) => string,
): Promise<WaveOutcome[]> {
  const plannedWith = requests.map((request) => request.node.name);
  const alone = (reason: string): WaveOutcome[] =>
    requests.map(() => ({ status: 'alone', reason, plannedWith }));
  if (requests.length === 1) return alone('the only stack of its wave');
  const root = mkdtempSync(path.join(os.tmpdir(), 'plan-wave-'));
  try {
    const members = writeWaveRoot(root, requests);
    const init = await initStack(root, [], OFFLINE_ENV);
    if (init.exitCode !== 0) return alone(`the wave's terraform init failed:\n${outputOf(init)}`);
    const planFile = path.join(root, 'wave.tfplan');
    const plan = await runTerraform(
      ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', `-out=${planFile}`],
      { cwd: root, env: OFFLINE_ENV },
    );
    if (plan.exitCode !== 0) return alone(`the wave's plan failed:\n${outputOf(plan)}`);
    const show = await runTerraform(['show', '-json', planFile], { cwd: root, env: OFFLINE_ENV });
    if (show.exitCode !== 0) return alone(`the wave's terraform show failed:\n${outputOf(show)}`);

    const wave = JSON.parse(show.stdout) as PlanJson;
    const plans = members.map((member) => stackPlanJson(wave, member));
    const counts = new Map(members.map((member, index) => [member.module, countChanges(plans[index])]));
    const texts = stackPlanTexts(planText(plan.stdout), counts);
    const types = plans.some(hasUnknownOutputs) ? await resourceTypes(root) : undefined;
    return members.map((member, index) => ({
      status: 'planned',
      plan: plans[index],
      text: texts.get(member.module) as string,
      counts: counts.get(member.module) as PlanCounts,
      ...(types === undefined ? {} : { types }),
      wave: plannedWith,
    }));
  } catch (error) {
    return alone(error instanceof Error ? error.message : String(error));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The version constraint of each provider the stack requires, by local name. */
function versionConstraints(node: StackNode): Record<string, string> {
  const required = node.config.terraform?.required_providers ?? {};
  return Object.fromEntries(
    Object.entries(required).flatMap(([name, requirement]) => {
      const version =
        typeof requirement === 'string' ? requirement : (requirement as { version?: unknown }).version;
      return typeof version === 'string' ? [[name, version]] : [];
    }),
  );
}

/**
 * Writes the wave's root module (`main.tf.json`) and each stack's copy under `stacks/<module>/`, with the
 * stack's remote-state reads pointed at their stand-ins; returns each stack's module name and provider keys,
 * in the order of the requests. Throws when a stack reads a state no stand-in stands for (as
 * `offlineOverride` does).
 */
export function writeWaveRoot(root: string, requests: readonly WaveRequest[]): WaveMember[] {
  const byModule = moduleNames(requests.map((request) => request.node));
  const copies = new Map<string, StackCopy>();
  const members: WaveMember[] = [];
  const providers: Record<string, Record<string, unknown>[]> = {};
  const modules: Record<string, { source: string; providers?: Record<string, string> }> = {};
  const outputs: Record<string, { value: string; sensitive?: boolean }> = {};
  for (const [module, stack] of byModule) {
    const request = requests.find((candidate) => candidate.node === stack) as WaveRequest;
    const { node } = request;
    const dir = path.join(root, 'stacks', module);
    mkdirSync(dir, { recursive: true });
    const copy = stackCopy(readFileSync(path.join(node.workingDirectory, 'cdk.tf.json'), 'utf8'));
    copies.set(module, copy);
    writeFileSync(path.join(dir, 'cdk.tf.json'), copy.text);
    // Only the remote-state reads: the backend and providers are the root's.
    const { data } = offlineOverride(node, { state: OFFLINE_STATE_FILE, standIns: request.standIns });
    if (data !== undefined)
      writeFileSync(path.join(dir, OVERRIDE_FILE), `${JSON.stringify({ data }, null, 2)}\n`);
    // Asset paths (a function's archive) are relative to where Terraform runs: the root.
    const assets = path.join(node.workingDirectory, 'assets');
    if (existsSync(assets)) cpSync(assets, path.join(root, 'assets'), { recursive: true });

    const keys: Record<string, string> = {};
    const passed: Record<string, string> = {};
    for (const block of copy.providerBlocks) {
      const alias = block.alias === undefined ? module : `${module}${WAVE_SEPARATOR}${block.alias}`;
      const own = block.alias === undefined ? block.name : `${block.name}.${block.alias}`;
      const offline = block.name === 'aws' ? OFFLINE_PROVIDER_ARGUMENTS : {};
      (providers[block.name] ??= []).push({ ...block.arguments, ...offline, alias });
      keys[`${block.name}.${alias}`] = own;
      passed[own] = `${block.name}.${alias}`;
    }
    members.push({ module, providerKeys: keys, providerVersions: versionConstraints(node) });
    modules[module] = { source: `./stacks/${module}`, providers: passed };
    const declared = (node.config.output ?? {}) as Record<string, { sensitive?: boolean }>;
    for (const [name, output] of Object.entries(declared)) {
      outputs[rootOutputName(module, name)] = {
        value: `\${module.${module}.${name}}`,
        ...(output.sensitive === true ? { sensitive: true } : {}),
      };
    }
  }
  const sources = rootProviderSources(copies);
  const main = {
    '//': 'Generated by scripts/plan/wave-run.ts for an offline plan of one wave; not for use against AWS.',
    terraform: {
      required_providers: Object.fromEntries(
        Object.entries(sources).map(([name, source]) => [name, { source }]),
      ),
      backend: { local: { path: OFFLINE_STATE_FILE } },
    },
    provider: providers,
    module: modules,
    ...(Object.keys(outputs).length > 0 ? { output: outputs } : {}),
  };
  writeFileSync(path.join(root, 'main.tf.json'), `${JSON.stringify(main, null, 2)}\n`);
  return members;
}
