import type { App, TerraformStack } from 'cdktf';
import { cdktf } from './lazy-cdktf';
import { ConfigError, parseEnvironments, type EnvironmentConfig, type EnvironmentInput } from '../config';

/**
 * The least an environment must say: every other setting takes its default. Protected by default
 * (deletionProtection), it must serve HTTPS on a domain and name someone its alarms reach.
 */
export const minimalEnvironment: EnvironmentInput = {
  name: 'dev',
  accountId: '123456789012',
  domain: { name: 'example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
  observability: { alarmEmails: ['ops@example.com'] },
};

/** A valid environment with the defaults, changed by `overrides`. */
export function testEnvironment(overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return parseEnvironments([{ ...minimalEnvironment, ...overrides }])[0];
}

/** The problems `parseEnvironments` lists for `raw`; fails the test if `raw` parses. */
export function configProblems(raw: unknown): readonly string[] {
  try {
    parseEnvironments(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

/** An app for stack tests, with cdktf's test context (no stack traces, no feature-flag noise). */
export function testApp(): App {
  return cdktf().Testing.app();
}

/** A stack synthesized to Terraform JSON, as a string for the cdktf matchers and as an object to inspect. */
export function synthesize(stack: TerraformStack): { json: string; config: SynthesizedConfig } {
  const json = cdktf().Testing.synth(stack);
  return { json, config: JSON.parse(json) as SynthesizedConfig };
}

/**
 * `stack` synthesized after every stack of its app is prepared, as `app.synth()` does: references
 * between stacks become outputs and remote-state reads, which `Testing.synth` alone leaves unwired.
 */
export function synthesizeAcrossStacks(stack: TerraformStack): { json: string; config: SynthesizedConfig } {
  for (const each of stack.node.root.node.findAll().filter(cdktf().TerraformStack.isStack)) {
    each.prepareStack();
  }
  return synthesize(stack);
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
