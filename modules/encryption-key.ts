import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { accountRootArn, type AwsContext } from './aws-context';

export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix, e.g. `aws-and-infra-dev-flow-logs`. */
  readonly alias: string;
  readonly description: string;
  readonly context: AwsContext;
  /**
   * Statements added to the key policy after the one that delegates the key to the account's IAM
   * policies (AWS's default key policy); use them to let AWS services use the key.
   * @default []
   */
  readonly serviceStatements?: DataAwsIamPolicyDocumentStatement[];
  /**
   * Days a deleted key waits before it is gone (7-30, AWS KMS ScheduleKeyDeletion).
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /** The provider (region) to create the key with. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/** A customer-managed KMS key with yearly rotation, an alias and a key policy built as data. */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;
  readonly aliasName: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    if (deletionWindowInDays < 7 || deletionWindowInDays > 30) {
      throw new Error(`${this.node.path}: deletionWindowInDays must be 7-30, got ${deletionWindowInDays}`);
    }

    const provider = props.provider;
    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      provider,
      statement: [
        {
          sid: 'DelegateToAccountIam',
          principals: [{ type: 'AWS', identifiers: [accountRootArn(props.context)] }],
          actions: ['kms:*'],
          resources: ['*'],
        },
        ...(props.serviceStatements ?? []),
      ],
    });

    this.key = new KmsKey(this, 'key', {
      provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: policy.json,
    });
    this.arn = this.key.arn;
    this.aliasName = `alias/${props.alias}`;
    new KmsAlias(this, 'alias', { provider, name: this.aliasName, targetKeyId: this.key.keyId });
  }
}

/**
 * Key-policy statement that lets CloudWatch Logs use a key for the log groups of one account and
 * region (CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
 */
export function cloudWatchLogsKeyStatement(context: AwsContext): DataAwsIamPolicyDocumentStatement {
  return {
    sid: 'AllowCloudWatchLogs',
    principals: [{ type: 'Service', identifiers: [`logs.${context.region}.amazonaws.com`] }],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    condition: [
      {
        test: 'ArnLike',
        variable: 'kms:EncryptionContext:aws:logs:arn',
        values: [`arn:${context.partition}:logs:${context.region}:${context.accountId}:log-group:*`],
      },
    ],
  };
}
