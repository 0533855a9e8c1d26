import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

/**
 * The messages of `no-restricted-imports` for each source, linted as if it were the file named, with
 * the project's eslint.config.mjs. ESLint runs in a child process: it loads that config as an ES
 * module, which jest's module system cannot.
 */
function restrictedImports(cases: readonly { file: string; source: string }[]): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const path = require('node:path');
    (async () => {
      const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
      const eslint = new ESLint({ cwd: process.cwd() });
      const found = [];
      for (const { file, source } of cases) {
        const [result] = await eslint.lintText(source, { filePath: path.join(process.cwd(), file) });
        found.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(found));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: root,
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as string[][];
}

describe('imports point down (ESLint, part of npm run lint)', () => {
  const importing = (file: string, from: string) => ({
    file,
    source: `import { thing } from '${from}';\nexport const used = thing;\n`,
  });
  const cases = [
    // violating: up from modules/, config/ and policy/, and from modules/ into config/
    importing('modules/x.ts', '../stacks/contracts'),
    importing('modules/nested/x.ts', '../../stacks/base-stack'),
    importing('modules/x.ts', '../main'),
    importing('modules/x.ts', '../config'),
    importing('modules/x.ts', '../config/schema'),
    importing('config/x.ts', '../stacks/contracts'),
    importing('config/x.ts', '../main'),
    importing('policy/x.ts', '../stacks/base-stack'),
    {
      file: 'policy/x.ts',
      source: "import type { Thing } from '../stacks/contracts';\nexport type T = Thing;\n",
    },
    // compliant: sideways and down, and files the rule does not restrict
    importing('modules/x.ts', './metrics'),
    importing('modules/x.ts', '../policy/guardrails'),
    importing('modules/x.ts', './stacked-bar'),
    importing('config/x.ts', './schema'),
    importing('policy/x.ts', '../config'),
    importing('stacks/x.ts', '../config'),
    importing('stacks/x.ts', './contracts'),
    importing('stacks/x.ts', '../modules/metrics'),
    importing('main.ts', './stacks/estate'),
    // the provider-root rule still holds where the layering rule replaced the options
    importing('modules/x.ts', '@cdktf/provider-aws'),
  ];
  let found: string[][];
  beforeAll(() => {
    found = restrictedImports(cases);
  });

  test('an import up from modules/, config/ or policy/, or from modules/ into config/, is an error', () => {
    const flagged = cases.map((c, index) => [c.file, c.source.split("'")[1], found[index].length > 0]);
    expect(flagged).toEqual([
      ['modules/x.ts', '../stacks/contracts', true],
      ['modules/nested/x.ts', '../../stacks/base-stack', true],
      ['modules/x.ts', '../main', true],
      ['modules/x.ts', '../config', true],
      ['modules/x.ts', '../config/schema', true],
      ['config/x.ts', '../stacks/contracts', true],
      ['config/x.ts', '../main', true],
      ['policy/x.ts', '../stacks/base-stack', true],
      ['policy/x.ts', '../stacks/contracts', true],
      ['modules/x.ts', './metrics', false],
      ['modules/x.ts', '../policy/guardrails', false],
      ['modules/x.ts', './stacked-bar', false],
      ['config/x.ts', './schema', false],
      ['policy/x.ts', '../config', false],
      ['stacks/x.ts', '../config', false],
      ['stacks/x.ts', './contracts', false],
      ['stacks/x.ts', '../modules/metrics', false],
      ['main.ts', './stacks/estate', false],
      ['modules/x.ts', '@cdktf/provider-aws', true],
    ]);
  });

  test('the error says where the type belongs', () => {
    expect(found[0]).toEqual([expect.stringContaining('stacks/contracts.ts re-exports what crosses stacks')]);
    expect(found[3]).toEqual([expect.stringContaining('Modules know nothing of environments or config')]);
  });
});

describe('files the size of one idea', () => {
  const LIMIT = 350;

  function sourceFiles(dir: string): string[] {
    return readdirSync(path.join(root, dir)).flatMap((name) => {
      const file = path.join(dir, name);
      if (statSync(path.join(root, file)).isDirectory()) return sourceFiles(file);
      return file.endsWith('.ts') ? [file.split(path.sep).join('/')] : [];
    });
  }

  /** The line of the file's header comments (before its first statement) that says why it is long. */
  function sizeReason(text: string): string | undefined {
    let inBlock = false;
    for (const line of text.split('\n')) {
      const trimmed = line.trim();
      const comment = inBlock || trimmed === '' || trimmed.startsWith('//') || trimmed.startsWith('/*');
      if (!comment) return undefined;
      if (/^\s*(\/\/|\/\*+|\*)\s*Size: [A-Za-z]/.test(line)) return line;
      if (trimmed.startsWith('/*')) inBlock = true;
      if (trimmed.includes('*/')) inBlock = false;
    }
    return undefined;
  }

  const files = ['modules', 'stacks', 'policy'].flatMap(sourceFiles);
  const lines = (file: string) => readFileSync(path.join(root, file), 'utf8').trimEnd().split('\n').length;

  test(`no file in modules/, stacks/ or policy/ is over ${LIMIT} lines without a reason in its header`, () => {
    const oversize = files.filter((file) => lines(file) > LIMIT);
    const unexplained = oversize.filter((file) => !sizeReason(readFileSync(path.join(root, file), 'utf8')));
    expect(unexplained).toEqual([]);
  });

  test('a reason counts only in the header comment, on a line of its own', () => {
    expect(
      sizeReason('/**\n * The rule pack.\n * Size: one table of rules, read as one.\n */\nimport x;\n'),
    ).toBe(' * Size: one table of rules, read as one.');
    expect(sizeReason('// Size: generated bindings\nexport const a = 1;\n')).toBe(
      '// Size: generated bindings',
    );
    expect(sizeReason('import x;\n/** Size: too late, after the first statement */\n')).toBeUndefined();
    expect(sizeReason('/** Size: */\nexport const a = 1;\n')).toBeUndefined();
    expect(sizeReason('export const a = 1;\n')).toBeUndefined();
  });
});
