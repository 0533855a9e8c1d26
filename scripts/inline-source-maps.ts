/**
 * Loaded by `scripts/register.js` (so by `npm run synth`, `cdktf synth` and every npm script). Each compiled
 * file of cdktf and of the provider bindings ends in an inline source map
 * (`//# sourceMappingURL=data:application/json;base64,...`): 9.3 of the 13.3 MB of JavaScript a synth
 * loads. V8 copies such a magic comment's whole value into a string while it parses the file, though only
 * `--enable-source-maps` or a debugger would ever read it. Here that last line is dropped before Node
 * compiles a file, which halved the compile time of a synth's modules; the code and its line numbers
 * are the same. Left alone when source maps are enabled.
 *
 * Node still reads each whole file before that. So a file under node_modules whose map was dropped is
 * noted (size, modification time, how many bytes of it are code) in node_modules/.cache, and the next
 * run reads only its code, as long as the file's size and modification time are the same.
 */
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

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

/** What is known of a file under node_modules whose inline source map was dropped. */
export interface CodeExtent {
  readonly size: number;
  readonly mtimeMs: number;
  /** The bytes before the source map line. */
  readonly codeBytes: number;
  /** The module format Node compiled it as (`commonjs`, or undefined where package.json names none). */
  readonly format: string | undefined;
}

/** The files' code extents, kept between runs; written back at exit when a run learnt new ones. */
export class CodeExtents {
  private readonly extents: Record<string, CodeExtent>;
  private changed = false;

  constructor(private readonly file: string) {
    try {
      this.extents = JSON.parse(readFileSync(file, 'utf8')) as Record<string, CodeExtent>;
    } catch {
      this.extents = {}; // none yet, or unreadable: learnt afresh
    }
  }

  /** Notes a file Node read whole and compiled without its map (`code`). */
  learn(filename: string, source: string, code: string, format: string | undefined): void {
    if (!filename.includes(`${path.sep}node_modules${path.sep}`)) return;
    const { size, mtimeMs } = statSync(filename);
    // Only where the text is the file's bytes exactly (no invalid UTF-8 replaced while decoding).
    if (Buffer.byteLength(source) !== size) return;
    this.extents[filename] = { size, mtimeMs, codeBytes: Buffer.byteLength(code), format };
    this.changed = true;
  }

  /** The file's code, read without its map, if the file is unchanged since it was learnt. */
  code(filename: string): { code: string; format: string | undefined } | undefined {
    const extent = this.extents[filename];
    if (extent === undefined) return undefined;
    let fd: number;
    try {
      fd = openSync(filename, 'r');
    } catch {
      return undefined; // Node's own loader reports it
    }
    try {
      const { size, mtimeMs } = fstatSync(fd);
      if (size !== extent.size || mtimeMs !== extent.mtimeMs) return undefined;
      const buffer = Buffer.allocUnsafe(extent.codeBytes);
      if (readSync(fd, buffer, 0, extent.codeBytes, 0) !== extent.codeBytes) return undefined;
      return { code: buffer.toString('utf8'), format: extent.format };
    } finally {
      closeSync(fd);
    }
  }

  /** Writes what was learnt (aside, then renamed: a concurrent run never reads half a file). */
  save(): void {
    if (!this.changed) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const partial = `${this.file}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(this.extents));
    renameSync(partial, this.file);
    this.changed = false;
  }
}

type JsLoader = (module: CompilerPrototype, filename: string) => void;

/**
 * Makes Node compile each CommonJS file without its inline source map, and read only the code of the
 * files `extents` knows; idempotent.
 */
export function dropInlineSourceMaps(
  prototype: CompilerPrototype = Module.prototype as never,
  loaders: Record<string, JsLoader> = (Module as unknown as { _extensions: Record<string, JsLoader> })
    ._extensions,
  extents?: CodeExtents,
): void {
  if (prototype[ORIGINAL_COMPILE] !== undefined || process.sourceMapsEnabled) return;
  const compile = prototype._compile;
  prototype[ORIGINAL_COMPILE] = compile;
  prototype._compile = function (this: unknown, content, filename, ...rest) {
    const code = withoutInlineSourceMap(content);
    if (code !== content) extents?.learn(filename, content, code, rest[0] as string | undefined);
    return compile.call(this, code, filename, ...rest);
  };
  if (extents === undefined) return;
  const loadJs = loaders['.js'];
  loaders['.js'] = function (module, filename) {
    const known = extents.code(filename);
    // Node's own loader (format, read, compile) otherwise; for a known file, what it would have done.
    if (known === undefined) return loadJs.call(this, module, filename);
    module._compile(known.code, filename, known.format);
  };
}

const extents = new CodeExtents(
  path.join(__dirname, '..', 'node_modules', '.cache', 'inline-source-maps.json'),
);
dropInlineSourceMaps(undefined, undefined, extents);
process.on('exit', () => extents.save());
