import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { DataResource, TerraformStack, Testing } from 'cdktf';
import {
  listSynthesizedStacks,
  terraformCliConfig,
  terraformEnv,
  validateStack,
  withInitLock,
  type SynthesizedStack,
  type ValidationResult,
} from '../../scripts/terraform';

const temporaryDirs: string[] = [];

function temporaryDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'terraform-test-'));
  temporaryDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

describe('terraformCliConfig', () => {
  const savedMirror = process.env.TF_PLUGIN_MIRROR;
  afterEach(() => {
    if (savedMirror === undefined) delete process.env.TF_PLUGIN_MIRROR;
    else process.env.TF_PLUGIN_MIRROR = savedMirror;
  });

  // A temporary `dir` so these tests never rewrite the config that real Terraform runs are using.
  function generatedConfig(): string {
    return readFileSync(terraformCliConfig({ dir: temporaryDir() }), 'utf8');
  }

  test('an existing mirror directory is the only provider source', () => {
    // GIVEN
    const mirror = temporaryDir();
    process.env.TF_PLUGIN_MIRROR = mirror;
    // WHEN
    const config = generatedConfig();
    // THEN
    expect(config).toContain(`filesystem_mirror {\n    path = ${JSON.stringify(mirror)}`);
    expect(config).not.toContain('direct');
  });

  test('a missing mirror directory leaves the registry as the provider source', () => {
    process.env.TF_PLUGIN_MIRROR = path.join(temporaryDir(), 'missing');
    const config = generatedConfig();
    expect(config).not.toContain('provider_installation');
  });

  test('the plugin cache is always set and created', () => {
    process.env.TF_PLUGIN_MIRROR = path.join(temporaryDir(), 'missing');
    const dir = temporaryDir();
    const config = readFileSync(terraformCliConfig({ dir }), 'utf8');
    expect(config).toContain(`plugin_cache_dir = ${JSON.stringify(path.join(dir, 'plugin-cache'))}`);
    expect(config).toContain('plugin_cache_may_break_dependency_lock_file = true');
    expect(readFileSync(path.join(dir, 'terraformrc'), 'utf8')).toBe(config);
  });

  test('generating twice gives the same file', () => {
    process.env.TF_PLUGIN_MIRROR = temporaryDir();
    const dir = temporaryDir();
    const first = readFileSync(terraformCliConfig({ dir }), 'utf8');
    expect(readFileSync(terraformCliConfig({ dir }), 'utf8')).toBe(first);
  });
});

describe('terraformEnv', () => {
  test('a TF_CLI_CONFIG_FILE that does not exist is replaced by the generated config', () => {
    const saved = process.env.TF_CLI_CONFIG_FILE;
    process.env.TF_CLI_CONFIG_FILE = '/nonexistent/terraformrc';
    try {
      const env = terraformEnv({ TF_LOG: 'error' });
      expect(env).toMatchObject({
        CHECKPOINT_DISABLE: '1',
        TF_IN_AUTOMATION: '1',
        TF_INPUT: '0',
        TF_LOG: 'error',
      });
      expect(env.TF_CLI_CONFIG_FILE).toBe(terraformCliConfig());
    } finally {
      if (saved === undefined) delete process.env.TF_CLI_CONFIG_FILE;
      else process.env.TF_CLI_CONFIG_FILE = saved;
    }
  });
});

describe('listSynthesizedStacks', () => {
  test('a missing manifest asks for a synth', () => {
    const outdir = temporaryDir();
    expect(() => listSynthesizedStacks(outdir)).toThrow(
      `No synthesized stacks: ${path.join(outdir, 'manifest.json')} does not exist. Run \`npm run synth\` first.`,
    );
  });

  test('a manifest without stacks is an error, not an empty list', () => {
    const outdir = temporaryDir();
    writeFileSync(path.join(outdir, 'manifest.json'), '{"version":"0.21.0"}');
    expect(() => listSynthesizedStacks(outdir)).toThrow('has no "stacks" object');
  });

  test('stacks come with absolute working directories and their dependencies', () => {
    const outdir = temporaryDir();
    const stack = (name: string, dependencies: string[]) => ({
      name,
      workingDirectory: `stacks/${name}`,
      synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
      dependencies,
    });
    const manifest = {
      version: '0.21.0',
      stacks: { 'dev-a': stack('dev-a', []), 'dev-b': stack('dev-b', ['dev-a']) },
    };
    writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify(manifest));

    expect(listSynthesizedStacks(outdir)).toEqual<SynthesizedStack[]>([
      { name: 'dev-a', workingDirectory: path.join(outdir, 'stacks', 'dev-a'), dependencies: [] },
      { name: 'dev-b', workingDirectory: path.join(outdir, 'stacks', 'dev-b'), dependencies: ['dev-a'] },
    ]);
  });
});

