import { createHmac, randomBytes } from 'node:crypto';
import { type WebhookRecord, webhookRepository } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import type { CommandContext } from './context.ts';
import { CommandError } from './errors.ts';
import type { StaffPrincipal } from './principal.ts';

export interface RegisterWebhookProps {
  url: string;
  /** Shared secret for the signature; generated when absent (returned once). */
  secret?: string | undefined;
  /** Event types, or `*`. */
  events: string[];
  organisationIds?: string[] | undefined;
  description?: string | undefined;
}

/**
 * Registers an outgoing webhook. Only http(s) URLs without credentials; whether the host is
 * public is checked again at each delivery (DNS may change), see workers/src/webhooks.
 */
export async function registerWebhook(
  ctx: CommandContext,
  principal: StaffPrincipal,
  props: RegisterWebhookProps,
): Promise<{ webhook: WebhookRecord; secret: string }> {
  if (!principal.roles.includes('admin'))
    throw new CommandError('forbidden', 'Only admins register webhooks.');
  let url: URL;
  try {
    url = new URL(props.url);
  } catch {
    throw new CommandError('invalid_field', 'Not a URL.', { field: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CommandError('invalid_field', 'Only http and https URLs.', { field: 'url' });
  if (url.username || url.password)
    throw new CommandError('invalid_field', 'No credentials in the URL; the signature authenticates.', {
      field: 'url',
    });
  if (!props.events.length)
    throw new CommandError('invalid_field', 'Name at least one event.', { field: 'events' });
  const secret = props.secret ?? randomBytes(24).toString('base64url');
  const webhook = await webhookRepository(ctx.models).create({
    url: url.toString(),
    secret,
    events: props.events,
    ...(props.organisationIds ? { organisationIds: props.organisationIds } : {}),
    ...(props.description ? { description: props.description } : {}),
    createdBy: principal.userId,
  });
  return { webhook, secret };
}

/**
 * `X-Quipu-Signature: sha256=<hex>` over `<timestamp>.<body>` (the timestamp header is signed
 * too, so a captured request cannot be replayed later with a fresh timestamp).
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The webhook fan-out job of ticket events, for the same write as the events (queue `webhooks`,
 * id `wh-<event id>`: one per event), written by intake and tickets/write.ts.
 */
export function webhookEntries(ticketId: string, events: ReadonlyArray<{ _id: string }>, now: Date) {
  return events.map((e) => JOBS.webhookEvent.entry({ ticketId, eventId: e._id }, { now }));
}
