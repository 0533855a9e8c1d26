/**
 * ECR rules: repositories encrypted with KMS and scanning images on push.
 */
import type { Rule } from '../rule';
import { block, isTrue } from '../synthesized';
import { failIf } from './helpers';

export const ECR_RULES: readonly Rule[] = [
  {
    id: 'GR-ECR-1',
    info: 'ECR repositories are encrypted with KMS.',
    explanation:
      'The default (AES256) uses a key outside the account; KMS puts image access under the key policy.',
    resourceTypes: ['aws_ecr_repository'],
    severity: 'error',
    check: (repository) => {
      const type = block(repository.config.encryption_configuration).encryption_type;
      return failIf(
        type !== 'KMS' && type !== 'KMS_DSSE',
        `encryption_configuration.encryption_type is ${String(type ?? 'AES256 (default)')}`,
      );
    },
  },
  {
    id: 'GR-ECR-2',
    info: 'ECR repositories scan images on push.',
    explanation: 'A pushed image with known CVEs is reported before it is deployed.',
    resourceTypes: ['aws_ecr_repository'],
    severity: 'error',
    check: (repository) =>
      failIf(
        !isTrue(block(repository.config.image_scanning_configuration).scan_on_push),
        'image_scanning_configuration.scan_on_push is not true',
      ),
  },
];
