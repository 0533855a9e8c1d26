import { Testing } from 'cdktf';
import { cloudWatchLogsKeyStatement, EncryptionKey } from '../../modules/encryption-key';

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };

describe('EncryptionKey', () => {
  test('rotates yearly, waits 30 days before deletion and has an alias', () => {
    const json = Testing.synthScope((scope) => {
      new EncryptionKey(scope, 'key', { alias: 'proj-dev-logs', description: 'logs', context });
    });
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_kms_key' },
      {
        enable_key_rotation: true,
        deletion_window_in_days: 30,
      },
    );
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_kms_alias' },
      { name: 'alias/proj-dev-logs' },
    );
  });

  test('the key policy delegates to the account and adds the service statements', () => {
    const config = JSON.parse(
      Testing.synthScope((scope) => {
        new EncryptionKey(scope, 'key', {
          alias: 'a',
          description: 'd',
          context,
          serviceStatements: [cloudWatchLogsKeyStatement(context)],
        });
      }),
    );
    const [document] = Object.values(config.data.aws_iam_policy_document) as {
      statement: Record<string, unknown>[];
    }[];
    expect(document.statement).toEqual([
      expect.objectContaining({
        principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] }],
      }),
      expect.objectContaining({
        principals: [{ type: 'Service', identifiers: ['logs.ap-northeast-1.amazonaws.com'] }],
        condition: [
          {
            test: 'ArnLike',
            variable: 'kms:EncryptionContext:aws:logs:arn',
            values: ['arn:aws:logs:ap-northeast-1:123456789012:log-group:*'],
          },
        ],
      }),
    ]);
  });

  test('a deletion window outside 7-30 days fails at construction', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new EncryptionKey(scope, 'key', { alias: 'a', description: 'd', context, deletionWindowInDays: 3 });
      }),
    ).toThrow('deletionWindowInDays must be 7-30, got 3');
  });
});
