import {
  type ComputeSlaInput,
  computeSla,
  deadlineJobs,
  type SlaEvent,
  type SlaResult,
  selectPolicy,
  type TargetResult,
} from '@quipu/core/sla';
import type { Calendar } from '@quipu/core/time';
import type { OutboxEntry, TicketRecord } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { effectiveCalendars } from '../calendars.ts';
import type { CommandContext } from '../context.ts';
import { type StoredEvent, storedEvent } from '../events.ts';
import { mergeSlaBlock } from './block.ts';

type TicketLike = Pick<TicketRecord, 'kind' | 'category' | 'priority' | 'status' | 'events' | 'createdAt'> & {
  _id: unknown;
  regime?: string | null;
  organisationId: unknown;
  sla?: TicketRecord['sla'];
};

/** The ticket history in the SLA clock's terms: status changes, public staff replies, extensions. */
export function slaEventsOf(events: ReadonlyArray<Record<string, unknown>>): SlaEvent[] {
  const out: SlaEvent[] = [];
  for (const event of events) {
    const at = new Date(event.at as Date);
    if (event.type === 'status_changed' && typeof event.to === 'string')
      out.push({ type: 'status', at, status: event.to });
    else if (
      event.type === 'comment_added' &&
      event.public &&
      (event.actor as { role?: string })?.role !== 'reporter' &&
      (event.actor as { role?: string })?.role !== 'system'
    ) {
      out.push({ type: 'staff_reply', at });
    } else if (event.type === 'deadline_extended' && event.to) {
      out.push({
        type: 'extension',
        at,
        newDue: new Date(event.to as string),
        ...(event.reason ? { reason: String(event.reason) } : {}),
      });
    }
  }
  return out;
}

export async function calendarOf(ctx: CommandContext, organisationId: unknown): Promise<Calendar> {
  const organisation = organisationId
    ? await ctx.directory.findOrganisation({ kind: 'everything' }, String(organisationId))
    : null;
  // Config calendars plus holidays decreed by admins (calendar_overrides).
  const calendars = await effectiveCalendars(ctx);
  return calendars.get(organisation?.calendarId ?? '') ?? calendars.get(ctx.domain.defaultCalendarId)!;
}

export interface SlaComputation {
  input: ComputeSlaInput;
  result: SlaResult;
  /** What is stored on the ticket (figures for dashboards included). */
  block: Record<string, unknown>;
  /** Outbox entries for deadline jobs not yet scheduled. */
  outbox: OutboxEntry[];
  /** Policy or calendar changes this computation found, to append to the ticket's history. */
  changeEvents: StoredEvent[];
}

/**
 * Recomputes a ticket's SLA from its whole history (plus events about to be appended) and
 * says which deadline jobs to schedule. Jobs have deterministic ids, so scheduling one twice is
 * harmless; a job whose due moved is recognised as stale by the SLA worker.
 */
