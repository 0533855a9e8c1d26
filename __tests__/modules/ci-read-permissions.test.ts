/** How the guardrails match IAM action patterns (the CI-role rules' cases are in policy/fixtures/iam-ci.ts). */
import { actionMatches } from '../../modules/ci-read-permissions';

describe('actionMatches (GR-CI-2, GR-CI-3, GR-LOG-3, GR-SM-1, GR-S3-6)', () => {
  test('action patterns match as IAM does: wildcards, single characters, any case', () => {
    expect(actionMatches('s3:Get*', 's3:GetObject')).toBe(true);
    expect(actionMatches('S3:getobject', 's3:GetObject')).toBe(true);
    expect(actionMatches('logs:Get?ogEvents', 'logs:GetLogEvents')).toBe(true);
    expect(actionMatches('*', 'kms:Decrypt')).toBe(true);
    expect(actionMatches('s3:GetBucket*', 's3:GetObject')).toBe(false);
    expect(actionMatches('ecr:Describe*', 'ecr:BatchGetImage')).toBe(false);
    expect(actionMatches('kms:Encrypt', 'kms:EncryptX')).toBe(false);
  });

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
