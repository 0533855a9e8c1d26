import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  type CompilerPrototype,
  dropInlineSourceMaps,
  ORIGINAL_COMPILE,
  withoutInlineSourceMap,
} from '../../scripts/inline-source-maps';

const root = path.resolve(__dirname, '..', '..');
const MAP = '//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==';

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
