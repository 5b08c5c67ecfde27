// Planning a status change: the caller loads the ticket, asks for a plan and, if it is ok,
// writes `to`, appends `event` and turns `effects` into outbox entries, all in one update
// guarded by the status it read (so two concurrent plans cannot both apply).
import type { Actor, EffectHint, PlanError, StatusChangedEvent, TicketSnapshot } from './events.ts';
import { planError } from './events.ts';
import type { TransitionInput } from './fields.ts';
import { validateFields } from './fields.ts';
import type { TicketStatus } from './model.ts';
import { isStatusOf } from './model.ts';
import { effectiveRoles, grantingRole, holdsAnyRole } from './permissions.ts';
import type { RequiredField, TransitionRule } from './state-machine.ts';
import { actionsOf, findTransition, isResolvedLikeStatus, transitionsFrom } from './state-machine.ts';

export interface TransitionRequest {
  ticket: TicketSnapshot;
  action: string;
  actor: Actor;
  input?: TransitionInput;
  now: Date;
}

export interface TransitionPlan {
  ok: true;
  action: string;
  from: TicketStatus;
  to: TicketStatus;
  event: StatusChangedEvent;
  effects: EffectHint[];
}

export function assertValidNow(now: Date): void {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('now must be a valid Date');
}

/**
 * The row's effects for this ticket: `firstResponse` only while none is recorded, and no
 * `stopClock` when the clock is already stopped (a planned data request being published),
 * so the SLA block records each fact once.
 */
export function effectsFor(rule: Pick<TransitionRule, 'effects'>, ticket: TicketSnapshot): EffectHint[] {
  const answered = ticket.firstResponseAt !== undefined && ticket.firstResponseAt !== null;
  const stopped = isResolvedLikeStatus(ticket.kind, ticket.status);
  return rule.effects.filter(
    (effect) => !(effect === 'firstResponse' && answered) && !(effect === 'stopClock' && stopped),
  );
}

export function planTransition(request: TransitionRequest): TransitionPlan | PlanError {
  const { ticket, action, actor, now } = request;
  assertValidNow(now);
  if (!isStatusOf(ticket.kind, ticket.status)) {
    return planError('invalid_transition', `"${ticket.status}" is not a status of a ${ticket.kind}`, {
      kind: ticket.kind,
      status: ticket.status,
    });
  }
  const rule = findTransition(ticket.kind, ticket.status, action);
  if (!rule) {
    const known = (actionsOf(ticket.kind) as readonly string[]).includes(action);
    return planError(
      'invalid_transition',
      known
        ? `a ${ticket.kind} in status "${ticket.status}" cannot be ${action}`
        : `"${action}" is not an action on a ${ticket.kind}`,
      {
        kind: ticket.kind,
        status: ticket.status,
        action,
        allowedActions: transitionsFrom(ticket.kind, ticket.status).map((r) => r.action),
      },
    );
  }
  const role = grantingRole(actor, ticket, rule.roles);
  if (role === null) {
    return planError('forbidden', `not allowed to ${action} this ticket`, {
      action,
      allowedRoles: rule.roles,
      // Tells "wrong role" from "right role, another organisation's ticket" for the logs.
      problem: holdsAnyRole(actor, rule.roles) ? 'out_of_scope' : 'role_not_allowed',
    });
  }
  const validated = validateFields(rule.requires, request.input ?? {}, { now, ticketRef: ticket.ref });
  if (!validated.ok) return validated;
  return {
    ok: true,
    action,
    from: ticket.status,
    to: rule.to,
    event: {
      type: 'status_changed',
      action,
      actor: { id: actor.id, role },
      from: ticket.status,
      to: rule.to,
      fields: validated.fields,
      reason: validated.reason,
      at: now,
    },
    effects: effectsFor(rule, ticket),
  };
}

export interface AvailableAction {
  action: string;
  to: TicketStatus;
  requires: readonly RequiredField[];
}

/** The status actions this actor may take on this ticket now, in table order (for buttons). */
export function availableActions(ticket: TicketSnapshot, actor: Actor): AvailableAction[] {
  if (!isStatusOf(ticket.kind, ticket.status)) return [];
  const roles = effectiveRoles(actor, ticket);
  return transitionsFrom(ticket.kind, ticket.status)
    .filter((rule) => rule.roles.some((role) => roles.includes(role)))
    .map((rule) => ({ action: rule.action, to: rule.to, requires: rule.requires }));
}
