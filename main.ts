import { App } from 'cdktf';
import { ConfigError, loadEnvironments, type EnvironmentConfig } from './config';
import { defineEnvironment } from './stacks/estate';

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
