import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Lazy, TerraformStack, Tokenization, type IResolvable } from 'cdktf';
import { TOKEN_TRACE_FRAMES } from '../../scripts/shallow-token-traces';
import { testApp } from '../helpers';

/**
 * What the project relies on inside cdktf beyond its public API (docs/risks.md). An upgrade of cdktf,
 * or a move to CDK Terrain (cdktn), that changes one of these fails here, not silently in a slower or
 * noisier synth. (__tests__/scripts/shallow-token-traces.test.ts checks the trace module is found.)
 */
describe('cdktf internals the fast synth relies on', () => {
  /** Calls `make` under `depth` more frames: a full trace would be longer than the kept one. */
  function deep<T>(depth: number, make: () => T): T {
    return depth === 0 ? make() : deep(depth - 1, make);
  }

  test('lazy values take their creation trace from the preloaded function: the innermost frames only', () => {
    const lazy = deep(3 * TOKEN_TRACE_FRAMES, () => Lazy.anyValue({ produce: () => 1 }));
    expect(lazy.creationStack.length).toBeLessThanOrEqual(TOKEN_TRACE_FRAMES);
    expect(lazy.creationStack.some((frame) => frame.includes('cdktf-internals.test.ts'))).toBe(true);
  });

  test('resource attribute tokens take their creation trace from the preloaded function too', () => {
    const stack = new TerraformStack(testApp(), 'stack');
    const id = deep(3 * TOKEN_TRACE_FRAMES, () => new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' }).id);
    const [token] = Tokenization.reverseString(id).tokens as IResolvable[];
    expect(token.creationStack.length).toBeGreaterThan(0);
    expect(token.creationStack.length).toBeLessThanOrEqual(TOKEN_TRACE_FRAMES);
  });

  test('a failed stack validation throws the message scripts/synth.ts prints, with the advice it cuts', () => {
    const app = testApp();
    const stack = new TerraformStack(app, 'stack');
    stack.node.addValidation({ validate: () => ['the finding'] });
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }
    // scripts/synth.ts: VALIDATION_FAILED, and the advice it removes before printing the findings.
    expect(message.startsWith('Validation failed with the following errors:')).toBe(true);
    expect(message).toContain('the finding');
    expect(message).toMatch(/\n\s*If you wish to ignore these validations[\s\S]*$/);
  });
});
