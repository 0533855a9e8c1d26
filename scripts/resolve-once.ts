/**
 * Preloaded by `npm run synth` and `cdktf synth`. While cdktf synthesizes a stack it resolves every token
 * of the stack into Terraform JSON twice: once when the guardrails (policy/guardrails.ts, a stack
 * validation) call `stack.toTerraform()`, and again when it writes `cdk.tf.json` right after. Nothing in
 * between changes the configuration (custom synthesis only copies asset files), so within one stack's
 * synthesis the second call gets the first result. Token resolution was the largest part of a synth's
 * profile. The written JSON is the same either way (__tests__/scripts/resolve-once.test.ts).
 */
import * as path from 'node:path';

interface Synthesizer {
  stack: { toTerraform: () => unknown };
  synthesize: (session: unknown) => void;
}

interface SynthesizerModule {
  StackSynthesizer: { prototype: Synthesizer };
}

/** cdktf's stack synthesizer module, or undefined if this cdktf has another layout. */
export function synthesizerModule(): SynthesizerModule | undefined {
  let file: string;
  try {
    file = require.resolve(path.join('cdktf', 'lib', 'synthesize', 'synthesizer.js'));
  } catch {
    return undefined; // another cdktf layout: synth is slower, never wrong
  }
  return require(file) as SynthesizerModule;
}

/** Where the patched prototype keeps cdktf's own `synthesize` (for the test that compares the two). */
export const ORIGINAL_SYNTHESIZE = Symbol.for('aws-and-infra.resolve-once.original');

/** Makes each stack's `toTerraform()` resolve once per `synthesize()`; idempotent. */
export function resolveOncePerSynthesis(module: SynthesizerModule): void {
  const prototype = module.StackSynthesizer.prototype as Synthesizer & {
    [ORIGINAL_SYNTHESIZE]?: Synthesizer['synthesize'];
  };
  if (prototype[ORIGINAL_SYNTHESIZE] !== undefined) return;
  const synthesize = prototype.synthesize;
  prototype[ORIGINAL_SYNTHESIZE] = synthesize;
  prototype.synthesize = function (this: Synthesizer, session: unknown): void {
    const stack = this.stack;
    const own = Object.getOwnPropertyDescriptor(stack, 'toTerraform');
    let resolved: unknown;
    let done = false;
    const toTerraform = stack.toTerraform;
    stack.toTerraform = function (this: unknown) {
      if (!done) {
        resolved = toTerraform.call(this);
        done = true;
      }
      return resolved;
    };
    try {
      synthesize.call(this, session);
    } finally {
      // The stack's own method again: a later synth (or a test) resolves afresh.
      if (own === undefined) delete (stack as Partial<Synthesizer['stack']>).toTerraform;
      else Object.defineProperty(stack, 'toTerraform', own);
    }
  };
}

const found = synthesizerModule();
if (found !== undefined) resolveOncePerSynthesis(found);
