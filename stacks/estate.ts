import type { App } from 'cdktf';
import type { EnvironmentConfig } from '../config';
import { ComputeStack } from './compute-stack';
import { ContainersStack } from './containers-stack';
import { DataStack } from './data-stack';
import { NetworkStack } from './network-stack';
import { ObservabilityStack } from './observability-stack';
import { StateStack } from './state-stack';

/**
 * Every environment's stacks, in deployment order. Each consumer takes the narrow contract it needs of
 * an earlier stack (stacks/contracts.ts: `NetworkAccess`, parts of `DataAccess`, metric identities);
 * CDKTF turns every value passed this way into an output there and a remote-state read here.
 */
export function defineEnvironment(app: App, environment: EnvironmentConfig): void {
  new StateStack(app, { environment });
  const network = new NetworkStack(app, { environment });
  const data = new DataStack(app, { environment, network });
  const compute = new ComputeStack(app, {
    environment,
    network,
    database: data.database,
    sharedFiles: data.webFiles,
  });
  const containers = new ContainersStack(app, {
    environment,
    network,
    database: data.database,
    appFiles: data.appFiles,
  });
  new ObservabilityStack(app, {
    environment,
    network,
    database: data.database,
    fileSystem: data.fileSystemMetrics,
    webTier: compute.webTier,
    containers: containers.appServiceMetrics,
  });
}
