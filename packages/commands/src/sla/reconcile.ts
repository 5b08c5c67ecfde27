import { deadlineJobId, type TargetResult } from '@quipu/core/sla';
import type { Calendar } from '@quipu/core/time';
import { EVERYTHING, slaTicketQueries, type TicketRecord } from '@quipu/db';
import { JOBS, type JobRequest } from '@quipu/queue';
import { calendarFor, effectiveCalendars } from '../calendars.ts';
import type { CommandContext } from '../context.ts';
import { mergeSlaBlock } from './block.ts';
import type { SlaComputation } from './compute.ts';
import { computeTicketSla } from './compute.ts';
import { escalationJobId, escalationPlansFor, slaEventIds } from './deadlines.ts';

/** A job the `sla` queue should hold, ready for `addJobs` (the id makes a second add a no-op). */
export type SlaJobSpec = JobRequest<'sla'>;

/**
 * Every SLA job a ticket should have now, derived from MongoDB alone: the warning and breach of
 * each running target (a warning whose instant passed unrecorded is still owed), the breach of a
 * target that passed its due unrecorded, and each escalation step of a live warning/breach not
 * yet recorded. Recorded events are read from the ticket's audit trail.
 */
export function expectedSlaJobs(
  ticketId: string,
  comp: SlaComputation,
  events: ReadonlyArray<{ _id: string }>,
  now: Date,
): SlaJobSpec[] {
  const recorded = new Set(events.map((e) => e._id).filter((id) => id.startsWith('ev-sla-')));
  const jobs: SlaJobSpec[] = [];
  const delay = (at: Date) => Math.max(0, at.getTime() - now.getTime());
  const { policy, calendar } = comp.input;
  for (const t of Object.values(comp.result.targets) as TargetResult[]) {
    if (t.decidedAt || !t.due) continue;
    if (t.state !== 'running' && t.state !== 'breached') continue;
    const due = t.due.toISOString();
    const deadline = (kind: 'warn' | 'breach', runAt: Date) =>
      jobs.push(
        JOBS.slaDeadline.request(
          { ticketId, target: t.target, kind, due },
          { jobId: deadlineJobId(ticketId, t.target, kind, t.due!), delay: delay(runAt) },
        ),
      );
    if (t.state === 'running' && t.warnAt && !recorded.has(slaEventIds.warn(t.target, t.due)))
      deadline('warn', t.warnAt);
    if (!recorded.has(slaEventIds.breach(t.target, t.due))) deadline('breach', t.due);
    const live: Array<'warn' | 'breach'> = [];
    if (recorded.has(slaEventIds.warn(t.target, t.due)) || t.state === 'breached') live.push('warn');
    if (recorded.has(slaEventIds.breach(t.target, t.due))) live.push('breach');
    for (const from of live) {
      for (const plan of escalationPlansFor(policy, calendar, t, from)) {
        if (recorded.has(slaEventIds.escalate(t.target, plan.level, t.due))) continue;
        jobs.push(
          JOBS.slaEscalation.request(
            { ticketId, target: t.target, level: plan.level, due },
            { jobId: escalationJobId(ticketId, t.target, plan.level, t.due), delay: delay(plan.at) },
          ),
        );
      }
    }
  }
  return jobs;
}

/** True when the stored block's deadlines or states differ from the computed ones (calendar edited, missed write). */
export function storedBlockDiffers(ticket: TicketRecord, block: Record<string, unknown>): boolean {
  const stored = ticket.sla?.targets ?? [];
  const computed = block.targets as Array<{ target: string; dueAt?: Date; state?: string }>;
  if ((ticket.sla?.calendarId ?? null) !== (block.calendarId ?? null)) return true;
  if (stored.length !== computed.length) return true;
  return computed.some((c) => {
    const s = stored.find((x) => x.target === c.target);
    return (
      !s ||
      (s.dueAt ? new Date(s.dueAt).getTime() : null) !== (c.dueAt ? c.dueAt.getTime() : null) ||
      s.state !== c.state
    );
  });
}

export interface ReconcileReport {
  tickets: number;
  jobs: number;
  /** Stored SLA blocks rewritten because they no longer matched (e.g. a decreed holiday). */
  rewritten: number;
  batches: number;
  ms: number;
}

export interface ReconcileProps {
  /** Adds jobs in bulk; BullMQ ignores ids it already holds. */
  addBulk: (jobs: SlaJobSpec[]) => Promise<void>;
  batchSize?: number;
  /** Only tickets whose organisation's calendar extends one of these (recompute after a holiday). */
  calendarIds?: readonly string[] | undefined;
  /** Rewrite stored SLA blocks that differ from the computation (default true). */
  rewrite?: boolean;
  onBatch?: (report: ReconcileReport) => void;
}

/**
 * The SLA reconciliation sweep (`quipu sla:reconcile`, and every few minutes in the `sla`
 * worker): walks open tickets in `_id` order, in batches of one cursor, recomputes each SLA on the calendars in force,
 * rewrites stored blocks that no longer match, and re-adds every job the ticket should have.
 * Redis may have lost everything: this puts it back from MongoDB.
 */
export async function reconcileSla(ctx: CommandContext, props: ReconcileProps): Promise<ReconcileReport> {
  const started = Date.now();
  const report: ReconcileReport = { tickets: 0, jobs: 0, rewritten: 0, batches: 0, ms: 0 };
  const calendars = await effectiveCalendars(ctx);
  const organisations = await ctx.directory.listOrganisations(EVERYTHING);
  const calendarOfOrg = new Map<string, Calendar>(
    organisations.map((o) => [String(o._id), calendarFor(calendars, ctx, o.calendarId ?? null)]),
  );
  const fallback = calendarFor(calendars, ctx, null);
  let organisationIds: string[] | undefined;
  if (props.calendarIds) {
    const wanted = props.calendarIds;
    const onCalendar = (c: Calendar) => c.lineage.some((id) => wanted.includes(id));
    organisationIds = [...calendarOfOrg.entries()].filter(([, c]) => onCalendar(c)).map(([id]) => id);
    if (organisationIds.length === 0) return { ...report, ms: Date.now() - started };
  }
  const queries = slaTicketQueries(ctx.models);
  const batchSize = props.batchSize ?? 1000;
  for await (const raw of queries.openTickets({ batchSize, organisationIds })) {
    const batch = raw as unknown as TicketRecord[];
    const now = ctx.now();
    const jobs: SlaJobSpec[] = [];
    for (const ticket of batch) {
      const calendar = calendarOfOrg.get(String(ticket.organisationId)) ?? fallback;
      const comp = await computeTicketSla(ctx, ticket, [], now, calendar);
      if (!comp) continue;
      const ticketId = String(ticket._id);
      jobs.push(...expectedSlaJobs(ticketId, comp, ticket.events ?? [], now));
      if (props.rewrite !== false && storedBlockDiffers(ticket, comp.block)) {
        const done = await ctx.tickets.applyChange(EVERYTHING, {
          id: ticketId,
          guard: { updatedAt: ticket.updatedAt },
          set: { sla: mergeSlaBlock(ticket, comp.block) },
        });
        if (done) report.rewritten += 1;
      }
    }
    if (jobs.length) await props.addBulk(jobs);
    report.tickets += batch.length;
    report.jobs += jobs.length;
    report.batches += 1;
    props.onBatch?.({ ...report, ms: Date.now() - started });
  }
  report.ms = Date.now() - started;
  return report;
}
