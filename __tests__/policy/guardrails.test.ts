import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SecureBucket } from '../../modules/secure-bucket';
import { RULES } from '../../policy/rules';
import {
  applyGuardrails,
  checkStack,
  formatSummary,
  suppress,
  type GuardrailOptions,
} from '../../policy/guardrails';

const DEFAULT_TAGS = { project: 'p', environment: 'dev', stack: 'test', 'managed-by': 'cdktf' };
const PROTECTED: GuardrailOptions = { protectedEnvironment: true };

function testStack(app: App, id = 'test'): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-1', defaultTags: [{ tags: DEFAULT_TAGS }] });
  return stack;
}

/** A PostgreSQL instance that breaks only the durability rules an unprotected environment may relax. */
function relaxedDatabase(scope: Construct): DbInstance {
  const parameters = new DbParameterGroup(scope, 'parameters', {
    family: 'postgres16',
    parameter: [{ name: 'rds.force_ssl', value: '1' }],
  });
  return new DbInstance(scope, 'database', {
    engine: 'postgres',
    instanceClass: 'db.t4g.micro',
    allocatedStorage: 20,
    storageEncrypted: true,
    parameterGroupName: parameters.name,
    backupRetentionPeriod: 0,
    deletionProtection: false,
    skipFinalSnapshot: true,
    engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
  });
}

describe('suppressions', () => {
  test('a suppression covers the construct and everything under it, and is reported with its reason', () => {
    const stack = testStack(Testing.app());
    const logs = new SecureBucket(stack, 'scratch', { bucketName: 'scratch', versioned: false });
    suppress(logs, 'GR-S3-4', 'Scratch space for builds; nothing in it outlives a build');
    const report = checkStack(stack, PROTECTED);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([
      {
        suppression: {
          ruleId: 'GR-S3-4',
          reason: 'Scratch space for builds; nothing in it outlives a build',
          path: 'test/scratch',
        },
        findings: [expect.objectContaining({ ruleId: 'GR-S3-4', path: 'test/scratch/bucket' })],
      },
    ]);
  });

  test('a suppression covers only the rule it names', () => {
    const stack = testStack(Testing.app());
    const topic = new SnsTopic(stack, 'topic', { name: 't', tags: { project: 'other' } });
    suppress(topic, 'GR-SNS-1', 'Carries only public release announcements');
    expect(checkStack(stack, PROTECTED).findings.map((f) => f.ruleId)).toEqual(['GR-TAG-2']);
  });

  test('a suppression that covers nothing is reported as unused', () => {
    const stack = testStack(Testing.app());
    const bucket = new SecureBucket(stack, 'bucket', { bucketName: 'b' });
    suppress(bucket, 'GR-S3-4', 'Left over from before versioning');
    const report = checkStack(stack, PROTECTED);
    expect(report.unused).toEqual([
      { ruleId: 'GR-S3-4', reason: 'Left over from before versioning', path: 'test/bucket' },
    ]);
  });

  test('an unknown rule id is an error', () => {
    const stack = testStack(Testing.app());
    expect(() => suppress(stack, 'GR-S3-99', 'typo')).toThrow(
      /^test: suppression of unknown guardrail rule "GR-S3-99"; the rules are GR-S3-1, /,
    );
  });

  test('a suppression without a reason is an error', () => {
    const stack = testStack(Testing.app());
    expect(() => suppress(stack, 'GR-S3-4', '  ')).toThrow('test: suppression of GR-S3-4 needs a reason');
  });
});

describe('environment protection', () => {
  test('deletion protection, final snapshot and backups are warnings where the environment is not protected', () => {
    const stack = testStack(Testing.app());
    relaxedDatabase(stack);
    const findings = checkStack(stack, { protectedEnvironment: false }).findings;
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['GR-RDS-4', 'warning'],
      ['GR-RDS-5', 'warning'],
      ['GR-RDS-6', 'warning'],
    ]);
  });

  test('the same settings are errors where the environment is protected', () => {
    const stack = testStack(Testing.app());
    relaxedDatabase(stack);
    const findings = checkStack(stack, PROTECTED).findings;
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['GR-RDS-4', 'error'],
      ['GR-RDS-5', 'error'],
      ['GR-RDS-6', 'error'],
    ]);
  });
});

describe('synth', () => {
  let outdir: string;
  let log: jest.SpyInstance;
  beforeEach(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'guardrails-test-'));
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    log.mockRestore();
    rmSync(outdir, { recursive: true, force: true });
  });

  test('a violation fails the synth with rule id, construct path and reason, and writes nothing for the stack', () => {
    const app = new App({ outdir });
    const stack = testStack(app, 'bad');
    applyGuardrails(stack, PROTECTED);
    new SnsTopic(stack, 'topic', { name: 't' });
    expect(() => app.synth()).toThrow(
      '[bad] GR-SNS-1 bad/topic: kms_master_key_id is not set (SNS topics are encrypted with KMS.)',
    );
    expect(existsSync(path.join(outdir, 'stacks/bad/cdk.tf.json'))).toBe(false);
    expect(log).not.toHaveBeenCalled();
  });

  test('warnings do not fail the synth; one summary lists them with the suppressions in use', () => {
    const app = new App({ outdir });
    for (const id of ['one', 'two']) {
      const stack = testStack(app, id);
      applyGuardrails(stack, { protectedEnvironment: false });
      relaxedDatabase(stack);
      const topic = new SnsTopic(stack, 'topic', { name: 't' });
      suppress(topic, 'GR-SNS-1', 'Public announcements only');
    }
    app.synth();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toBe(
      [
        `Guardrails: 2 stacks pass ${RULES.length} rules; 6 warnings, 2 suppressions in use`,
        '  warning     GR-RDS-4 one/database: backup_retention_period is 0 (RDS instances keep automated backups (backup_retention_period >= 1).)',
        '  warning     GR-RDS-5 one/database: deletion_protection is not true (RDS instances and clusters have deletion protection.)',
        '  warning     GR-RDS-6 one/database: skip_final_snapshot is true (RDS instances and clusters take a final snapshot when deleted.)',
        '  warning     GR-RDS-4 two/database: backup_retention_period is 0 (RDS instances keep automated backups (backup_retention_period >= 1).)',
        '  warning     GR-RDS-5 two/database: deletion_protection is not true (RDS instances and clusters have deletion protection.)',
        '  warning     GR-RDS-6 two/database: skip_final_snapshot is true (RDS instances and clusters take a final snapshot when deleted.)',
        '  suppressed  GR-SNS-1 one/topic: Public announcements only [1 finding]',
        '  suppressed  GR-SNS-1 two/topic: Public announcements only [1 finding]',
      ].join('\n'),
    );
  });

  test('the summary lists load balancer groups and unused suppressions', () => {
    const summary = formatSummary([
      {
        stack: 'dev-network',
        findings: [],
        suppressed: [],
        unused: [{ ruleId: 'GR-S3-4', reason: 'old', path: 'dev-network/b' }],
        loadBalancerGroups: [
          { path: 'dev-network/security-groups/alb', ingress: { ports: [80, 443], ipv6: false } },
        ],
      },
    ]);
    expect(summary.split('\n')).toEqual([
      `Guardrails: 1 stack passes ${RULES.length} rules; 0 warnings, 0 suppressions in use, 1 unused`,
      '  allowed     GR-SG-1 dev-network/security-groups/alb: load balancer group, TCP 80 and 443 from anywhere (IPv4)',
      '  unused      GR-S3-4 dev-network/b: old [matches nothing; remove it]',
    ]);
  });
});
