import { docTable } from '../doc-tables';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  configRemovals,
  diffStackConfig,
  diffSynthDirs,
  renderConfigDiffSection,
  REPLACING_ARGUMENTS,
} from '../../../scripts/plan/config-diff';
import { STATEFUL_TYPES } from '../../../scripts/plan/destroy-guard';

/** A `cdk.tf.json` of a data stack: database, its subnet group and subnets, a media bucket. */
function dataStack(
  overrides: {
    engine?: string;
    instanceClass?: string;
    subnets?: string[];
    bucket?: string;
  } = {},
) {
  const subnets = overrides.subnets ?? ['a', 'c'];
  return {
    resource: {
      aws_db_instance: {
        database: {
          '//': { metadata: { path: 'prod-data/database' } },
          identifier: 'shop-prod-db',
          engine: overrides.engine ?? 'mysql',
          instance_class: overrides.instanceClass ?? 'db.t4g.small',
          db_subnet_group_name: '${aws_db_subnet_group.database.name}',
        },
      },
      aws_db_subnet_group: {
        database: {
          name: 'shop-prod-db',
          subnet_ids: subnets.map((zone) => `\${aws_subnet.database_${zone}.id}`),
        },
      },
      aws_subnet: Object.fromEntries(
        subnets.map((zone) => [
          `database_${zone}`,
          { cidr_block: zone === 'a' ? '10.0.30.0/24' : '10.0.31.0/24' },
        ]),
      ),
      aws_s3_bucket: { media: { bucket: overrides.bucket ?? 'shop-prod-media' } },
    },
  };
}

const guard = { protectedEnvironment: true, allowances: [] };

describe('diffStackConfig + configRemovals (fixture configs)', () => {
  test('replacing the database (engine, a replacement-forcing argument) is a blocked stateful loss', () => {
    const changes = diffStackConfig('prod-data', dataStack(), dataStack({ engine: 'postgres' }));
    expect(changes).toEqual([
      {
        stack: 'prod-data',
        address: 'aws_db_instance.database',
        kind: 'changed',
        attribute: 'engine',
        before: 'mysql',
        after: 'postgres',
      },
    ]);
    expect(configRemovals(changes, guard)).toEqual([
      {
        stack: 'prod-data',
        address: 'aws_db_instance.database',
        type: 'aws_db_instance',
        action: 'replace',
        loses: STATEFUL_TYPES.aws_db_instance,
        forcedBy: [{ path: 'engine', before: 'mysql', after: 'postgres' }],
        blocked: true,
      },
    ]);
  });

  test('shrinking the subnet list removes a disposable subnet and updates the group in place: listed, not a loss', () => {
    const changes = diffStackConfig('prod-data', dataStack(), dataStack({ subnets: ['a'] }));
    expect(changes).toEqual([
      {
        stack: 'prod-data',
        address: 'aws_db_subnet_group.database',
        kind: 'changed',
        attribute: 'subnet_ids',
        before: ['${aws_subnet.database_a.id}', '${aws_subnet.database_c.id}'],
        after: ['${aws_subnet.database_a.id}'],
      },
      { stack: 'prod-data', address: 'aws_subnet.database_c', kind: 'removed' },
    ]);
    const removals = configRemovals(changes, guard);
    expect(removals.map((r) => [r.address, r.action, r.loses, r.blocked])).toEqual([
      ['aws_subnet.database_c', 'delete', undefined, false],
    ]);
  });

  test('renaming a bucket replaces it: blocked, with the old and new name', () => {
    const removals = configRemovals(
      diffStackConfig('prod-data', dataStack(), dataStack({ bucket: 'shop-prod-media-2' })),
      guard,
    );
    expect(removals).toHaveLength(1);
    expect(removals[0]).toMatchObject({
      address: 'aws_s3_bucket.media',
      action: 'replace',
      blocked: true,
      forcedBy: [{ path: 'bucket', before: 'shop-prod-media', after: 'shop-prod-media-2' }],
    });
  });

  test('changing the instance class is in place: listed in the diff, not a loss', () => {
    const changes = diffStackConfig('prod-data', dataStack(), dataStack({ instanceClass: 'db.r7g.large' }));
    expect(changes).toEqual([
      {
        stack: 'prod-data',
        address: 'aws_db_instance.database',
        kind: 'changed',
        attribute: 'instance_class',
        before: 'db.t4g.small',
        after: 'db.r7g.large',
      },
    ]);
    expect(configRemovals(changes, guard)).toEqual([]);
  });

  test('a removed stateful address is a delete; a moved block carries it to its new address instead', () => {
    const base = dataStack();
    const head = dataStack();
    const moved = {
      ...head,
      resource: { ...head.resource, aws_s3_bucket: { uploads: { bucket: 'shop-prod-media' } } },
    };
    const removed = configRemovals(diffStackConfig('prod-data', base, moved), guard);
    expect(removed.map((r) => [r.address, r.action, r.blocked])).toEqual([
      ['aws_s3_bucket.media', 'delete', true],
    ]);
    const withMoved = { ...moved, moved: [{ from: 'aws_s3_bucket.media', to: 'aws_s3_bucket.uploads' }] };
    expect(diffStackConfig('prod-data', base, withMoved)).toEqual([]);
  });

  test('an allowance lets a configured loss through in a protected environment', () => {
    const changes = diffStackConfig('prod-data', dataStack(), dataStack({ engine: 'postgres' }));
    const allowance = {
      stack: 'prod-data',
      address: 'aws_db_instance.database',
      reason: 'moving to PostgreSQL, data restored',
    };
    expect(configRemovals(changes, { protectedEnvironment: true, allowances: [allowance] })[0]).toMatchObject(
      {
        blocked: false,
        allowedBy: allowance,
      },
    );
  });
});

describe('diffSynthDirs', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function synthDir(stacks: Record<string, object>): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'config-diff-'));
    dirs.push(dir);
    const manifest: Record<string, object> = {};
    for (const [name, config] of Object.entries(stacks)) {
      mkdirSync(path.join(dir, 'stacks', name), { recursive: true });
      writeFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(config));
      manifest[name] = { name, workingDirectory: `stacks/${name}` };
    }
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ stacks: manifest }));
    return dir;
  }

  test('compares the stacks of one environment and renders resource, attribute, before, after', () => {
    const base = synthDir({ 'prod-data': dataStack(), 'dev-data': dataStack() });
    const head = synthDir({
      'prod-data': dataStack({ instanceClass: 'db.r7g.large' }),
      'dev-data': dataStack({ engine: 'x' }),
    });
    const diffs = diffSynthDirs(base, head, 'prod');
    expect(diffs.map((d) => [d.stack, d.changes.length])).toEqual([['prod-data', 1]]);
    const rows = renderConfigDiffSection(diffs)
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(rows).toEqual([
      '| `aws_db_instance.database` | `instance_class` | `"db.t4g.small"` | `"db.r7g.large"` |',
    ]);
  });
});

test('docs/plan.md tables every replacement-forcing argument', () => {
  expect(docTable('plan.md', 'replacing-arguments')).toEqual(
    Object.entries(REPLACING_ARGUMENTS).map(([type, names]) => [type, names.join(', ')]),
  );
});
