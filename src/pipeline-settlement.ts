/**
 * "Is everything that had arrived by time A settled and stored?" An analysis asks this before it reads the store, so
 * it never ranks on rollups that still miss spans waiting in the pairer (a confident wrong answer is the worst thing
 * an RCA tool can give). Three stages, waited for in order, each bounded:
 *  1. the batch writer: no request accepted before A is still uncommitted (its spans then reach the pairer);
 *  2. the pairer: every span that had reached it by then has waited out its pair wait and been settled;
 *  3. the derived-row writer: what was settled is flushed to the rollups (forced, cheap).
 * Nothing is forced early in the pairer: settling a span before its children arrive would get its self time wrong.
 */
export interface SettlementStages {
  oldestUncommittedAt(): number | undefined;
  oldestPendingArrival(): number | undefined;
  flushDerived(): Promise<void>;
}

export interface SettlementOptions {
  /** The longest an analysis waits (pair wait plus a settle interval and a flush, with slack). */
  maxWaitMs: number;
  pollMs?: number;
  /** A request accepted before A is taken as committed by A + this when the writer shows none pending. */
  commitSlackMs?: number;
}

export function createSettlement(
  stages: SettlementStages,
  opts: SettlementOptions,
  now: () => number = Date.now,
): (arrivedBy: number) => Promise<number> {
  const poll = opts.pollMs ?? 100;
  const slack = opts.commitSlackMs ?? 30_000;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return async (arrivedBy: number): Promise<number> => {
    const deadline = now() + opts.maxWaitMs;
    const incomplete = (): number =>
      Math.min(stages.oldestUncommittedAt() ?? Infinity, stages.oldestPendingArrival() ?? Infinity, now()) - 1;
    let committedBy = Math.min(now(), arrivedBy + slack);
    if ((stages.oldestUncommittedAt() ?? Infinity) <= arrivedBy) {
      while ((stages.oldestUncommittedAt() ?? Infinity) <= arrivedBy) {
        if (now() > deadline) return Math.min(arrivedBy, incomplete());
        await sleep(poll);
      }
      committedBy = now();
    }
    while ((stages.oldestPendingArrival() ?? Infinity) <= committedBy) {
      if (now() > deadline) return Math.min(arrivedBy, incomplete());
      await sleep(poll);
    }
    await stages.flushDerived();
    return arrivedBy;
  };
}
