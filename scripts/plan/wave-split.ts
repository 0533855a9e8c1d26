/**
 * Splits the plan JSON of a wave (several stacks planned by one Terraform run, each a child module
 * `module.<m>` of a generated root; see `wave-run.ts`) back into what each stack's own plan would have given:
 * its part of `terraform show -json`, with the stack's own addresses (`aws_vpc.main`, not
 * `module.dev-network.aws_vpc.main`), provider keys (`aws.billing`, not `aws.dev-observability--billing`)
 * and output names. `wave-text.ts` does the same for the plan text. Anything the split cannot place throws:
 * the wave is then planned stack by stack.
 */
import type { PlanJson } from './offline';

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
      case 'deferred_changes':
        // Deferred changes nest their resource change; cdktf's stacks never defer (no unknown `count`).
        if ((value as Json[]).length > 0)
          throw new Error("the wave's plan defers changes; the split does not place them");
        project[key] = value;
        break;
      case 'resource_changes':
      case 'resource_drift':
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
