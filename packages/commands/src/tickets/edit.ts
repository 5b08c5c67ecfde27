import {
  isTerminalStatus,
  planChangeCategory,
  planSetPriority,
  type TicketSnapshot,
} from '@quipu/core/tickets';
import type { TicketRecord } from '@quipu/db';
import type { CommandContext } from '../context.ts';
import { storedEvent } from '../events.ts';
import type { Principal } from '../principal.ts';
import { reroutedTicket, routedEvent, routeTicket } from '../routing.ts';
import { loadTicket, snapshotOf } from './load.ts';
import { ensure, writeTicketChange } from './write.ts';

/** Changes a ticket's priority and/or category (one write each); a new category may re-route it. */
export async function editTicket(
  ctx: CommandContext,
  principal: Principal,
  props: {
    ticket: string;
    priority?: string | undefined;
    category?: string | undefined;
    reason?: string | undefined;
  },
) {
  let ticket = await loadTicket(ctx, principal, props.ticket);
  const now = ctx.now();
  if (props.priority !== undefined) {
    const plan = ensure(
      planSetPriority({
        ticket: snapshotOf(ticket),
        actor: principal.actor,
        input: { priority: props.priority, reason: props.reason ?? null },
        now,
      }),
    );
    ticket = await writeTicketChange(ctx, {
      ticket,
      principal,
      events: [storedEvent(plan.event as never, { effects: plan.effects })],
      set: { priority: plan.event.to },
      recomputeSla: true,
    });
  }
  if (props.category !== undefined) {
    const plan = ensure(
      planChangeCategory({
        ticket: snapshotOf(ticket),
        actor: principal.actor,
        input: { category: props.category, reason: props.reason ?? null },
        now,
      }),
    );
    const rerouted = await rerouteForCategory(ctx, ticket, plan.event.to, now);
    ticket = await writeTicketChange(ctx, {
      ticket,
      principal,
      events: [
        storedEvent(plan.event as never, { effects: plan.effects }),
        ...(rerouted ? [rerouted.event] : []),
      ],
      set: { category: plan.event.to, ...(rerouted?.set ?? {}) },
      ...(rerouted?.unset.length ? { unset: rerouted.unset } : {}),
      recomputeSla: true,
    });
  }
  return ticket;
}

/**
 * A new category may belong to another team (routing rules): the ticket follows, unless a
 * person chose its team or assignee by hand, or it is finished. Same organisation only —
 * moving to another organisation is a transfer, with a reason.
 */
async function rerouteForCategory(
  ctx: CommandContext,
  ticket: TicketRecord,
  category: string | null,
  now: Date,
) {
  if (isTerminalStatus(ticket.kind as TicketSnapshot['kind'], ticket.status as TicketSnapshot['status']))
    return null;
  if ((ticket.events ?? []).some((e) => e.type === 'assigned')) return null;
  const organisation = await ctx.directory.findOrganisation(
    { kind: 'everything' },
    String(ticket.organisationId),
  );
  if (!organisation) return null;
  const base = { kind: ticket.kind as TicketSnapshot['kind'], organisation };
  const [before, after] = await Promise.all([
    routeTicket(ctx, { ...base, category: ticket.category ?? null }),
    routeTicket(ctx, { ...base, category }),
  ]);
  const sameOrganisation = String(after.organisation._id) === String(ticket.organisationId);
  if (!sameOrganisation || String(before.team?._id ?? '') === String(after.team?._id ?? '')) return null;
  return {
    event: routedEvent(after, {
      at: now,
      reason: `category changed: ${after.reason}`,
      cause: 'category_changed',
      notify: true,
    }),
    ...reroutedTicket(after),
  };
}
