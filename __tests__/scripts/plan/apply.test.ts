import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyEnvironment, applyFailure } from '../../../scripts/plan/apply';
import { reviewPlan } from '../../../scripts/plan/destroy-guard';
import { initStack, runTerraform, type TerraformResult } from '../../../scripts/terraform';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A synth dir and plan dir for `dev`: the given stacks, each a `terraform_data` (no provider to install). */
function workspace(stacks: string[], options: { protectedEnvironment?: boolean } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'apply-'));
  dirs.push(root);
  const synthDir = path.join(root, 'cdktf.out');
  const planDir = path.join(root, 'plan.out');
  const manifest: Record<string, object> = {};
  for (const stack of stacks) {
    const dir = path.join(synthDir, 'stacks', stack);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'cdk.tf.json'),
      JSON.stringify({ resource: { terraform_data: { marker: { input: 'v1' } } } }),
    );
    manifest[stack] = { name: stack, workingDirectory: `stacks/${stack}` };
  }
  writeFileSync(path.join(synthDir, 'manifest.json'), JSON.stringify({ stacks: manifest }));
  writeFileSync(
    path.join(synthDir, 'environments.json'),
    JSON.stringify({ dev: { deletionProtection: options.protectedEnvironment ?? false } }),
  );
  mkdirSync(path.join(planDir, 'dev'), { recursive: true });
  writeFileSync(path.join(planDir, 'dev', 'order.txt'), `${stacks.join('\n')}\n`);
  return { synthDir, planDir, stackDir: (stack: string) => path.join(synthDir, 'stacks', stack) };
}

/** What `npm run plan` leaves per stack: a plan file and the reviewed changes. */
function savedPlan(planDir: string, stack: string, changes: object = { resource_changes: [] }): void {
  writeFileSync(path.join(planDir, 'dev', `${stack}.tfplan`), 'binary plan');
  writeFileSync(path.join(planDir, 'dev', `${stack}.changes.json`), JSON.stringify(changes));
}

const ok: TerraformResult = { exitCode: 0, signal: null, stdout: 'Apply complete!', stderr: '' };

