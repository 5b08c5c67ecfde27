import { normaliseRef, type TicketSnapshot } from '@quipu/core/tickets';
import { isObjectId, type Scope, type TicketRecord } from '@quipu/db';
import type { CommandContext } from '../context.ts';
import { notFoundError } from '../errors.ts';
import type { Principal, StaffPrincipal } from '../principal.ts';

/** A ticket as @quipu/core plans changes on it. */
export function snapshotOf(ticket: TicketRecord): TicketSnapshot {
  return {
    id: String(ticket._id),
    ref: ticket.ref,
    kind: ticket.kind as TicketSnapshot['kind'],
    status: ticket.status as TicketSnapshot['status'],
    category: ticket.category ?? null,
    priority: (ticket.priority ?? 'normal') as TicketSnapshot['priority'],
    organisationId: String(ticket.organisationId),
    organisationAncestorIds: (ticket.organisationAncestorIds ?? []).map(String),
    teamId: ticket.teamId ? String(ticket.teamId) : null,
    assigneeId: ticket.assigneeId ? String(ticket.assigneeId) : null,
    datasetId: ticket.datasetId ? String(ticket.datasetId) : null,
    resourceId: ticket.resourceId ?? null,
    firstResponseAt: ticket.sla?.firstResponseAt ?? null,
  };
}

/** The repository scope of a principal: a reporter's reach (their own ticket) is checked by loadTicket. */
export function scopeOf(principal: Principal): Scope {
  if (principal.kind === 'reporter') return { kind: 'everything' };
  return principal.scope;
}

export function actorName(principal: Principal): string | undefined {
  return principal.kind === 'staff' ? principal.name : undefined;
}

/** Loads a ticket by ref or id within the principal's reach; a reporter reaches only their own. */
export async function loadTicket(
  ctx: CommandContext,
  principal: Principal,
  key: string,
): Promise<TicketRecord> {
  const scope = scopeOf(principal);
  const ref = normaliseRef(key);
  const ticket = ref
    ? await ctx.tickets.findByRef(scope, ref)
    : isObjectId(key)
      ? await ctx.tickets.findById(scope, key)
      : null;
  if (!ticket || (principal.kind === 'reporter' && String(ticket._id) !== principal.ticketId))
    throw notFoundError('ticket');
  return ticket;
}

/** Whether a staff member may work on the ticket (their organisations, or everything). */
export function canWorkOn(principal: StaffPrincipal, ticket: TicketRecord): boolean {
  if (principal.scope.kind === 'everything') return true;
  if (principal.scope.kind !== 'organisations') return false;
  return principal.scope.organisationIds.includes(String(ticket.organisationId));
}
