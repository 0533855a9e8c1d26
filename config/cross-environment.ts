import { z } from 'zod';

/** What the rules across environments read of each one. */
interface EnvironmentSummary {
  readonly name: string;
  readonly accountId: string;
  readonly observability: { readonly auditTrail: { readonly owner: boolean } };
}

/**
 * Rules over the whole list of environments, each problem reported on the later environment:
 * - names are unique: the stack ids (`<env>-network`), the name prefix `<project>-<env>` and with it
 *   the state bucket `<prefix>-tfstate-<account>` and lock table derive from the name, so a unique
 *   name is what keeps two environments of one account from sharing state or resource names;
 * - at most one environment per account owns the audit trail (CloudTrail delivers every event of a
 *   multi-region trail once per trail: a second one records everything again, at a charge). None is
 *   allowed: the account's trail is then managed elsewhere, such as an organization trail.
 */
export function checkAcrossEnvironments(
  environments: readonly EnvironmentSummary[],
  ctx: z.RefinementCtx,
): void {
  const problem = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });

  const firstByName = new Map<string, number>();
  const trailOwnerByAccount = new Map<string, EnvironmentSummary>();
  environments.forEach((environment, index) => {
    const first = firstByName.get(environment.name);
    if (first === undefined) firstByName.set(environment.name, index);
    else
      problem(
        [index, 'name'],
        `duplicate environment name "${environment.name}" (also environments[${first}]); stack ids, the name prefix and the state bucket derive from it`,
      );

    if (!environment.observability.auditTrail.owner) return;
    const owner = trailOwnerByAccount.get(environment.accountId);
    if (owner === undefined) trailOwnerByAccount.set(environment.accountId, environment);
    else
      problem(
        [index, 'observability', 'auditTrail', 'owner'],
        `${owner.name} already owns the audit trail of account ${environment.accountId}; one environment per account owns it (a second trail records every event again, at a charge): set false here`,
      );
  });
}
