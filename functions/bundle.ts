/**
 * Packages a Lambda function's TypeScript sources and the npm packages it needs (with their
 * dependency closure, from this project's node_modules) into a deterministic zip: fixed entry order
 * and timestamps, so the same inputs give the same bytes on every machine and the function's
 * `source_code_hash` changes only when the code does. Built once per content hash into
 * `node_modules/.cache/function-bundles/`; later synths reuse the file (a few stat calls).
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';

export interface FunctionBundle {
  /** Absolute path of the zip. */
  readonly zipPath: string;
  /** Hex SHA-256 of the inputs (sources, package versions): names the cached zip. */
  readonly inputHash: string;
  /** Base64 SHA-256 of the zip, Lambda's `source_code_hash`. */
  readonly sourceCodeHash: string;
}

export interface FunctionBundleProps {
  /** Directory of the function's `.ts` sources (every one is transpiled to `.js` at the zip's root). */
  readonly sourceDir: string;
  /** npm packages the function requires at run time (not those the Lambda runtime provides). */
  readonly packages: readonly string[];
  /** The project root: where `node_modules` is. */
  readonly projectRoot: string;
}

/** Bumped when the bundle layout changes, so cached zips of the old layout are not reused. */
const FORMAT = 1;
const SKIPPED = /(\.d\.ts|\.md|\.map|\.ts)$/;

export function bundleFunction(props: FunctionBundleProps): FunctionBundle {
  const sources = readdirSync(props.sourceDir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .sort();
  const packageDirs = dependencyClosure(props.packages, props.projectRoot);
  const hash = createHash('sha256').update(`format ${FORMAT}\n`);
  for (const name of sources) hash.update(`${name}\n`).update(readFileSync(path.join(props.sourceDir, name)));
  for (const dir of packageDirs) {
    const { name, version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    hash.update(`${path.relative(props.projectRoot, dir)} ${name}@${version}\n`);
  }
  const inputHash = hash.digest('hex');
  const cacheDir = path.join(props.projectRoot, 'node_modules', '.cache', 'function-bundles');
  const zipPath = path.join(cacheDir, `${path.basename(props.sourceDir)}-${inputHash.slice(0, 16)}.zip`);
  if (!existsSync(zipPath)) {
    const entries: ZipEntry[] = sources.map((name) => ({
      name: name.replace(/\.ts$/, '.js'),
      data: Buffer.from(transpile(readFileSync(path.join(props.sourceDir, name), 'utf8'))),
    }));
    for (const dir of packageDirs) {
      for (const file of filesUnder(dir)) {
        if (SKIPPED.test(file) || file.includes(`${path.sep}node_modules${path.sep}`, dir.length)) continue;
        entries.push({
          name: path.relative(props.projectRoot, file).split(path.sep).join('/'),
          data: readFileSync(file),
        });
      }
    }
    mkdirSync(cacheDir, { recursive: true });
    // Written aside and renamed, so a parallel synth never reads half a zip.
    const partial = `${zipPath}.${process.pid}`;
    writeFileSync(partial, zip(entries));
    renameSync(partial, zipPath);
  }
  const sourceCodeHash = createHash('sha256').update(readFileSync(zipPath)).digest('base64');
  return { zipPath, inputHash, sourceCodeHash };
}

function transpile(source: string): string {
  // Loaded only when a bundle is (re)built: the TypeScript compiler is large.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  return ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  }).outputText;
}

/** The directories of `packages` and everything they depend on, resolved as Node would, sorted. */
export function dependencyClosure(packages: readonly string[], projectRoot: string): string[] {
  const found = new Set<string>();
  const visit = (name: string, from: string) => {
    const dir = packageDir(name, from, projectRoot);
    if (found.has(dir)) return;
    found.add(dir);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, dir);
  };
  for (const name of packages) visit(name, projectRoot);
  return [...found].sort();
}

function packageDir(name: string, from: string, projectRoot: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === projectRoot || dir === path.dirname(dir)) {
      throw new Error(`${name} (needed from ${from}) is not installed; run npm ci`);
    }
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(full);
      return entry.isFile() || statSync(full).isFile() ? [full] : [];
    });
}

interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip archive (PKWARE APPNOTE 4.3: local headers, central directory, end record), deflated, timestamps 1980-01-01. */
export function zip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100644 << 16) >>> 0) as number, 38); // regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
