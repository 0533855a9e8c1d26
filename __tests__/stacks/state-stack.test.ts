import { StateStack } from '../../stacks/state-stack';
import { synthesize, testApp, testEnvironment } from '../helpers';

describe('StateStack', () => {
  const environment = testEnvironment({ name: 'prod', project: 'shop' });
  const stack = new StateStack(testApp(), { environment });
  const { json, config } = synthesize(stack);

  test('is named <env>-state and keeps its own state in a local file in the project root', () => {
    expect(stack.node.id).toBe('prod-state');
    expect(config.terraform.backend).toEqual({ local: { path: '../../../terraform.prod-state.tfstate' } });
  });

  test('creates the bucket and lock table every other stack of the environment uses', () => {
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_s3_bucket' },
      {
        bucket: environment.state.bucket,
        lifecycle: { prevent_destroy: true },
      },
    );
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_dynamodb_table' },
      {
        name: environment.state.lockTable,
        deletion_protection_enabled: true,
      },
    );
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_kms_alias' },
      { name: 'alias/shop-prod-tfstate' },
    );
  });
});
