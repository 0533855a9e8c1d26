import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { accountRootArn, type AwsContext } from './aws-context';
import { EncryptionKey } from './encryption-key';

export interface AlarmTopicProps {
  /** Topic name; also the alias of its KMS key. */
  readonly topicName: string;
  /** Account and partition; `region` is the region the topic lives in. */
  readonly context: AwsContext;
  /**
   * E-mail addresses to subscribe. SNS mails each a confirmation link; nothing is delivered to an
   * address until it is confirmed.
   * @default []
   */
  readonly emailAddresses?: readonly string[];
  /** The provider (region) to create the topic with. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * An SNS topic that CloudWatch alarms of this account publish to, encrypted with its own KMS key
 * whose policy lets CloudWatch use it (without that, publishes to an encrypted topic are dropped
 * silently), with e-mail subscriptions keyed by address.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly arn: string;
  readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { context, provider } = props;
    const emailAddresses = props.emailAddresses ?? [];
    const cloudWatch = { type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] };
    const fromThisAccount = {
      test: 'StringEquals',
      variable: 'aws:SourceAccount',
      values: [context.accountId],
    };

    // SNS user guide, "Enable compatibility between event sources from AWS services and encrypted topics".
    this.key = new EncryptionKey(this, 'key', {
      alias: props.topicName,
      description: `Encrypts the SNS topic ${props.topicName}`,
      context,
      provider,
      serviceStatements: [
        {
          sid: 'AllowCloudWatchAlarms',
          principals: [cloudWatch],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          condition: [fromThisAccount],
        },
      ],
    });
    this.topic = new SnsTopic(this, 'topic', {
      provider,
      name: props.topicName,
      kmsMasterKeyId: this.key.arn,
    });
    this.arn = this.topic.arn;

    const policy = new DataAwsIamPolicyDocument(this, 'policy-document', {
      provider,
      statement: [
        {
          sid: 'AccountManagesTopic',
          principals: [{ type: 'AWS', identifiers: [accountRootArn(context)] }],
          actions: [
            'sns:GetTopicAttributes',
            'sns:SetTopicAttributes',
            'sns:AddPermission',
            'sns:RemovePermission',
            'sns:DeleteTopic',
            'sns:Subscribe',
            'sns:ListSubscriptionsByTopic',
            'sns:Publish',
          ],
          resources: [this.topic.arn],
        },
        {
          sid: 'CloudWatchAlarmsPublish',
          principals: [cloudWatch],
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          condition: [
            fromThisAccount,
            {
              test: 'ArnLike',
              variable: 'aws:SourceArn',
              values: [`arn:${context.partition}:cloudwatch:${context.region}:${context.accountId}:alarm:*`],
            },
          ],
        },
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new SnsTopicPolicy(this, 'policy', { provider, arn: this.topic.arn, policy: policy.json });

    const ids = new Map<string, string>();
    for (const address of emailAddresses) {
      const id = `email-${address.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      const other = ids.get(id);
      if (other !== undefined) {
        throw new Error(
          `${this.node.path}: emailAddresses "${other}" and "${address}" would share the subscription id ${id}; list each address once`,
        );
      }
      ids.set(id, address);
      new SnsTopicSubscription(this, id, {
        provider,
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: address,
      });
    }
  }
}
