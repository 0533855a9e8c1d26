/**
 * Preloaded by every synth (`npm run synth`, `cdktf synth`) and by jest. cdktf requires `archiver`, a zip
 * library, when it loads (`cdktf/lib/private/fs.js`), which is 40% of the time it takes to load cdktf; it
 * calls it only to zip an asset of type ARCHIVE, and then in a child Node process that runs fs.js as a
 * script (without this preload). This project's only asset is a FILE (modules/database-users.ts). Here
 * cdktf's `archiver` is a stand-in that loads the real library the first time anything uses it, so an
 * ARCHIVE asset would still zip, a moment later. The output is the same either way (a test compares it).
 */
import Module from 'node:module';
import * as path from 'node:path';

/** The file cdktf's `require("archiver")` loads, or undefined if this cdktf has another layout. */
export function cdktfArchiverPath(): string | undefined {
  try {
    const fsModule = require.resolve(path.join('cdktf', 'lib', 'private', 'fs.js'));
    return require.resolve('archiver', { paths: [path.dirname(fsModule)] });
  } catch {
    return undefined; // another cdktf layout: cdktf loads slower, never wrong
  }
}

/** Where the stand-in keeps the function that loads the real library (for the tests). */
export const LOAD_REAL_ARCHIVER = Symbol.for('aws-and-infra.lazy-archiver.load');

/**
 * A stand-in for the `archiver` module: called, or asked for a property (`archiver.create`), it loads the
 * real module with `load` (once) and forwards to it.
 */
export function lazyArchiver(load: () => unknown): unknown {
  let real: object | undefined;
  const loaded = (): object => (real ??= load() as object);
  return new Proxy(function archiver() {}, {
    apply: (_, thisArg, args) => Reflect.apply(loaded() as (...a: unknown[]) => unknown, thisArg, args),
    get: (_, property) => (property === LOAD_REAL_ARCHIVER ? loaded : Reflect.get(loaded(), property)),
    has: (_, property) => Reflect.has(loaded(), property),
  });
}

/**
 * Puts the stand-in in Node's module cache under the real file's name, so cdktf's `require("archiver")`
 * gets it; the first use removes it and requires the real file. Idempotent; false if there is no archiver.
 */
export function installLazyArchiver(): boolean {
  const file = cdktfArchiverPath();
  if (file === undefined) return false;
  if (require.cache[file] !== undefined) return true; // already loaded, real or stand-in
  const stub = new Module(file, module);
  stub.filename = file;
  stub.loaded = true;
  stub.exports = lazyArchiver(() => {
    if (require.cache[file] === stub) delete require.cache[file];
    return require(file);
  });
  require.cache[file] = stub;
  // jest's module registry ignores writes to require.cache: jest.config.js's setup mocks the module instead.
  return require.cache[file] === stub;
}

installLazyArchiver();
