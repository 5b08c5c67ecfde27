import { type Models, notificationLogRepository } from '@quipu/db';
import type { FollowerChange, TicketLink } from '@quipu/mail';

/** One follower update held back for the daily followers' digest. */
export interface HeldUpdate {
  /** The notification id it would have had (`<event id>:follower-<subscription id>`). */
  id: string;
  to: string;
  language: 'es' | 'en';
  ticketId: string;
  ticket: TicketLink;
  change: FollowerChange;
}

/**
 * For the notify worker: a follower whose subscription has `digest: true` gets no e-mail per
 * update; the update is recorded instead (`state: 'suppressed'`, `data.digest.state: 'waiting'`)
 * under the id the e-mail would have had, and the `followers-digest` job sends them once a day.
 * Idempotent like `deliver`: the id is the key.
 */
export async function holdForDigest(models: Models, update: HeldUpdate): Promise<'held' | 'exists'> {
  return notificationLogRepository(models).recordHeld({
    id: update.id,
    kind: 'followers_digest',
    to: update.to,
    recipientKind: 'follower',
    language: update.language,
    ticketId: update.ticketId,
    data: { digest: { state: 'waiting', ticket: update.ticket, change: update.change } },
  });
}
