import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeExtents,
  type CompilerPrototype,
  dropInlineSourceMaps,
  ORIGINAL_COMPILE,
  withoutInlineSourceMap,
} from '../../scripts/inline-source-maps';

const root = path.resolve(__dirname, '..', '..');
const MAP = '//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==';

const temporaryDirs: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

/** A package file with a map (its code has a two-byte character), and where the extents are kept. */
function packageFile(): { file: string; source: string; code: string; cache: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inline-source-maps-'));
  temporaryDirs.push(dir);
  mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
  const file = path.join(dir, 'node_modules', 'pkg', 'index.js');
  const code = 'exports.text = "é";\n';
  const source = `${code}${MAP}`;
  writeFileSync(file, source);
  return { file, source, code, cache: path.join(dir, 'cache', 'extents.json') };
}

describe('withoutInlineSourceMap', () => {
  test('drops the last line when it is an inline source map, keeping every line of code', () => {
    expect(withoutInlineSourceMap(`"use strict";\nexports.a = 1;\n${MAP}`)).toBe(
      '"use strict";\nexports.a = 1;\n',
    );
    expect(withoutInlineSourceMap(`exports.a = 1;\n${MAP}\n`)).toBe('exports.a = 1;\n');
  });

  test('leaves a file alone when the line is not the end of it, or is not only base64', () => {
    const inTemplate = `const text = \`\n${MAP}\`;\n`;
    const codeAfter = `exports.a = 1;\n${MAP}\nexports.b = 2;\n`;
    const fileMap = 'exports.a = 1;\n//# sourceMappingURL=index.js.map\n';
    for (const source of [inTemplate, codeAfter, fileMap, 'exports.a = 1;\n']) {
      expect(withoutInlineSourceMap(source)).toBe(source);
    }
  });

  test("cdktf's and the provider bindings' compiled files end in one (else the loader saves nothing)", () => {
    for (const file of ['cdktf/lib/app.js', '@cdktf/provider-aws/lib/s3-bucket/index.js']) {
      const source = readFileSync(require.resolve(file), 'utf8');
      const stripped = withoutInlineSourceMap(source);
      expect(stripped.length).toBeLessThan(source.length / 2);
      expect(stripped.split('\n').length).toBe(source.split('\n').length);
    }
  });
});

describe('dropInlineSourceMaps', () => {
  test('compiles each file without its map, once patched however often it is called', () => {
    const compile = jest.fn((content: string, filename: string) => `${filename}: ${content}`);
    const prototype: CompilerPrototype = { _compile: compile };
    dropInlineSourceMaps(prototype);
    dropInlineSourceMaps(prototype);
    expect(prototype[ORIGINAL_COMPILE]).toBe(compile);
    expect(prototype._compile(`exports.a = 1;\n${MAP}`, 'a.js')).toBe('a.js: exports.a = 1;\n');
    expect(compile).toHaveBeenCalledTimes(1);
  });

  test('the loader of every npm script installs it, and not with --enable-source-maps', () => {
    const installed = (...flags: string[]) =>
      spawnSync(
        process.execPath,
        [
          ...flags,
          '-r',
          './scripts/register.js',
          '-p',
          `typeof require('node:module').prototype[Symbol.for('aws-and-infra.inline-source-maps.original')]`,
        ],
        { cwd: root, encoding: 'utf8' },
      ).stdout.trim();
    expect(installed()).toBe('function');
    expect(installed('--enable-source-maps')).toBe('undefined');
  });
});

describe('CodeExtents', () => {
  test('reads only the code of a file it learnt, in this run and the next', () => {
    const { file, source, code, cache } = packageFile();
    const extents = new CodeExtents(cache);
    expect(extents.code(file)).toBeUndefined();
    extents.learn(file, source, withoutInlineSourceMap(source), 'commonjs');
    expect(extents.code(file)).toEqual({ code, format: 'commonjs' });
    extents.save();
    expect(new CodeExtents(cache).code(file)).toEqual({ code, format: 'commonjs' });
  });

  test('a file changed since (size or modification time) is read whole again', () => {
    const { file, source, cache } = packageFile();
    const extents = new CodeExtents(cache);
    extents.learn(file, source, withoutInlineSourceMap(source), undefined);
    utimesSync(file, new Date(), new Date(Date.now() + 60_000));
    expect(extents.code(file)).toBeUndefined();
    extents.learn(file, source, withoutInlineSourceMap(source), undefined);
    writeFileSync(file, `${source}\n`);
    expect(extents.code(file)).toBeUndefined();
  });

  test('learns only files under node_modules whose text is their bytes', () => {
    const { file, cache } = packageFile();
    const project = path.join(path.dirname(cache), 'index.js');
    mkdirSync(path.dirname(project), { recursive: true });
    writeFileSync(project, `exports.a = 1;\n${MAP}`);
    writeFileSync(
      file,
      Buffer.concat([Buffer.from('exports.a = "'), Buffer.from([0xff]), Buffer.from(`";\n${MAP}`)]),
    );
    const extents = new CodeExtents(cache);
    for (const at of [project, file]) {
      const source = readFileSync(at, 'utf8');
      extents.learn(at, source, withoutInlineSourceMap(source), undefined);
      expect(extents.code(at)).toBeUndefined();
    }
  });
});

describe('the .js loader', () => {
  test("compiles a known file's code as Node would, and leaves any other file to Node's own loader", () => {
    const { file, source, code, cache } = packageFile();
    const compiled: unknown[][] = [];
    const prototype: CompilerPrototype = {
      _compile: (...args) => {
        compiled.push(args);
        return undefined;
      },
    };
    const nodeLoader = jest.fn((module: CompilerPrototype, filename: string) => {
      module._compile(readFileSync(filename, 'utf8'), filename, 'commonjs');
    });
    const loaders = { '.js': nodeLoader };
    const extents = new CodeExtents(cache);
    dropInlineSourceMaps(prototype, loaders, extents);
    loaders['.js'](prototype, file); // unknown: Node reads it whole, the map is dropped and the file learnt
    loaders['.js'](prototype, file); // known: only its code is read
    expect(nodeLoader).toHaveBeenCalledTimes(1);
    expect(compiled).toEqual([
      [code, file, 'commonjs'],
      [code, file, 'commonjs'],
    ]);
    expect(source.length).toBeGreaterThan(code.length);
  });
});
