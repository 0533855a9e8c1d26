import { App, Testing, type TerraformStack } from 'cdktf';
import { parseEnvironments, type EnvironmentConfig, type EnvironmentInput } from '../config';

/** A valid environment with the defaults, changed by `overrides`. */
export function testEnvironment(overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return parseEnvironments([{ name: 'dev', accountId: '123456789012', ...overrides }])[0];
}

/** An app for stack tests, with cdktf's test context (no stack traces, no feature-flag noise). */
export function testApp(): App {
  return Testing.app();
}

/** A stack synthesized to Terraform JSON, as a string for the cdktf matchers and as an object to inspect. */
export function synthesize(stack: TerraformStack): { json: string; config: SynthesizedConfig } {
  const json = Testing.synth(stack);
  return { json, config: JSON.parse(json) as SynthesizedConfig };
}

export interface SynthesizedConfig {
  terraform: Record<string, unknown> & { backend?: Record<string, Record<string, unknown>> };
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, unknown>;
}

/** The resources of one type, as a list of their synthesized bodies. */
export function resourcesOf(config: SynthesizedConfig, type: string): Record<string, unknown>[] {
  return Object.values(config.resource?.[type] ?? {});
}
