import {
  type CommandContext,
  type DeadlineJobData,
  type EscalateJobData,
  processDeadline,
  processEscalation,
  reconcileSla,
  type SlaJobOutcome,
  type SlaJobSpec,
} from '@quipu/commands';
import { EVERYTHING, type TicketRecord, webhookRepository } from '@quipu/db';
import type { Notification } from '@quipu/mail';
import { addJobs, JOBS } from '@quipu/queue';
import { DelayedError, type Job } from 'bullmq';
import { links } from '../notify/links.ts';
import { queueDelivery } from '../notify/queue-delivery.ts';
import { defineProcessor, schedule } from '../processor.ts';
import { type Runtime, workerCommands } from '../runtime.ts';
import { recipientsOf } from './audience.ts';

/** The part of a BullMQ job the processor reads (tests pass a plain object). */
export type SlaJob = Pick<Job, 'name' | 'data' | 'attemptsMade' | 'opts'> &
  Partial<Pick<Job, 'token' | 'moveToDelayed'>>;

const mailTarget = (target: string) => (target === 'firstResponse' ? 'first_response' : target);

/** Adds SLA job specs to the `sla` queue in one round trip; BullMQ ignores ids it already holds. */
export function slaAddBulk(runtime: Runtime) {
  return async (jobs: SlaJobSpec[]) => {
    await addJobs(runtime.queues, 'sla', jobs);
  };
}

/** Fans a recorded SLA event out to the webhooks queue (only when some webhook is active). */
async function fanOutToWebhooks(
  runtime: Runtime,
  commands: CommandContext,
  ticketId: string,
  eventId: string,
) {
  if (!(await webhookRepository(commands.models).list()).some((w) => w.active)) return;
  await JOBS.webhookEvent.add(runtime.queues, { ticketId, eventId });
}

/** Sends the e-mails of a recorded warning, breach or escalation step: one per person, ever. */
async function deliverOutcome(
  runtime: Runtime,
  commands: CommandContext,
  outcome: Extract<SlaJobOutcome, { ticket: TicketRecord }>,
) {
  const { ticket } = outcome;
  const recipients = await recipientsOf(commands, ticket, outcome.audience);
  const linkSet = links(runtime.config);
  const staffLink = { ref: ticket.ref, title: ticket.title, url: linkSet.staffTicket(ticket.ref) };
  const assignee = ticket.assigneeId
    ? await commands.directory.findUser(EVERYTHING, String(ticket.assigneeId))
    : null;
  const organisation = await commands.directory.findOrganisation(EVERYTHING, String(ticket.organisationId));
  let queued = 0;
  let failure: unknown = null;
  for (const recipient of recipients) {
    let notification: Notification;
    if (outcome.mail === 'sla_warning') {
      notification = {
        kind: 'sla_warning',
        data: {
          ...(recipient.name ? { assigneeName: recipient.name } : {}),
          ticket: staffLink,
          target: mailTarget(outcome.target),
          dueAt: outcome.due,
          remainingMinutes: Math.max(0, Math.round(outcome.remainingMs / 60_000)),
        },
      };
    } else {
      notification = {
        kind: outcome.mail,
        data: {
          ...(recipient.name ? { recipientName: recipient.name } : {}),
          ticket: staffLink,
          target: mailTarget(outcome.target),
          dueAt: outcome.due,
          breachedAt: outcome.breachedAt ?? outcome.due,
          step: Math.max(1, outcome.level),
          role: outcome.audience,
          ...(assignee?.name ? { assigneeName: assignee.name } : {}),
          ...(organisation?.name ? { organisationName: organisation.name } : {}),
        },
      };
    }
    try {
      const result = await queueDelivery(runtime, {
        id: `${outcome.eventId}:${recipient.key}`,
        to: recipient.to,
        recipientKind: outcome.audience,
        language: recipient.language,
        notification,
        ticketId: String(ticket._id),
      });
      if (result === 'queued') queued += 1;
    } catch (error) {
      // Keep going: the others should not wait for one address; the job retries what is missing.
      failure ??= error;
    }
  }
  if (failure) throw failure;
  return { recipients: recipients.length, queued };
}

