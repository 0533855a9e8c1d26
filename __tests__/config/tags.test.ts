import { parseEnvironments } from '../../config';
import { PROJECT_TAG_KEYS } from '../../config/tags';
import { NetworkStack } from '../../stacks/network-stack';
import { configProblems, minimalEnvironment, synthesize, testApp, testEnvironment } from '../helpers';

const valid = minimalEnvironment;
const problemsOf = (tags: Record<string, string>) => configProblems([{ ...valid, tags }]);
const accepted = (tags: Record<string, string>) => parseEnvironments([{ ...valid, tags }])[0].tags;

describe('tags', () => {
  test('keys and values within the limits, with every allowed character, are accepted', () => {
    const tags = {
      ['k'.repeat(128)]: 'v'.repeat(256),
      'cost-center': 'Team A / 東京 + ops_1 = x.y:z@example',
    };
    expect(accepted(tags)).toEqual(tags);
  });

  test('a key over 128 characters is rejected', () => {
    expect(problemsOf({ ['k'.repeat(129)]: 'x' })).toEqual([
      `dev: tags.${'k'.repeat(129)}: key is 129 characters; AWS allows 128`,
    ]);
  });

  test('a value over 256 characters is rejected', () => {
    expect(problemsOf({ owner: 'v'.repeat(257) })).toEqual([
      'dev: tags.owner: value is 257 characters; AWS allows 256',
    ]);
  });

  test.each(['aws:owner', 'AWS:owner', 'Aws:owner'])('a key starting with %s is rejected', (key) => {
    expect(problemsOf({ [key]: 'x' })).toEqual([
      `dev: tags.${key}: key "${key}" starts with "aws:", which AWS reserves for its own tags`,
    ]);
  });

  test('a key that only contains "aws:" later is accepted', () => {
    expect(accepted({ 'team:aws:owner': 'x' })).toEqual({ 'team:aws:owner': 'x' });
  });

  test('a value starting with aws: is rejected', () => {
    expect(problemsOf({ owner: 'AWS:ops' })).toEqual([
      'dev: tags.owner: value "AWS:ops" starts with "aws:", which AWS reserves',
    ]);
  });

  test.each([
    ['key', { 'cost#center': 'x' }, 'key "cost#center"'],
    ['value', { owner: 'ops, dev' }, 'value "ops, dev"'],
  ])('a %s with a character AWS refuses is rejected', (_, tags, what) => {
    expect(problemsOf(tags)).toEqual([
      `dev: tags.${Object.keys(tags)[0]}: ${what} has characters AWS refuses in tags (allowed: letters, digits, spaces and _ . : / = + - @)`,
    ]);
  });

  test.each(PROJECT_TAG_KEYS)(
    'the project key "%s" is rejected, naming every key the project sets',
    (key) => {
      expect(problemsOf({ [key]: 'mine' })).toEqual([
        `dev: tags.${key}: "${key}" is set by the project itself (project, environment, stack, managed-by, Name); choose another key`,
      ]);
    },
  );

  test('45 tags fit beside the project keys; 46 do not', () => {
    const tags = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${i}`, 'x']));
    expect(Object.keys(accepted(tags(45)))).toHaveLength(45);
    expect(problemsOf(tags(46))).toEqual([
      'dev: tags: 46 tags; AWS allows 50 per resource and the project sets 5, so at most 45',
    ]);
  });
});

describe('the project tag keys', () => {
  test('are the provider default tags every stack sets, plus the Name modules set', () => {
    const stack = new NetworkStack(testApp(), { environment: testEnvironment({ tags: { team: 'web' } }) });
    const [provider] = synthesize(stack).config.provider?.aws ?? [];
    const [{ tags }] = provider.default_tags as { tags: Record<string, string> }[];
    expect([...Object.keys(tags).filter((key) => key !== 'team'), 'Name'].sort()).toEqual(
      [...PROJECT_TAG_KEYS].sort(),
    );
  });
});
