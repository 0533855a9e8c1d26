import {
  pullImagesStatements,
  readSecretStatement,
  secretKeyStatement,
} from '../../../modules/iam/statements';

const secretArn = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:proj-dev-db-AbCdEf';
const keyArn = 'arn:aws:kms:ap-northeast-1:123456789012:key/k';
const viaSecretsManager = {
  test: 'StringEquals',
  variable: 'kms:ViaService',
  values: ['secretsmanager.ap-northeast-1.amazonaws.com'],
};

describe('readSecretStatement', () => {
  test('GetSecretValue on exactly the secrets given, nothing else of Secrets Manager', () => {
    expect(readSecretStatement('ReadDatabaseSecret', [secretArn, `${secretArn}-2`])).toEqual({
      sid: 'ReadDatabaseSecret',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secretArn, `${secretArn}-2`],
    });
  });
});

describe('secretKeyStatement', () => {
  test('by default Decrypt only, and only through Secrets Manager in the region', () => {
    expect(secretKeyStatement('DecryptDatabaseSecret', [keyArn], 'ap-northeast-1')).toEqual({
      sid: 'DecryptDatabaseSecret',
      actions: ['kms:Decrypt'],
      resources: [keyArn],
      condition: [viaSecretsManager],
    });
  });

  test('writing a secret adds GenerateDataKey, in the order given (the synthesized JSON keeps it)', () => {
    expect(
      secretKeyStatement('EncryptAdminSecret', [keyArn], 'ap-northeast-1', [
        'kms:GenerateDataKey',
        'kms:Decrypt',
      ]),
    ).toEqual({
      sid: 'EncryptAdminSecret',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [keyArn],
      condition: [viaSecretsManager],
    });
  });

  test('the service endpoint is the region the secret lives in', () => {
    expect(secretKeyStatement('K', [keyArn], 'us-east-1').condition).toEqual([
      {
        test: 'StringEquals',
        variable: 'kms:ViaService',
        values: ['secretsmanager.us-east-1.amazonaws.com'],
      },
    ]);
  });
});

describe('pullImagesStatements', () => {
  test('a registry login on "*", then layer and manifest reads on exactly the repositories given', () => {
    const repository = 'arn:aws:ecr:ap-northeast-1:123456789012:repository/proj-dev-app';
    expect(pullImagesStatements([repository])).toEqual([
      { sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
      {
        sid: 'PullImages',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [repository],
      },
    ]);
  });
});
