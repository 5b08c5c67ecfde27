// Rules that depend on how long a ticket has stayed somewhere: the system closes resolved
// tickets nobody answered for, and anonymises reporters of finished tickets. Sweeps call
// these with `now`; the thresholds come from config.
import type { TicketKind, TicketStatus } from './model.ts';
import { isTerminalStatus } from './state-machine.ts';
import { assertValidNow } from './transitions.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StatusEventLike {
  type: string;
  to?: unknown;
  at: Date;
}

export interface TimedTicket {
  kind: TicketKind;
  status: TicketStatus;
  /** When the ticket entered its current status, if stored. */
  statusChangedAt?: Date | null;
  /** The audit trail; used to find `statusChangedAt` when it is not stored. */
  events?: readonly StatusEventLike[];
}

/** When the ticket entered its current status: the stored instant or the last matching event. */
export function enteredStatusAt(ticket: TimedTicket): Date | null {
  if (ticket.statusChangedAt) return ticket.statusChangedAt;
  const events = ticket.events ?? [];
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type === 'status_changed' && event.to === ticket.status) return event.at;
  }
  return null;
}

function assertPositive(name: string, value: number, integer: boolean): void {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
}

export interface SystemCloseSettings {
  /** Days a resolved ticket waits for the reporter's "solved?" answer before `auto_close`. */
  resolvedDays: number;
  /** Days a complaint waits for the reporter's reply before `close_unanswered`; null: never. */
  unansweredDays?: number | null;
}

/**
 * The system action a close sweep should plan for this ticket now, or null.
 * Days are calendar days: the reporter's patience does not follow office hours.
 */
export function dueSystemClose(
  ticket: TimedTicket,
  settings: SystemCloseSettings,
  now: Date,
): 'auto_close' | 'close_unanswered' | null {
  assertValidNow(now);
  assertPositive('resolvedDays', settings.resolvedDays, false);
  const since = enteredStatusAt(ticket);
  if (since === null) return null;
  const elapsed = now.getTime() - since.getTime();
  if (ticket.status === 'resolved' && ticket.kind !== 'data_request') {
    return elapsed >= settings.resolvedDays * DAY_MS ? 'auto_close' : null;
  }
  const unanswered = settings.unansweredDays;
  if (ticket.kind === 'complaint' && ticket.status === 'waiting_reporter' && unanswered != null) {
    assertPositive('unansweredDays', unanswered, false);
    return elapsed >= unanswered * DAY_MS ? 'close_unanswered' : null;
  }
  return null;
}

/** The instant a resolved ticket becomes due for `auto_close` (for the delayed job's delay). */
export function autoCloseAt(resolvedAt: Date, resolvedDays: number): Date {
  assertPositive('resolvedDays', resolvedDays, false);
  return new Date(resolvedAt.getTime() + resolvedDays * DAY_MS);
}

/** Adds calendar months in UTC, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addUtcMonths(at: Date, months: number): Date {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(at.getTime());
  result.setUTCFullYear(year, month, Math.min(at.getUTCDate(), lastDay));
  return result;
}

export interface RetentionTicket extends TimedTicket {
  /** When the ticket reached its terminal status; falls back to `enteredStatusAt`. */
  closedAt?: Date | null;
  anonymisedAt?: Date | null;
}

/**
 * Whether the reporter's personal data must now be removed: the ticket is finished, has
 * been for `months` calendar months, and has not been anonymised yet. A ticket whose
 * finishing time is unknown is never due; anonymising too early cannot be undone.
 */
export function isDueForAnonymisation(ticket: RetentionTicket, months: number, now: Date): boolean {
  assertValidNow(now);
  assertPositive('months', months, true);
  if (ticket.anonymisedAt) return false;
  if (!isTerminalStatus(ticket.kind, ticket.status)) return false;
  const finishedAt = ticket.closedAt ?? enteredStatusAt(ticket);
  if (finishedAt === null) return false;
  return addUtcMonths(finishedAt, months).getTime() <= now.getTime();
}
