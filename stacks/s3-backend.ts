import {
  DataTerraformRemoteStateS3,
  S3Backend,
  type S3BackendConfig,
  type TerraformRemoteState,
} from 'cdktf';
import type { Construct } from 'constructs';

/**
 * cdktf's S3 backend, except that its remote-state reads (the `terraform_remote_state` cdktf emits for
 * each cross-stack reference) carry no lock settings. A read never takes the lock (Terraform docs, "State
 * Locking": Terraform locks the state for operations that could write it), so a
 * `dynamodb_table` there did nothing but earn Terraform's deprecation warning once per read. The backend
 * itself keeps its DynamoDB lock (docs/performance.md: the deprecation and the `use_lockfile` path).
 */
export class LockingS3Backend extends S3Backend {
  private readonly readConfig: S3BackendConfig;

  constructor(scope: Construct, props: S3BackendConfig) {
    super(scope, props);
    this.readConfig = { ...props, dynamodbTable: undefined, dynamodbEndpoint: undefined };
  }

  /** What `S3Backend` reads, minus the lock settings. */
  public getRemoteStateDataSource(scope: Construct, name: string, _fromStack: string): TerraformRemoteState {
    return new DataTerraformRemoteStateS3(scope, name, {
      ...this.readConfig,
      workspace: '${terraform.workspace}',
    });
  }
}
