import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  cacheModulePaths,
  fingerprint,
  isPackageLookup,
  type ModuleResolver,
  ModulePaths,
  ORIGINAL_RESOLVE_FILENAME,
} from '../../scripts/module-path-cache';

const root = path.resolve(__dirname, '..', '..');
const temporaryDirs: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

/** A project with one package, and a resolver that answers as Node would, counting its lookups. */
function fixture() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'module-path-cache-'));
  temporaryDirs.push(dir);
  const packageDir = path.join(dir, 'node_modules', 'pkg');
  mkdirSync(packageDir, { recursive: true });
  for (const file of ['index.js', 'lib.js']) writeFileSync(path.join(packageDir, file), '');
  writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), '{}');
  const lookups: string[] = [];
  const resolver: ModuleResolver = {
    _extensions: { '.js': {}, '.ts': {} },
    _resolveFilename: (request, parent) => {
      lookups.push(request);
      const from = path.dirname(parent?.filename ?? dir);
      return request.startsWith('.') ? path.join(from, `${request}.js`) : path.join(packageDir, 'index.js');
    },
  };
  const cacheFile = path.join(dir, 'cache', 'module-paths.json');
  return { dir, packageDir, lookups, resolver, cacheFile };
}

describe('isPackageLookup', () => {
  test('a bare name from anywhere, any path from inside node_modules', () => {
    expect(isPackageLookup('cdktf', '/project/main.ts')).toBe(true);
    expect(isPackageLookup('@cdktf/provider-aws/lib/vpc', '/project/modules/network.ts')).toBe(true);
    expect(isPackageLookup('./tokens', '/project/node_modules/cdktf/lib/index.js')).toBe(true);
  });

  test("not the project's own files, Node's built-in modules or package imports (#name)", () => {
    expect(isPackageLookup('./config', '/project/main.ts')).toBe(false);
    expect(isPackageLookup('/project/config/index.ts', '/project/main.ts')).toBe(false);
    expect(isPackageLookup('node:fs', '/project/node_modules/cdktf/lib/index.js')).toBe(false);
    expect(isPackageLookup('path', '/project/main.ts')).toBe(false);
    expect(isPackageLookup('#internal', '/project/node_modules/pkg/index.js')).toBe(false);
  });
});

describe('cacheModulePaths', () => {
  test('asks Node once per package lookup, in this run and the next; project files every time', () => {
    const { dir, packageDir, lookups, resolver, cacheFile } = fixture();
    const main = { filename: path.join(dir, 'main.ts') };
    const inPackage = { filename: path.join(packageDir, 'index.js') };
    const paths = new ModulePaths(cacheFile, 'tree 1');
    cacheModulePaths(resolver, paths);
    cacheModulePaths(resolver, paths);
    for (let run = 0; run < 2; run++) {
      expect(resolver._resolveFilename('pkg', main, false)).toBe(path.join(packageDir, 'index.js'));
      expect(resolver._resolveFilename('./lib', inPackage, false)).toBe(path.join(packageDir, 'lib.js'));
      resolver._resolveFilename('./config', main, false);
    }
    expect(lookups).toEqual(['pkg', './lib', './config', './config']);
    paths.save();
    const next = { ...resolver };
    cacheModulePaths(next, new ModulePaths(cacheFile, 'tree 1'));
    next._resolveFilename('pkg', main, false);
    expect(lookups).toHaveLength(4);
  });

  test('forgets every path when the installed tree changes, and looks again for a file gone', () => {
    const { dir, packageDir, lookups, resolver, cacheFile } = fixture();
    const main = { filename: path.join(dir, 'main.ts') };
    const kept = new ModulePaths(cacheFile, 'tree 1');
    kept.set(`${dir}\0pkg`, path.join(packageDir, 'lib.js'));
    kept.set(`${dir}\0other`, path.join(packageDir, 'gone.js'));
    kept.save();
    const reinstalled = { ...resolver };
    cacheModulePaths(reinstalled, new ModulePaths(cacheFile, 'tree 2'));
    expect(reinstalled._resolveFilename('pkg', main, false)).toBe(path.join(packageDir, 'index.js'));
    cacheModulePaths(resolver, new ModulePaths(cacheFile, 'tree 1'));
    expect(resolver._resolveFilename('pkg', main, false)).toBe(path.join(packageDir, 'lib.js'));
    expect(resolver._resolveFilename('other', main, false)).toBe(path.join(packageDir, 'index.js'));
    expect(lookups).toEqual(['pkg', 'other']);
  });

  test("the fingerprint follows npm's record of the tree, Node's version, the file types require tries, NODE_PATH", () => {
    const { dir, resolver } = fixture();
    const before = fingerprint(dir, resolver);
    expect(before).toContain(`${process.version} .js .ts`);
    const nodePath = process.env.NODE_PATH;
    try {
      process.env.NODE_PATH = '/elsewhere';
      expect(fingerprint(dir, resolver)).not.toBe(before);
    } finally {
      if (nodePath === undefined) delete process.env.NODE_PATH;
      else process.env.NODE_PATH = nodePath;
    }
    writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), '{"changed":true}');
    expect(fingerprint(dir, resolver)).not.toBe(before);
    expect(fingerprint(path.join(dir, 'elsewhere'), resolver)).toBeUndefined();
  });

  test('the loader of every npm script installs it', () => {
    const installed = spawnSync(
      process.execPath,
      [
        '-r',
        './scripts/register.js',
        '-p',
        `typeof require('node:module')[Symbol.for('aws-and-infra.module-path-cache.original')]`,
      ],
      { cwd: root, encoding: 'utf8' },
    ).stdout.trim();
    expect(installed).toBe('function');
    expect(ORIGINAL_RESOLVE_FILENAME).toBe(Symbol.for('aws-and-infra.module-path-cache.original'));
  });
});
