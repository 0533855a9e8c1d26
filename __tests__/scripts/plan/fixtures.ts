import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { App, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';

/**
 * A synthesized app of two stacks of environment `dev`: `dev-producer` (a VPC and a bucket) and
 * `dev-consumer` (a subnet in that VPC, tagged with the bucket's ARN, and an aliased provider), as
 * `app.synth()` writes it: cross-stack outputs in the producer, a `terraform_remote_state` in the consumer.
 * With `sibling`, a third stack `dev-sibling` that reads nothing and has no provider (one output): it
 * plans in the producer's wave, and alone in well under a second.
 * Returns the synth output directory (a new temporary directory).
 */
export function synthesizeProducerConsumer(options: { readonly sibling?: boolean } = {}): string {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'plan-pair-'));
  const app = new App({ outdir });
  const stack = (id: string) => {
    const created = new TerraformStack(app, id);
    new AwsProvider(created, 'aws', { region: 'ap-northeast-1', allowedAccountIds: ['123456789012'] });
    new AwsProvider(created, 'billing', {
      alias: 'billing',
      region: 'us-east-1',
      allowedAccountIds: ['123456789012'],
    });
    new S3Backend(created, {
      bucket: 'plan-test-state',
      key: `plan-test/dev/${id}.tfstate`,
      region: 'ap-northeast-1',
      dynamodbTable: 'plan-test-lock',
    });
    return created;
  };
  const producer = stack('dev-producer');
  const vpc = new Vpc(producer, 'vpc', { cidrBlock: '10.0.0.0/16' });
  const bucket = new S3Bucket(producer, 'bucket', { bucket: 'plan-test-producer' });
  const consumer = stack('dev-consumer');
  new Subnet(consumer, 'subnet', {
    vpcId: vpc.id,
    cidrBlock: '10.0.1.0/24',
    tags: { bucket: bucket.arn },
  });
  if (options.sibling === true) {
    const sibling = new TerraformStack(app, 'dev-sibling');
    new S3Backend(sibling, {
      bucket: 'plan-test-state',
      key: 'plan-test/dev/dev-sibling.tfstate',
      region: 'ap-northeast-1',
    });
    new TerraformOutput(sibling, 'greeting', { value: 'hello' });
  }
  app.synth();
  return outdir;
}