/** The reporter's `deadline_extension` e-mail (unless they unsubscribed or were anonymised). */
async function extensionNotice(runtime: Runtime, commands: CommandContext, job: SlaJob) {
  const { ticketId, eventId } = job.data as { ticketId: string; eventId: string };
  const ticket = await commands.tickets.findById(EVERYTHING, ticketId);
  const event = ticket?.events?.find((e) => e._id === eventId) as Record<string, unknown> | undefined;
  if (!ticket || !event) return { skipped: 'ticket or event gone' };
  const reporter = ticket.reporter;
  if (!reporter?.email || reporter.unsubscribed || reporter.anonymisedAt)
    return { skipped: 'reporter unreachable' };
  const linkSet = links(runtime.config);
  const result = await queueDelivery(runtime, {
    id: `${eventId}:reporter`,
    to: reporter.email,
    recipientKind: 'reporter',
    language: reporter.language === 'en' ? 'en' : 'es',
    notification: {
      kind: 'deadline_extension',
      data: {
        ...(reporter.name ? { reporterName: reporter.name } : {}),
        ticket: { ref: ticket.ref, title: ticket.title, url: linkSet.tracking(ticketId) },
        ...(event.from ? { previousDueAt: String(event.from) } : {}),
        newDueAt: String(event.to),
        reason: String(event.reason ?? ''),
      },
    },
    unsubscribeUrl: linkSet.reporterUnsubscribe(ticketId),
    ticketId,
  });
  await fanOutToWebhooks(runtime, commands, ticketId, eventId);
  return { result };
}

/**
 * Runs one `sla` job. `deadline` and `escalate` record a warning, breach or escalation step once
 * (stale jobs do nothing; early ones go back to waiting), then send its e-mails once per person.
 * `reconcile` re-derives every job from MongoDB; `recompute-calendar` does it for the tickets of
 * a calendar that just gained a holiday; `extension-notice` tells the reporter of an extension.
 */
export async function runSlaJob(job: SlaJob, runtime: Runtime): Promise<unknown> {
  const commands = workerCommands(runtime);
  if (job.name === JOBS.slaDeadline.name || job.name === JOBS.slaEscalation.name) {
    const outcome =
      job.name === JOBS.slaDeadline.name
        ? await processDeadline(commands, job.data as DeadlineJobData)
        : await processEscalation(commands, job.data as EscalateJobData);
    if (outcome.outcome === 'stale') return outcome;
    if (outcome.outcome === 'early') {
      if (job.token && job.moveToDelayed) {
        // The job ran before its instant (clock skew): back to the delayed set, not a failure.
        await job.moveToDelayed(
          Date.now() + Math.max(1_000, outcome.runAt.getTime() - runtime.now().getTime()),
          job.token,
        );
        throw new DelayedError();
      }
      return { outcome: 'early', runAt: outcome.runAt };
    }
    const delivered = await deliverOutcome(runtime, commands, outcome);
    if (outcome.outcome === 'recorded')
      await fanOutToWebhooks(runtime, commands, String(outcome.ticket._id), outcome.eventId);
    return { outcome: outcome.outcome, eventId: outcome.eventId, ...delivered };
  }
  if (job.name === JOBS.extensionNotice.name) return await extensionNotice(runtime, commands, job);
  if (job.name === JOBS.slaReconcile.name || job.name === JOBS.recomputeCalendar.name) {
    const calendarId = (job.data as { calendarId?: string }).calendarId;
    return await reconcileSla(commands, {
      addBulk: slaAddBulk(runtime),
      ...(job.name === JOBS.recomputeCalendar.name && calendarId ? { calendarIds: [calendarId] } : {}),
    });
  }
  return { skipped: `unknown job ${job.name}` };
}

/**
 * `quipu sla:reconcile`: one full sweep from the command line (the CLI builds the runtime and
 * prints the report).
 */
export async function reconcileCommand(runtime: Runtime, options: { batchSize?: number } = {}) {
  return await reconcileSla(workerCommands(runtime), {
    addBulk: slaAddBulk(runtime),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  });
}

/** SLA clocks at run time: warnings, breaches, escalation chains, reconciliation. */
export const slaProcessor = defineProcessor({
  group: 'sla',
  queue: 'sla',
  jobs: [
    JOBS.slaDeadline,
    JOBS.slaEscalation,
    JOBS.extensionNotice,
    JOBS.slaReconcile,
    JOBS.recomputeCalendar,
  ],
  concurrency: 4,
  process: (job, runtime) => runSlaJob(job, runtime),
  schedules: () => [schedule(JOBS.slaReconcile, 'sla-reconcile', { every: 5 * 60_000 }, {})],
});
