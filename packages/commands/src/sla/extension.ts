import { explainDue, renderExplanation, type TargetName, type TargetResult } from '@quipu/core/sla';
import { type Calendar, closingOfDay, localToUtc } from '@quipu/core/time';
import type { TicketRecord } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import type { CommandContext } from '../context.ts';
import { CommandError } from '../errors.ts';
import { storedEvent } from '../events.ts';
import type { StaffPrincipal } from '../principal.ts';
import { loadTicket } from '../tickets/load.ts';
import { mergeSlaBlock } from './block.ts';
import { computeTicketSla } from './compute.ts';
import { slaNow } from './deadlines.ts';

export interface ExtendDeadlineProps {
  /** Ticket ref or id. */
  ticket: string;
  /** The new resolution due: a date (`YYYY-MM-DD`, due at that business day's closing) or an instant. */
  newDue: string;
  /** Why answering in time is materially impossible (told to the requester). */
  reason: string;
}

/** A local date → the closing of that business day; an instant is taken as it is. */
function dueFrom(calendar: Calendar, input: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  if (!m) {
    const at = new Date(input);
    if (Number.isNaN(at.getTime()))
      throw new CommandError('invalid_field', 'Give the new due as YYYY-MM-DD or an ISO instant.', {
        field: 'newDue',
      });
    return at;
  }
  const noon = new Date(
    localToUtc(calendar.timezone, Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12)),
  );
  const closing = closingOfDay(calendar, noon);
  if (!closing)
    throw new CommandError('not_a_business_day', 'The new due must fall on a business day.', {
      field: 'newDue',
    });
  return closing;
}

const REFUSALS: Record<string, string> = {
  no_extension_rule: 'This ticket’s SLA policy allows no extension.',
  no_resolution_target: 'This ticket has no resolution deadline.',
  already_extended: 'The deadline was already extended; the law allows it once.',
  notice_deadline_passed:
    'An extension must be notified within the notice period after receipt, which has passed.',
  not_after_current_due: 'The new due must be after the current one.',
  beyond_maximum: 'The new due is beyond the longest extension the policy allows.',
  target_decided: 'The resolution deadline is already met or breached.',
};

/**
 * Extends a ticket's resolution deadline once (Peru, Ley 27806 art. 11 b): only under a policy
 * with an extension rule, before its notice deadline (2 business days from receipt), to a date
 * after the current due. One write: the `deadline_extended` event (the clock reads it), the
 * recomputed SLA block, the new deadline jobs and the reporter's `deadline_extension` e-mail job.
 */
export async function extendDeadline(
  ctx: CommandContext,
  principal: StaffPrincipal,
  props: ExtendDeadlineProps,
): Promise<{ ticket: TicketRecord; previousDue: Date; newDue: Date }> {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  if (
    principal.scope.kind === 'organisations' &&
    !principal.scope.organisationIds.includes(String(ticket.organisationId))
  )
    throw new CommandError('forbidden', 'Not your organisation’s ticket.');
  const reason = props.reason.trim();
  if (!reason)
    throw new CommandError('invalid_field', 'Say why the deadline is extended.', { field: 'reason' });
  const now = ctx.now();
  const current = await slaNow(ctx, ticket, now);
  if (!current) throw new CommandError('no_extension_rule', REFUSALS.no_extension_rule!);
  const calendar = current.input.calendar;
  const newDue = dueFrom(calendar, props.newDue);
  const event = storedEvent(
    {
      type: 'deadline_extended',
      actor: { id: principal.userId, role: principal.roles[0] ?? 'officer', name: principal.name },
      to: newDue.toISOString(),
      reason,
      at: now,
    },
    { public: true },
  );
  const next = await computeTicketSla(ctx, ticket, [event], now, calendar);
  const outcome = next?.result.extensions.at(-1);
  if (!next || !outcome?.accepted) {
    const code = outcome?.refusal ?? 'no_extension_rule';
    throw new CommandError(code, REFUSALS[code] ?? 'The extension is not allowed.', { field: 'newDue' });
  }
  const previousDue = outcome.previousDue!;
  (event as Record<string, unknown>).from = previousDue.toISOString();
  const block = {
    ...mergeSlaBlock(ticket, next.block),
    extension: { grantedAt: now, dueAt: newDue, reason, notifiedAt: now },
  };
  const updated = await ctx.tickets.applyChange(principal.scope, {
    id: String(ticket._id),
    expectedStatus: ticket.status,
    guard: { 'events.type': { $ne: 'deadline_extended' } },
    set: { sla: block },
    events: [event],
    outbox: [
      ...next.outbox,
      JOBS.extensionNotice.entry({ ticketId: String(ticket._id), eventId: event._id }, { now }),
    ],
  });
  if (!updated)
    throw new CommandError('concurrent_change', 'The ticket changed meanwhile; reload and try again.');
  await ctx.kickOutbox(String(ticket._id));
  return { ticket: updated, previousDue, newDue };
}

/** One target's clock, explained (for the public and staff SLA endpoints). */
export interface TargetExplanation {
  target: TargetName;
  state: TargetResult['state'];
  due: Date | null;
  dueIfResumedNow: Date | null;
  warnAt: Date | null;
  breachedAt: Date | null;
  decidedAt: Date | null;
  explanation: ReturnType<typeof explainDue>;
  text: string | null;
}

/**
 * Why each deadline of a ticket is what it is: start and why, pauses, non-working days skipped
 * (with their names and laws), extensions — as data and as a sentence in `lang`.
 */
export async function explainTicketSla(ctx: CommandContext, ticket: TicketRecord, lang: 'es' | 'en') {
  const now = ctx.now();
  const comp = await slaNow(ctx, ticket, now);
  if (!comp) return null;
  const targets: TargetExplanation[] = (Object.values(comp.result.targets) as TargetResult[]).map((t) => {
    const explanation = explainDue(comp.input, t.target);
    return {
      target: t.target,
      state: t.state,
      due: t.due,
      dueIfResumedNow: t.dueIfResumedNow,
      warnAt: t.warnAt,
      breachedAt: t.breachedAt,
      decidedAt: t.decidedAt,
      explanation,
      text: explanation ? renderExplanation(explanation, lang) : null,
    };
  });
  return {
    policy: {
      id: comp.input.policy.id,
      name: lang === 'en' ? (comp.input.policy.nameEn ?? comp.input.policy.name) : comp.input.policy.name,
      law: comp.input.policy.law ?? null,
    },
    calendar: { id: comp.input.calendar.id, timezone: comp.input.calendar.timezone },
    receivedAt: comp.result.receivedAt,
    clockStart: comp.result.clockStart,
    status: comp.result.status,
    extensionNoticeDeadline: comp.result.extensionNoticeDeadline,
    extensions: comp.result.extensions,
    targets,
    now,
  };
}
