/**
 * Preloaded by `npm run synth` and `cdktf synth`. cdktf resolves every value of every stack at least twice
 * (a preparing pass for cross-stack references, then the Terraform JSON), and its resolver
 * (`cdktf/lib/tokens/private/resolve.js`) spends most of that on bookkeeping: for each value and each
 * object key it joins the whole key path into a string (used only in error messages) and builds a new
 * context object with two closures, even for a plain string. This is the same function with that work
 * done only where it is used: the path is joined when an error is thrown, a context is made only where a
 * token or a resolver receives one, and plain values hand their parent's context on as it is (cdktf copied
 * its fields, which nothing changes while a child resolves). Same results, same errors
 * (__tests__/scripts/lean-resolve.test.ts compares both on tokens of every kind and on whole stacks).
 */
import * as path from 'node:path';

/** cdktf's `IResolveContext`, as far as this file uses it. */
interface ResolveContext {
  preparing: boolean;
  scope: unknown;
  suppressBraces?: boolean;
  ignoreEscapes?: boolean;
  warnEscapes?: boolean;
  iteratorContext?: unknown;
  registerPostProcessor(postProcessor: PostProcessor): void;
  resolve(value: unknown): unknown;
}

interface PostProcessor {
  postProcess(value: unknown, context: ResolveContext): unknown;
}

interface Fragments {
  mapTokens(context: ResolveContext): { join(concat: unknown): unknown };
}

interface TokenResolver {
  resolveToken(token: unknown, context: ResolveContext, postProcessor: PostProcessor): unknown;
  resolveString(fragments: Fragments, context: ResolveContext): unknown;
  resolveList(list: unknown[], context: ResolveContext): unknown;
  resolveNumberList(list: unknown[], context: ResolveContext): unknown;
  resolveMap(map: object, context: ResolveContext): unknown;
}

export interface ResolveOptions {
  scope: unknown;
  preparing: boolean;
  resolver: TokenResolver;
  prefix?: string[];
  previousContext?: ResolveContext;
}

export type Resolve = (value: unknown, options: ResolveOptions) => unknown;

/**
 * The options of one value being resolved. cdktf copies its key path (`prefix`) into a new array for every
 * value, to name the path in an error; here each value's options point at its parent's and add one key.
 * Every walk has the same fields in the same order, so V8 reads them at one shape.
 */
interface Walk {
  readonly scope: unknown;
  readonly preparing: boolean;
  readonly resolver: TokenResolver;
  readonly previousContext: ResolveContext | undefined;
  /** The key path the resolution started at (cdktf's `prefix` option). */
  readonly prefix: readonly string[] | undefined;
  /** The walk of the object or array this value is in, and the value's key there. */
  readonly up: Walk | undefined;
  readonly key: string | undefined;
  /** How many keys deep the value is (`prefix.length` in cdktf). */
  readonly depth: number;
}

function walk(
  from: Pick<Walk, 'scope' | 'preparing' | 'resolver' | 'previousContext' | 'prefix'>,
  up: Walk | undefined,
  key: string | undefined,
  depth: number,
  previousContext = from.previousContext,
): Walk {
  const { scope, preparing, resolver, prefix } = from;
  return { scope, preparing, resolver, previousContext, prefix, up, key, depth };
}

/** `/a/b/0`: the keys from the root to the value, as cdktf names a path in its errors. */
function pathName(at: Walk): string {
  const keys: string[] = [];
  for (; at.key !== undefined && at.up !== undefined; at = at.up) keys.unshift(at.key);
  return '/' + [...(at.prefix ?? []), ...keys].join('/');
}

