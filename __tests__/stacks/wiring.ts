import { TerraformStack, Testing } from 'cdktf';
import type { SynthesizedConfig } from '../helpers';

type Body = Record<string, unknown>;

/**
 * An app's stacks synthesized as `app.synth()` does, for tests that follow values across stacks: every
 * stack prepared first (CDKTF's cross-stack outputs and `terraform_remote_state` reads made), then each
 * stack synthesized with its validations, so the guardrails run on it and a violation fails the test.
 */
export class SynthesizedApp {
  private readonly configs = new Map<TerraformStack, SynthesizedConfig>();

  constructor(stacks: readonly TerraformStack[]) {
    const root = stacks[0].node.root;
    for (const stack of root.node.findAll().filter(TerraformStack.isStack)) stack.prepareStack();
  }

  /** `stack`'s Terraform JSON, after its guardrails passed. */
  config(stack: TerraformStack): SynthesizedConfig {
    let config = this.configs.get(stack);
    if (config === undefined) {
      config = JSON.parse(Testing.synth(stack, true)) as SynthesizedConfig;
      this.configs.set(stack, config);
    }
    return config;
  }

  /**
   * `${type.<id>.<attribute>}` of the one resource of `type` in `stack` that `match` picks, for a
   * reference inside that stack.
   */
  reference(stack: TerraformStack, type: string, match: (body: Body) => boolean, attribute: string): string {
    const ids = Object.entries(this.config(stack).resource?.[type] ?? {})
      .filter(([, body]) => match(body))
      .map(([id]) => id);
    if (ids.length !== 1) {
      throw new Error(`${stack.node.id}: ${ids.length} ${type} resources match, expected exactly one`);
    }
    return `\${${type}.${ids[0]}.${attribute}}`;
  }

  /**
   * What a consumer reads for an attribute of a resource in `producer` (`reference` from it): the
   * producer's output of exactly that expression, read through the consumer's remote state.
   */
  read(producer: TerraformStack, reference: string): string {
    const outputs = Object.entries(this.config(producer).output ?? {}).filter(
      // CDKTF's own outputs for other stacks; a stack's outputs for people may carry the same value.
      ([name, output]) =>
        name.startsWith('cross-stack-output-') && (output as { value?: unknown }).value === reference,
    );
    if (outputs.length !== 1) {
      throw new Error(`${producer.node.id}: ${outputs.length} outputs of ${reference}, expected exactly one`);
    }
    return `\${data.terraform_remote_state.cross-stack-reference-input-${producer.node.id}.outputs.${outputs[0][0]}}`;
  }

  /** `read` of the one matching resource's attribute in `producer`. */
  readOf(producer: TerraformStack, type: string, match: (body: Body) => boolean, attribute: string): string {
    return this.read(producer, this.reference(producer, type, match, attribute));
  }

  /** The one resource or data source body of `type` in `stack` that `match` picks. */
  only(
    stack: TerraformStack,
    type: string,
    match: (body: Body) => boolean = () => true,
    kind: 'resource' | 'data' = 'resource',
  ): Body {
    const bodies = Object.values(this.config(stack)[kind]?.[type] ?? {}).filter(match);
    if (bodies.length !== 1) {
      throw new Error(`${stack.node.id}: ${bodies.length} ${kind} ${type} match, expected exactly one`);
    }
    return bodies[0];
  }
}

/** Matches a resource by its `Name` tag. */
export const named =
  (name: string) =>
  (body: Body): boolean =>
    (body.tags as Record<string, string> | undefined)?.Name === name;

/** Matches a resource by the value of one of its arguments. */
export const where =
  (key: string, value: unknown) =>
  (body: Body): boolean =>
    body[key] === value;

/** `stack` synthesized as `app.synth()` does it (its app prepared, its guardrails run: a violation throws). */
export function synthesizeChecked(stack: TerraformStack): { json: string; config: SynthesizedConfig } {
  const config = new SynthesizedApp([stack]).config(stack);
  return { json: JSON.stringify(config), config };
}
