import type { Construct } from 'constructs';
import { StateBackend, stateKeyAlias } from '../modules/state-backend';
import { BaseStack, type BaseStackProps } from './base-stack';

/**
 * `<env>-state`: the S3 bucket and DynamoDB table that hold every other stack's state. Deployed
 * first, once per account, with local state (the backend cannot store its own state before it exists).
 */
export class StateStack extends BaseStack {
  readonly backend: StateBackend;

  constructor(scope: Construct, props: BaseStackProps) {
    super(scope, 'state', props, 'local');
    this.backend = new StateBackend(this, 'state-backend', {
      context: this.context,
      bucketName: this.environment.state.bucket,
      lockTableName: this.environment.state.lockTable,
      keyAlias: stateKeyAlias(this.environment.namePrefix),
    });
  }
}
