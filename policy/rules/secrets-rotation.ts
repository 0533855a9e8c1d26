/**
 * Secrets Manager rotation rules: what a rotation function needs so that a rotation, days after a
 * clean apply, does not fail.
 */
import { actionMatches } from '../../modules/ci-read-permissions';
import type { Rule } from '../rule';
import {
  referencedAddress,
  type PolicyStatement,
  type SynthesizedResource,
  type SynthesizedStack,
} from '../synthesized';

/** What a rotation function calls on its secret (Secrets Manager user guide, "Permissions for rotation"). */
export const ROTATION_SECRET_ACTIONS = [
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecretVersionStage',
] as const;

/** What reading and writing a secret under a customer managed key takes of that key. */
export const ROTATION_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** The statements of a role's policies in this stack: inline, and attached customer managed policies. */
function roleStatements(stack: SynthesizedStack, role: SynthesizedResource): PolicyStatement[] {
  const inline = stack
    .referencing('aws_iam_role_policy', 'role', role, 'name')
    .flatMap((policy) => stack.policyStatements(policy.config.policy) ?? []);
  const attached = stack
    .referencing('aws_iam_role_policy_attachment', 'role', role, 'name')
    .map((attachment) => stack.follow(attachment, 'policy_arn'))
    .filter((policy) => policy?.type === 'aws_iam_policy')
    .flatMap((policy) => stack.policyStatements(policy?.config.policy) ?? []);
  return [...inline, ...attached];
}

/** Whether `resource` (a pattern or a reference) covers the resource at `address`. */
function coversResource(resource: string, address: string): boolean {
  return resource === '*' || referencedAddress(resource) === address || /:(secret|key)\/?\*$/.test(resource);
}

/** The actions of `wanted` that no Allow statement grants on the resource at `address`. */
function missing(statements: PolicyStatement[], wanted: readonly string[], address: string): string[] {
  return wanted.filter(
    (action) =>
      !statements.some(
        (s) =>
          s.effect === 'Allow' &&
          s.actions.some((pattern) => actionMatches(pattern, action)) &&
          s.resources.some((resource) => coversResource(resource, address)),
      ),
  );
}

export const SECRETS_ROTATION_RULES: readonly Rule[] = [
  {
    id: 'GR-SM-3',
    info: 'A rotation function may be invoked by Secrets Manager and may use its secret and its key.',
    explanation:
      'Secrets Manager invokes the rotation function as secretsmanager.amazonaws.com, which the ' +
      "function's resource policy must allow (RotateSecret fails at apply otherwise), and the function " +
      'calls DescribeSecret, GetSecretValue, PutSecretValue and UpdateSecretVersionStage on the secret, ' +
      'and kms:Decrypt and kms:GenerateDataKey on a customer managed key, with its own role (Secrets ' +
      'Manager user guide, "Permissions for rotation"; "Secret encryption and decryption"). A missing ' +
      'grant fails every rotation, days after the apply. Checked where the function, its role and the ' +
      'key are in the same stack.',
    resourceTypes: ['aws_secretsmanager_secret_rotation'],
    severity: 'error',
    check: (rotation, { stack }) => {
      const fn = stack.follow(rotation, 'rotation_lambda_arn');
      const secret = stack.follow(rotation, 'secret_id');
      if (fn?.type !== 'aws_lambda_function' || secret?.type !== 'aws_secretsmanager_secret') return [];
      const reasons: string[] = [];
      const invocable = stack
        .referencing('aws_lambda_permission', 'function_name', fn, 'function_name')
        .some(
          (p) =>
            p.config.principal === 'secretsmanager.amazonaws.com' &&
            actionMatches(String(p.config.action ?? ''), 'lambda:InvokeFunction'),
        );
      if (!invocable)
        reasons.push(`no aws_lambda_permission lets secretsmanager.amazonaws.com invoke ${fn.address}`);
      const role = stack.follow(fn, 'role');
      if (role?.type !== 'aws_iam_role') return reasons;
      const statements = roleStatements(stack, role);
      const secretActions = missing(statements, ROTATION_SECRET_ACTIONS, secret.address);
      if (secretActions.length > 0)
        reasons.push(`role ${role.address} is not allowed ${secretActions.join(', ')} on ${secret.address}`);
      const key = stack.follow(secret, 'kms_key_id');
      if (key?.type === 'aws_kms_key') {
        const keyActions = missing(statements, ROTATION_KEY_ACTIONS, key.address);
        if (keyActions.length > 0)
          reasons.push(`role ${role.address} is not allowed ${keyActions.join(', ')} on ${key.address}`);
      }
      return reasons;
    },
  },
];
