import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Test } from '@jest/test-result';
import type TestSequencer from '@jest/test-sequencer';

// JavaScript modules (jest loads its config and sequencer without a transpiler), typed here.
const jestConfig = jest.requireActual<{ testSequencer: string }>('../jest.config');
const LongestFirst = jest.requireActual<typeof TestSequencer & { LONGEST_FIRST: string[] }>('./sequencer');
const { LONGEST_FIRST } = LongestFirst;

const root = path.resolve(__dirname, '..');

describe('the test sequencer', () => {
  let cacheDirectory: string;
  beforeEach(() => {
    cacheDirectory = mkdtempSync(path.join(tmpdir(), 'sequencer-'));
  });
  afterEach(() => rmSync(cacheDirectory, { recursive: true, force: true }));

  /** Test files of `sizes` (relative path to size in bytes) in one jest context with no timings yet. */
  function testsOf(sizes: Record<string, number>): Test[] {
    // One context for all, as jest has one per project: the sequencer keeps its timings per context.
    const context = {
      config: { rootDir: root, cacheDirectory, cache: true, haste: {}, id: 'sequencer-test' },
      hasteFS: { getSize: (file: string) => sizes[path.relative(root, file)] },
    };
    return Object.keys(sizes).map((file) => ({ path: path.join(root, file), context }) as never);
  }
  const names = (tests: Test[]) => tests.map((test) => path.relative(root, test.path));

  test('is the one jest uses, and every suite it lists exists', () => {
    expect(jestConfig.testSequencer).toBe('<rootDir>/__tests__/sequencer.js');
    expect(LONGEST_FIRST.filter((file) => !existsSync(path.join(root, file)))).toEqual([]);
  });

  test('without timings (a fresh clone), the listed suites go first in their order, then the rest by size', async () => {
    const tests = testsOf({
      '__tests__/small.test.ts': 10,
      [LONGEST_FIRST[1]]: 1,
      '__tests__/big.test.ts': 1000,
      [LONGEST_FIRST[0]]: 2,
    });
    expect(names(await new LongestFirst().sort(tests))).toEqual([
      LONGEST_FIRST[0],
      LONGEST_FIRST[1],
      '__tests__/big.test.ts',
      '__tests__/small.test.ts',
    ]);
  });

  test('with timings, jest’s own order stands: the longest measured first', async () => {
    const tests = testsOf({
      [LONGEST_FIRST[0]]: 2,
      '__tests__/slow.test.ts': 10,
      '__tests__/quick.test.ts': 10,
    });
    const timed = (file: string, runtime: number) => ({
      testFilePath: path.join(root, file),
      perfStats: { runtime },
      numFailingTests: 0,
      skipped: false,
    });
    new LongestFirst().cacheResults(tests, {
      testResults: [
        timed(LONGEST_FIRST[0], 3_000),
        timed('__tests__/slow.test.ts', 9_000),
        timed('__tests__/quick.test.ts', 100),
      ],
    } as never);
    expect(names(await new LongestFirst().sort(tests))).toEqual([
      '__tests__/slow.test.ts',
      LONGEST_FIRST[0],
      '__tests__/quick.test.ts',
    ]);
  });
});
