import { actionMatches } from '../../modules/ci-read-permissions';

describe('actionMatches', () => {
  test('a pattern asked again (compiled once and kept) answers as the first time, in any order', () => {
    const asks: [string, string, boolean][] = [
      ['s3:Get*', 's3:GetObject', true],
      ['s3:Get*', 's3:PutObject', false],
      ['s3:Get*', 's3:GetObject', true],
      ['s3:Get*', 'S3:GETOBJECTACL', true],
      ['s3:Get*', 's3:PutObject', false],
      ['kms:Decrypt', 'kms:Decrypt', true],
      ['kms:Decrypt', 'kms:DecryptX', false],
      ['kms:Decrypt', 'kms:Decrypt', true],
    ];
    expect(asks.map(([pattern, action]) => actionMatches(pattern, action))).toEqual(
      asks.map(([, , ok]) => ok),
    );
  });

  test('a pattern is a whole-name match, with its dots and brackets taken literally', () => {
    expect(actionMatches('s3:Get.bject', 's3:GetObject')).toBe(false);
    expect(actionMatches('s3:Get[O]bject', 's3:GetObject')).toBe(false);
    expect(actionMatches('s3:Get', 's3:GetObject')).toBe(false);
    expect(actionMatches('3:GetObject', 's3:GetObject')).toBe(false);
  });
});
