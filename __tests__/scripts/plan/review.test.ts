import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { reviewPlan } from '../../../scripts/plan/destroy-guard';
import { loadPlans, reviewEnvironment } from '../../../scripts/plan/review';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** What a plan job hands the review job: order.txt, reviewed changes and texts, an error file. */
function planArtifacts(deletionProtection: boolean) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'review-'));
  dirs.push(root);
  const synthDir = path.join(root, 'cdktf.out');
  const planDir = path.join(root, 'plan.out');
  const out = path.join(planDir, 'prod');
  mkdirSync(synthDir, { recursive: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(synthDir, 'environments.json'), JSON.stringify({ prod: { deletionProtection } }));
  writeFileSync(path.join(out, 'order.txt'), 'prod-network\nprod-data\nprod-compute\n');
  writeFileSync(path.join(out, 'prod-network.changes.json'), JSON.stringify({ resource_changes: [] }));
  writeFileSync(path.join(out, 'prod-network.plan.txt'), 'No changes.\n');
  const data = reviewPlan({
    resource_changes: [
      {
        address: 'aws_db_instance.database',
        mode: 'managed',
        type: 'aws_db_instance',
        change: {
          actions: ['delete', 'create'],
          before: { kms_key_id: 'arn:old' },
          after: { kms_key_id: 'arn:new' },
          replace_paths: [['kms_key_id']],
        } as never,
      },
    ],
  });
  writeFileSync(path.join(out, 'prod-data.changes.json'), JSON.stringify(data));
  writeFileSync(path.join(out, 'prod-data.plan.txt'), '-/+ aws_db_instance.database\n');
  writeFileSync(path.join(out, 'prod-compute.error.txt'), 'terraform plan failed:\nError: AccessDenied\n');
  return { synthDir, planDir, out };
}

describe('loadPlans', () => {
  test('rebuilds each stack’s outcome from the files, in order', () => {
    const { out } = planArtifacts(true);
    expect(loadPlans(out).map((plan) => [plan.stack, plan.status])).toEqual([
      ['prod-network', 'planned'],
      ['prod-data', 'planned'],
      ['prod-compute', 'failed'],
    ]);
  });
});

describe('reviewEnvironment', () => {
  test('a protected environment blocks the database replacement and the summary shows why', () => {
    const { synthDir, planDir, out } = planArtifacts(true);
    const review = reviewEnvironment({ environment: 'prod', planDir, synthDir, offline: false });
    expect(review.blocked.map((r) => r.address)).toEqual(['aws_db_instance.database']);
    const summary = readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('### Destroy guard (protected environment)');
    const row = summary.split('\n').find((line) => line.startsWith('| :no_entry:'));
    expect(row?.split(' | ').slice(1, 6)).toEqual([
      '`prod-data`',
      'replace',
      '`aws_db_instance.database`',
      '**stateful**',
      'kms_key_id: "arn:old" -> "arn:new"',
    ]);
  });

  test('with an allowance the same plan passes, and the summary says it is allowed', () => {
    const { synthDir, planDir } = planArtifacts(true);
    const allowances = [
      { stack: 'prod-data', address: 'aws_db_instance.database', reason: 'new key, restored' },
    ];
    const review = reviewEnvironment({ environment: 'prod', planDir, synthDir, offline: false, allowances });
    expect(review.blocked).toEqual([]);
    expect(review.summary).toContain(':white_check_mark: allowed');
  });

  test('an unprotected environment lists the loss without blocking it', () => {
    const { synthDir, planDir } = planArtifacts(false);
    const review = reviewEnvironment({ environment: 'prod', planDir, synthDir, offline: false });
    expect(review.blocked).toEqual([]);
    expect(review.removals.map((r) => [r.address, r.loses !== undefined])).toEqual([
      ['aws_db_instance.database', true],
    ]);
  });
});
