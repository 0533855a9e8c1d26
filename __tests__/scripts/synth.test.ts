import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { sharedAppSynth } from '../app-synth';
import { synthArgv } from '../../scripts/synth-command';

const root = path.resolve(__dirname, '../..');

function runSynth(outdir: string, environmentsFile?: string) {
  // `npm run synth`'s own command (package.json), without npm's start.
  const [node, ...args] = synthArgv();
  return spawnSync(node, [...args, '--outdir', outdir], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, INFRA_ENVIRONMENTS_FILE: environmentsFile ?? '' },
  });
}

describe('npm run synth', () => {
  let workdir: string;
  beforeEach(() => {
    workdir = mkdtempSync(path.join(tmpdir(), 'synth-test-'));
  });
  afterEach(() => rmSync(workdir, { recursive: true, force: true }));

  test('synthesizes every stack of every environment', () => {
    const result = sharedAppSynth();
    const outdir = result.outdir;
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    const stacks = Object.keys(manifest.stacks);
    for (const environment of ['dev', 'stg', 'prod']) {
      expect(stacks).toEqual(expect.arrayContaining([`${environment}-state`, `${environment}-network`]));
    }
    expect(existsSync(path.join(outdir, 'stacks/prod-network/cdk.tf.json'))).toBe(true);
  });

  test("writes which environments are protected, for the plan's destroy guard (--skip-synth plans too)", () => {
    const { outdir } = sharedAppSynth();
    expect(JSON.parse(readFileSync(path.join(outdir, 'environments.json'), 'utf8'))).toEqual({
      dev: { deletionProtection: false },
      stg: { deletionProtection: false },
      prod: { deletionProtection: true },
    });
  });

  test('bad configuration fails with every problem listed and writes nothing', () => {
    const outdir = path.join(workdir, 'out');
    const file = path.join(workdir, 'environments.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'dev', accountId: '1' },
        { name: 'dev', accountId: '123456789012', network: { vpcCidr: '10.0.0.0/33' } },
      ]),
    );
    const result = runSynth(outdir, file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('environments[0].accountId: must be a 12-digit AWS account id');
    expect(result.stderr).toContain(
      'environments[1].network.vpcCidr: "10.0.0.0/33" is not an IPv4 CIDR block',
    );
    expect(result.stderr).toContain('environments[1].name: duplicate environment name "dev"');
    expect(readdirSync(workdir)).toEqual(['environments.json']);
  });

  test('a failed synth leaves the previous output as it was', () => {
    const outdir = path.join(workdir, 'out');
    // The previous output: a copy of the shared synth of the app.
    const previous = sharedAppSynth();
    expect(previous.status).toBe(0);
    cpSync(previous.outdir, outdir, { recursive: true });
    const before = readFileSync(path.join(outdir, 'manifest.json'), 'utf8');
    const file = path.join(workdir, 'environments.json');
    writeFileSync(file, 'not json');
    const result = runSynth(outdir, file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file}: is not valid JSON`);
    expect(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).toBe(before);
    expect(readdirSync(workdir).sort()).toEqual(['environments.json', 'out']);
  });
});
