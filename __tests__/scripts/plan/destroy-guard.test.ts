import { docTable } from '../doc-tables';
import {
  blockedMessage,
  classifyRemovals,
  parseAllowances,
  reviewPlan,
  STATEFUL_TYPES,
  unusedAllowances,
  type ReviewedPlan,
} from '../../../scripts/plan/destroy-guard';

// The shape `terraform show -json` gives a replacement (checked against Terraform 1.11: replace_paths sits
// in the change, beside before/after and their sensitivity).
const showJson = {
  terraform_version: '1.11.4',
  resource_changes: [
    {
      address: 'aws_db_instance.database',
      mode: 'managed',
      type: 'aws_db_instance',
      action_reason: 'replace_because_cannot_update',
      change: {
        actions: ['delete', 'create'],
        before: { engine: 'mysql', identifier: 'shop-prod-db', password: 'old' },
        after: { engine: 'postgres', identifier: 'shop-prod-db', password: 'new' },
        before_sensitive: { password: true },
        after_sensitive: { password: true },
        replace_paths: [['engine'], ['password']],
      },
    },
    {
      address: 'aws_security_group.web',
      mode: 'managed',
      type: 'aws_security_group',
      change: {
        actions: ['delete', 'create'],
        before: { name: 'a' },
        after: { name: 'b' },
        replace_paths: [['name']],
      },
    },
    {
      address: 'aws_s3_bucket.media',
      mode: 'managed',
      type: 'aws_s3_bucket',
      change: { actions: ['delete'], before: { bucket: 'shop-prod-media' }, after: null },
    },
    { address: 'aws_vpc.main', mode: 'managed', type: 'aws_vpc', change: { actions: ['no-op'] } },
    { address: 'aws_subnet.a', mode: 'managed', type: 'aws_subnet', change: { actions: ['update'] } },
  ],
};

describe('reviewPlan', () => {
  const reviewed = reviewPlan(showJson);

  test('keeps actions and the paths that force a replacement, with values only where not sensitive', () => {
    expect(reviewed.resource_changes[0]).toEqual({
      address: 'aws_db_instance.database',
      mode: 'managed',
      type: 'aws_db_instance',
      action_reason: 'replace_because_cannot_update',
      change: {
        actions: ['delete', 'create'],
        forced_by: [{ path: 'engine', before: 'mysql', after: 'postgres' }, { path: 'password' }],
      },
    });
  });

  test('no sensitive value survives, and unchanged resources are left out', () => {
    expect(JSON.stringify(reviewed)).not.toContain('"old"');
    expect(JSON.stringify(reviewed)).not.toContain('"new"');
    expect(reviewed.resource_changes.map((r) => r.address)).toEqual([
      'aws_db_instance.database',
      'aws_security_group.web',
      'aws_s3_bucket.media',
      'aws_subnet.a',
    ]);
  });
});

