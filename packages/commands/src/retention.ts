import { addUtcMonths, isDueForAnonymisation, type TicketKind, type TicketStatus } from '@quipu/core/tickets';
import type { CommandContext } from './context.ts';
import { storedEvent } from './events.ts';

/**
 * Ley 29733: a reporter's name and e-mail are kept only as long as needed. Tickets closed more
 * than `retention.anonymiseAfterMonths` ago lose them (the ticket, its history and figures stay);
 * their supporters' and followers' addresses go too. Runs daily from the maintenance worker.
 */
export async function anonymiseClosedTickets(ctx: CommandContext, options: { batch?: number } = {}) {
  const now = ctx.now();
  const months = ctx.config.retention.anonymiseAfterMonths;
  const cutoff = addUtcMonths(now, -months);
  const candidates = await ctx.tickets.closedBefore(cutoff, options.batch ?? 500);
  let anonymised = 0;
  for (const ticket of candidates) {
    const due = isDueForAnonymisation(
      {
        kind: ticket.kind as TicketKind,
        status: ticket.status as TicketStatus,
        closedAt: ticket.closedAt ?? null,
        anonymisedAt: ticket.reporter?.anonymisedAt ?? null,
        events: [],
      },
      months,
      now,
    );
    if (!due) continue;
    const updated = await ctx.tickets.applyChange(
      { kind: 'everything' },
      {
        id: String(ticket._id),
        guard: { 'reporter.anonymisedAt': { $exists: false } },
        set: { 'reporter.anonymisedAt': now, 'reporter.unsubscribed': true },
        unset: ['reporter.email', 'reporter.name'],
        events: [
          storedEvent({
            type: 'reporter_anonymised',
            actor: { id: null, role: 'system' },
            reason: `closed more than ${months} months ago`,
            fields: { months },
            at: now,
          }),
        ],
      },
    );
    if (updated) {
      await ctx.engagement.forgetSubscribers(String(ticket._id));
      anonymised += 1;
    }
  }
  const sessions = await ctx.directory.deleteExpiredSessions(now);
  const keys = await ctx.engagement.deleteExpiredIdempotencyKeys(now);
  return { anonymised, expiredSessions: sessions, expiredIdempotencyKeys: keys };
}
