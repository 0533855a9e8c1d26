/**
 * What several rule files share (one copy each): a reason when a condition holds, the TLS-only
 * Deny of a resource policy, and the action patterns that grant a whole service.
 */
import type { PolicyStatement } from '../synthesized';

export const failIf = (condition: boolean, reason: string): string[] => (condition ? [reason] : []);

/**
 * Actions that grant a whole service, or everything: `*`, `*:*`, `<service>:*`. IAM compares action
 * names without regard to case (IAM user guide, "IAM JSON policy elements: Action"), so `S3:*` is one.
 */
export const isWildcardAction = (action: string): boolean => /^(\*|\*:\*|[A-Za-z0-9-]+:\*)$/.test(action);

/** A Deny of every action of the service to everyone when `aws:SecureTransport` is false. */
export function deniesInsecureTransport(
  statements: readonly PolicyStatement[] | undefined,
  service: string,
): boolean {
  return (statements ?? []).some(
    (s) =>
      s.effect === 'Deny' &&
      s.actions.some((action) => action === '*' || action.toLowerCase() === `${service}:*`) &&
      s.principals.some((p) => p.identifiers.includes('*')) &&
      s.conditions.some(
        (c) =>
          /^Bool(IfExists)?$/.test(c.test) &&
          c.variable.toLowerCase() === 'aws:securetransport' &&
          c.values.includes('false'),
      ),
  );
}
