/**
 * `node -r ./scripts/register.js file.ts`: runs the project's TypeScript without type-checking
 * (that is `npm run build`'s job). Sucrase strips the types, keeping line numbers, and each result is
 * kept in node_modules/.cache/sucrase under a hash of the source, so a synth transpiles only the
 * files that changed since the last run.
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { addHook } = require('pirates');
const sucraseVersion = require('sucrase/package.json').version;

// Loaded only when a file is not in the cache: loading Sucrase itself costs ~0.1 s of CPU per run.
let sucrase;

const cacheDir = path.join(__dirname, '..', 'node_modules', '.cache', 'sucrase');

// Node 20 runs optional chaining, `??`, class fields and the rest natively: Sucrase leaves them as written
// (its helpers for them allocated an array and closures at every `?.`). Class fields then have the
// define semantics the type check assumes (tsconfig's ES2022 target).
const OPTIONS = { transforms: ['imports', 'typescript'], disableESTransforms: true };

function transpile(source, filePath) {
  const key = createHash('sha1')
    .update(`${sucraseVersion}\0${JSON.stringify(OPTIONS)}\0${filePath}\0`)
    .update(source)
    .digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  sucrase ??= require('sucrase');
  const { code } = sucrase.transform(source, { ...OPTIONS, filePath });
  fs.mkdirSync(cacheDir, { recursive: true });
  // Written aside and renamed, so a concurrent run never reads half a file.
  const partial = `${cached}.${process.pid}`;
  fs.writeFileSync(partial, code);
  fs.renameSync(partial, cached);
  return code;
}

addHook(transpile, { exts: ['.ts'] });
// Two thirds of the JavaScript cdktf and the provider bindings load is inline source maps: skip them.
require('./inline-source-maps.ts');
// Where each package's files are, kept from run to run until packages are installed again.
require('./module-path-cache.ts');
