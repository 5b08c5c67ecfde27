import { EVERYTHING, registerModels, type TicketRecord } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSlaJob } from './processor.ts';

/**
 * The `sla` processor on the real stack. No worker consumes `sla` here, so every e-mail the SMTP
 * peer receives was queued by the job the test ran (and sent by notify), and the test moves the clock.
 */
const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let ticket: TicketRecord;

/** Lima is UTC−05:00 all year. */
const lima = (local: string) => new Date(`${local}-05:00`);
const job = (name: string, data: Record<string, unknown>) => ({
  name,
  data,
  attemptsMade: 0,
  opts: { attempts: 8 },
});

beforeAll(async () => {
  stack = await startStack(harness, { workers: ['maintenance', 'notify'], now: lima('2026-05-04T09:00:00') });
  directory = await seedDirectory(stack.commands);
  const filed = await postJson(`${stack.url}/api/v1/complaints`, {
    category: 'wrong_data',
    title: 'Ubigeos de seis dígitos truncados',
    description: 'Los códigos de ubigeo que empiezan con cero perdieron el primer dígito.',
    dataset: directory.dataset.slug,
    reporter: { email: 'sla.reporter@example.pe', name: 'Elsa' },
    consent: true,
  });
  expect(filed.status).toBe(201);
  const { ref } = (await filed.json()) as { ref: string };
  ticket = (await stack.commands.tickets.findByRef(EVERYTHING, ref)) as TicketRecord;
});

const resolution = (t: TicketRecord) => t.sla!.targets!.find((x) => x.target === 'resolution')!;
const reload = async () =>
  (await stack.commands.tickets.findById(EVERYTHING, String(ticket._id))) as TicketRecord;

describe('the sla worker', () => {
  it('records a warning once and e-mails the assignee once, however often its deadline job runs', async () => {
    const { dueAt, warnAt } = resolution(ticket);
    const data = {
      ticketId: String(ticket._id),
      target: 'resolution',
      kind: 'warn',
      due: new Date(dueAt!).toISOString(),
    };
    // Run before its instant (a clock skew): nothing is recorded yet.
    expect(await runSlaJob(job(JOBS.slaDeadline.name, data), stack.runtime)).toMatchObject({
      outcome: 'early',
    });
    expect((await reload()).events!.filter((e) => e.type === 'sla_warning')).toHaveLength(0);

    stack.clock.set(new Date(new Date(warnAt!).getTime() + 60_000));
    const assignee = (await stack.commands.directory.findUser(EVERYTHING, String(ticket.assigneeId)))!;
    const first = await runSlaJob(job(JOBS.slaDeadline.name, data), stack.runtime);
    expect(first).toMatchObject({ outcome: 'recorded', recipients: 1, queued: 1 });
    const second = await runSlaJob(job(JOBS.slaDeadline.name, data), stack.runtime);
    expect(second).toMatchObject({ outcome: 'already_recorded', queued: 0 });

    const after = await reload();
    expect(after.events!.filter((e) => e.type === 'sla_warning')).toHaveLength(1);
    expect(resolution(after).warnedAt).toBeTruthy();
    // Sent by the notify worker from the recorded notification.
    await stack.smtp.waitFor((m) => m.to.includes(assignee.email), 15_000);
    expect(stack.smtp.messages.filter((m) => m.to.includes(assignee.email))).toHaveLength(1);
    const notifications = await registerModels(stack.runtime.connection)
      .Notification.find({ ticketId: ticket._id, kind: 'sla_warning' })
      .lean();
    expect(notifications).toHaveLength(1);
    // The recorded warning goes to webhooks only when some webhook is active (none here).
    const warning = after.events!.find((e) => e.type === 'sla_warning')!;
    expect(await stack.runtime.queues.get('webhooks').getJob(`wh-${warning._id}`)).toBeUndefined();
  });

  it('does nothing for a job whose deadline has moved since it was scheduled', async () => {
    // Let notify finish what earlier steps queued (the intake's acknowledgement), then count.
    await expect
      .poll(async () => {
        const counts = await stack.runtime.queues.get('notify').getJobCounts('active', 'waiting', 'delayed');
        return (counts.active ?? 0) + (counts.waiting ?? 0) + (counts.delayed ?? 0);
      })
      .toBe(0);
    const before = stack.smtp.messages.length;
    const moved = new Date(new Date(resolution(ticket).dueAt!).getTime() + 86_400_000).toISOString();
    const data = { ticketId: String(ticket._id), target: 'resolution', kind: 'breach', due: moved };
    expect(await runSlaJob(job(JOBS.slaDeadline.name, data), stack.runtime)).toMatchObject({
      outcome: 'stale',
    });
    expect((await reload()).events!.filter((e) => e.type === 'sla_breached')).toHaveLength(0);
    expect(stack.smtp.messages.length).toBe(before);
  });

  it('re-derives the same deadline jobs from MongoDB however often it reconciles', async () => {
    const queue = stack.runtime.queues.get('sla');
    const ids = async () =>
      (await queue.getJobs(['waiting', 'delayed']))
        .filter((j) => j?.name === JOBS.slaDeadline.name || j?.name === JOBS.slaEscalation.name)
        .map((j) => j!.id)
        .sort();
    await queue.drain(true);
    expect(await ids()).toEqual([]);
    const first = (await runSlaJob(job(JOBS.slaReconcile.name, {}), stack.runtime)) as { tickets: number };
    expect(first.tickets).toBe(1);
    const derived = await ids();
    // The warning was recorded: the breach is still owed, the warning is not.
    const due = new Date(resolution(ticket).dueAt!).getTime();
    expect(derived).toContain(`sla-${ticket._id}-resolution-breach-${due}`);
    expect(derived).not.toContain(`sla-${ticket._id}-resolution-warn-${due}`);
    await runSlaJob(job(JOBS.slaReconcile.name, {}), stack.runtime);
    expect(await ids()).toEqual(derived);
  });
});
