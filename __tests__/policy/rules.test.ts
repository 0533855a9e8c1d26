/**
 * Every guardrail rule against its fixtures (`fixtures/<service>.ts`, one file per rule file):
 * each violating fixture fails its rule at the construct it returns (with exactly the reasons it
 * lists, which every violating fixture states), each compliant fixture passes it.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkStack, type Finding } from '../../policy/guardrails';
import { RULES } from '../../policy/rules';
import {
  DEFAULT_TAGS,
  fixtureContext,
  type Build,
  type Fixture,
  type RuleFixtures,
} from './fixtures/fixture';
import { S3_FIXTURES } from './fixtures/s3';
import { RDS_FIXTURES } from './fixtures/rds';
import { EFS_FIXTURES } from './fixtures/efs';
import { EC2_FIXTURES } from './fixtures/ec2';
import { SECURITY_GROUP_FIXTURES } from './fixtures/security-groups';
import { ELB_FIXTURES } from './fixtures/elb';
import { ECR_FIXTURES } from './fixtures/ecr';
import { ECS_FIXTURES } from './fixtures/ecs';
import { DYNAMODB_FIXTURES } from './fixtures/dynamodb';
import { SNS_FIXTURES } from './fixtures/sns';
import { LOGS_FIXTURES } from './fixtures/logs';
import { IAM_FIXTURES } from './fixtures/iam';
import { KMS_FIXTURES } from './fixtures/kms';
import { TAG_FIXTURES } from './fixtures/tags';
import { SECRETS_FIXTURES } from './fixtures/secrets';
import { CI_ROLE_FIXTURES } from './fixtures/iam-ci';
import { CLOUDTRAIL_FIXTURES } from './fixtures/cloudtrail';
import { WAF_FIXTURES } from './fixtures/waf';
import { REPLACEMENT_FIXTURES } from './fixtures/replacement';
import { S3_LOGGING_FIXTURES } from './fixtures/s3-logging';
import { IAM_TRUST_FIXTURES } from './fixtures/iam-trust';
import { CLOUDWATCH_FIXTURES } from './fixtures/cloudwatch';
import { WAF_LOGGING_FIXTURES } from './fixtures/waf-logging';
import { LAMBDA_FIXTURES } from './fixtures/lambda';
import { BACKUP_FIXTURES } from './fixtures/backup';
import { SECRETS_ROTATION_FIXTURES } from './fixtures/secrets-rotation';

/** The fixtures of the rule files under policy/rules/, one import each, in the order of RULES. */
const FIXTURES_BY_FILE: readonly RuleFixtures[] = [
  S3_FIXTURES,
  RDS_FIXTURES,
  EFS_FIXTURES,
  EC2_FIXTURES,
  SECURITY_GROUP_FIXTURES,
  ELB_FIXTURES,
  ECR_FIXTURES,
  ECS_FIXTURES,
  DYNAMODB_FIXTURES,
  SNS_FIXTURES,
  LOGS_FIXTURES,
  IAM_FIXTURES,
  KMS_FIXTURES,
  TAG_FIXTURES,
  SECRETS_FIXTURES,
  CI_ROLE_FIXTURES,
  CLOUDTRAIL_FIXTURES,
  WAF_FIXTURES,
  REPLACEMENT_FIXTURES,
  S3_LOGGING_FIXTURES,
  IAM_TRUST_FIXTURES,
  CLOUDWATCH_FIXTURES,
  WAF_LOGGING_FIXTURES,
  LAMBDA_FIXTURES,
  BACKUP_FIXTURES,
  SECRETS_ROTATION_FIXTURES,
];
const violating = FIXTURES_BY_FILE.flatMap((f) => f.violating);
const compliant = FIXTURES_BY_FILE.flatMap((f) => f.compliant);

const app = Testing.app();
let stacks = 0;

/** The findings of a stack holding the fixture (and an AWS provider with the default tags, unless it brings one). */
function findingsOf(build: Build): { findings: Finding[]; path: string } {
  const stack = new TerraformStack(app, `fixture-${++stacks}`);
  const construct = build(stack);
  if (!stack.node.findAll().some((c) => c instanceof AwsProvider)) {
    new AwsProvider(stack, 'aws', { region: fixtureContext.region, defaultTags: [{ tags: DEFAULT_TAGS }] });
  }
  return {
    findings: [...checkStack(stack, { protectedEnvironment: true }).findings],
    path: construct.node.path,
  };
}

/** A logical id's hash depends on the fixture stack's name: `aws_s3_bucket.target_bucket_3A2D7F1C`. */
const withoutHashes = (reason: string): string => reason.replace(/_[0-9A-F]{8}\b/g, '');

describe('guardrail rules', () => {
  test('every rule has a violating and a compliant fixture', () => {
    const ids = RULES.map((rule) => rule.id).sort();
    const covered = (fixtures: readonly Fixture[]) => [...new Set(fixtures.map((f) => f.rule))].sort();
    expect(covered(violating)).toEqual(ids);
    expect(covered(compliant)).toEqual(ids);
  });

  test('every violating fixture states the exact reasons its rule gives', () => {
    expect(violating.filter((f) => f.reasons === undefined).map((f) => `${f.rule}: ${f.what}`)).toEqual([]);
  });

  test('every rule has a unique id, a one-line info and an explanation', () => {
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^GR-[A-Z0-9]+-\d+$/);
      expect(rule.info).not.toContain('\n');
      expect(rule.explanation.length).toBeGreaterThan(20);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
    }
  });

  test('the docs/guardrails.md table lists every rule with what it requires', () => {
    const doc = readFileSync(path.join(__dirname, '../../docs/guardrails.md'), 'utf8');
    const rows = doc.split('\n').filter((line) => /^\| GR-/.test(line));
    expect(rows.map((row) => row.split('|')[1].trim())).toEqual(RULES.map((rule) => rule.id));
    for (const rule of RULES) expect(doc).toContain(`| ${rule.id.padEnd(8)} | ${rule.info}`);
  });

  test.each(violating.map((f) => [f.rule, f.what, f] as const))('%s fails %s', (rule, _what, fixture) => {
    const { findings, path } = findingsOf(fixture.build);
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: rule, severity: 'error', path }));
    const reasons = findings.filter((f) => f.ruleId === rule).map((f) => withoutHashes(f.reason));
    expect(reasons).toEqual(fixture.reasons);
  });

  test.each(compliant.map((f) => [f.rule, f.what, f] as const))('%s passes %s', (rule, _what, fixture) => {
    const { findings } = findingsOf(fixture.build);
    expect(findings.filter((f) => f.ruleId === rule)).toEqual([]);
  });
});
