import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cdktfArchiverPath, LOAD_REAL_ARCHIVER, lazyArchiver } from '../../scripts/lazy-archiver';

const root = path.resolve(__dirname, '..', '..');

describe('lazy archiver', () => {
  // Loading the real library, zipping and a child Node take seconds on a busy machine; a test that timed
  // out would leave archiver's file reads running after jest tore the test file down.
  jest.setTimeout(120_000);

  test("cdktf's private/fs.js requires archiver, from the file the stand-in replaces", () => {
    const fsModule = require.resolve('cdktf/lib/private/fs.js');
    // The one require the stand-in answers: if cdktf stops requiring it this way, the preload is pointless.
    expect(readFileSync(fsModule, 'utf8')).toMatch(/^const archiver = require\("archiver"\);$/m);
    expect(cdktfArchiverPath()).toBe(require.resolve('archiver', { paths: [path.dirname(fsModule)] }));
  });

  test('the stand-in loads the real module only when first used, and only once', () => {
    const real = Object.assign((format: string) => ({ format }), { isRegisteredFormat: () => true });
    const load = jest.fn(() => real);
    const archiver = lazyArchiver(load) as typeof real;
    expect(load).not.toHaveBeenCalled();
    expect(archiver('zip')).toEqual({ format: 'zip' });
    expect(archiver.isRegisteredFormat()).toBe(true);
    expect('isRegisteredFormat' in archiver).toBe(true);
    expect(load).toHaveBeenCalledTimes(1);
  });

  test("in jest, cdktf's archiver is the stand-in, and zips with the real library", async () => {
    const archiverFile = cdktfArchiverPath() as string;
    // By path, as cdktf's fs.js gets it (an import would be the package root's own copy).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const archiver = require(archiverFile);
    expect(typeof archiver[LOAD_REAL_ARCHIVER]).toBe('function');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lazy-archiver-'));
    try {
      writeFileSync(path.join(dir, 'file.txt'), 'content');
      const chunks: Buffer[] = [];
      const archive = archiver('zip');
      archive.on('data', (chunk: Buffer) => chunks.push(chunk));
      const ended = new Promise((resolve, reject) => {
        archive.on('end', resolve);
        archive.on('error', reject);
      });
      archive.file(path.join(dir, 'file.txt'), { name: 'file.txt' });
      await archive.finalize();
      await ended;
      const zip = Buffer.concat(chunks);
      expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // a zip's local header
      expect(zip.includes(Buffer.from('file.txt'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('preloaded in Node, loading cdktf loads no part of the real archiver', () => {
    const script = [
      "require('./scripts/lazy-archiver.ts');",
      "require('cdktf');",
      "const archiverDir = require('path').dirname(require('./scripts/lazy-archiver.ts').cdktfArchiverPath());",
      "const loaded = Object.keys(require.cache).filter((file) => file.startsWith(archiverDir + '/'));",
      'console.log(JSON.stringify(loaded));',
    ].join('\n');
    const result = spawnSync(process.execPath, ['-r', './scripts/register.js', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    // The stand-in sits under the real index.js; nothing of archiver's own code (lib/) is loaded.
    expect(JSON.parse(result.stdout)).toEqual([cdktfArchiverPath()]);
  });
});
