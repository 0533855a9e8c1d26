import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  App,
  DefaultTokenResolver,
  Fn,
  Lazy,
  StringConcat,
  TerraformLocal,
  TerraformStack,
  Token,
  Tokenization,
} from 'cdktf';
import {
  cdktfTokens,
  leanResolve,
  ORIGINAL_RESOLVE,
  type Resolve,
  type ResolveOptions,
} from '../../scripts/lean-resolve';
import { DataStack } from '../../stacks/data-stack';
import { NetworkStack } from '../../stacks/network-stack';
import { testEnvironment } from '../helpers';

const tokens = cdktfTokens();
const resolveModule = tokens?.resolveModule as { resolve: Resolve; [ORIGINAL_RESOLVE]?: Resolve } | undefined;
const original = resolveModule?.[ORIGINAL_RESOLVE] as Resolve;
const lean = leanResolve(tokens as NonNullable<typeof tokens>);

const temporaryDirs: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

/** Two stacks, the second referring to the first: values with tokens of every kind cdktf encodes. */
function fixture() {
  const app = new App({ outdir: mkdtempSync(path.join(os.tmpdir(), 'lean-resolve-')), stackTraces: false });
  temporaryDirs.push(app.outdir);
  const producer = new TerraformStack(app, 'producer');
  const consumer = new TerraformStack(app, 'consumer');
  const names = new TerraformLocal(producer, 'names', ['a', 'b']);
  const port = new TerraformLocal(consumer, 'port', 443);
  const tags = new TerraformLocal(consumer, 'tags', { team: 'platform' });
  const ports = new TerraformLocal(consumer, 'ports', [80, 443]);
  const values = {
    plain: { text: 'x', number: 1.5, flag: false, none: null, skipped: undefined, list: [1, undefined, 'y'] },
    when: new Date(0),
    crossStack: Fn.join(',', names.asList),
    listToken: names.asList,
    inString: `names: ${Fn.join(',', names.asList)} and $\${literal}`,
    escapes: 'a $${not.a.reference} and ${data.x.y} }',
    numberInString: `port-${port.asNumber}`,
    numberToken: port.asNumber,
    numberList: Token.asNumberList(ports.expression),
    stringMap: tags.asStringMap,
    anyMap: Token.asAnyMap(tags.expression),
    lazy: Lazy.anyValue({ produce: () => ({ nested: [port.asString, { deeper: names.asList }] }) }),
    json: Fn.jsonencode({ port: port.asNumber, names: names.asList }),
    formatted: Fn.format('%s-%s', ['$${x}', port.asString]),
    [port.asString]: 'a key that is a token',
  };
  return { producer, consumer, values };
}

function options(scope: unknown, preparing: boolean): ResolveOptions {
  return { scope, preparing, resolver: new DefaultTokenResolver(new StringConcat()) };
}

function thrown(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('did not throw');
}

describe('lean token resolution', () => {
  test("this cdktf has the resolver the preload replaces, and cdktf's Tokenization uses the lean one", () => {
    expect(original).toEqual(expect.any(Function));
    expect(resolveModule?.resolve).not.toBe(original);
    const { consumer } = fixture();
    const resolve = jest.spyOn(resolveModule as { resolve: Resolve }, 'resolve');
    try {
      expect(Tokenization.resolve({ a: 1 }, { ...options(consumer, false), scope: consumer })).toEqual({
        a: 1,
      });
      expect(resolve).toHaveBeenCalledTimes(1);
    } finally {
      resolve.mockRestore();
    }
  });

  test('resolves tokens of every kind as cdktf does, preparing (cross-stack references) and final', () => {
    const { consumer, values } = fixture();
    for (const preparing of [true, false]) {
      const expected = original(values, options(consumer, preparing));
      expect(lean(values, options(consumer, preparing))).toEqual(expected);
    }
    // The cross-stack reference became a remote-state read, as cdktf makes it.
    expect(lean(values, options(consumer, false))).toMatchObject({
      crossStack:
        '${join(",", data.terraform_remote_state.cross-stack-reference-input-producer.outputs.cross-stack-output-localnames)}',
    });
  });

  test('fails where cdktf fails, with the same message and path', () => {
    const { consumer } = fixture();
    let deep: object = { end: true };
    for (let depth = 0; depth < 205; depth++) deep = { deep };
    const cases: unknown[] = [
      { a: { b: () => 1 } },
      { a: ['x', { b: [() => 1] }] },
      { a: [consumer] },
      { a: Token.asList('x')[0] },
      { a: Token.STRING_MAP_TOKEN_VALUE },
      { a: Token.NUMBER_MAP_TOKEN_VALUE },
      { [Token.asString(Lazy.anyValue({ produce: () => 5 }))]: 1 },
      deep,
    ];
    for (const value of cases) {
      const message = thrown(() => original(value, options(consumer, false)));
      expect(thrown(() => lean(value, options(consumer, false)))).toBe(message);
    }
  });

  test('whole stacks (the network and data stacks, with their guardrails) synthesize to the same JSON', () => {
    const synthesize = (): Record<string, string> => {
      const outdir = mkdtempSync(path.join(os.tmpdir(), 'lean-resolve-'));
      temporaryDirs.push(outdir);
      const app = new App({ outdir, stackTraces: false });
      const environment = testEnvironment();
      const network = new NetworkStack(app, { environment });
      new DataStack(app, { environment, network });
      app.synth();
      return Object.fromEntries(
        ['dev-network', 'dev-data'].map((stack) => [
          stack,
          readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'),
        ]),
      );
    };
    const withLean = synthesize();
    const patched = resolveModule?.resolve as Resolve;
    let withOriginal: Record<string, string>;
    try {
      if (resolveModule) resolveModule.resolve = original;
      withOriginal = synthesize();
    } finally {
      if (resolveModule) resolveModule.resolve = patched;
    }
    expect(withLean).toEqual(withOriginal);
  });
});
