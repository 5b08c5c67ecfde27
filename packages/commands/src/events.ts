import { randomUUID } from 'node:crypto';
import { JOBS } from '@quipu/queue';

/** A stored ticket event: the planner's event (or our own) with an id, public flag and effects. */
export function storedEvent(
  event: Record<string, unknown> & { type: string; at: Date },
  extra: { public?: boolean; effects?: string[] } = {},
) {
  return {
    _id: `ev-${randomUUID()}`,
    ...event,
    public: extra.public ?? false,
    ...(extra.effects?.length ? { effects: extra.effects } : {}),
  };
}

export type StoredEvent = ReturnType<typeof storedEvent>;

/**
 * The notify worker's work for one event: it reloads the ticket, reads the event and its
 * effects, and decides recipients. The outbox entry id is derived from the event id, so the
 * event is dispatched once.
 */
export function notifyEntry(ticketId: string, event: StoredEvent, now: Date) {
  return JOBS.notifyTicketEvent.entry({ ticketId, eventId: event._id }, { now });
}

/** Events whose effects include any notify* hint (or that always notify). */
export function needsNotification(event: StoredEvent): boolean {
  const effects = (event as { effects?: string[] }).effects ?? [];
  return effects.some((e) => e.startsWith('notify') || e === 'askSatisfaction');
}
