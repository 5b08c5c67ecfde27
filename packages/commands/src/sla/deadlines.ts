import {
  type EscalationPlan,
  escalationSchedule,
  type SlaPolicy,
  type TargetName,
  type TargetResult,
} from '@quipu/core/sla';
import type { Calendar } from '@quipu/core/time';
import { EVERYTHING, type OutboxEntry, type TicketRecord } from '@quipu/db';
import { JOBS, type JobData } from '@quipu/queue';
import { calendarFor, effectiveCalendars } from '../calendars.ts';
import type { CommandContext } from '../context.ts';
import { mergeSlaBlock } from './block.ts';
import { computeTicketSla, type SlaComputation } from './compute.ts';

/** Payload of a `deadline` job on the `sla` queue (see `deadlineJobs` in @quipu/core/sla). */
export type DeadlineJobData = JobData<'sla', 'deadline'>;

/** Payload of an `escalate` job: step `level` (1-based) of the policy's chain for one deadline. */
export type EscalateJobData = JobData<'sla', 'escalate'>;

const ms = (due: string | Date) => new Date(due).getTime();

/**
 * Deterministic audit-event ids: the event of a warning, breach or escalation step of one
 * deadline is written once (the write is guarded on the id being absent), however often its
 * job runs; notifications hang off it as `<event id>:<recipient>`.
 */
export const slaEventIds = {
  warn: (target: string, due: string | Date) => `ev-sla-warn-${target}-${ms(due)}`,
  breach: (target: string, due: string | Date) => `ev-sla-breach-${target}-${ms(due)}`,
  escalate: (target: string, level: number, due: string | Date) => `ev-sla-esc${level}-${target}-${ms(due)}`,
};

/** BullMQ id of an escalation step (no ':' — BullMQ refuses it in custom ids). */
export function escalationJobId(ticketId: string, target: string, level: number, due: string | Date): string {
  return `sla-${ticketId}-${target}-esc${level}-${ms(due)}`;
}

/** What a processor must do after a deadline or escalation job was examined. */
export type SlaJobOutcome =
  | { outcome: 'stale'; reason: string }
  /** Not due yet (the job ran before its instant, e.g. clock skew): run again at `runAt`. */
  | { outcome: 'early'; runAt: Date }
  | {
      outcome: 'recorded' | 'already_recorded';
      ticket: TicketRecord;
      eventId: string;
      mail: 'sla_warning' | 'sla_breach' | 'escalation';
      /** Who receives it: `assignee`, `team_lead`, `manager`, `parent_organisation`. */
      audience: string;
      level: number;
      target: TargetName;
      due: Date;
      warnAt: Date | null;
      breachedAt: Date | null;
      remainingMs: number;
    };

/** The SLA of a ticket as of `now`, on the calendars in force (config + decreed days). */
export async function slaNow(
  ctx: CommandContext,
  ticket: TicketRecord,
  now: Date,
  calendars?: Map<string, Calendar>,
  calendarId?: string | null,
): Promise<SlaComputation | null> {
  const all = calendars ?? (await effectiveCalendars(ctx));
  let id = calendarId;
  if (id === undefined) {
    const organisation = await ctx.directory.findOrganisation(EVERYTHING, String(ticket.organisationId));
    id = organisation?.calendarId ?? null;
  }
  return await computeTicketSla(ctx, ticket, [], now, calendarFor(all, ctx, id));
}

function findTarget(comp: SlaComputation, target: TargetName): TargetResult | undefined {
  return comp.result.targets[target];
}

/** Escalation steps that hang off a warning or a breach, excluding the one the warning/breach mail itself covers. */
export function escalationPlansFor(
  policy: SlaPolicy,
  calendar: Calendar,
  t: TargetResult,
  from: 'warn' | 'breach',
): EscalationPlan[] {
  const steps = policy.escalation ?? [];
  return escalationSchedule(policy, calendar, t).filter((plan) => {
    const step = steps[plan.level - 1]!;
    if ((step.from ?? 'breach') !== from) return false;
    // The assignee's immediate step is the warning (or breach) e-mail itself: one e-mail, not two.
    return !(step.to === 'assignee' && step.after.amount === 0);
  });
}

