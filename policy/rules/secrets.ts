/**
 * Guardrails for the RDS master secret: the application never uses the master user (`DESIGN.md`),
 * so nothing but the function that administers the database users may read its secret.
 */
import { actionMatches } from '../../modules/ci-read-permissions';
import type { Rule } from '../rule';
import {
  asStrings,
  blocks,
  type PolicyStatement,
  type SynthesizedResource,
  type SynthesizedStack,
} from '../synthesized';

/**
 * How the synthesized JSON names the RDS-managed master secret: the instance attribute
 * (`master_user_secret[0].secret_arn`, also inside a cross-stack output's name) or an ARN of a
 * secret RDS created (RDS names them `rds!db-...`, `rds!cluster-...`).
 */
export function namesMasterSecret(value: string): boolean {
  return /master_user_secret/.test(value) || /:secret:rds!/.test(value);
}

/** A resource pattern that includes the master secret: the ARN itself, or every secret. */
function coversMasterSecret(resource: string): boolean {
  return resource === '*' || /:secret:\*$/.test(resource) || namesMasterSecret(resource);
}

function masterSecretReads(statements: readonly PolicyStatement[] | undefined): string[] {
  return (statements ?? [])
    .filter((statement) => statement.effect === 'Allow')
    .flatMap((statement) => {
      const actions = statement.actions.filter((action) =>
        actionMatches(action, 'secretsmanager:GetSecretValue'),
      );
      const resources = statement.resources.filter(coversMasterSecret);
      return actions.length > 0 && resources.length > 0
        ? [`grants ${actions.join(', ')} on ${resources.join(', ')}`]
        : [];
    });
}

/**
 * The database-users function's role: the role of a Lambda function that an
 * `aws_secretsmanager_secret_rotation` of the same stack names as its rotation function.
 */
function isDatabaseUsersRole(role: SynthesizedResource | undefined, stack: SynthesizedStack): boolean {
  if (role === undefined || role.type !== 'aws_iam_role') return false;
  return stack
    .referencing('aws_lambda_function', 'role', role)
    .some(
      (fn) => stack.referencing('aws_secretsmanager_secret_rotation', 'rotation_lambda_arn', fn).length > 0,
    );
}

export const SECRETS_RULES: readonly Rule[] = [
  {
    id: 'GR-SM-1',
    info: "Only the database-users function's role may read the RDS master secret.",
    explanation:
      'RDS keeps the master password in a secret it rotates itself, every 7 days by default (Amazon RDS ' +
      'user guide, "Password management with Amazon RDS and AWS Secrets Manager"): a reader that holds ' +
      'it between re-reads fails at every rotation, and the master user holds every privilege. ' +
      'Applications log in as their own users, whose secrets rotate with alternating users (Secrets ' +
      'Manager user guide, "Rotation strategies"). The one exception is the role of the Lambda function ' +
      'that an aws_secretsmanager_secret_rotation of the same stack names: it creates those users. ' +
      "GetSecretValue on `*` or `secret:*` includes the master secret. A policy used as a role's " +
      'permissions boundary grants nothing by itself and is not checked.',
    resourceTypes: [
      'aws_iam_role_policy',
      'aws_iam_role',
      'aws_iam_policy',
      'aws_iam_user_policy',
      'aws_iam_group_policy',
    ],
    severity: 'error',
    check: (resource, { stack }) => {
      const c = resource.config;
      if (resource.type === 'aws_iam_role') {
        if (isDatabaseUsersRole(resource, stack)) return [];
        return blocks(c.inline_policy).flatMap((p) => masterSecretReads(stack.policyStatements(p.policy)));
      }
      if (
        resource.type === 'aws_iam_role_policy' &&
        isDatabaseUsersRole(stack.follow(resource, 'role'), stack)
      )
        return [];
      if (stack.isPermissionsBoundary(resource)) return [];
      return masterSecretReads(stack.policyStatements(c.policy));
    },
  },
  {
    id: 'GR-SM-2',
    info: 'No ECS container receives the RDS master secret.',
    explanation:
      'ECS reads a container secret once, when the task starts, and does not refresh it (Amazon ECS ' +
      'developer guide, "Pass Secrets Manager secrets through Amazon ECS environment variables"): the ' +
      "master password RDS rotates every 7 days breaks the task's next connections after a rotation, " +
      "and anyone with ECS Exec reads it from the environment. A container gets its own user's secret.",
    resourceTypes: ['aws_ecs_task_definition'],
    severity: 'error',
    check: (definition) => {
      let containers: unknown;
      try {
        containers = JSON.parse(String(definition.config.container_definitions ?? '[]'));
      } catch {
        return []; // an expression the synth cannot read
      }
      return blocks(containers).flatMap((container) =>
        blocks(container.secrets)
          .filter((secret) => asStrings(secret.valueFrom).some(namesMasterSecret))
          .map(
            (secret) =>
              `container ${String(container.name)} gets ${String(secret.name)} from the master secret`,
          ),
      );
    },
  },
];
