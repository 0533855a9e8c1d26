// Formats several files' texts in one Prettier start, as `prettier --stdin-filepath <file>` formats each:
// reads `[{ file, content }]` (JSON) on stdin, writes the formatted texts (a JSON array) on stdout.
import { readFileSync } from 'node:fs';
import { stdout } from 'node:process';
import * as prettier from 'prettier';

const texts = JSON.parse(readFileSync(0, 'utf8'));
const formatted = [];
for (const { file, content } of texts) {
  const options = await prettier.resolveConfig(file, { editorconfig: true });
  formatted.push(await prettier.format(content, { ...options, filepath: file }));
}
stdout.write(JSON.stringify(formatted));
