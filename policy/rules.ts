/**
 * The guardrail pack, checked at every synth (`guardrails.ts`): every rule of `rules/<service>.ts`,
 * one import and one spread per file, in the order of the table in docs/guardrails.md. What a rule
 * is: `rule.ts`.
 */
import type { Rule } from './rule';
import { S3_RULES } from './rules/s3';
import { RDS_RULES } from './rules/rds';
import { EFS_RULES } from './rules/efs';
import { EC2_RULES } from './rules/ec2';
import { SECURITY_GROUP_RULES } from './rules/security-groups';
import { ELB_RULES } from './rules/elb';
import { ECR_RULES } from './rules/ecr';
import { ECS_RULES } from './rules/ecs';
import { DYNAMODB_RULES } from './rules/dynamodb';
import { SNS_RULES } from './rules/sns';
import { LOGS_RULES } from './rules/logs';
import { IAM_RULES } from './rules/iam';
import { KMS_RULES } from './rules/kms';
import { TAG_RULES } from './rules/tags';
import { SECRETS_RULES } from './rules/secrets';
import { CI_ROLE_RULES } from './rules/iam-ci';
import { CLOUDTRAIL_RULES } from './rules/cloudtrail';
import { WAF_RULES } from './rules/waf';
import { REPLACEMENT_RULES } from './rules/replacement';
import { S3_LOGGING_RULES } from './rules/s3-logging';
import { IAM_TRUST_RULES } from './rules/iam-trust';
import { CLOUDWATCH_RULES } from './rules/cloudwatch';
import { WAF_LOGGING_RULES } from './rules/waf-logging';
import { LAMBDA_RULES } from './rules/lambda';
import { BACKUP_RULES } from './rules/backup';
import { SECRETS_ROTATION_RULES } from './rules/secrets-rotation';

export const RULES: readonly Rule[] = [
  ...S3_RULES,
  ...RDS_RULES,
  ...EFS_RULES,
  ...EC2_RULES,
  ...SECURITY_GROUP_RULES,
  ...ELB_RULES,
  ...ECR_RULES,
  ...ECS_RULES,
  ...DYNAMODB_RULES,
  ...SNS_RULES,
  ...LOGS_RULES,
  ...IAM_RULES,
  ...KMS_RULES,
  ...TAG_RULES,
  ...SECRETS_RULES,
  ...CI_ROLE_RULES,
  ...CLOUDTRAIL_RULES,
  ...WAF_RULES,
  ...REPLACEMENT_RULES,
  ...S3_LOGGING_RULES,
  ...IAM_TRUST_RULES,
  ...CLOUDWATCH_RULES,
  ...WAF_LOGGING_RULES,
  ...LAMBDA_RULES,
  ...BACKUP_RULES,
  ...SECRETS_ROTATION_RULES,
];