/** The parts of cdktf the resolver is made of (its own modules, so behaviour stays cdktf's). */
interface CdktfTokens {
  resolveModule: { resolve: Resolve };
  encoding: {
    TokenString: {
      forString(s: string, includeEscapes?: boolean, warnEscapes?: boolean): TokenString;
      forListToken(s: string): TokenString;
      forNumbers(s: string): TokenString;
      forMapToken(s: string): TokenString;
    };
    containsNumberListTokenElement(xs: unknown[]): boolean;
  };
  tokenMap: {
    TokenMap: {
      instance(): {
        lookupToken(key: string): unknown;
        lookupNumberToken(x: number): unknown;
      };
    };
  };
  token: {
    Token: { STRING_MAP_TOKEN_VALUE: string; ANY_MAP_TOKEN_VALUE: string; NUMBER_MAP_TOKEN_VALUE: number };
  };
  resolvable: { StringConcat: new () => unknown };
  errors: Record<
    | 'unableToResolveCircularReference'
    | 'cannotResolveFunction'
    | 'encodedListTokenInScalarStringContext'
    | 'encodedMapTokenInScalarStringContext'
    | 'encodedMapTokenInScalarNumberContext'
    | 'constructsCannotBeResolved'
    | 'mapKeyMustResolveToString',
    (...args: unknown[]) => Error
  >;
}

interface TokenString {
  test(): boolean;
  split(lookup: (key: string) => unknown): Fragments;
}

/** cdktf's token modules, or undefined if this cdktf has another layout. */
export function cdktfTokens(): CdktfTokens | undefined {
  const load = (file: string): unknown => require(require.resolve(path.join('cdktf', 'lib', file)));
  try {
    return {
      resolveModule: load('tokens/private/resolve.js'),
      encoding: load('tokens/private/encoding.js'),
      tokenMap: load('tokens/private/token-map.js'),
      token: load('tokens/token.js'),
      resolvable: load('tokens/resolvable.js'),
      errors: load('errors.js'),
    } as CdktfTokens;
  } catch {
    return undefined; // another cdktf layout: synth is slower, never wrong
  }
}

