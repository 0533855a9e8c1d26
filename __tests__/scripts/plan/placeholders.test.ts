import { placeholder, standInValue } from '../../../scripts/plan/placeholders';

const hint = { seed: 'out', region: 'ap-northeast-1', accountId: '123456789012' };

describe('placeholder', () => {
  test('primitives: a string, 0 and false', () => {
    expect(placeholder('string', hint)).toEqual({
      value: expect.stringMatching(/^placeholder-[0-9a-f]{8}$/),
      type: 'string',
    });
    expect(placeholder('number', hint)).toEqual({ value: 0, type: 'number' });
    expect(placeholder('bool', hint)).toEqual({ value: false, type: 'bool' });
  });

  test('a dynamic value is stored as a string', () => {
    expect(placeholder('dynamic', hint).type).toBe('string');
  });

  test('lists and sets hold one placeholder, maps none', () => {
    expect(placeholder(['list', 'number'], hint)).toEqual({ value: [0], type: ['list', 'number'] });
    expect(placeholder(['map', 'string'], hint)).toEqual({ value: {}, type: ['map', 'string'] });
  });

  test('objects and tuples are filled attribute by attribute, each shaped by its name', () => {
    const value = placeholder(
      ['object', { arn: 'string', port: 'number', parts: ['tuple', ['bool', 'string']] }],
      { ...hint, resourceType: 'aws_lb_target_group' },
    );
    expect(value).toEqual({
      value: {
        arn: expect.stringMatching(
          /^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:lb-target-group\//,
        ),
        port: 0,
        parts: [false, expect.any(String)],
      },
      type: ['object', { arn: 'string', port: 'number', parts: ['tuple', ['bool', 'string']] }],
    });
  });

  test('ARNs of global services have no region, S3 ARNs neither account', () => {
    const arn = (resourceType: string) =>
      placeholder('string', { ...hint, resourceType, attribute: 'arn' }).value as string;
    expect(arn('aws_iam_role')).toMatch(/^arn:aws:iam::123456789012:iam-role\/placeholder-/);
    expect(arn('aws_s3_bucket')).toMatch(/^arn:aws:s3:::placeholder-/);
    expect(arn('aws_kms_key')).toMatch(/^arn:aws:kms:ap-northeast-1:123456789012:kms-key\//);
  });

  test('ids of known kinds take AWS’s shape', () => {
    const id = (resourceType: string, attribute = 'id') =>
      placeholder('string', { ...hint, resourceType, attribute }).value as string;
    expect(id('aws_security_group')).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(id('aws_kms_key')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(id('aws_route53_zone', 'zone_id')).toMatch(/^Z[0-9A-F]{20}$/);
    expect(id('aws_db_subnet_group', 'subnet_ids')).toMatch(/^subnet-/);
  });
});

describe('standInValue', () => {
  test('an unknown attribute inside a known object becomes a placeholder of its type', () => {
    const result = standInValue(
      ['object', { name: 'string', port: 'number' }],
      { name: 'web', port: null },
      { port: true },
      hint,
    );
    expect(result).toEqual({
      value: { name: 'web', port: 0 },
      type: ['object', { name: 'string', port: 'number' }],
    });
  });

  test('a known value without a type gets the type of its JSON', () => {
    expect(standInValue(undefined, ['a', 1], false, hint)).toEqual({
      value: ['a', 1],
      type: ['tuple', ['string', 'number']],
    });
    expect(standInValue(undefined, { a: true }, false, hint)).toEqual({
      value: { a: true },
      type: ['object', { a: 'bool' }],
    });
  });
});