export async function computeTicketSla(
  ctx: CommandContext,
  ticket: TicketLike,
  pendingEvents: ReadonlyArray<Record<string, unknown>>,
  now: Date,
  calendar?: Calendar,
): Promise<SlaComputation | null> {
  const policy = selectPolicy(ctx.domain.policies, {
    kind: ticket.kind,
    category: ticket.category ?? null,
    priority: ticket.priority ?? null,
    organisation: String(ticket.organisationId),
    regime: ticket.regime ?? null,
  });
  if (!policy) return null;
  const cal = calendar ?? (await calendarOf(ctx, ticket.organisationId));
  const history = [...(ticket.events ?? []), ...pendingEvents] as Array<Record<string, unknown>>;
  const created = history.find((e) => e.type === 'created');
  const receivedAt = created ? new Date(created.at as Date) : new Date(ticket.createdAt ?? now);
  const initialStatus = (created?.to as string | undefined) ?? ticket.status;

  // A change of policy (priority, category…) or calendar (transfer) keeps the business time
  // already elapsed and counts the rest on the new one: each change is an event in the history.
  const calendars = await effectiveCalendars(ctx);
  const policyChanges = history.filter((e) => e.type === 'sla_policy_changed');
  const calendarChanges = history.filter((e) => e.type === 'sla_calendar_changed');
  const changeEvents: StoredEvent[] = [];
  const currentPolicyId =
    (policyChanges.at(-1)?.to as string | undefined) ?? ticket.sla?.policyId ?? policy.id;
  const currentCalendarId =
    (calendarChanges.at(-1)?.to as string | undefined) ?? ticket.sla?.calendarId ?? cal.id;
  const system = { id: null, role: 'system' };
  if (currentPolicyId !== policy.id)
    changeEvents.push(
      storedEvent({
        type: 'sla_policy_changed',
        actor: system,
        from: currentPolicyId,
        to: policy.id,
        at: now,
      }),
    );
  if (currentCalendarId !== cal.id)
    changeEvents.push(
      storedEvent({
        type: 'sla_calendar_changed',
        actor: system,
        from: currentCalendarId,
        to: cal.id,
        at: now,
      }),
    );
  const allPolicyChanges = [
    ...policyChanges,
    ...changeEvents.filter((e) => e.type === 'sla_policy_changed'),
  ] as Array<Record<string, unknown>>;
  const allCalendarChanges = [
    ...calendarChanges,
    ...changeEvents.filter((e) => e.type === 'sla_calendar_changed'),
  ] as Array<Record<string, unknown>>;
  const policyById = (id: unknown) => ctx.domain.policies.find((p) => p.id === id);
  const initialPolicy = policyById(allPolicyChanges[0]?.from) ?? policy;
  const initialCalendar = calendars.get(String(allCalendarChanges[0]?.from ?? '')) ?? cal;
  const changes: SlaEvent[] = [
    ...allPolicyChanges.flatMap((e) => {
      const next = policyById(e.to);
      return next ? [{ type: 'policy' as const, at: new Date(e.at as Date), policy: next }] : [];
    }),
    ...allCalendarChanges.flatMap((e) => {
      const next = calendars.get(String(e.to));
      return next ? [{ type: 'calendar' as const, at: new Date(e.at as Date), calendar: next }] : [];
    }),
  ];
  const input: ComputeSlaInput = {
    policy: initialPolicy,
    calendar: initialCalendar,
    receivedAt,
    events: [...slaEventsOf(history.filter((e) => e !== created)), ...changes].sort(
      (a, b) => a.at.getTime() - b.at.getTime(),
    ),
    now,
    initialStatus,
  };
  const result = computeSla(input);
  const ticketId = String(ticket._id);
  const jobs = deadlineJobs(ticketId, result);
  const scheduled = new Set<string>(ticket.sla?.scheduledJobIds ?? []);
  const outbox = jobs
    .filter((job) => !scheduled.has(job.jobId))
    .map((job) =>
      JOBS.slaDeadline.entry(
        { ticketId, target: job.target, kind: job.kind, due: job.due.toISOString() },
        { id: job.jobId, runAt: job.runAt, now },
      ),
    );
  const targets = Object.values(result.targets) as TargetResult[];
  const firstResponse = result.targets.firstResponse;
  const resolution = result.targets.resolution;
  const block = {
    policyId: result.policyId,
    calendarId: result.calendarId,
    startedAt: result.clockStart,
    targets: targets.map((t) => ({
      target: t.target,
      dueAt: t.due ?? t.dueIfResumedNow ?? undefined,
      warnAt: t.warnAt ?? undefined,
      state: t.state,
      ...(t.state === 'met' || t.state === 'stopped' ? { metAt: t.decidedAt ?? undefined } : {}),
      ...(t.breachedAt ? { breachedAt: t.breachedAt } : {}),
      elapsedMs: Math.round(t.elapsedMs),
    })),
    pausedIntervals: result.pausedIntervals.map((p) => ({ from: p.from, to: p.to ?? undefined })),
    firstResponseAt: firstResponse?.firstMetAt ?? ticket.sla?.firstResponseAt ?? undefined,
    breached: targets.some((t) => t.breachedAt),
    firstResponseBreached: Boolean(firstResponse?.breachedAt),
    resolutionBreached: Boolean(resolution?.breachedAt),
    ...(firstResponse?.firstMetAt ? { firstResponseMs: Math.round(firstResponse.elapsedMs) } : {}),
    ...(resolution && (resolution.state === 'met' || resolution.state === 'stopped')
      ? { resolutionMs: Math.round(resolution.elapsedMs) }
      : {}),
    extensionNoticeDeadline: result.extensionNoticeDeadline ?? undefined,
    scheduledJobIds: [...new Set([...scheduled, ...jobs.map((j) => j.jobId)])],
  };
  // Keep what the SLA worker recorded (warnedAt, breach marks) across later recomputations.
  return {
    input,
    result,
    block: mergeSlaBlock(ticket as unknown as TicketRecord, block),
    outbox,
    changeEvents,
  };
}
