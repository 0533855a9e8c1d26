import { App } from 'cdktf';
import { ConfigError, loadEnvironments, type EnvironmentConfig } from './config';
import { ComputeStack } from './stacks/compute-stack';
import { ContainersStack } from './stacks/containers-stack';
import { DataStack } from './stacks/data-stack';
import { NetworkStack } from './stacks/network-stack';
import { ObservabilityStack } from './stacks/observability-stack';
import { StateStack } from './stacks/state-stack';

/** Every environment's stacks, in deployment order; references between stacks become remote-state reads. */
function defineEnvironment(app: App, environment: EnvironmentConfig): void {
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
    containers: containers.service,
  });
}

function validEnvironments(): EnvironmentConfig[] {
  try {
    return loadEnvironments();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Before any construct exists, so nothing is written.
    console.error(error.message);
    process.exit(1);
  }
}

const app = new App();
for (const environment of validEnvironments()) defineEnvironment(app, environment);
app.synth();
