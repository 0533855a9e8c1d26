/**
 * DynamoDB rules: tables encrypted under a KMS key.
 */
import type { Rule } from '../rule';
import { block, isTrue } from '../synthesized';
import { failIf } from './helpers';

export const DYNAMODB_RULES: readonly Rule[] = [
  {
    id: 'GR-DDB-1',
    info: 'DynamoDB tables are encrypted with KMS.',
    explanation:
      'Without server_side_encryption.enabled the table uses an AWS-owned key no key policy controls.',
    resourceTypes: ['aws_dynamodb_table'],
    severity: 'error',
    check: (table) =>
      failIf(
        !isTrue(block(table.config.server_side_encryption).enabled),
        'server_side_encryption.enabled is not true',
      ),
  },
];