describe('applyEnvironment with a stand-in Terraform', () => {
  test('applies each saved plan in order.txt order, skipping <env>-state, from each stack’s directory', async () => {
    const ws = workspace(['dev-state', 'dev-network', 'dev-data']);
    ['dev-network', 'dev-data'].forEach((stack) => savedPlan(ws.planDir, stack));
    for (const stack of ['dev-network', 'dev-data']) mkdirSync(path.join(ws.stackDir(stack), '.terraform'));
    const calls: [readonly string[], string][] = [];
    const result = await applyEnvironment({
      environment: 'dev',
      planDir: ws.planDir,
      synthDir: ws.synthDir,
      allowances: [],
      log: () => undefined,
      terraform: async (args, cwd) => {
        calls.push([args, cwd]);
        return ok;
      },
    });
    expect(result).toEqual({ applied: ['dev-network', 'dev-data'], notApplied: [], skipped: ['dev-state'] });
    expect(calls).toEqual([
      [
        ['apply', '-input=false', '-no-color', path.join(ws.planDir, 'dev', 'dev-network.tfplan')],
        ws.stackDir('dev-network'),
      ],
      [
        ['apply', '-input=false', '-no-color', path.join(ws.planDir, 'dev', 'dev-data.tfplan')],
        ws.stackDir('dev-data'),
      ],
    ]);
  });

  test('stops at the first failure: the stacks after it are not applied', async () => {
    const ws = workspace(['dev-network', 'dev-data', 'dev-compute']);
    ['dev-network', 'dev-data', 'dev-compute'].forEach((stack) => {
      savedPlan(ws.planDir, stack);
      mkdirSync(path.join(ws.stackDir(stack), '.terraform'));
    });
    const applied: string[] = [];
    const result = await applyEnvironment({
      environment: 'dev',
      planDir: ws.planDir,
      synthDir: ws.synthDir,
      allowances: [],
      log: () => undefined,
      terraform: async (_args, cwd) => {
        applied.push(path.basename(cwd));
        return path.basename(cwd) === 'dev-data'
          ? { ...ok, exitCode: 1, stdout: '', stderr: 'Error: boom' }
          : ok;
      },
    });
    expect(applied).toEqual(['dev-network', 'dev-data']);
    expect(result.applied).toEqual(['dev-network']);
    expect(result.failure).toEqual({ stack: 'dev-data', message: 'terraform apply failed:\nError: boom' });
    expect(result.notApplied).toEqual(['dev-compute']);
  });

  test('a missing saved plan, or a blocked loss in a protected environment, stops before anything is applied', async () => {
    const ws = workspace(['dev-network', 'dev-data'], { protectedEnvironment: true });
    savedPlan(ws.planDir, 'dev-network');
    const never = async (): Promise<TerraformResult> => {
      throw new Error('nothing may be applied');
    };
    const options = {
      environment: 'dev',
      planDir: ws.planDir,
      synthDir: ws.synthDir,
      allowances: [],
      terraform: never,
      log: () => undefined,
    };
    await expect(applyEnvironment(options)).rejects.toThrow('No saved plan for dev-data');
    savedPlan(
      ws.planDir,
      'dev-data',
      reviewPlan({
        resource_changes: [
          {
            address: 'aws_efs_file_system.shared',
            mode: 'managed',
            type: 'aws_efs_file_system',
            change: { actions: ['delete'] },
          },
        ],
      }),
    );
    await expect(applyEnvironment(options)).rejects.toThrow(
      /dev-data: delete aws_efs_file_system.shared[\s\S]*Nothing was applied\./,
    );
    const allowed = [
      { stack: 'dev-data', address: 'aws_efs_file_system.shared', reason: 'files moved to S3' },
    ];
    await expect(applyEnvironment({ ...options, allowances: allowed })).rejects.toThrow(
      'nothing may be applied',
    );
  });
});

describe('a stale saved plan (real Terraform)', () => {
  jest.setTimeout(120_000);

  test('fails with what happened and what to do, and applies nothing after it', async () => {
    const ws = workspace(['dev-network', 'dev-data']);
    for (const stack of ['dev-network', 'dev-data']) {
      const dir = ws.stackDir(stack);
      expect((await initStack(dir)).exitCode).toBe(0);
      const plan = await runTerraform(
        ['plan', '-input=false', '-no-color', `-out=${path.join(ws.planDir, 'dev', `${stack}.tfplan`)}`],
        { cwd: dir },
      );
      expect(plan.exitCode).toBe(0);
      writeFileSync(
        path.join(ws.planDir, 'dev', `${stack}.changes.json`),
        JSON.stringify({ resource_changes: [] }),
      );
    }
    // Someone applies dev-network between the review and the apply: its saved plan is now stale.
    expect(
      (
        await runTerraform(['apply', '-auto-approve', '-input=false', '-no-color'], {
          cwd: ws.stackDir('dev-network'),
        })
      ).exitCode,
    ).toBe(0);
    const result = await applyEnvironment({
      environment: 'dev',
      planDir: ws.planDir,
      synthDir: ws.synthDir,
      allowances: [],
      log: () => undefined,
    });
    expect(result.applied).toEqual([]);
    expect(result.failure?.stack).toBe('dev-network');
    expect(result.failure?.message.split('\n')[0]).toBe(
      'The saved plan of dev-network is stale: its state changed after the plan was made (another apply, or a',
    );
    expect(result.notApplied).toEqual(['dev-data']);
  });
});

describe('applyFailure', () => {
  test('any other failure keeps Terraform’s own output', () => {
    expect(
      applyFailure('dev-data', 'dev', {
        exitCode: 1,
        signal: null,
        stdout: '',
        stderr: 'Error: AccessDenied',
      }),
    ).toBe('terraform apply failed:\nError: AccessDenied');
  });
});
