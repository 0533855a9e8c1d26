import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { AlarmTopic, type AlarmTopicProps } from '../../modules/alarm-topic';

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };

type Statement = Record<string, unknown>;
interface Config {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data: { aws_iam_policy_document: Record<string, { statement: Statement[] }> };
}

function synthTopic(overrides: Partial<AlarmTopicProps> = {}): Config {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new AlarmTopic(scope, 'alarms', { topicName: 'proj-dev-alarms', context, ...overrides });
    }),
  ) as Config;
}

/** The statements of the policy document whose construct id contains `id`. */
function statementsOf(config: Config, id: string): Statement[] {
  const [name] = Object.keys(config.data.aws_iam_policy_document).filter((key) => key.includes(id));
  return config.data.aws_iam_policy_document[name].statement;
}

describe('AlarmTopic', () => {
  const config = synthTopic({ emailAddresses: ['ops@example.com', 'On.Call@example.com'] });

  test('the topic is encrypted with its own key', () => {
    const [topic] = Object.values(config.resource.aws_sns_topic);
    const [keyId] = Object.keys(config.resource.aws_kms_key);
    expect(topic).toMatchObject({
      name: 'proj-dev-alarms',
      kms_master_key_id: `\${aws_kms_key.${keyId}.arn}`,
    });
  });

  test("the key's policy lets CloudWatch of this account encrypt and decrypt for the topic", () => {
    expect(statementsOf(config, 'key_policy')).toContainEqual({
      sid: 'AllowCloudWatchAlarms',
      principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] }],
    });
  });

  test("the topic policy lets only this account's CloudWatch alarms publish, over TLS", () => {
    const statements = statementsOf(config, 'policy-document');
    expect(statements).toContainEqual(
      expect.objectContaining({
        sid: 'CloudWatchAlarmsPublish',
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        actions: ['sns:Publish'],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] },
          {
            test: 'ArnLike',
            variable: 'aws:SourceArn',
            values: ['arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:*'],
          },
        ],
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ sid: 'DenyInsecureTransport', effect: 'Deny', actions: ['sns:Publish'] }),
    );
  });

  test('each address gets an e-mail subscription keyed by the address', () => {
    const subscriptions = Object.entries(config.resource.aws_sns_topic_subscription).map(
      ([id, subscription]) => [id.replace(/_[0-9A-F]+$/, ''), subscription.protocol, subscription.endpoint],
    );
    expect(subscriptions).toEqual([
      ['alarms_email-on-call-example-com', 'email', 'On.Call@example.com'],
      ['alarms_email-ops-example-com', 'email', 'ops@example.com'],
    ]);
  });

  test('no addresses, no subscriptions', () => {
    expect(synthTopic().resource.aws_sns_topic_subscription).toBeUndefined();
  });

  test('two addresses that would share a subscription id are refused', () => {
    expect(() => synthTopic({ emailAddresses: ['a.b@example.com', 'a-b@example.com'] })).toThrow(
      'emailAddresses "a.b@example.com" and "a-b@example.com" would share the subscription id email-a-b-example-com; list each address once',
    );
  });

  test('a given provider places the topic, its key and its subscriptions in that region', () => {
    const json = Testing.synthScope((scope) => {
      const provider = new AwsProvider(scope, 'billing', { region: 'us-east-1', alias: 'billing' });
      new AlarmTopic(scope, 'alarms', {
        topicName: 't',
        context: { ...context, region: 'us-east-1' },
        emailAddresses: ['ops@example.com'],
        provider,
      });
    });
    const resources = (JSON.parse(json) as Config).resource;
    for (const type of [
      'aws_sns_topic',
      'aws_kms_key',
      'aws_kms_alias',
      'aws_sns_topic_policy',
      'aws_sns_topic_subscription',
    ]) {
      expect(Object.values(resources[type]).map((resource) => resource.provider)).toEqual(['aws.billing']);
    }
  });
});
