import type { PlanJson, ResourceChange } from '../../../scripts/plan/offline';
import { countChanges, countsText, renderSummary, type StackPlan } from '../../../scripts/plan/summary';

function change(address: string, actions: string[], extra: Partial<ResourceChange> = {}): ResourceChange {
  const [type] = address.replace(/^data\./, '').split('.');
  return {
    address,
    mode: address.startsWith('data.') ? 'data' : 'managed',
    type,
    change: { actions },
    ...extra,
  };
}

const plan: PlanJson = {
  resource_changes: [
    change('aws_vpc.main', ['create']),
    change('aws_subnet.a', ['update']),
    change('aws_db_instance.db', ['delete', 'create'], { action_reason: 'replace_because_cannot_update' }),
    change('aws_subnet.b', ['create', 'delete']),
    change('aws_eip.old', ['delete']),
    change('aws_route.kept', ['no-op']),
    change('data.aws_iam_policy_document.p', ['read']),
  ],
};

describe('countChanges', () => {
  const counts = countChanges(plan);

  test('a replacement counts as one add and one destroy, as Terraform counts it', () => {
    expect(counts).toMatchObject({ add: 3, change: 1, destroy: 3 });
  });

  test('replaced and destroyed addresses are listed, with the reason when there is one', () => {
    expect(counts.replaced).toEqual(['aws_db_instance.db (replace_because_cannot_update)', 'aws_subnet.b']);
    expect(counts.destroyed).toEqual(['aws_eip.old']);
  });

  test('data sources and no-ops are not changes', () => {
    expect(counts.actions).toEqual([
      '+ aws_vpc.main',
      '~ aws_subnet.a',
      '-/+ aws_db_instance.db',
      '-/+ aws_subnet.b',
      '- aws_eip.old',
    ]);
  });

  test('the counts line names what is replaced and destroyed', () => {
    expect(countsText('dev-data', counts)).toBe(
      [
        'dev-data: 3 to add, 1 to change, 3 to destroy',
        '  replaced: aws_db_instance.db (replace_because_cannot_update), aws_subnet.b',
        '  destroyed: aws_eip.old',
      ].join('\n'),
    );
  });
});

describe('renderSummary', () => {
  const planned = (stack: string, json: PlanJson, text = 'plan text'): StackPlan => ({
    stack,
    status: 'planned',
    counts: countChanges(json),
    text,
    seconds: 1,
  });
  const quiet = planned('dev-network', { resource_changes: [change('aws_vpc.main', ['create'])] });
  const risky = planned('dev-data', plan);
  const failed: StackPlan = {
    stack: 'dev-compute',
    status: 'failed',
    reason: 'terraform plan failed:\n\nError: Unsupported attribute\n\n  on cdk.tf.json line 3',
    seconds: 1,
  };

  test('destroys and replacements come first, flagged, before the stacks that only add', () => {
    const summary = renderSummary([quiet, risky], { environment: 'dev', offline: false });
    expect(summary).toContain(':warning: **Destroys or replacements in `dev-data`**');
    const rows = summary.split('\n').filter((line) => line.startsWith('| '));
    expect(rows.slice(1)).toEqual([
      '| :warning: | `dev-data` | 3 | 1 | 3 | 2 replaced, 1 destroyed |',
      '|  | `dev-network` | 1 | 0 | 0 |  |',
    ]);
    const section = summary.indexOf('### :warning: Destroys and replacements');
    expect(section).toBeGreaterThan(-1);
    expect(section).toBeLessThan(summary.indexOf('### Changes'));
    expect(summary).toContain(
      '- `dev-data`: **replace** `aws_db_instance.db (replace_because_cannot_update)`',
    );
    expect(summary).toContain('- `dev-data`: **destroy** `aws_eip.old`');
  });

  test('a failed stack comes before everything, with Terraform’s error', () => {
    const summary = renderSummary([quiet, risky, failed], { environment: 'dev', offline: true });
    expect(summary).toContain(':x: **1 of 3 stacks did not plan:** `dev-compute`');
    expect(summary.split('\n').filter((line) => line.startsWith('| '))[1]).toBe(
      '| :x: | `dev-compute` | | | | failed |',
    );
    expect(summary).toContain('- `dev-compute` (failed): Error: Unsupported attribute');
  });

  test('an offline summary says what an offline plan shows', () => {
    expect(renderSummary([quiet], { environment: 'dev', offline: true })).toContain('> Offline plan:');
    expect(renderSummary([quiet], { environment: 'dev', offline: false })).not.toContain('Offline');
  });

  test('each plan sits in collapsed details with its actions and its text', () => {
    const summary = renderSummary([quiet], { environment: 'dev', offline: false });
    expect(summary).toContain(
      '<details><summary><code>dev-network</code>: 1 to add, 0 to change, 0 to destroy</summary>',
    );
    expect(summary).toContain('```diff\n+ aws_vpc.main\n```');
    expect(summary).toContain('```\nplan text\n```\n\n</details>');
  });

  test('long plan texts are cut so the summary fits a pull-request comment', () => {
    const long = planned(
      'dev-network',
      { resource_changes: [change('aws_vpc.main', ['create'])] },
      'line\n'.repeat(50_000),
    );
    const summary = renderSummary([long], { environment: 'dev', offline: false, maxLength: 5_000 });
    expect(summary.length).toBeLessThanOrEqual(5_000);
    expect(summary).toMatch(/\.\.\. \d+ more lines in the full plan text/);
  });
});
