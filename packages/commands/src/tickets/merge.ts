import { planMerge } from '@quipu/core/tickets';
import type { CommandContext } from '../context.ts';
import { storedEvent } from '../events.ts';
import type { Principal } from '../principal.ts';
import { loadTicket, snapshotOf } from './load.ts';
import { ensure, statusFields, writeTicketChange } from './write.ts';

/**
 * Marks `victim` a duplicate of `survivor`: the victim's status change, the survivor's merge
 * event, and supporters/followers moved (one per e-mail; the unique index drops repeats).
 * Two documents: the victim is written first (guarded), then the survivor's counters — a
 * crash in between leaves a duplicate whose supporters the reconciliation recounts.
 */
export async function mergeTickets(
  ctx: CommandContext,
  principal: Principal,
  props: { victim: string; survivor: string; reason?: string | undefined },
) {
  const victim = await loadTicket(ctx, principal, props.victim);
  const survivor = await loadTicket(ctx, principal, props.survivor);
  const now = ctx.now();
  const plan = ensure(
    planMerge({
      survivor: snapshotOf(survivor),
      victim: snapshotOf(victim),
      actor: principal.actor,
      input: { reason: props.reason ?? null },
      now,
    }),
  );
  const victimEvent = storedEvent(
    { ...plan.victim.event, fields: { ...plan.victim.event.fields, duplicateOf: survivor.ref } } as never,
    { public: true, effects: plan.victim.effects },
  );
  const updatedVictim = await writeTicketChange(ctx, {
    ticket: victim,
    principal,
    events: [victimEvent],
    set: { ...statusFields(victim, 'duplicate', {}, plan.victim.effects, now), duplicateOf: survivor.ref },
    recomputeSla: true,
  });
  await ctx.engagement.moveSubscriptions(String(victim._id), String(survivor._id));
  const supporters = await ctx.engagement.countVerified(String(survivor._id), 'support');
  const followers = await ctx.engagement.countVerified(String(survivor._id), 'follow');
  const survivorEvent = storedEvent(
    { ...plan.survivor.event, victimRef: victim.ref, victimId: String(victim._id) } as never,
    { public: true, effects: plan.survivor.effects },
  );
  const updatedSurvivor = await writeTicketChange(ctx, {
    ticket: survivor,
    principal,
    events: [survivorEvent],
    set: { supportersCount: supporters, followersCount: followers },
    guardStatus: false,
  });
  return { victim: updatedVictim, survivor: updatedSurvivor };
}
