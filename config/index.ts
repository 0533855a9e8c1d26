import { readFileSync } from 'node:fs';
import { environments } from './environments';
import { ConfigError, parseEnvironments, type EnvironmentConfig } from './schema';

export * from './containers';
export * from './schema';
export * from './data';

/**
 * The project's environments, validated: those in `environments.ts`, or, when `file` is given (by
 * default from `INFRA_ENVIRONMENTS_FILE`), those in that JSON file instead, so accounts can be kept
 * out of the repository. Throws a ConfigError listing every problem.
 */
export function loadEnvironments(
  file: string | undefined = process.env.INFRA_ENVIRONMENTS_FILE,
): EnvironmentConfig[] {
  return parseEnvironments(file === undefined || file === '' ? environments : readJson(file));
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${file}: is not valid JSON (${(error as Error).message})`]);
  }
}
