import { planLinkDataset } from '@quipu/core/tickets';
import type { CommandContext } from '../context.ts';
import { CommandError } from '../errors.ts';
import { storedEvent } from '../events.ts';
import type { Principal } from '../principal.ts';
import { loadTicket, snapshotOf } from './load.ts';
import { ensure, writeTicketChange } from './write.ts';

/** Links a ticket to the dataset (and optionally the resource) it is about. */
export async function linkDataset(
  ctx: CommandContext,
  principal: Principal,
  props: { ticket: string; dataset: string; resourceId?: string | undefined; reason?: string | undefined },
) {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const dataset = await ctx.datasets.find(props.dataset);
  if (!dataset) throw new CommandError('invalid_field', 'No such dataset.', { field: 'dataset' });
  if (props.resourceId && !dataset.resources?.some((r) => r._id === props.resourceId))
    throw new CommandError('invalid_field', 'No such resource in this dataset.', { field: 'resourceId' });
  const plan = ensure(
    planLinkDataset({
      ticket: snapshotOf(ticket),
      actor: principal.actor,
      input: {
        datasetId: String(dataset._id),
        resourceId: props.resourceId ?? null,
        reason: props.reason ?? null,
      },
      now: ctx.now(),
    }),
  );
  return await writeTicketChange(ctx, {
    ticket,
    principal,
    events: [storedEvent(plan.event as never, { effects: plan.effects })],
    set: {
      datasetId: dataset._id,
      datasetTitle: dataset.title,
      ...(props.resourceId ? { resourceId: props.resourceId } : {}),
    },
  });
}
