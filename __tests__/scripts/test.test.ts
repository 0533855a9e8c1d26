import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runChecks, summaryLine, TEST_PHASES, type CheckResult } from '../../scripts/test';
import packageJson from '../../package.json';

/** Check `name` as a Node one-liner: its script, with NAME set to the check's name. */
function nodeChecks(scripts: Record<string, string>) {
  return (name: string) => [
    process.execPath,
    '-e',
    `const NAME = ${JSON.stringify(name)};\n${scripts[name]}`,
  ];
}

describe('npm test', () => {
  test('runs the type check, lint and synth side by side, then jest and validate side by side: every check it ran before', () => {
    expect(packageJson.scripts.test).toBe('node -r ./scripts/register.js scripts/test.ts');
    expect(TEST_PHASES).toEqual([
      ['build', 'lint', 'synth'],
      ['test:unit', 'validate'],
    ]);
    for (const name of TEST_PHASES.flat()) expect(packageJson.scripts).toHaveProperty([name]);
  });

  test('lint keeps ESLint and Prettier caches by content under node_modules/.cache, never in the tree', () => {
    expect(packageJson.scripts.lint.split(' && ')).toEqual([
      'eslint --cache --cache-strategy content --cache-location node_modules/.cache/eslint/ .',
      'prettier --check --cache --cache-strategy content --cache-location node_modules/.cache/prettier/check-cache .',
    ]);
  });

  test('the checks of a phase run at the same time, each printing its output as one block', async () => {
    // Each writes half its output, waits until the other has started (a file each), then the rest.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'checks-'));
    const script = (other: string) =>
      [
        "const fs = require('node:fs');",
        `fs.writeFileSync(${JSON.stringify(dir)} + '/' + NAME, '');`,
        "console.log(NAME + ' one');",
        `const deadline = Date.now() + 20000;`,
        'const pause = new Int32Array(new SharedArrayBuffer(4));',
        `while (!fs.existsSync(${JSON.stringify(dir)} + '/${other}')) {`,
        '  if (Date.now() > deadline) process.exit(3);',
        '  Atomics.wait(pause, 0, 0, 20);',
        '}',
        "console.log(NAME + ' two');",
      ].join('\n');
    const written: string[] = [];
    let results: CheckResult[];
    try {
      results = await runChecks([['a', 'b']], {
        command: nodeChecks({ a: script('b'), b: script('a') }),
        write: (text) => written.push(text),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(results.map(({ name, ok }) => ({ name, ok }))).toEqual([
      { name: 'a', ok: true },
      { name: 'b', ok: true },
    ]);
    const output = written.join('');
    for (const name of ['a', 'b']) {
      expect(output).toContain(`> ${name}\n${name} one\n${name} two\n`);
      expect(output).toMatch(new RegExp(`^ok  ${name} \\(\\d+\\.\\ds\\)$`, 'm'));
    }
  });

  test('a failed check ends the run after its phase; the summary names it and what did not run', async () => {
    const written: string[] = [];
    const results = await runChecks([['good', 'bad'], ['later']], {
      command: nodeChecks({
        good: 'console.log("fine")',
        bad: 'console.error("the reason"); process.exit(2)',
        later: 'console.log("never")',
      }),
      write: (text) => written.push(text),
    });
    expect(results.map(({ name, ok }) => ({ name, ok }))).toEqual([
      { name: 'good', ok: true },
      { name: 'bad', ok: false },
    ]);
    const output = written.join('');
    expect(output).toContain('> bad\nthe reason\nFAILED  bad (');
    expect(output).not.toContain('never');
    expect(summaryLine([['good', 'bad'], ['later']], results, 3)).toMatch(
      /^npm test: FAILED: bad in 3\.0s \(good \d+\.\ds, bad \d+\.\ds\); not run: later$/,
    );
  });

  test('a check alone streams its output as it comes', async () => {
    const written: string[] = [];
    await runChecks([['solo']], {
      command: nodeChecks({ solo: 'console.log("first"); setTimeout(() => console.log("second"), 200)' }),
      write: (text) => written.push(text),
    });
    expect(written[0]).toBe('> solo\n');
    expect(written.indexOf('first\n')).toBeLessThan(written.indexOf('second\n'));
  });

  test('the summary of a passing run lists each check with its time', () => {
    const results: CheckResult[] = [
      { name: 'build', ok: true, seconds: 4.04 },
      { name: 'test:unit', ok: true, seconds: 20.26 },
    ];
    expect(summaryLine([['build'], ['test:unit']], results, 24.3)).toBe(
      'npm test: every check passed in 24.3s (build 4.0s, test:unit 20.3s)',
    );
  });
});
