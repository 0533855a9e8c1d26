/**
 * `npm run plan:facts -- [--outdir cdktf.out]`: writes `<outdir>/environments.json` from the validated
 * environments (see `environment-facts.ts`). `npm run synth` (and so `npm run plan`) writes the same file
 * into every synth it makes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvironments } from '../../config';
import { ENVIRONMENT_FACTS_FILE, type EnvironmentFacts } from './environment-facts';

export function environmentFacts(
  environments: readonly { name: string; deletionProtection: boolean }[],
): Record<string, EnvironmentFacts> {
  return Object.fromEntries(
    environments.map((environment) => [
      environment.name,
      { deletionProtection: environment.deletionProtection },
    ]),
  );
}

if (require.main === module) {
  const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'cdktf.out' } } });
  const outdir = path.resolve(values.outdir as string);
  mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, ENVIRONMENT_FACTS_FILE);
  writeFileSync(file, `${JSON.stringify(environmentFacts(loadEnvironments()), null, 2)}\n`);
}
