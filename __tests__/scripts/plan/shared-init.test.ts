import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OFFLINE_STATE_FILE, sharedInit, templateKey } from '../../../scripts/plan/shared-init';
import { runTerraform } from '../../../scripts/terraform';

const aws = { aws: { source: 'aws', version: '5.100.0' } };

describe('templateKey', () => {
  test('a stack declaring every provider it uses shares the template of its required_providers', () => {
    expect(
      templateKey({
        terraform: { required_providers: aws },
        provider: { aws: [{ region: 'ap-northeast-1' }] },
        resource: { aws_vpc: {}, terraform_data: {} },
        data: { aws_iam_policy_document: {}, terraform_remote_state: {} },
      }),
    ).toBe(JSON.stringify(aws));
    expect(templateKey({ resource: { terraform_data: {} } })).toBe('{}');
  });

  test.each([
    ['calls a module', { terraform: { required_providers: aws }, module: { m: { source: './m' } } }],
    [
      'uses a provider it does not declare',
      { terraform: { required_providers: aws }, resource: { random_id: {} } },
    ],
    ['configures a provider it does not declare', { provider: { aws: [{}] } }],
  ])('a stack that %s runs its own init', (_, config) => {
    expect(templateKey(config)).toBeUndefined();
  });
});

// Real Terraform, no provider to install: two stacks, one template init, both plan.
describe('sharedInit', () => {
  jest.setTimeout(120_000);

  test('two stacks with the same providers share one init, and each plans with its own local state', async () => {
    // GIVEN two working copies with the offline backend and no init of their own
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'shared-init-'));
    try {
      const config = (input: string) => ({
        terraform: { backend: { local: { path: OFFLINE_STATE_FILE } } },
        resource: { terraform_data: { marker: { input } } },
      });
      const prepare = sharedInit(scratch, {});
      const dirs = ['first', 'second'].map((name) => {
        const dir = path.join(scratch, 'work', name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config(name)));
        return dir;
      });
      // WHEN both are prepared at once
      const results = await Promise.all(dirs.map((dir) => prepare(config('x'), dir)));
      // THEN one template was initialized, each copy has its lock file and links the template's providers
      expect(results).toEqual([undefined, undefined]);
      expect(readdirSync(path.join(scratch, 'init'))).toEqual(['0']);
      const templateDir = path.join(scratch, 'init', '0');
      for (const dir of dirs) {
        // (No provider, so no lock file, as a stack's own init would leave it.)
        expect(existsSync(path.join(dir, '.terraform.lock.hcl'))).toBe(false);
        expect(readFileSync(path.join(dir, '.terraform', 'terraform.tfstate'), 'utf8')).toBe(
          readFileSync(path.join(templateDir, '.terraform', 'terraform.tfstate'), 'utf8'),
        );
        expect(lstatSync(path.join(dir, '.terraform', 'providers')).isSymbolicLink()).toBe(true);
        expect(readlinkSync(path.join(dir, '.terraform', 'providers'))).toBe(
          path.join(templateDir, '.terraform', 'providers'),
        );
      }
      // and Terraform plans each copy without asking for an init
      for (const dir of dirs) {
        const plan = await runTerraform(
          ['plan', '-input=false', '-no-color', '-lock=false', '-out=p.tfplan'],
          {
            cwd: dir,
          },
        );
        expect({ exitCode: plan.exitCode, stderr: plan.stderr }).toEqual({ exitCode: 0, stderr: '' });
        expect(existsSync(path.join(dir, 'p.tfplan'))).toBe(true);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  test('a template whose init fails fails every stack that needs it, with the init output', async () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'shared-init-'));
    try {
      const config = { terraform: { required_providers: { aws: { source: 'aws', version: '0.0.1' } } } };
      const dir = path.join(scratch, 'work');
      mkdirSync(dir, { recursive: true });
      const result = await sharedInit(scratch, {})(config, dir);
      expect(result?.exitCode).toBe(1);
      expect(result?.stderr).toContain('0.0.1');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
