import { planAssign } from '@quipu/core/tickets';
import { Types } from 'mongoose';
import type { CommandContext } from '../context.ts';
import { CommandError } from '../errors.ts';
import { storedEvent } from '../events.ts';
import type { Principal } from '../principal.ts';
import { actorName, loadTicket, snapshotOf } from './load.ts';
import { ensure, writeTicketChange } from './write.ts';

export interface AssignProps {
  ticket: string;
  teamId?: string | null | undefined;
  assigneeId?: string | null | undefined;
  reason?: string | undefined;
}

/** Assigns a ticket to a team and/or an officer (null clears; absent leaves as it is). */
export async function assignTicket(ctx: CommandContext, principal: Principal, props: AssignProps) {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const now = ctx.now();
  let team: { id: string; organisationId: string } | null | undefined;
  if (props.teamId === null) team = null;
  else if (props.teamId) {
    const found = await ctx.directory.findTeam({ kind: 'everything' }, props.teamId);
    if (!found) throw new CommandError('invalid_field', 'No such team.', { field: 'teamId' });
    team = { id: String(found._id), organisationId: String(found.organisationId) };
  }
  let assignee: { id: string; organisationIds: string[]; teamIds: string[] } | null | undefined;
  if (props.assigneeId === null) assignee = null;
  else if (props.assigneeId) {
    const user = await ctx.directory.findUser({ kind: 'everything' }, props.assigneeId);
    if (!user || user.active === false)
      throw new CommandError('invalid_field', 'No such officer.', { field: 'assigneeId' });
    const teams = await ctx.directory.teamsOfUser(String(user._id));
    assignee = {
      id: String(user._id),
      organisationIds: (user.organisationIds ?? []).map(String),
      teamIds: teams.map((t) => String(t._id)),
    };
  }
  const plan = ensure(
    planAssign({
      ticket: snapshotOf(ticket),
      actor: principal.actor,
      input: {
        ...(team !== undefined ? { team } : {}),
        ...(assignee !== undefined ? { assignee } : {}),
        reason: props.reason ?? null,
      },
      now,
    }),
  );
  const event = storedEvent(
    { ...plan.event, actor: { ...plan.event.actor, name: actorName(principal) } } as never,
    { effects: plan.effects },
  );
  const to = plan.event.to;
  return await writeTicketChange(ctx, {
    ticket,
    principal,
    events: [event],
    set: {
      ...(to.teamId ? { teamId: new Types.ObjectId(to.teamId) } : {}),
      ...(to.assigneeId ? { assigneeId: new Types.ObjectId(to.assigneeId) } : {}),
    },
    unset: [...(to.teamId ? [] : ['teamId']), ...(to.assigneeId ? [] : ['assigneeId'])],
  });
}
