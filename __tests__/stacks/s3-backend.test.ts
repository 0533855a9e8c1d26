import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { TerraformStack } from 'cdktf';
import { LockingS3Backend } from '../../stacks/s3-backend';
import { synthesizeAcrossStacks, testApp } from '../helpers';

/** A producer stack with a bucket and a consumer that reads its ARN, both on a LockingS3Backend. */
function producerAndConsumer() {
  const app = testApp();
  const stack = (id: string) => {
    const created = new TerraformStack(app, id);
    new AwsProvider(created, 'aws', { region: 'ap-northeast-1' });
    new LockingS3Backend(created, {
      bucket: 'state-bucket',
      key: `project/dev/${id}.tfstate`,
      region: 'ap-northeast-1',
      dynamodbTable: 'state-lock',
      encrypt: true,
    });
    return created;
  };
  const producer = stack('dev-producer');
  const bucket = new S3Bucket(producer, 'bucket', { bucket: 'producer-bucket' });
  const consumer = stack('dev-consumer');
  new SsmParameter(consumer, 'arn', { name: '/bucket-arn', type: 'String', value: bucket.arn });
  return {
    producer: synthesizeAcrossStacks(producer).config,
    consumer: synthesizeAcrossStacks(consumer).config,
  };
}

describe('LockingS3Backend', () => {
  test('the backend itself keeps its DynamoDB lock', () => {
    const { producer } = producerAndConsumer();
    expect(producer.terraform.backend).toEqual({
      s3: {
        bucket: 'state-bucket',
        key: 'project/dev/dev-producer.tfstate',
        region: 'ap-northeast-1',
        dynamodb_table: 'state-lock',
        encrypt: true,
      },
    });
  });

  test('a cross-stack read of its state carries no lock settings', () => {
    const { consumer } = producerAndConsumer();
    expect(consumer.data?.terraform_remote_state).toEqual({
      'cross-stack-reference-input-dev-producer': {
        backend: 's3',
        config: {
          bucket: 'state-bucket',
          key: 'project/dev/dev-producer.tfstate',
          region: 'ap-northeast-1',
          encrypt: true,
        },
        workspace: '${terraform.workspace}',
      },
    });
  });
});
