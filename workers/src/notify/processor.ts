import { registerModels, type TicketRecord } from '@quipu/db';
import type { FollowerChange, TicketLink } from '@quipu/mail';
import { JOBS } from '@quipu/queue';
import type { Job } from 'bullmq';
import { holdForDigest } from '../digest/hold.ts';
import { defineProcessor } from '../processor.ts';
import { workerCommands } from '../runtime.ts';
import { deliver } from './deliver.ts';
import { links } from './links.ts';
import { type Recipient, recipientsFor } from './recipients.ts';
import { sendStoredNotification } from './resend.ts';

function isFinalAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * E-mail, fed only by the outbox. `ticket-event`: reload the ticket and its event, decide the
 * recipients, send each once. `subscription-verification`: the link that makes a support or
 * follow count. Every delivery is recorded in `notifications` (visible, re-sendable).
 */
export const notifyProcessor = defineProcessor({
  group: 'notify',
  queue: 'notify',
  jobs: [JOBS.notifyTicketEvent, JOBS.subscriptionVerification, JOBS.resendNotification, JOBS.notifyDelivery],
  concurrency: 8,
  async process(job, runtime) {
    const models = registerModels(runtime.connection);
    const commands = workerCommands(runtime);
    const linkSet = links(runtime.config);
    const final = { final: isFinalAttempt(job) };
    if (job.name === 'ticket-event') {
      const { ticketId, eventId } = job.data as { ticketId: string; eventId: string };
      const ticket = (await commands.tickets.findById(
        { kind: 'everything' },
        ticketId,
      )) as TicketRecord | null;
      const event = ticket?.events?.find((e) => e._id === eventId) as
        | (Record<string, unknown> & { _id: string; type: string })
        | undefined;
      if (!ticket || !event) return { skipped: 'ticket or event gone' };
      const assignee = ticket.assigneeId
        ? await commands.directory.findUser({ kind: 'everything' }, String(ticket.assigneeId))
        : null;
      const subscribers = await commands.engagement.verifiedSubscribers(ticketId);
      const followers = subscribers
        .filter((s) => s.kind === 'follow')
        .map((s) => ({
          id: String(s._id),
          email: s.email,
          language: s.language ?? 'es',
          digest: s.digest === true,
        }));
      const recipients = recipientsFor({ ticket, event, assignee, followers, links: linkSet });
      const results = [];
      for (const recipient of recipients) {
        const held = recipient.digest ? heldChange(recipient, event) : null;
        if (held) {
          // Followers on the daily digest: recorded now, sent once a day by the digest worker.
          await holdForDigest(models, {
            id: `${eventId}:${recipient.key}`,
            to: recipient.to,
            language: recipient.language,
            ticketId,
            ticket: (recipient.notification.data as { ticket: TicketLink }).ticket,
            change: held,
          });
          results.push('skipped');
          continue;
        }
        results.push(
          await deliver(
            models,
            runtime.config,
            { id: `${eventId}:${recipient.key}`, ticketId, ...recipient },
            final,
          ),
        );
      }
      return {
        sent: results.filter((r) => r === 'sent').length,
        skipped: results.filter((r) => r === 'skipped').length,
      };
    }
    if (job.name === 'subscription-verification') {
      const { subscriptionId } = job.data as { subscriptionId: string };
      const subscription = await commands.engagement.findSubscriptionById(subscriptionId);
      if (!subscription || subscription.verifiedAt) return { skipped: 'gone or verified' };
      const ticket = await commands.tickets.findById({ kind: 'everything' }, String(subscription.ticketId));
      const result = await deliver(
        models,
        runtime.config,
        {
          id: `subverify-${subscriptionId}:subscriber`,
          to: subscription.email,
          recipientKind: 'supporter',
          language: subscription.language === 'en' ? 'en' : 'es',
          notification: {
            kind: 'email_verification',
            data: {
              verificationUrl: linkSet.subscriptionVerify(subscriptionId),
              ...(ticket ? { ticket: { ref: ticket.ref, title: ticket.title } } : {}),
            },
          },
          ...(ticket ? { ticketId: String(ticket._id) } : {}),
        },
        final,
      );
      return { result };
    }
    if (job.name === 'resend' || job.name === 'deliver') {
      const { notificationId } = job.data as { notificationId: string };
      return { result: await sendStoredNotification(models, runtime.config, notificationId, final) };
    }
    return { skipped: `unknown job ${job.name}` };
  },
});

/** What a held follower update says, for the digest (status changes and public replies). */
function heldChange(recipient: Recipient, event: Record<string, unknown>): FollowerChange | null {
  const at = event.at as Date;
  const { kind, data } = recipient.notification as unknown as {
    kind: string;
    data: Record<string, string | undefined>;
  };
  if (kind === 'status_changed') return { type: 'status', at, from: data.from ?? '', to: data.to ?? '' };
  if (kind === 'public_reply')
    return {
      type: 'reply',
      at,
      ...(data.authorName ? { authorName: data.authorName } : {}),
      excerpt: data.excerpt ?? '',
    };
  return null;
}
