import { webhookSignature } from '@quipu/commands';
import { EVERYTHING, registerModels, ticketRepository, webhookRepository } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { type Job, UnrecoverableError } from 'bullmq';
import { defineProcessor } from '../processor.ts';
import type { Runtime } from '../runtime.ts';
import { postWebhook, WebhookTargetError } from './post.ts';

export type WebhookJob = Pick<Job, 'name' | 'data' | 'attemptsMade' | 'opts'>;

const isFinalAttempt = (job: WebhookJob) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/** What a receiver gets: the event and the ticket's non-personal fields (never the reporter). */
export function webhookPayload(
  ticket: Record<string, unknown>,
  event: Record<string, unknown>,
  deliveryId: string,
) {
  return {
    id: deliveryId,
    type: event.type,
    at: event.at,
    ticket: {
      id: String(ticket._id),
      ref: ticket.ref,
      kind: ticket.kind,
      category: ticket.category ?? null,
      status: ticket.status,
      priority: ticket.priority ?? null,
      title: ticket.title,
      organisationId: String(ticket.organisationId),
      datasetId: ticket.datasetId ? String(ticket.datasetId) : null,
      visibility: ticket.visibility,
    },
    event: {
      id: event._id,
      type: event.type,
      action: event.action ?? null,
      at: event.at,
      public: Boolean(event.public),
      from: event.from ?? null,
      to: event.to ?? null,
      fields: event.fields ?? null,
      // Actors are staff or roles; reporter names never appear in events.
      actor: { role: (event.actor as { role?: string } | undefined)?.role ?? null },
    },
  };
}

/**
 * `ticket-event` {ticketId, eventId}: one `deliver` job per webhook that wants the event (so a
 * failing receiver retries alone). `deliver` {webhookId, ticketId, eventId}: POST once, signed;
 * 2xx delivered; 5xx, 408, 429 and network errors retried with backoff; other answers and
 * refused addresses fail for good. Every attempt is logged on the delivery record.
 */
export async function runWebhookJob(job: WebhookJob, runtime: Runtime): Promise<unknown> {
  const models = registerModels(runtime.connection);
  const webhooks = webhookRepository(models);
  const tickets = ticketRepository(models);
  const { ticketId, eventId } = job.data as { ticketId: string; eventId: string; webhookId?: string };
  if (job.name === JOBS.webhookEvent.name) {
    const ticket = await tickets.findById(EVERYTHING, ticketId);
    const event = ticket?.events?.find((e) => e._id === eventId);
    if (!ticket || !event) return { skipped: 'ticket or event gone' };
    const targets = await webhooks.subscribedTo(event.type, String(ticket.organisationId));
    if (!targets.length) return { webhooks: 0 };
    await JOBS.webhookDelivery.addBulk(
      runtime.queues,
      targets.map((w) => ({ webhookId: String(w._id), ticketId, eventId })),
    );
    return { webhooks: targets.length };
  }
  if (job.name === JOBS.webhookDelivery.name) {
    const webhookId = String((job.data as { webhookId: string }).webhookId);
    const webhook = await webhooks.find(webhookId);
    if (!webhook?.active) return { skipped: 'webhook gone or paused' };
    const ticket = await tickets.findById(EVERYTHING, ticketId);
    const event = ticket?.events?.find((e) => e._id === eventId);
    if (!ticket || !event) return { skipped: 'ticket or event gone' };
    const deliveryId = `${webhookId}-${eventId}`;
    const delivery = await webhooks.openDelivery({
      id: deliveryId,
      webhookId: webhook._id,
      ticketId,
      eventId,
      eventType: event.type,
    });
    if (delivery.state === 'delivered') return { skipped: 'already delivered' };
    const body = JSON.stringify(webhookPayload(ticket as never, event as never, deliveryId));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const started = Date.now();
    const at = runtime.now();
    try {
      const answer = await postWebhook(
        webhook.url,
        body,
        {
          'content-type': 'application/json',
          'user-agent': 'Quipu-Webhooks/1',
          'x-quipu-event': event.type,
          'x-quipu-delivery': deliveryId,
          'x-quipu-timestamp': timestamp,
          'x-quipu-signature': webhookSignature(webhook.secret, timestamp, body),
        },
        { allowPrivateNetwork: runtime.config.fetch.allowPrivateNetwork },
      );
      const ok = answer.status >= 200 && answer.status < 300;
      const retryable = answer.status >= 500 || answer.status === 408 || answer.status === 429;
      const state = ok ? 'delivered' : retryable && !isFinalAttempt(job) ? 'pending' : 'failed';
      await webhooks.recordAttempt(
        deliveryId,
        {
          at,
          status: answer.status,
          durationMs: Date.now() - started,
          ...(ok ? {} : { error: `HTTP ${answer.status}` }),
        },
        state,
      );
      if (ok) return { delivered: true, status: answer.status };
      if (!retryable) throw new UnrecoverableError(`webhook answered ${answer.status}`);
      throw new Error(`webhook answered ${answer.status}`);
    } catch (error) {
      if (error instanceof UnrecoverableError || /^webhook answered/.test((error as Error).message))
        throw error;
      const refused = error instanceof WebhookTargetError;
      await webhooks.recordAttempt(
        deliveryId,
        { at, error: (error as Error).message, durationMs: Date.now() - started },
        refused || isFinalAttempt(job) ? 'failed' : 'pending',
      );
      if (refused) throw new UnrecoverableError((error as Error).message);
      throw error;
    }
  }
  return { skipped: `unknown job ${job.name}` };
}

/** Outgoing webhooks: fan-out of ticket events and signed, retried deliveries. */
export const webhooksProcessor = defineProcessor({
  group: 'webhooks',
  queue: 'webhooks',
  jobs: [JOBS.webhookEvent, JOBS.webhookDelivery],
  concurrency: 8,
  process: (job, runtime) => runWebhookJob(job, runtime),
});
