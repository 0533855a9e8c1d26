import type { SchemaBlock } from '../../../scripts/provider-schemas';
import { checkBody, checkProviderBlocks, conforms } from '../../../scripts/validate/provider-blocks';

/** The shape of the AWS provider's configuration schema, cut down to what the cases need. */
const schema: SchemaBlock = {
  attributes: {
    region: { type: 'string', optional: true },
    allowed_account_ids: { type: ['set', 'string'], optional: true },
    max_retries: { type: 'number', optional: true },
    insecure: { type: 'bool', optional: true },
    shared_credentials_file: { type: 'string', optional: true, deprecated: true },
    account: { type: 'string', required: true },
    resolved: { type: 'string', computed: true },
  },
  block_types: {
    default_tags: {
      nesting_mode: 'list',
      max_items: 1,
      block: { attributes: { tags: { type: ['map', 'string'], optional: true } } },
    },
    assume_role: {
      nesting_mode: 'list',
      min_items: 0,
      block: { attributes: { role_arn: { type: 'string', required: true } } },
    },
  },
};

describe('checkBody', () => {
  test('a block that uses the schema as it is meant has no problem', () => {
    expect(
      checkBody(
        {
          account: 'a',
          region: 'ap-northeast-1',
          allowed_account_ids: ['111111111111'],
          max_retries: '3',
          insecure: 'false',
          default_tags: [{ tags: { environment: 'dev' } }],
          assume_role: { role_arn: '${var.role}' },
          '//': 'a cdktf comment',
        },
        schema,
        '',
      ),
    ).toEqual([]);
  });

  test('an argument the provider does not have is an error', () => {
    expect(checkBody({ account: 'a', regoin: 'ap-northeast-1' }, schema, '')).toEqual([
      {
        severity: 'error',
        summary: 'Unsupported argument',
        detail: 'An argument named "regoin" is not expected here.',
      },
    ]);
  });

  test.each([
    ['region', ['ap-northeast-1'], 'string'],
    ['allowed_account_ids', '111111111111', 'set of string'],
    ['max_retries', 'three', 'number'],
    ['insecure', 'yes', 'bool'],
  ])('a value of the wrong type is an error: %s = %j', (name, value, required) => {
    expect(checkBody({ account: 'a', [name]: value }, schema, '')).toEqual([
      {
        severity: 'error',
        summary: 'Incorrect attribute value type',
        detail: `Inappropriate value for attribute "${name}": ${required} required.`,
      },
    ]);
  });

  test('a missing required argument, and a computed-only one set, are errors', () => {
    expect(checkBody({ resolved: 'x' }, schema, '')).toEqual([
      {
        severity: 'error',
        summary: 'Value for unconfigurable attribute',
        detail: `Can't configure a value for "resolved".`,
      },
      {
        severity: 'error',
        summary: 'Missing required argument',
        detail: 'The argument "account" is required, but no definition was found.',
      },
    ]);
  });

  test('nested blocks: one default_tags is fine, two are too many; their contents are checked too', () => {
    expect(checkBody({ account: 'a', default_tags: [{ tags: {} }] }, schema, '')).toEqual([]);
    expect(checkBody({ account: 'a', default_tags: [{ tags: {} }, { tagz: {} }] }, schema, '')).toEqual([
      {
        severity: 'error',
        summary: 'Too many default_tags blocks',
        detail: 'No more than 1 "default_tags" blocks are allowed.',
      },
      {
        severity: 'error',
        summary: 'Unsupported argument',
        detail: 'In default_tags[1]: An argument named "tagz" is not expected here.',
      },
    ]);
    expect(checkBody({ account: 'a', assume_role: [{}] }, schema, '')).toEqual([
      {
        severity: 'error',
        summary: 'Missing required argument',
        detail: 'In assume_role[0]: The argument "role_arn" is required, but no definition was found.',
      },
    ]);
  });

  test('a deprecated argument is a warning', () => {
    expect(checkBody({ account: 'a', shared_credentials_file: '~/.aws/credentials' }, schema, '')).toEqual([
      {
        severity: 'warning',
        summary: 'Deprecated attribute',
        detail:
          'The attribute "shared_credentials_file" is deprecated. Refer to the provider documentation for details.',
      },
    ]);
  });
});

describe('conforms', () => {
  test.each([
    ['a number where a string goes', 5, 'string', true],
    ['a bool where a string goes', true, 'string', true],
    ['a list where a string goes', ['x'], 'string', false],
    ['a numeric string where a number goes', '1.5', 'number', true],
    ['an empty string where a number goes', '', 'number', false],
    ['"true" where a bool goes', 'true', 'bool', true],
    ['"1" where a bool goes', '1', 'bool', false],
    ['an expression anywhere', '${var.x}', ['list', 'string'], true],
    ['null anywhere', null, 'number', true],
    ['a map of strings', { a: 'b', c: 1 }, ['map', 'string'], true],
    ['a map holding a list', { a: ['b'] }, ['map', 'string'], false],
    ['an object with a field its type lacks', { a: 1, z: 2 }, ['object', { a: 'number' }], false],
    ['an object with its fields', { a: 1 }, ['object', { a: 'number', b: 'string' }], true],
    ['a tuple of the right length', [1, 'x'], ['tuple', ['number', 'string']], true],
    ['a tuple of the wrong length', [1], ['tuple', ['number', 'string']], false],
  ] as const)('%s: %s', (_, value, type, expected) => {
    expect(conforms(value, type)).toBe(expected);
  });
});

describe('checkProviderBlocks', () => {
  test('each problem names the stack, the provider block (with its alias) and its line', () => {
    const copy = {
      providerSources: { aws: 'hashicorp/aws' },
      providerBlocks: [
        { name: 'aws', arguments: { account: 'a', region: 'ap-northeast-1' }, line: 12 },
        { name: 'aws', alias: 'billing', arguments: { account: 'a', bogus: 1, version: '~> 5.0' }, line: 20 },
      ],
    };
    const digest = { providers: { 'registry.terraform.io/hashicorp/aws': schema } };
    expect(checkProviderBlocks('dev-observability', copy, digest)).toEqual([
      {
        severity: 'error',
        stack: 'dev-observability',
        address: 'provider.aws.billing',
        constructPath: undefined,
        location: 'cdk.tf.json:20',
        summary: 'Unsupported argument',
        detail: 'An argument named "bogus" is not expected here.',
      },
    ]);
  });

  test('a provider whose schema was not loaded is an error, not a pass', () => {
    const copy = { providerSources: {}, providerBlocks: [{ name: 'random', arguments: {}, line: 3 }] };
    expect(checkProviderBlocks('dev-x', copy, { providers: {} })).toEqual([
      {
        severity: 'error',
        stack: 'dev-x',
        address: 'provider.random',
        constructPath: undefined,
        location: 'cdk.tf.json:3',
        summary: 'No provider schema',
        detail: 'No schema for registry.terraform.io/hashicorp/random was loaded.',
      },
    ]);
  });
});
