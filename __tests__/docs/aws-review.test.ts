import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sharedAppSynth } from '../app-synth';

const root = path.resolve(__dirname, '../..');
const review = readFileSync(path.join(root, 'docs/aws-review.md'), 'utf8');

/**
 * Types review-b reviews in the "Data, state, observability, identity" section on its own branch.
 * Their rows arrive with that merge; the test below then fails for each one until it leaves this set.
 */
const AWAITING_REVIEW_B: ReadonlySet<string> = new Set([
  'aws_backup_plan',
  'aws_backup_selection',
  'aws_backup_vault',
  'aws_backup_vault_lock_configuration',
  'aws_cloudtrail',
  'aws_cloudwatch_dashboard',
  'aws_cloudwatch_log_group',
  'aws_cloudwatch_log_metric_filter',
  'aws_cloudwatch_metric_alarm',
  'aws_db_instance',
  'aws_db_option_group',
  'aws_db_parameter_group',
  'aws_db_subnet_group',
  'aws_dynamodb_table',
  'aws_efs_access_point',
  'aws_efs_backup_policy',
  'aws_efs_file_system',
  'aws_efs_file_system_policy',
  'aws_efs_mount_target',
  'aws_iam_openid_connect_provider',
  'aws_iam_policy',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_kms_alias',
  'aws_kms_key',
  'aws_lambda_function',
  'aws_lambda_invocation',
  'aws_lambda_permission',
  'aws_s3_bucket',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_secretsmanager_secret',
  'aws_secretsmanager_secret_rotation',
  'aws_sns_topic',
  'aws_sns_topic_policy',
  'aws_sns_topic_subscription',
  'data.aws_iam_policy_document',
  'data.terraform_remote_state',
]);

/** Every resource type and `data.<type>` the default estate's stacks synthesize (all environments). */
function emittedTypes(): string[] {
  const synth = sharedAppSynth();
  expect(synth.status).toBe(0);
  const stacksDir = path.join(synth.outdir, 'stacks');
  const types = new Set<string>();
  for (const stack of readdirSync(stacksDir)) {
    const json = JSON.parse(readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8')) as {
      resource?: Record<string, unknown>;
      data?: Record<string, unknown>;
    };
    for (const type of Object.keys(json.resource ?? {})) types.add(type);
    for (const type of Object.keys(json.data ?? {})) types.add(`data.${type}`);
  }
  return [...types].sort();
}

/** The review's rows: the resource type of the first cell, and the cells, by section. */
function rows(): { section: string; type: string; cells: string[] }[] {
  let section = '';
  const found: { section: string; type: string; cells: string[] }[] = [];
  for (const line of review.split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) section = heading[1];
    const row = /^\| `((?:data\.)?[a-z0-9_]+)`\s*\|/.exec(line);
    if (row) {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      found.push({ section, type: row[1], cells });
    }
  }
  return found;
}

describe('docs/aws-review.md', () => {
  const emitted = emittedTypes();
  const reviewed = rows();
  const reviewedTypes = reviewed.map((row) => row.type);

  test('every type the default estate emits has a review row (or awaits review-b merge)', () => {
    expect(emitted.filter((type) => !reviewedTypes.includes(type) && !AWAITING_REVIEW_B.has(type))).toEqual(
      [],
    );
  });

  test('every review row names a type the default estate emits, once', () => {
    expect(reviewedTypes.filter((type) => !emitted.includes(type))).toEqual([]);
    expect(reviewedTypes.filter((type, index) => reviewedTypes.indexOf(type) !== index)).toEqual([]);
  });

  test('the awaiting list holds only emitted types that have no row yet', () => {
    expect(
      [...AWAITING_REVIEW_B].filter((type) => reviewedTypes.includes(type) || !emitted.includes(type)),
    ).toEqual([]);
  });

  test('each row fills the four columns, and a row sits in one of the two review sections', () => {
    expect(
      reviewed.filter((row) => row.cells.length !== 4 || row.cells.some((cell) => cell.length === 0)),
    ).toEqual([]);
    expect([...new Set(reviewed.map((row) => row.section))]).toEqual(['Network, edge, compute, containers']);
    expect([...review.matchAll(/^## (.+)$/gm)].map((match) => match[1])).toEqual([
      'Network, edge, compute, containers',
      'Data, state, observability, identity',
    ]);
  });
});
