import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadEnvironments } from '../../config';

const root = path.resolve(__dirname, '../..');

describe('the full app', () => {
  let workdir: string;
  let result: SpawnSyncReturns<string>;
  beforeAll(() => {
    workdir = mkdtempSync(path.join(tmpdir(), 'guardrails-app-'));
    result = spawnSync(
      process.execPath,
      [
        '-r',
        path.join(root, 'scripts', 'register.js'),
        'scripts/synth.ts',
        '--outdir',
        path.join(workdir, 'out'),
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, INFRA_ENVIRONMENTS_FILE: '' } },
    );
  });
  afterAll(() => rmSync(workdir, { recursive: true, force: true }));

  test('every stack of every environment passes the guardrails with the suppressions it declares', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(workdir, 'out/manifest.json'), 'utf8'));
    const stacks = Object.keys(manifest.stacks);
    for (const environment of loadEnvironments()) {
      expect(stacks.filter((id) => id.startsWith(`${environment.name}-`)).length).toBeGreaterThan(0);
    }
    // Every stack was checked: the summary counts the stacks whose guardrails ran.
    expect(result.stdout).toMatch(new RegExp(`^Guardrails: ${stacks.length} stacks pass \\d+ rules;`, 'm'));
  });

  test('no suppression the app declares is left unused', () => {
    expect(result.stdout).not.toMatch(/^ {2}unused /m);
  });
});
