import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { driftLines, driftOf, driftSelection, renderDriftReport } from '../../../scripts/plan/drift';
import type { StackConfig } from '../../../scripts/plan/graph';
import { planEnvironment } from '../../../scripts/plan/pipeline';
import type { PlanCounts, StackPlan } from '../../../scripts/plan/summary';

const counts = (actions: string[]): PlanCounts => ({
  add: 0,
  change: actions.length,
  destroy: 0,
  replaced: [],
  destroyed: [],
  actions,
});
const plans: StackPlan[] = [
  {
    stack: 'prod-network',
    status: 'planned',
    counts: counts([]),
    text: 'No changes.',
    seconds: 1,
    drifted: false,
  },
  {
    stack: 'prod-data',
    status: 'planned',
    counts: counts(['~ aws_db_instance.database']),
    text: '  ~ backup_retention_period = 30 -> 7',
    seconds: 1,
    drifted: true,
  },
  {
    stack: 'prod-compute',
    status: 'failed',
    reason: 'terraform plan failed:\nError: AccessDenied',
    seconds: 1,
  },
];

describe('drift', () => {
  test('each stack is clean (exit 0), drifted (exit 2, with its changes) or failed', () => {
    expect(driftOf(plans).map((d) => [d.stack, d.status, d.actions])).toEqual([
      ['prod-network', 'clean', []],
      ['prod-data', 'drifted', ['~ aws_db_instance.database']],
      ['prod-compute', 'failed', []],
    ]);
  });

  test('the report tables every stack, then shows the changes of the drifted ones', () => {
    const report = renderDriftReport('prod', driftOf(plans));
    expect(report.split('\n').filter((line) => line.startsWith('| :'))).toEqual([
      '| :white_check_mark: | `prod-network` | clean |',
      '| :warning: | `prod-data` | drifted (1 change) |',
      '| :x: | `prod-compute` | failed |',
    ]);
    expect(report).toContain('```diff\n~ aws_db_instance.database\n```');
    expect(report).toContain('  ~ backup_retention_period = 30 -> 7');
    expect(driftLines(driftOf(plans))).toEqual([
      'prod-network  clean',
      'prod-data     drifted\n    ~ aws_db_instance.database',
      'prod-compute  failed: terraform plan failed:',
    ]);
  });

  test('a stack whose local state file is absent is not checked (it would plan from nothing)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drift-'));
    try {
      const present = path.join(dir, 'present.tfstate');
      writeFileSync(present, '{}');
      const stack = (name: string, stateLocation?: string) =>
        ({
          name,
          workingDirectory: dir,
          dependencies: [],
          config: {},
          remoteStates: [],
          stateLocation,
        }) as StackConfig;
      const selection = driftSelection(
        [
          stack('prod-state', `local:${path.join(dir, 'missing.tfstate')}`),
          stack('prod-network', 's3://b/k'),
          stack('prod-audit', `local:${present}`),
          stack('dev-network', 's3://b/d'),
        ],
        'prod',
      );
      expect(selection.planned).toEqual(['prod-network', 'prod-audit']);
      expect(selection.notChecked.map((d) => [d.stack, d.status])).toEqual([['prod-state', 'not checked']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('planEnvironment with -detailed-exitcode (real Terraform, no provider to install)', () => {
  jest.setTimeout(120_000);

  test('exit 2 is a drifted plan, exit 0 a clean one, exit 1 a failure', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'drift-plan-'));
    try {
      const synthDir = path.join(root, 'cdktf.out');
      const configs: Record<string, object> = {
        'dev-changed': { resource: { terraform_data: { marker: { input: 'v1' } } } },
        'dev-same': { terraform: {} },
        'dev-broken': { output: { x: { value: '${terraform_data.missing.id}' } } },
      };
      const manifest: Record<string, object> = {};
      for (const [name, config] of Object.entries(configs)) {
        mkdirSync(path.join(synthDir, 'stacks', name), { recursive: true });
        writeFileSync(path.join(synthDir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(config));
        manifest[name] = { name, workingDirectory: `stacks/${name}`, dependencies: [] };
      }
      writeFileSync(path.join(synthDir, 'manifest.json'), JSON.stringify({ stacks: manifest }));
      const result = await planEnvironment({
        synthDir,
        environment: 'dev',
        planDir: path.join(root, 'plan.out'),
        offline: true,
        detailedExitCode: true,
        log: () => undefined,
      });
      expect(driftOf(result.plans).map((d) => [d.stack, d.status, d.actions])).toEqual([
        ['dev-changed', 'drifted', ['+ terraform_data.marker']],
        ['dev-same', 'clean', []],
        ['dev-broken', 'failed', []],
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
