import * as path from 'node:path';
import { parsePlanArguments } from '../../scripts/plan';
import { DEFAULT_CONCURRENCY } from '../../scripts/plan/pipeline';

const root = path.resolve(__dirname, '../..');

describe('parsePlanArguments', () => {
  test('an environment, stacks by --stack or after it, offline', () => {
    expect(
      parsePlanArguments(['--env', 'dev', '--stack', 'network', 'data', '--stack', 'dev-state', '--offline']),
    ).toEqual({
      environment: 'dev',
      stacks: ['network', 'dev-state', 'data'],
      offline: true,
      skipSynth: false,
      concurrency: DEFAULT_CONCURRENCY,
      perStack: false,
      synthDir: path.join(root, 'cdktf.out'),
      planDir: path.join(root, 'plan.out'),
      drift: false,
      baseSynthDir: undefined,
      allowancesFile: path.resolve('plan-allowances.json'),
      review: true,
    });
  });

  test('--drift, --skip-synth, --base, --allowances and --no-review', () => {
    expect(
      parsePlanArguments([
        '--env',
        'prod',
        '--drift',
        '--skip-synth',
        '--base',
        '/b',
        '--allowances',
        '/a.json',
        '--no-review',
      ]),
    ).toMatchObject({
      drift: true,
      skipSynth: true,
      baseSynthDir: '/b',
      allowancesFile: '/a.json',
      review: false,
    });
  });

  test('--drift plans against AWS, so it does not go with --offline', () => {
    expect(() => parsePlanArguments(['--env', 'prod', '--drift', '--offline'])).toThrow(
      '--drift plans against AWS; it does not go with --offline.',
    );
  });

  test('offline, each wave is one Terraform run unless --per-stack', () => {
    expect(parsePlanArguments(['--env', 'all', '--offline']).perStack).toBe(false);
    expect(parsePlanArguments(['--env', 'all', '--offline', '--per-stack']).perStack).toBe(true);
  });

  test('against AWS unless --offline', () => {
    expect(parsePlanArguments(['--env', 'prod']).offline).toBe(false);
  });

  test('--skip-synth plans the synth already there; --concurrency sets the places shared by all environments', () => {
    expect(parsePlanArguments(['--env', 'all', '--skip-synth', '--concurrency', '1'])).toMatchObject({
      environment: 'all',
      skipSynth: true,
      concurrency: 1,
    });
  });

  test('--concurrency is a whole number of at least 1', () => {
    for (const bad of ['0', '1.5', 'x']) {
      expect(() => parsePlanArguments(['--env', 'dev', '--concurrency', bad])).toThrow(
        `--concurrency takes a whole number >= 1, not "${bad}".`,
      );
    }
  });

  test('--env is required', () => {
    expect(() => parsePlanArguments(['--offline'])).toThrow('--env is required.\nUsage: npm run plan --');
  });

  test('an unknown option is an error with the usage', () => {
    expect(() => parsePlanArguments(['--env', 'dev', '--apply'])).toThrow("Unknown option '--apply'");
  });

  test('--stack does not go with --env all', () => {
    expect(() => parsePlanArguments(['--env', 'all', '--stack', 'network'])).toThrow(
      '--stack names stacks of one environment; it does not go with --env all.',
    );
  });
});