/** cdktf's `resolve`, step for step, without the work whose result nothing reads. */
export function leanResolve(cdktf: CdktfTokens): Resolve {
  const { TokenString } = cdktf.encoding;
  const { Token } = cdktf.token;
  const errors = cdktf.errors;
  const tokenMap = cdktf.tokenMap.TokenMap.instance();
  const lookupToken = tokenMap.lookupToken.bind(tokenMap);
  // cdktf's tests, asked only of strings holding the marker its pattern starts with.
  const isListToken = (x: unknown): boolean =>
    typeof x === 'string' && x.includes('#{TfToken[') && TokenString.forListToken(x).test();
  const isMapToken = (key: string): boolean =>
    key.includes('&{TfToken[') && TokenString.forMapToken(key).test();

  /** A context as cdktf's `makeContext` makes it, for a token or a resolver that receives one. */
  function makeContext(options: Walk): [ResolveContext, PostProcessor] {
    let postProcessor: PostProcessor | undefined;
    const previous = options.previousContext;
    const context: ResolveContext = {
      preparing: options.preparing,
      scope: options.scope,
      suppressBraces: previous?.suppressBraces,
      ignoreEscapes: previous?.ignoreEscapes,
      warnEscapes: previous?.warnEscapes,
      iteratorContext: previous?.iteratorContext,
      registerPostProcessor(pp) {
        postProcessor = pp;
      },
      resolve(x) {
        return resolve(x, walk(options, options.up, options.key, options.depth, context));
      },
    };
    return [context, { postProcess: (x) => (postProcessor ? postProcessor.postProcess(x, context) : x) }];
  }

  function resolveString(str: string, options: Walk): unknown {
    // cdktf's string and list token markers both contain `{TfToken[`: without it, neither test can match.
    const marked = str.includes('{TfToken[');
    // If this is a "list element" Token, it should never occur by itself in string context
    if (marked && isListToken(str)) throw errors.encodedListTokenInScalarStringContext();
    if (str === Token.STRING_MAP_TOKEN_VALUE || str === Token.ANY_MAP_TOKEN_VALUE) {
      throw errors.encodedMapTokenInScalarStringContext();
    }
    const previous = options.previousContext;
    let resolved: unknown = str;
    if (marked) {
      const tokenStr = TokenString.forString(str, !previous?.ignoreEscapes, previous?.warnEscapes);
      if (tokenStr.test()) {
        resolved = options.resolver.resolveString(tokenStr.split(lookupToken), makeContext(options)[0]);
      }
    }
    // replace concatenated token numbers (cdktf's pattern for an encoded number needs an `e`, its exponent)
    if (typeof resolved === 'string' && !resolved.includes('e')) return resolved;
    const tokenNumberStr = TokenString.forNumbers(resolved as string);
    if (tokenNumberStr.test()) {
      const fragments = tokenNumberStr.split((id) => tokenMap.lookupNumberToken(parseFloat(id)));
      resolved = fragments.mapTokens(makeContext(options)[0]).join(new cdktf.resolvable.StringConcat());
    }
    return resolved;
  }

  function resolve(obj: unknown, options: Walk): unknown {
    // protect against cyclic references by limiting depth.
    if (options.depth > 200) throw errors.unableToResolveCircularReference(pathName(options));
    if (typeof obj === 'undefined') return undefined;
    if (obj === null) return null;
    if (typeof obj === 'function') throw errors.cannotResolveFunction(pathName(options), obj);
    if (typeof obj === 'string') return resolveString(obj, options);
    if (typeof obj === 'number') {
      if (obj === Token.NUMBER_MAP_TOKEN_VALUE) throw errors.encodedMapTokenInScalarNumberContext();
      const token = tokenMap.lookupNumberToken(obj);
      return token === undefined ? obj : makeContext(options)[0].resolve(token);
    }
    if (typeof obj !== 'object' || obj instanceof Date) return obj;
    // cdktf's makeContext(key).resolve(value): the parent's context goes on as it is (see above).
    const depth = options.depth + 1;
    if (Array.isArray(obj)) {
      if (obj.some(isListToken)) return options.resolver.resolveList(obj, makeContext(options)[0]);
      if (cdktf.encoding.containsNumberListTokenElement(obj)) {
        return options.resolver.resolveNumberList(obj, makeContext(options)[0]);
      }
      return obj
        .map((x, i) => resolve(x, walk(options, options, `${i}`, depth)))
        .filter((x) => typeof x !== 'undefined');
    }
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record);
    // cdktf's containsMapToken(obj)
    if (keys.some(isMapToken)) return options.resolver.resolveMap(obj, makeContext(options)[0]);
    // cdktf's unresolved(obj), which for an object that is no array and holds no map token is this:
    if (typeof record.resolve === 'function') {
      const [context, postProcessor] = makeContext(options);
      return options.resolver.resolveToken(obj, context, postProcessor);
    }
    // Must not be a Construct at this point (a typo would recurse into child.parent <-> parent.children).
    if (record._children !== undefined && record._metadata !== undefined) {
      throw errors.constructsCannotBeResolved(pathName(options));
    }
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      const resolvedKey = resolveString(key, options);
      if (typeof resolvedKey !== 'string') {
        throw errors.mapKeyMustResolveToString(pathName(options), key, resolvedKey);
      }
      const value = resolve(record[key], walk(options, options, key, depth));
      if (typeof value === 'undefined') continue; // skip undefined
      result[resolvedKey] = value;
    }
    return result;
  }

  return (value, options) =>
    resolve(
      value,
      walk(
        { previousContext: undefined, prefix: undefined, ...options },
        undefined,
        undefined,
        options.prefix?.length ?? 0,
      ),
    );
}

/** Where the patched module keeps cdktf's own `resolve` (for the tests that compare the two). */
export const ORIGINAL_RESOLVE = Symbol.for('aws-and-infra.lean-resolve.original');

/** Makes cdktf's token resolution the lean one; idempotent. */
export function useLeanResolve(cdktf: CdktfTokens): void {
  const resolveModule = cdktf.resolveModule as CdktfTokens['resolveModule'] & {
    [ORIGINAL_RESOLVE]?: Resolve;
  };
  if (resolveModule[ORIGINAL_RESOLVE] !== undefined) return;
  resolveModule[ORIGINAL_RESOLVE] = resolveModule.resolve;
  resolveModule.resolve = leanResolve(cdktf);
}

const found = cdktfTokens();
if (found !== undefined) useLeanResolve(found);
