/**
 * Loaded by `scripts/register.js` (so by `npm run synth`, `cdktf synth` and every npm script). Each compiled
 * file of cdktf and of the provider bindings ends in an inline source map
 * (`//# sourceMappingURL=data:application/json;base64,...`): 9.3 of the 13.3 MB of JavaScript a synth
 * loads. V8 copies such a magic comment's whole value into a string while it parses the file, though only
 * `--enable-source-maps` or a debugger would ever read it. Here that last line is dropped before Node
 * compiles a file, which halved the compile time of a synth's modules; the code and its line numbers
 * are the same. Left alone when source maps are enabled.
 */
import Module from 'node:module';

/**
 * The file's inline source map as its last line: a line comment holding nothing but base64 (no backtick,
 * so it cannot be inside a template literal), then at most whitespace.
 */
const INLINE_SOURCE_MAP =
  /^\n\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,[A-Za-z0-9+/=]*\s*$/;
/** Found from the end first: a regular expression searching 800 KB from the start would be slow. */
const MARKER = '\n//# sourceMappingURL=data:';

/** `source` without a trailing inline source map line (the newline before it stays). */
export function withoutInlineSourceMap(source: string): string {
  const at = source.lastIndexOf(MARKER);
  if (at === -1 || !INLINE_SOURCE_MAP.test(source.slice(at))) return source;
  return source.slice(0, at + 1);
}

/** Where the patched prototype keeps Node's own `_compile` (for idempotence and the tests). */
export const ORIGINAL_COMPILE = Symbol.for('aws-and-infra.inline-source-maps.original');

/** What of `Module.prototype` the patch touches. */
export interface CompilerPrototype {
  _compile(content: string, filename: string, ...rest: unknown[]): unknown;
  [ORIGINAL_COMPILE]?: CompilerPrototype['_compile'];
}

/** Makes Node compile each CommonJS file without its inline source map; idempotent. */
export function dropInlineSourceMaps(prototype: CompilerPrototype = Module.prototype as never): void {
  if (prototype[ORIGINAL_COMPILE] !== undefined || process.sourceMapsEnabled) return;
  const compile = prototype._compile;
  prototype[ORIGINAL_COMPILE] = compile;
  prototype._compile = function (this: unknown, content, filename, ...rest) {
    return compile.call(this, withoutInlineSourceMap(content), filename, ...rest);
  };
}

dropInlineSourceMaps();
