import { planTransition, type TransitionInput } from '@quipu/core/tickets';
import type { TicketRecord } from '@quipu/db';
import type { CommandContext } from '../context.ts';
import { CommandError } from '../errors.ts';
import { storedEvent } from '../events.ts';
import type { Principal } from '../principal.ts';
import { actorName, loadTicket, snapshotOf } from './load.ts';
import { ensure, reopenIncrement, statusFields, writeTicketChange } from './write.ts';

export interface TransitionProps {
  ticket: string;
  action: string;
  input?: TransitionInput;
}

/** Moves a ticket through its state machine (the table in @quipu/core/tickets). */
export async function transitionTicket(
  ctx: CommandContext,
  principal: Principal,
  props: TransitionProps,
): Promise<TicketRecord> {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const now = ctx.now();
  if (props.input?.duplicateOf) {
    // The survivor must exist, be of the same kind and still be open: merge does the real work.
    throw new CommandError(
      'use_merge',
      'Mark duplicates with the merge endpoint, which moves supporters and followers.',
      { field: 'duplicateOf' },
    );
  }
  const plan = ensure(
    planTransition({
      ticket: snapshotOf(ticket),
      action: props.action,
      actor: principal.actor,
      input: props.input ?? {},
      now,
    }),
  );
  const event = storedEvent(
    { ...plan.event, actor: { ...plan.event.actor, name: actorName(principal) } } as never,
    { public: true, effects: plan.effects },
  );
  return await writeTicketChange(ctx, {
    ticket,
    principal,
    events: [event],
    set: statusFields(ticket, plan.to, plan.event.fields, plan.effects, now),
    ...reopenIncrement(ticket, plan.effects),
    recomputeSla: true,
  });
}

/** The reporter's answer to "was it solved?": yes closes, no reopens. */
export async function answerSatisfaction(
  ctx: CommandContext,
  principal: Principal,
  props: { ticket: string; answer: 'yes' | 'no' },
) {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const now = ctx.now();
  const action = props.answer === 'yes' ? 'confirm_resolution' : 'dispute_resolution';
  const plan = ensure(
    planTransition({ ticket: snapshotOf(ticket), action, actor: principal.actor, input: {}, now }),
  );
  const event = storedEvent(plan.event as never, { public: true, effects: plan.effects });
  return await writeTicketChange(ctx, {
    ticket,
    principal,
    events: [event],
    set: {
      ...statusFields(ticket, plan.to, plan.event.fields, plan.effects, now),
      satisfaction: { answer: props.answer, at: now },
    },
    ...reopenIncrement(ticket, plan.effects),
    recomputeSla: true,
  });
}
