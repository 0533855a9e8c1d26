import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

describe('the loader of the npm scripts (scripts/register.js)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'register-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("strips the types and leaves Node 20's own syntax as written (no helper per ?. or ??)", () => {
    const file = path.join(dir, 'syntax.ts');
    writeFileSync(
      file,
      [
        'class Counter {',
        '  count = 1;',
        '  readonly label: string;',
        '  constructor(label?: string) {',
        "    this.label = label ?? 'none';",
        '  }',
        '}',
        'export function read(o: { a?: { b: number } } | undefined): number {',
        '  return o?.a?.b ?? 0;',
        '}',
        "export const counter = new Counter('c');",
      ].join('\n'),
    );
    const printed = spawnSync(
      process.execPath,
      [
        '-r',
        './scripts/register.js',
        '-p',
        `const m = require(${JSON.stringify(file)}); JSON.stringify([String(m.read), m.read({ a: { b: 2 } }), m.read(undefined), m.counter])`,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(JSON.parse(printed.stdout)).toEqual([
      'function read(o) {\n  return o?.a?.b ?? 0;\n}',
      2,
      0,
      { count: 1, label: 'c' },
    ]);
  });
});
