/**
 * Loaded by `scripts/register.js` (every npm script and `cdktf synth`). A synth makes about 800 `require`
 * calls, and Node finds each file anew in every process: it tries every extension and `index` file in every
 * `node_modules` up the tree, reading package.json files on the way. That was about 110 ms of a synth's
 * CPU. The answers for packages cannot change until packages are installed again, so they are kept in
 * `node_modules/.cache/module-paths.json`, valid while npm's record of the installed tree
 * (`node_modules/.package-lock.json`, rewritten by every install), Node's version, its file types,
 * `NODE_PATH` and Node's resolution options are the same. Only package lookups are kept: a bare name
 * (`cdktf`, `@cdktf/provider-aws/lib/vpc`) from anywhere, and any path asked for from inside
 * `node_modules`. The project's own relative imports (`./config`) are resolved by Node every time, as its
 * files come and go.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

interface Parent {
  readonly filename?: string | null;
}

type ResolveFilename = (
  request: string,
  parent: Parent | undefined,
  isMain: boolean,
  options?: unknown,
) => string;

/** What of Node's `Module` the cache wraps. */
export interface ModuleResolver {
  _resolveFilename: ResolveFilename;
  _extensions: Record<string, unknown>;
}

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** Whether Node's answer for `request` from `parent` depends only on the installed packages. */
export function isPackageLookup(request: string, parentFile: string): boolean {
  if (Module.isBuiltin(request) || request.startsWith('#')) return false;
  const relative = request.startsWith('.') || path.isAbsolute(request);
  return !relative || parentFile.includes(NODE_MODULES);
}

/** The paths Node found, for one state of node_modules. */
export class ModulePaths {
  private paths: Record<string, string> = {};
  private changed = false;

  /**
   * @param file where the paths are kept
   * @param fingerprint what the paths hold for (the installed tree, Node, file types): others are dropped
   */
  constructor(
    private readonly file: string,
    private readonly fingerprint: string,
  ) {
    try {
      const kept = JSON.parse(readFileSync(file, 'utf8')) as {
        fingerprint: string;
        paths: Record<string, string>;
      };
      if (kept.fingerprint === fingerprint) this.paths = kept.paths;
    } catch {
      // none yet, or unreadable: found afresh
    }
  }

  get(key: string): string | undefined {
    return this.paths[key];
  }

  set(key: string, filename: string): void {
    this.paths[key] = filename;
    this.changed = true;
  }

  /** Writes what was found (aside, then renamed: a concurrent run never reads half a file). */
  save(): void {
    if (!this.changed) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const partial = `${this.file}.${process.pid}`;
    writeFileSync(partial, JSON.stringify({ fingerprint: this.fingerprint, paths: this.paths }));
    renameSync(partial, this.file);
    this.changed = false;
  }
}

/** Where the patched resolver keeps Node's own (for idempotence and the tests). */
export const ORIGINAL_RESOLVE_FILENAME = Symbol.for('aws-and-infra.module-path-cache.original');

/** Makes `resolver` answer package lookups from `paths`, asking Node's own resolver only once; idempotent. */
export function cacheModulePaths(resolver: ModuleResolver, paths: ModulePaths): void {
  const patched = resolver as ModuleResolver & { [ORIGINAL_RESOLVE_FILENAME]?: ResolveFilename };
  if (patched[ORIGINAL_RESOLVE_FILENAME] !== undefined) return;
  const resolveFilename = resolver._resolveFilename;
  patched[ORIGINAL_RESOLVE_FILENAME] = resolveFilename;
  resolver._resolveFilename = function (request, parent, isMain, options) {
    const parentFile = parent?.filename;
    if (options !== undefined || isMain || !parentFile || !isPackageLookup(request, parentFile)) {
      return resolveFilename.call(this, request, parent, isMain, options);
    }
    const key = `${path.dirname(parentFile)}\0${request}`;
    const known = paths.get(key);
    // A file gone without a reinstall: Node looks again (and reports it if it is really missing).
    if (known !== undefined && existsSync(known)) return known;
    const found = resolveFilename.call(this, request, parent, isMain, options);
    paths.set(key, found);
    return found;
  };
}

/** Node options that change where `require` looks (`NODE_OPTIONS` holds them too). */
const RESOLUTION_OPTIONS = /^(--preserve-symlinks|--conditions|-C$|--experimental)/;

/**
 * The installed tree (npm's record of it), Node's version, the file types `require` tries, `NODE_PATH` and
 * the Node options that change where it looks.
 */
export function fingerprint(projectRoot: string, resolver: ModuleResolver): string | undefined {
  let installed;
  try {
    installed = statSync(path.join(projectRoot, 'node_modules', '.package-lock.json'));
  } catch {
    return undefined; // no npm record of the tree: nothing is kept
  }
  const options = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].filter((option) =>
    RESOLUTION_OPTIONS.test(option),
  );
  return [
    installed.size,
    installed.mtimeMs,
    process.version,
    ...Object.keys(resolver._extensions),
    `NODE_PATH=${process.env.NODE_PATH ?? ''}`,
    ...options,
  ].join(' ');
}

const nodeModule = Module as unknown as ModuleResolver;
const root = path.join(__dirname, '..');
const installed = fingerprint(root, nodeModule);
if (installed !== undefined) {
  const paths = new ModulePaths(path.join(root, 'node_modules', '.cache', 'module-paths.json'), installed);
  cacheModulePaths(nodeModule, paths);
  process.on('exit', () => paths.save());
}
