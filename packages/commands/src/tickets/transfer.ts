import { planTransfer } from '@quipu/core/tickets';
import type { CommandContext } from '../context.ts';
import { CommandError } from '../errors.ts';
import { storedEvent } from '../events.ts';
import type { Principal } from '../principal.ts';
import { recordRotation, reroutedTicket, routedEvent, routeTicket } from '../routing.ts';
import { actorName, loadTicket, snapshotOf } from './load.ts';
import { ensure, writeTicketChange } from './write.ts';

/** Moves a mis-routed ticket to another organisation: team and assignee cleared, reason recorded, routed again. */
export async function transferTicket(
  ctx: CommandContext,
  principal: Principal,
  props: { ticket: string; organisation: string; reason: string },
) {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const target = await ctx.directory.findOrganisation({ kind: 'everything' }, props.organisation);
  if (!target) throw new CommandError('invalid_field', 'No such organisation.', { field: 'organisation' });
  const now = ctx.now();
  const plan = ensure(
    planTransfer({
      ticket: snapshotOf(ticket),
      actor: principal.actor,
      input: { toOrganisationId: String(target._id), reason: props.reason },
      now,
    }),
  );
  const routing = await routeTicket(ctx, {
    kind: ticket.kind as never,
    category: ticket.category ?? null,
    organisation: target,
  });
  const events = [
    storedEvent({ ...plan.event, actor: { ...plan.event.actor, name: actorName(principal) } } as never, {
      public: true,
      effects: plan.effects,
    }),
    routedEvent(routing, { at: now, reason: routing.reason, cause: 'transferred', notify: true }),
  ];
  const { set, unset } = reroutedTicket(routing);
  const updated = await writeTicketChange(ctx, {
    ticket,
    principal,
    events,
    set: {
      organisationId: routing.organisation._id,
      organisationAncestorIds: routing.organisation.ancestorIds ?? [],
      ...set,
    },
    unset,
    recomputeSla: true,
  });
  await recordRotation(ctx, routing);
  return updated;
}