function escalationEntries(
  ticketId: string,
  target: TargetName,
  due: Date,
  plans: EscalationPlan[],
  now: Date,
): OutboxEntry[] {
  return plans.map((plan) =>
    JOBS.slaEscalation.entry(
      { ticketId, target, level: plan.level, due: due.toISOString() },
      { id: escalationJobId(ticketId, target, plan.level, due), runAt: plan.at, now },
    ),
  );
}

async function load(ctx: CommandContext, ticketId: string): Promise<TicketRecord | null> {
  return /^[0-9a-f]{24}$/.test(ticketId) ? await ctx.tickets.findById(EVERYTHING, ticketId) : null;
}

const hasEvent = (ticket: TicketRecord, id: string) => (ticket.events ?? []).some((e) => e._id === id);

/**
 * A `deadline` job: reload the ticket, recompute its SLA now, and record the warning or the
 * breach only if the deadline it was scheduled for still stands — a paused, extended, resolved
 * or recomputed ticket makes the job stale. The record (event, SLA block, escalation jobs) is
 * one guarded write; running the job again finds the event and only re-delivers what is missing.
 */
export async function processDeadline(ctx: CommandContext, data: DeadlineJobData): Promise<SlaJobOutcome> {
  const eventId =
    data.kind === 'warn'
      ? slaEventIds.warn(data.target, data.due)
      : slaEventIds.breach(data.target, data.due);
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const ticket = await load(ctx, data.ticketId);
    if (!ticket) return { outcome: 'stale', reason: 'ticket gone' };
    const now = ctx.now();
    const comp = await slaNow(ctx, ticket, now);
    const t = comp ? findTarget(comp, data.target) : undefined;
    const recorded = hasEvent(ticket, eventId);
    if (!comp || !t) return { outcome: 'stale', reason: 'no such target' };
    const result = (outcome: 'recorded' | 'already_recorded', updated: TicketRecord) =>
      ({
        outcome,
        ticket: updated,
        eventId,
        mail: data.kind === 'warn' ? 'sla_warning' : 'sla_breach',
        audience: 'assignee',
        level: 0,
        target: data.target,
        due: new Date(data.due),
        warnAt: t.warnAt,
        breachedAt: t.breachedAt,
        remainingMs: t.remainingMs,
      }) as const;
    // Recorded earlier (a retry after an SMTP failure): deliver what is missing, whatever happened since.
    if (recorded) return result('already_recorded', ticket);
    if (!t.due || ms(t.due) !== ms(data.due)) return { outcome: 'stale', reason: 'due moved' };
    if (t.decidedAt || (t.state !== 'running' && t.state !== 'breached'))
      return { outcome: 'stale', reason: `target ${t.state}` };
    if (data.kind === 'warn') {
      if (t.state !== 'running') return { outcome: 'stale', reason: 'already breached' };
      if (!t.warnAt) return { outcome: 'stale', reason: 'no warning' };
      if (t.warnAt.getTime() > now.getTime()) return { outcome: 'early', runAt: t.warnAt };
    } else if (t.state !== 'breached') {
      // Due not passed yet: a breach is strictly after the due (resolved exactly at the due is on time).
      return { outcome: 'early', runAt: new Date(ms(data.due) + 1_000) };
    }
    const event = {
      _id: eventId,
      type: data.kind === 'warn' ? 'sla_warning' : 'sla_breached',
      actor: { id: null, role: 'system', name: 'Quipu' },
      fields: {
        target: data.target,
        due: t.due,
        ...(data.kind === 'warn' ? { warnAt: t.warnAt } : { breachedAt: t.breachedAt }),
      },
      public: false,
      at: now,
    };
    const block = mergeSlaBlock(ticket, comp.block, {
      target: data.target,
      field: data.kind === 'warn' ? 'warnedAt' : 'breachedAt',
      at: data.kind === 'warn' ? now : t.breachedAt!,
    });
    const plans = escalationPlansFor(comp.input.policy, comp.input.calendar, t, data.kind);
    const updated = await ctx.tickets.applyChange(EVERYTHING, {
      id: data.ticketId,
      guard: { 'events._id': { $ne: eventId }, updatedAt: ticket.updatedAt },
      set: { sla: block },
      events: [event],
      outbox: [...comp.outbox, ...escalationEntries(data.ticketId, data.target, t.due, plans, now)],
    });
    if (updated) {
      await ctx.kickOutbox(data.ticketId);
      return result('recorded', updated);
    }
    // Someone wrote meanwhile (or we did, in a parallel run): look again.
  }
  throw new Error(`ticket ${data.ticketId} kept changing while recording ${eventId}`);
}

