import * as path from 'node:path';
import { parseValidateArguments } from '../../scripts/validate';

const root = path.resolve(__dirname, '../..');

describe('parseValidateArguments', () => {
  test('no arguments: every stack of cdktf.out in one pass', () => {
    expect(parseValidateArguments([])).toEqual({
      stacks: [],
      perStack: false,
      outdir: path.join(root, 'cdktf.out'),
    });
  });

  test('named stacks (--stack or bare) run the per-stack runner', () => {
    expect(parseValidateArguments(['--stack', 'dev-network', 'dev-data', '--outdir', '/tmp/out'])).toEqual({
      stacks: ['dev-network', 'dev-data'],
      perStack: true,
      outdir: '/tmp/out',
    });
  });

  test('--per-stack validates every stack on its own', () => {
    expect(parseValidateArguments(['--per-stack'])).toMatchObject({ stacks: [], perStack: true });
  });

  test('an unknown option fails with the usage', () => {
    expect(() => parseValidateArguments(['--fast'])).toThrow(
      /Unknown option '--fast'[\s\S]*Usage: npm run validate/,
    );
  });
});
