/**
 * EFS rules: encryption at rest, and a file-system policy that refuses mounts without TLS.
 */
import type { Rule } from '../rule';
import { isTrue } from '../synthesized';
import { deniesInsecureTransport, failIf } from './helpers';

export const EFS_RULES: readonly Rule[] = [
  {
    id: 'GR-EFS-1',
    info: 'EFS file systems are encrypted at rest.',
    explanation: 'EFS encryption at rest (KMS) can only be chosen when the file system is created.',
    resourceTypes: ['aws_efs_file_system'],
    severity: 'error',
    check: (fs) => failIf(!isTrue(fs.config.encrypted), 'encrypted is not true'),
  },
  {
    id: 'GR-EFS-2',
    info: 'EFS file-system policies deny access without TLS.',
    explanation:
      'NFS clients may mount without TLS unless the file-system policy denies every action when ' +
      '`aws:SecureTransport` is false (mount with the efs-utils `tls` option).',
    resourceTypes: ['aws_efs_file_system'],
    severity: 'error',
    check: (fs, { stack }) =>
      failIf(
        !stack
          .referencing('aws_efs_file_system_policy', 'file_system_id', fs)
          .some((p) => deniesInsecureTransport(stack.policyStatements(p.config.policy), 'elasticfilesystem')),
        'no aws_efs_file_system_policy of this stack denies access when aws:SecureTransport is false',
      ),
  },
];
