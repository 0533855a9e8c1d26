/**
 * The one way to write the permission statements several roles share: reading a secret, using the
 * secret's KMS key through Secrets Manager only, and pulling images from ECR.
 */
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/** Read the current value of the given secrets (and nothing else of Secrets Manager). */
export function readSecretStatement(sid: string, secretArns: string[]): DataAwsIamPolicyDocumentStatement {
  return { sid, actions: ['secretsmanager:GetSecretValue'], resources: secretArns };
}

/** What a secret's customer-managed key allows when Secrets Manager reads or writes that secret. */
export type SecretKeyAction = 'kms:Decrypt' | 'kms:GenerateDataKey';

/**
 * Use a secret's customer-managed KMS key only through Secrets Manager in `region` (`kms:ViaService`):
 * GetSecretValue needs kms:Decrypt and PutSecretValue kms:GenerateDataKey (Secrets Manager User
 * Guide, "Secret encryption and decryption in AWS Secrets Manager"); the key decrypts nothing else
 * for this role.
 */
export function secretKeyStatement(
  sid: string,
  keyArns: string[],
  region: string,
  actions: readonly SecretKeyAction[] = ['kms:Decrypt'],
): DataAwsIamPolicyDocumentStatement {
  return {
    sid,
    actions: [...actions],
    resources: keyArns,
    condition: [
      {
        test: 'StringEquals',
        variable: 'kms:ViaService',
        values: [`secretsmanager.${region}.amazonaws.com`],
      },
    ],
  };
}

/**
 * Pull images from the given ECR repositories: log in to the registry, then check, download and read
 * the layers and manifests of those repositories only.
 */
export function pullImagesStatements(repositoryArns: string[]): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: 'EcrLogin',
      // GetAuthorizationToken has no resource-level permissions: AWS requires "*" (ECR user guide,
      // "Private registry authentication"). The token alone grants nothing; pulls are scoped below.
      actions: ['ecr:GetAuthorizationToken'],
      resources: ['*'],
    },
    {
      sid: 'PullImages',
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      resources: repositoryArns,
    },
  ];
}