// Real Terraform, offline through the mirror when there is one; inits share the plugin cache.
describe('withInitLock', () => {
  const root = path.resolve(__dirname, '../..');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  test('an init waits while another process holds the lock, and runs once it is released', async () => {
    const lock = path.join(temporaryDir(), 'init.lock');
    const marks = path.join(path.dirname(lock), 'marks');
    // Another process takes the lock, holds it 600 ms, and notes the time as the last thing it does while it
    // still holds it (noted after the release, the waiter could run first within the same millisecond).
    const holder = spawn(
      process.execPath,
      [
        '-r',
        './scripts/register.js',
        '-e',
        `require('./scripts/terraform').withInitLock(() => new Promise((r) => setTimeout(r, 600))` +
          `.then(() => require('node:fs').writeFileSync(${JSON.stringify(marks)}, String(Date.now()))), ${JSON.stringify(lock)})`,
      ],
      { cwd: root, stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    while (!existsSync(path.join(lock, 'pid'))) await sleep(10);
    const ranAt = await withInitLock(async () => Date.now(), lock);
    await exited;
    expect(ranAt).toBeGreaterThanOrEqual(Number(readFileSync(marks, 'utf8')));
    expect(existsSync(lock)).toBe(false);
  });

  test('a lock left by a process that has exited is taken over at once', async () => {
    const lock = path.join(temporaryDir(), 'init.lock');
    const gone = spawnSync(process.execPath, ['-e', '']).pid as number;
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'pid'), String(gone));
    const started = Date.now();
    await expect(withInitLock(async () => 'ran', lock)).resolves.toBe('ran');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(existsSync(lock)).toBe(false);
  });

  test('a lock held by a live process is waited for, and released even when the init fails', async () => {
    const lock = path.join(temporaryDir(), 'init.lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'pid'), String(process.pid));
    let ran = false;
    const waiting = withInitLock(async () => {
      ran = true;
      throw new Error('init failed');
    }, lock);
    await sleep(300);
    expect(ran).toBe(false);
    rmSync(lock, { recursive: true });
    await expect(waiting).rejects.toThrow('init failed');
    expect(ran).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });
});

describe('validateStack', () => {
  jest.setTimeout(120_000);

  /** A one-resource stack, synthesized the way `cdktf synth` does, and its working directory. */
  function synthesized(define: (stack: TerraformStack) => void): string {
    const stack = new TerraformStack(Testing.app({ outdir: temporaryDir() }), 'bucket');
    define(stack);
    const outdir = Testing.fullSynth(stack);
    temporaryDirs.push(outdir);
    const [synthesized] = listSynthesizedStacks(outdir);
    return synthesized.workingDirectory;
  }

  /** A bucket with its AWS provider: init installs the provider, validate starts it (once for its schema). */
  const bucketStack = (stack: TerraformStack) => {
    new AwsProvider(stack, 'aws', {
      region: 'eu-west-1',
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: 'true',
    });
    new S3Bucket(stack, 'bucket', { bucket: 'validate-stack-test' });
  };

  // Both validations start together and run side by side: each test awaits its own. The invalid one is
  // about validateStack's handling of a failed validate, not about the AWS provider, so its resource is
  // Terraform's own `terraform_data` (Terraform rejects the unknown argument with the same message): no
  // provider to install or start, where a second AWS stack cost two more provider starts (~5 s of CPU).
  let valid: Promise<ValidationResult>;
  let invalid: Promise<ValidationResult>;
  beforeAll(() => {
    valid = validateStack(synthesized(bucketStack));
    invalid = validateStack(
      synthesized((stack) =>
        new DataResource(stack, 'marker', { input: { value: 'x' } }).addOverride('bogus_attribute', 1),
      ),
    );
  });

  test('a valid stack is ok', async () => {
    expect(await valid).toEqual({ ok: true, output: expect.stringContaining('The configuration is valid') });
  });

  test('an unknown argument fails with Terraform’s message', async () => {
    const result = await invalid;
    expect(result.ok).toBe(false);
    expect(result.output).toContain('No argument or block type is named "bogus_attribute".');
  });
});
