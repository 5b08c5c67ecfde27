// Who may act on which ticket. Roles held by a user only count on tickets inside their
// reach: officers and team leads on their organisations' tickets, managers also on the
// tickets of descendant organisations, admins everywhere. The reporter role is not held,
// it is established per ticket by the caller (`actor.isReporter`).
import type { Actor, TicketSnapshot } from './events.ts';
import type { Role } from './model.ts';
import { STAFF_ROLES } from './model.ts';

// When several roles allow an action, the event records the most senior one.
const PRECEDENCE: readonly Role[] = ['admin', 'manager', 'team_lead', 'officer', 'system', 'reporter'];

type ScopeTicket = Pick<TicketSnapshot, 'organisationId' | 'organisationAncestorIds'>;

export function isInOrganisation(actor: Actor, ticket: ScopeTicket): boolean {
  return actor.organisationIds.includes(ticket.organisationId);
}

export function isInOrganisationTree(actor: Actor, ticket: ScopeTicket): boolean {
  if (isInOrganisation(actor, ticket)) return true;
  return (ticket.organisationAncestorIds ?? []).some((id) => actor.organisationIds.includes(id));
}

/** The roles `actor` may exercise on this ticket, most senior first. */
export function effectiveRoles(actor: Actor, ticket: ScopeTicket): Role[] {
  const held = new Set(actor.roles);
  const roles: Role[] = [];
  for (const role of PRECEDENCE) {
    switch (role) {
      case 'admin':
        if (held.has('admin')) roles.push(role);
        break;
      case 'manager':
        if (held.has('manager') && isInOrganisationTree(actor, ticket)) roles.push(role);
        break;
      case 'team_lead':
      case 'officer':
        if (held.has(role) && isInOrganisation(actor, ticket)) roles.push(role);
        break;
      case 'system':
        if (held.has('system')) roles.push(role);
        break;
      case 'reporter':
        if (actor.isReporter === true) roles.push(role);
        break;
    }
  }
  return roles;
}

/** The most senior of `allowed` that the actor may exercise here, or null. */
export function grantingRole(actor: Actor, ticket: ScopeTicket, allowed: readonly Role[]): Role | null {
  return effectiveRoles(actor, ticket).find((role) => allowed.includes(role)) ?? null;
}

/** Whether the actor holds `role` at all, in or out of this ticket's reach (for error details). */
export function holdsAnyRole(actor: Actor, allowed: readonly Role[]): boolean {
  return allowed.some((role) =>
    role === 'reporter' ? actor.isReporter === true : actor.roles.includes(role),
  );
}

export function staffRoleOn(actor: Actor, ticket: ScopeTicket): Role | null {
  return grantingRole(actor, ticket, STAFF_ROLES);
}
