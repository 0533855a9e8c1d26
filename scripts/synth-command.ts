/**
 * The command of `npm run synth` as package.json spells it (with its Node flags), for what runs the synth
 * without npm: `npm run plan`, the bench, and jest's synths. Run it from the repository root.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

interface PackageJson {
  readonly scripts: Readonly<Record<string, string>>;
}

/** The command of `npm run synth` (package.json), with this Node binary. */
export function synthArgv(): string[] {
  const script = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson).scripts
    .synth;
  return script.split(' ').map((part) => (part === 'node' ? process.execPath : part));
}
