/**
 * `npm run docs`: regenerates the generated parts of the docs (see scripts/docs/generate.ts) in place.
 * `npm run docs -- --check` changes nothing and fails if a committed file differs from what it would write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateDocs } from './docs/generate';

const root = path.resolve(__dirname, '..');
const check = process.argv.includes('--check');

function main(): number {
  const { files, problems } = generateDocs(root);
  const stale = files.filter(({ file, content }) => readFileSync(path.join(root, file), 'utf8') !== content);
  for (const { file, content } of stale) {
    if (check) console.error(`${file}: out of date; run npm run docs`);
    else {
      writeFileSync(path.join(root, file), content);
      console.log(`${file}: rewritten`);
    }
  }
  if (stale.length === 0) console.log(`${files.map((f) => f.file).join(', ')}: up to date`);
  for (const problem of problems) console.error(`problem: ${problem}`);
  return problems.length > 0 || (check && stale.length > 0) ? 1 : 0;
}

process.exit(main());
