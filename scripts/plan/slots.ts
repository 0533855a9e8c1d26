/** The places a run's Terraform processes share: at most one per core, handed over in the order asked. */

export type PlanSlot = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `limit` tasks at once, in the order they asked. */
export function planSlots(limit: number): PlanSlot {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running < limit) running++;
    // A finishing task hands its slot straight over, so no newcomer can take it in between.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running--;
      else next();
    }
  };
}