describe('classifyRemovals', () => {
  const reviewed: ReviewedPlan = reviewPlan(showJson);

  test('in a protected environment a stateful replace or delete is blocked; a disposable one is not', () => {
    const removals = classifyRemovals('prod-data', reviewed, { protectedEnvironment: true, allowances: [] });
    expect(removals.map((r) => [r.address, r.action, r.loses !== undefined, r.blocked])).toEqual([
      ['aws_db_instance.database', 'replace', true, true],
      ['aws_security_group.web', 'replace', false, false],
      ['aws_s3_bucket.media', 'delete', true, true],
    ]);
    expect(removals[0].loses).toBe(STATEFUL_TYPES.aws_db_instance);
    expect(removals[0].forcedBy[0]).toEqual({ path: 'engine', before: 'mysql', after: 'postgres' });
  });

  test('an allowance for that stack and address lets the loss through, and only that one', () => {
    const allowance = {
      stack: 'prod-data',
      address: 'aws_s3_bucket.media',
      reason: 'media moved to the new bucket',
    };
    const removals = classifyRemovals('prod-data', reviewed, {
      protectedEnvironment: true,
      allowances: [allowance],
    });
    const bucket = removals.find((r) => r.address === 'aws_s3_bucket.media');
    expect(bucket).toMatchObject({ blocked: false, allowedBy: allowance });
    expect(removals.find((r) => r.address === 'aws_db_instance.database')?.blocked).toBe(true);
    const otherStack = classifyRemovals('prod-compute', reviewed, {
      protectedEnvironment: true,
      allowances: [allowance],
    });
    expect(otherStack.find((r) => r.address === 'aws_s3_bucket.media')?.blocked).toBe(true);
  });

  test('an unprotected environment lists stateful losses without blocking them', () => {
    const removals = classifyRemovals('dev-data', reviewed, { protectedEnvironment: false, allowances: [] });
    expect(removals.filter((r) => r.loses !== undefined).map((r) => r.blocked)).toEqual([false, false]);
  });

  test('the failure names the address, the forcing attribute and what is lost', () => {
    const removals = classifyRemovals('prod-data', reviewed, { protectedEnvironment: true, allowances: [] });
    const message = blockedMessage('prod', removals).split('\n');
    expect(message.slice(0, 4)).toEqual([
      'Destroy guard: 2 stateful resources of protected environment prod would be deleted or replaced:',
      '  prod-data: replace aws_db_instance.database',
      '    forced by: engine: "mysql" -> "postgres"; password (sensitive)',
      `    loses: ${STATEFUL_TYPES.aws_db_instance}`,
    ]);
  });

  test('an allowance that matches nothing planned is reported as to be removed', () => {
    const stale = { stack: 'prod-data', address: 'aws_efs_file_system.old', reason: 'applied last week' };
    const removals = classifyRemovals('prod-data', reviewed, {
      protectedEnvironment: true,
      allowances: [stale],
    });
    expect(unusedAllowances('prod', [stale], removals)).toEqual([stale]);
    expect(unusedAllowances('dev', [stale], removals)).toEqual([]);
  });
});

describe('parseAllowances', () => {
  test('a valid file gives its allowances', () => {
    const text = JSON.stringify({
      allowances: [
        {
          stack: 'prod-data',
          address: 'aws_db_instance.database',
          reason: 'engine change, restored from snapshot',
        },
      ],
    });
    expect(parseAllowances(text)).toEqual([
      {
        stack: 'prod-data',
        address: 'aws_db_instance.database',
        reason: 'engine change, restored from snapshot',
      },
    ]);
  });

  test('unknown fields, a missing or blank reason and duplicates are all listed at once', () => {
    const text = JSON.stringify({
      allowances: [
        { stack: 'prod-data', address: 'aws_db_instance.a', reason: 'ok', until: 'tomorrow' },
        { stack: 'prod-data', address: 'aws_db_instance.b' },
        { stack: 'prod-data', address: 'aws_db_instance.c', reason: '  ' },
        { stack: 'prod-data', address: 'aws_db_instance.a', reason: 'again' },
      ],
      note: 'x',
    });
    expect(() => parseAllowances(text)).toThrow(
      [
        'plan-allowances.json is not valid:',
        '  note: unknown field (expected only "allowances")',
        '  allowances[0].until: unknown field (expected stack, address, reason)',
        '  allowances[1].reason: required, a non-empty string saying why the loss is accepted',
        '  allowances[2].reason: required, a non-empty string saying why the loss is accepted',
        '  allowances[3]: prod-data aws_db_instance.a is allowed twice',
      ].join('\n'),
    );
  });

  test('a file that is not the expected shape says what is expected', () => {
    expect(() => parseAllowances('[]')).toThrow(
      'expected { "allowances": [{ "stack", "address", "reason" }] }',
    );
    expect(() => parseAllowances('{')).toThrow('plan-allowances.json: not JSON');
  });
});

test('docs/plan.md tables every stateful type with what it loses', () => {
  expect(docTable('plan.md', 'stateful-types')).toEqual(Object.entries(STATEFUL_TYPES));
});
