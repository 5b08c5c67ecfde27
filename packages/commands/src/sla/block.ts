import type { TicketRecord } from '@quipu/db';

/*
 * The SLA block as stored on a ticket, below both the computation (compute.ts) and the deadline
 * jobs (deadlines.ts) that write it, so neither imports the other to keep what the worker marked.
 */

const ms = (due: string | Date) => new Date(due).getTime();

type StoredTarget = NonNullable<NonNullable<TicketRecord['sla']>['targets']>[number];

/**
 * The freshly computed SLA block, keeping the `warnedAt` of each deadline that did not move
 * (other writers rebuild the block from the history, which does not hold it).
 */
export function mergeSlaBlock(
  ticket: TicketRecord,
  block: Record<string, unknown>,
  mark?: { target: string; field: 'warnedAt' | 'breachedAt'; at: Date },
): Record<string, unknown> {
  const stored = (ticket.sla?.targets ?? []) as StoredTarget[];
  const targets = (block.targets as Array<Record<string, unknown>>).map((t) => {
    const before = stored.find((s) => s.target === t.target);
    const same = before?.dueAt && t.dueAt && ms(before.dueAt) === ms(t.dueAt as Date);
    const out: Record<string, unknown> = { ...t };
    if (same && before?.warnedAt) out.warnedAt = before.warnedAt;
    if (mark && mark.target === t.target) out[mark.field] = (out[mark.field] as Date | undefined) ?? mark.at;
    return out;
  });
  return { ...block, targets };
}
