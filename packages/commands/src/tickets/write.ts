import type { EffectHint, PlanError } from '@quipu/core/tickets';
import { isObjectId, type OutboxEntry, type TicketRecord } from '@quipu/db';
import { Types } from 'mongoose';
import type { CommandContext } from '../context.ts';
import { concurrentChange, fromPlanError } from '../errors.ts';
import { needsNotification, notifyEntry, type StoredEvent } from '../events.ts';
import type { Principal } from '../principal.ts';
import { computeTicketSla } from '../sla/compute.ts';
import { webhookEntries } from '../webhooks.ts';
import { scopeOf } from './load.ts';

/** A plan from @quipu/core, or the refusal it returned turned into a CommandError. */
export function ensure<T>(plan: T | PlanError): Exclude<T, PlanError> {
  if ((plan as PlanError).ok === false) throw fromPlanError(plan as PlanError);
  return plan as Exclude<T, PlanError>;
}

export interface WriteProps {
  ticket: TicketRecord;
  principal: Principal;
  events: StoredEvent[];
  set?: Record<string, unknown>;
  unset?: string[];
  inc?: Record<string, number>;
  push?: Record<string, unknown[]>;
  /** Guard on the status read (default: yes). */
  guardStatus?: boolean;
  guard?: Record<string, unknown>;
  /** Recompute the SLA (status change, staff reply, priority/category change). */
  recomputeSla?: boolean;
}

/**
 * Writes a planned change in ONE findOneAndUpdate: the fields, the events, the recomputed SLA
 * block and the outbox entries (notifications, deadline jobs). Guarded by the status that was
 * read, so two concurrent plans cannot both apply.
 */
export async function writeTicketChange(ctx: CommandContext, props: WriteProps): Promise<TicketRecord> {
  const now = ctx.now();
  const ticketId = String(props.ticket._id);
  const set: Record<string, unknown> = { ...(props.set ?? {}) };
  const events = [...props.events];
  const outbox = [
    ...props.events.filter(needsNotification).map((e) => notifyEntry(ticketId, e, now)),
    // Every event goes to the registered webhooks (the worker filters by what each subscribed to).
    ...webhookEntries(ticketId, props.events, now),
  ];
  if (props.recomputeSla) {
    const projected = {
      ...props.ticket,
      ...(set.status ? { status: set.status } : {}),
      ...(set.priority ? { priority: set.priority } : {}),
      ...(set.category !== undefined ? { category: set.category } : {}),
    };
    const sla = await computeTicketSla(ctx, projected as TicketRecord, props.events, now);
    if (sla) {
      set.sla = sla.block;
      outbox.push(...sla.outbox);
      events.push(...sla.changeEvents);
    }
  }
  if (props.events.some((e) => e.public)) set.lastPublicActivityAt = now;
  const updated = await ctx.tickets.applyChange(scopeOf(props.principal), {
    id: ticketId,
    ...(props.guardStatus === false ? {} : { expectedStatus: props.ticket.status }),
    ...(props.guard ? { guard: props.guard } : {}),
    set,
    ...(props.unset ? { unset: props.unset } : {}),
    ...(props.inc ? { inc: props.inc } : {}),
    ...(props.push ? { push: props.push } : {}),
    events,
    outbox,
  });
  if (!updated) throw concurrentChange();
  if (outbox.length) await ctx.kickOutbox(ticketId, 'tickets', (updated.outbox ?? []) as OutboxEntry[]);
  return updated;
}

/** A reopen (the clock resumes from a resolved-like status): counted, and no longer resolved or closed. */
export function reopenIncrement(
  ticket: TicketRecord,
  effects: EffectHint[],
): { inc?: Record<string, number>; unset?: string[] } {
  const reopened =
    effects.includes('resumeClock') &&
    ['resolved', 'closed', 'rejected', 'duplicate', 'published', 'planned'].includes(ticket.status);
  return reopened ? { inc: { reopenCount: 1 }, unset: ['resolvedAt', 'closedAt'] } : {};
}

/** The fields a status change sets: the status, resolved/closed instants, what the transition carried. */
export function statusFields(
  ticket: TicketRecord,
  to: string,
  fields: Record<string, unknown>,
  effects: EffectHint[],
  now: Date,
): Record<string, unknown> {
  const set: Record<string, unknown> = { status: to };
  if (fields.expectedDate) set.expectedDate = fields.expectedDate;
  if (fields.datasetId && isObjectId(fields.datasetId))
    set.fulfilledByDatasetId = new Types.ObjectId(String(fields.datasetId));
  if (effects.includes('stopClock') || ['resolved', 'published'].includes(to)) {
    set.resolvedAt = now;
    if (!ticket.firstResolvedAt) set.firstResolvedAt = now;
  }
  if (['closed', 'rejected', 'duplicate', 'published'].includes(to)) set.closedAt = now;
  return set;
}
