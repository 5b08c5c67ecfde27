import { normaliseRef } from '@quipu/core/tickets';
import type { TicketRecord } from '@quipu/db';
import type { CommandContext } from './context.ts';
import { notFoundError } from './errors.ts';

export const PUBLIC_PRINCIPAL = { scope: { kind: 'public' as const } };

/** A ticket as the public may see it: verified, not hidden. */
export async function loadPublicTicket(ctx: CommandContext, key: string): Promise<TicketRecord> {
  const ref = normaliseRef(key);
  const ticket = ref ? await ctx.tickets.findByRef(PUBLIC_PRINCIPAL.scope, ref) : null;
  if (!ticket) throw notFoundError('ticket');
  return ticket;
}