/**
 * An `escalate` job: step `level` of the chain, recorded once as an `sla_escalated` event if the
 * deadline it belongs to still stands and the ticket is still open (a resolved, extended or
 * paused ticket makes it stale).
 */
export async function processEscalation(ctx: CommandContext, data: EscalateJobData): Promise<SlaJobOutcome> {
  const eventId = slaEventIds.escalate(data.target, data.level, data.due);
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const ticket = await load(ctx, data.ticketId);
    if (!ticket) return { outcome: 'stale', reason: 'ticket gone' };
    const now = ctx.now();
    const comp = await slaNow(ctx, ticket, now);
    const t = comp ? findTarget(comp, data.target) : undefined;
    if (!comp || !t) return { outcome: 'stale', reason: 'no such target' };
    const step = comp.input.policy.escalation?.[data.level - 1];
    if (!step) return { outcome: 'stale', reason: 'no such step' };
    const result = (outcome: 'recorded' | 'already_recorded', updated: TicketRecord) =>
      ({
        outcome,
        ticket: updated,
        eventId,
        mail: 'escalation',
        audience: step.to,
        level: data.level,
        target: data.target,
        due: new Date(data.due),
        warnAt: t.warnAt,
        breachedAt: t.breachedAt,
        remainingMs: t.remainingMs,
      }) as const;
    if (hasEvent(ticket, eventId)) return result('already_recorded', ticket);
    if (!t.due || ms(t.due) !== ms(data.due)) return { outcome: 'stale', reason: 'due moved' };
    if (t.decidedAt) return { outcome: 'stale', reason: `target ${t.state}` };
    const from = step.from ?? 'breach';
    if (from === 'breach' && t.state !== 'breached') {
      return t.state === 'running'
        ? { outcome: 'early', runAt: new Date(ms(data.due) + 1_000) }
        : { outcome: 'stale', reason: `target ${t.state}` };
    }
    if (from === 'warn' && t.state !== 'running' && t.state !== 'breached')
      return { outcome: 'stale', reason: `target ${t.state}` };
    const plan = escalationSchedule(comp.input.policy, comp.input.calendar, t).find(
      (p) => p.level === data.level,
    );
    if (!plan) return { outcome: 'stale', reason: 'not planned' };
    if (plan.at.getTime() > now.getTime()) return { outcome: 'early', runAt: plan.at };
    const event = {
      _id: eventId,
      type: 'sla_escalated',
      actor: { id: null, role: 'system', name: 'Quipu' },
      to: step.to,
      fields: { target: data.target, level: data.level, due: t.due, breachedAt: t.breachedAt },
      public: false,
      at: now,
    };
    const updated = await ctx.tickets.applyChange(EVERYTHING, {
      id: data.ticketId,
      guard: { 'events._id': { $ne: eventId } },
      events: [event],
    });
    if (updated) return result('recorded', updated);
  }
  throw new Error(`ticket ${data.ticketId} kept changing while recording ${eventId}`);
}
