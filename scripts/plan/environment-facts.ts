/**
 * What the plan review needs to know of each environment's configuration, written beside the synthesized
 * stacks (`cdktf.out/environments.json`) so CI jobs that hold no `node_modules` (config needs zod) read it.
 * The writer is `write-environment-facts.ts`; this reader uses Node built-ins only.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const ENVIRONMENT_FACTS_FILE = 'environments.json';

export interface EnvironmentFacts {
  /** `deletionProtection` of the environment: the destroy guard blocks stateful losses. */
  readonly deletionProtection: boolean;
}

/** The facts of every environment, by name, from a synth output directory. */
export function readEnvironmentFacts(synthDir: string): Record<string, EnvironmentFacts> {
  const file = path.join(synthDir, ENVIRONMENT_FACTS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(
      `${file} does not exist: \`npm run plan\` writes it after the synth (or \`npm run plan:facts\`).`,
    );
  }
  return JSON.parse(text) as Record<string, EnvironmentFacts>;
}

/** Whether an environment is protected; an environment the file does not name is, to fail safe. */
export function isProtected(facts: Readonly<Record<string, EnvironmentFacts>>, environment: string): boolean {
  return facts[environment]?.deletionProtection ?? true;
}
