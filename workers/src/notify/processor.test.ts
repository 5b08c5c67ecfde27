import { EVERYTHING, registerModels } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { useHarness } from '@quipu/test/harness';
import { confirmReporter, postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { deliver } from './deliver.ts';
import { sendStoredNotification } from './resend.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: ['notify', 'maintenance'] });
  directory = await seedDirectory(stack.commands);
});

/** Adds a notify job under a fresh id (as a second relay or a retry would) and waits for its result. */
async function runAgain(add: (jobId: string) => Promise<void>, jobId: string) {
  await add(jobId);
  const queue = stack.runtime.queues.get('notify');
  await expect
    .poll(async () => (await queue.getJob(jobId))?.finishedOn ?? null, { timeout: 15_000 })
    .not.toBeNull();
  return (await queue.getJob(jobId))!.returnvalue as Record<string, unknown>;
}

describe('the notify worker', () => {
  it('sends each recipient of a ticket event once, however often the event’s job runs', async () => {
    const reporter = 'notify.reporter@example.pe';
    const filed = await postJson(`${stack.url}/api/v1/complaints`, {
      category: 'wrong_data',
      title: 'Fechas en formato ambiguo',
      description: 'La columna fecha mezcla día/mes y mes/día en el mismo archivo.',
      dataset: directory.dataset.slug,
      reporter: { email: reporter, name: 'Rita' },
      consent: true,
    });
    expect(filed.status).toBe(201);
    const { ref } = (await filed.json()) as { ref: string };
    await stack.smtp.waitFor((m) => m.to.includes(reporter) && m.text.includes(ref), 15_000);
    expect((await confirmReporter(stack, ref)).status).toBe(200);
    const ticket = (await stack.commands.tickets.findByRef(EVERYTHING, ref))!;
    const notify = stack.runtime.queues.get('notify');
    // Every event that notifies has had its job (id `notify-<event>`) run once through the outbox.
    const notifying = [];
    for (const event of ticket.events!) if (await notify.getJob(`notify-${event._id}`)) notifying.push(event);
    expect(notifying.length).toBeGreaterThan(0);
    for (const event of notifying) {
      await expect
        .poll(async () => (await notify.getJob(`notify-${event._id}`))?.finishedOn ?? null, {
          timeout: 15_000,
        })
        .not.toBeNull();
    }
    const sent = stack.smtp.messages.filter((m) => m.text.includes(ref)).length;
    expect(sent).toBeGreaterThan(0);

    for (const event of notifying) {
      const data = { ticketId: String(ticket._id), eventId: event._id };
      const result = await runAgain(
        (jobId) => JOBS.notifyTicketEvent.add(stack.runtime.queues, data, { jobId }),
        `again-${event._id}`,
      );
      expect(result.sent).toBe(0);
    }
    expect(stack.smtp.messages.filter((m) => m.text.includes(ref)).length).toBe(sent);
  });

  it('sends a follower’s verification link once, however often its job runs', async () => {
    const ticket = (await stack.commands.tickets.list(EVERYTHING, {}, { limit: 1, projection: {} }))
      .items[0]!;
    const follower = 'notify.follower@example.pe';
    const followed = await postJson(`${stack.url}/api/v1/tickets/${ticket.ref}/followers`, {
      email: follower,
    });
    expect(followed.status).toBe(202);
    await stack.smtp.waitFor((m) => m.to.includes(follower), 15_000);
    const models = registerModels(stack.runtime.connection);
    // The peer has the message a moment before the first job records it sent.
    await expect
      .poll(async () => (await models.Notification.findOne({ to: follower }, { state: 1 }).lean())?.state, {
        timeout: 15_000,
      })
      .toBe('sent');
    const subscription = (await models.Subscription.findOne({ email: follower }).lean()) as { _id: unknown };
    const subscriptionId = String(subscription._id);
    const result = await runAgain(
      (jobId) => JOBS.subscriptionVerification.add(stack.runtime.queues, { subscriptionId }, { jobId }),
      `again-subverify-${subscriptionId}`,
    );
    expect(result).toEqual({ result: 'skipped' });
    expect(stack.smtp.messages.filter((m) => m.to.includes(follower))).toHaveLength(1);
  });

  it('lists failed e-mails to admins and sends one again on request', async () => {
    const models = registerModels(stack.runtime.connection);
    // The peer's failNext is global: let the notify worker finish what earlier tests queued, so
    // the refusal meets this message and not one of theirs.
    for (let i = 0; i < 100; i++) {
      const counts = await stack.runtime.queues
        .get('notify')
        .getJobCounts('active', 'waiting', 'prioritized');
      if (!counts.active && !counts.waiting && !counts.prioritized) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await stack.smtp.failNext(1, 550);
    const id = 'ev-test-failed:user-x';
    await expect(
      deliver(
        models,
        stack.runtime.config,
        {
          id,
          to: 'buzon.lleno@example.pe',
          recipientKind: 'manager',
          language: 'es',
          notification: {
            kind: 'sla_warning',
            data: {
              ticket: { ref: 'Q-2026-000999', title: 'Prueba', url: '/tickets/Q-2026-000999' },
              target: 'resolution',
              dueAt: new Date(),
              remainingMinutes: 90,
            },
          },
        },
        { final: false },
      ),
    ).rejects.toThrow();
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    expect((await officer.request('/api/v1/admin/notifications?state=failed')).status).toBe(403);
    const failed = (await (await admin.request('/api/v1/admin/notifications?state=failed')).json()) as {
      items: Array<{ id: string; lastError: string }>;
    };
    expect(failed.items.map((n) => n.id)).toContain(id);
    const resend = await admin.request(`/api/v1/admin/notifications/${encodeURIComponent(id)}/resend`, {
      method: 'POST',
    });
    expect(resend.status).toBe(202);
    expect(
      (
        await admin.request(`/api/v1/admin/notifications/${encodeURIComponent(id)}/resend`, {
          method: 'POST',
        })
      ).status,
    ).toBe(409);
    expect((await admin.request('/api/v1/admin/notifications/nope/resend', { method: 'POST' })).status).toBe(
      404,
    );
    // The re-send job went through the notification's outbox to the notify queue.
    const jobs = await stack.runtime.queues
      .get('notify')
      .getJobs(['waiting', 'completed', 'active', 'failed', 'delayed']);
    expect(
      jobs.some((j) => j?.name === 'resend' && 'notificationId' in j.data && j.data.notificationId === id),
    ).toBe(true);
    // The notify worker sends it; running the re-send again changes nothing.
    await stack.smtp.waitFor((m) => m.to.includes('buzon.lleno@example.pe'), 15_000);
    // The worker records the delivery right after the SMTP peer accepts it.
    for (let i = 0; i < 100; i++) {
      const record = (await models.Notification.findById(id).lean()) as { state?: string } | null;
      if (record?.state === 'sent') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await sendStoredNotification(models, stack.runtime.config, id, { final: false })).toBe('skipped');
    expect(stack.smtp.messages.filter((m) => m.to.includes('buzon.lleno@example.pe'))).toHaveLength(1);
    const after = (await (await admin.request('/api/v1/admin/notifications?state=failed')).json()) as {
      items: Array<{ id: string }>;
    };
    expect(after.items.map((n) => n.id)).not.toContain(id);
  });
});
