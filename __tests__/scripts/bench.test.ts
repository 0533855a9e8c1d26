import {
  generatedEnvironments,
  median,
  parseBenchArguments,
  parseTimeOutput,
  SEQUENTIAL_CHECKS,
  synthAgainstStock,
} from '../../scripts/bench';
import { synthArgv } from '../../scripts/synth-command';
import cdktfJson from '../../cdktf.json';
import packageJson from '../../package.json';
import { TEST_PHASES } from '../../scripts/test';
import { parseEnvironments } from '../../config';
import { environments } from '../../config/environments';

describe('parseBenchArguments', () => {
  test('every part, three synth runs and one of each heavy part by default', () => {
    expect(parseBenchArguments([])).toEqual({
      parts: ['synth', 'synth10', 'test', 'validate', 'plan'],
      runs: 3,
      heavyRuns: 1,
    });
  });

  test('chosen parts run in the bench’s own order', () => {
    expect(parseBenchArguments(['--parts', 'plan,synth', '--runs', '5', '--heavy-runs', '2'])).toEqual({
      parts: ['synth', 'plan'],
      runs: 5,
      heavyRuns: 2,
    });
  });

  test('an unknown part or a bad count fails with the usage', () => {
    expect(() => parseBenchArguments(['--parts', 'synth,lint'])).toThrow(/^Unknown part lint: choose from/);
    expect(() => parseBenchArguments(['--runs', '0'])).toThrow('--runs takes a whole number >= 1.');
  });
});

describe('synthAgainstStock', () => {
  test('times the two commands the issue compares, each through its package runner', () => {
    const [project, stock] = synthAgainstStock('/scratch');
    expect(project.argv).toEqual(['npm', 'run', '--silent', 'synth', '--', '--outdir', '/scratch/synth']);
    expect(stock.argv).toEqual(['npx', 'ts-node', 'main.ts']);
    expect(stock.env).toEqual({ CDKTF_OUTDIR: '/scratch/stock', INFRA_ENVIRONMENTS_FILE: '' });
  });
});

describe('the synth command', () => {
  test('npm run synth and cdktf synth run Node without its optimizing compiler; the bench runs the same', () => {
    // V8's optimizing compiler cost more than it saved in a run this short (docs/performance.md).
    expect(packageJson.scripts.synth).toBe('node --no-opt -r ./scripts/register.js scripts/synth.ts');
    expect(cdktfJson.app.split(' ').slice(0, 4)).toEqual(['node', '--no-opt', '-r', './scripts/register.js']);
    expect(synthArgv()).toEqual([
      process.execPath,
      '--no-opt',
      '-r',
      './scripts/register.js',
      'scripts/synth.ts',
    ]);
  });
});

describe('generatedEnvironments', () => {
  test('ten valid environments from the shipped three, each with its own name and account', () => {
    const ten = generatedEnvironments(10, environments);
    expect(ten.map((environment) => environment.name)).toEqual([
      'dev',
      'stg',
      'prod',
      'dev2',
      'stg2',
      'prod2',
      'dev3',
      'stg3',
      'prod3',
      'dev4',
    ]);
    expect(new Set(ten.map((environment) => environment.accountId)).size).toBe(10);
    expect(parseEnvironments(ten)).toHaveLength(10);
  });
});

describe('parseTimeOutput', () => {
  test('peak memory and user + system CPU from GNU time’s last line', () => {
    expect(parseTimeOutput('Command exited with non-zero status 1\n434176 9.50 2.25\n')).toEqual({
      peakRssMb: 424,
      cpuSeconds: 11.75,
    });
  });

  test('a line it cannot read gives nothing rather than a wrong figure', () => {
    expect(parseTimeOutput('garbage')).toEqual({});
  });
});

describe('median', () => {
  test('the middle value, or the mean of the two middle ones', () => {
    expect([median([3, 1, 2]), median([4, 1, 3, 2])]).toEqual([2, 2.5]);
  });
});

describe('the baseline of npm test', () => {
  test("runs every check npm test runs, one after another, lint's two tools without their caches", () => {
    const steps = SEQUENTIAL_CHECKS.split(' && ');
    const scripts = steps.filter((step) => step.startsWith('npm run')).map((step) => step.split(' ').pop());
    expect([...scripts].sort()).toEqual(
      TEST_PHASES.flat()
        .filter((name) => name !== 'lint')
        .sort(),
    );
    // lint, as its two commands without the cache options
    const lint = packageJson.scripts.lint
      .split(' && ')
      .map((command) => `npx ${command.replace(/ --cache\S*( [^-.]\S*)?/g, '')}`);
    expect(steps.filter((step) => step.startsWith('npx'))).toEqual(lint);
  });
});
