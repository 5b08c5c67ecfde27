import { linkToken } from '@quipu/commands';
import { EVERYTHING, registerModels, type TicketRecord } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { runSlaJob } from '@quipu/workers';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * SLA clocks at run time, on the real stack (API, notify worker, SMTP peer, MongoDB, Redis) with
 * a controllable clock. The `sla` queue is not consumed by a worker here: `runSlaQueue` plays
 * BullMQ's part, running every job held against the current clock (as `job.promote()` would),
 * keeping the early and the failed ones, so the test decides when time passes.
 */
const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

/** Lima is UTC−05:00 all year. */
const lima = (local: string) => new Date(`${local}-05:00`);

beforeAll(async () => {
  stack = await startStack(harness, { workers: ['notify', 'maintenance'], now: lima('2026-04-01T19:00:00') });
  directory = await seedDirectory(stack.commands);
});

interface Ran {
  name: string;
  id: string;
  result?: unknown;
  error?: string;
}

async function runSlaQueue(): Promise<Ran[]> {
  const queue = stack.runtime.queues.get('sla');
  const ran: Ran[] = [];
  const kept = new Set<string>();
  for (let round = 0; round < 8; round += 1) {
    const jobs = (await queue.getJobs(['waiting', 'delayed', 'prioritized', 'paused'])).filter(
      (j) => j && !kept.has(j.id!),
    );
    if (jobs.length === 0) break;
    for (const job of jobs) {
      try {
        const result = await runSlaJob(
          { name: job.name, data: job.data, attemptsMade: 0, opts: { attempts: 8 } },
          stack.runtime,
        );
        ran.push({ name: job.name, id: job.id!, result });
        if ((result as { outcome?: string }).outcome === 'early') kept.add(job.id!);
        else await job.remove();
      } catch (error) {
        ran.push({ name: job.name, id: job.id!, error: (error as Error).message });
        kept.add(job.id!);
      }
    }
  }
  return ran;
}

const ticketOf = async (ref: string) =>
  (await stack.commands.tickets.findByRef(EVERYTHING, ref)) as TicketRecord;
const target = (t: TicketRecord, name: string) => t.sla!.targets!.find((x) => x.target === name)!;
const mailsTo = (email: string, ref: string) =>
  stack.smtp.messages.filter((m) => m.to.includes(email) && m.text.includes(ref));

let complaintRef = '';
let requestRef = '';
const complaintReporter = 'rosa.mamani@example.pe';
const requesterEmail = 'jorge.quispe@example.pe';

describe('SLA clocks on Peru’s calendar', () => {
  it('a complaint and an access-to-information request filed on Holy Wednesday evening get the legal due dates', async () => {
    const complaint = await postJson(`${stack.url}/api/v1/complaints`, {
      category: 'wrong_data',
      title: 'Fechas imposibles en fallecidos',
      description: 'Hay filas con fecha de fallecimiento en el año 2031 en el archivo.',
      dataset: directory.dataset.slug,
      reporter: { email: complaintReporter, name: 'Rosa Mamani' },
      consent: true,
    });
    expect(complaint.status).toBe(201);
    complaintRef = ((await complaint.json()) as { ref: string }).ref;
    const request = await postJson(`${stack.url}/api/v1/data-requests`, {
      title: 'Padrón de establecimientos de salud',
      description: 'Solicito el padrón completo de establecimientos con su categoría.',
      organisation: directory.organisation.slug,
      regime: 'access_to_information',
      reporter: { email: requesterEmail, name: 'Jorge Quispe' },
      consent: true,
    });
    expect(request.status).toBe(201);
    requestRef = ((await request.json()) as { ref: string }).ref;

    // Received Wed 1 Apr 2026 19:00 (after closing). Thu 2 (Jueves Santo) and Fri 3 (Viernes Santo)
    // are national holidays, Sat 4 / Sun 5 the weekend: day 1 is Mon 6 Apr under both rules
    // ("from receipt" because it arrived after closing, "next business day" by law). Ten business
    // days: Mon 6–Fri 10, Mon 13–Fri 17 → due Fri 17 Apr 17:30 (closing). Two days → Tue 7 17:30.
    const c = await ticketOf(complaintRef);
    expect(c.sla!.policyId).toBe('complaint');
    expect(target(c, 'resolution').dueAt).toEqual(lima('2026-04-17T17:30:00'));
    expect(target(c, 'firstResponse').dueAt).toEqual(lima('2026-04-07T17:30:00'));
    // Warning at 75 % = 7.5 days: Mon 6 … Tue 14 (7 days) + half of Wed 15 (08:30 + 4.5 h) → 13:00.
    expect(target(c, 'resolution').warnAt).toEqual(lima('2026-04-15T13:00:00'));
    const r = await ticketOf(requestRef);
    expect(r.sla!.policyId).toBe('pe-access-to-information');
    expect(target(r, 'resolution').dueAt).toEqual(lima('2026-04-17T17:30:00'));
    // Warning at 70 % = 7 days → end of Tue 14 Apr; the extension must be notified by Tue 7 17:30.
    expect(target(r, 'resolution').warnAt).toEqual(lima('2026-04-14T17:30:00'));
    expect(r.sla!.extensionNoticeDeadline).toEqual(lima('2026-04-07T17:30:00'));

    // The deadline jobs are in BullMQ under their deterministic ids.
    const queue = stack.runtime.queues.get('sla');
    const due = lima('2026-04-17T17:30:00').getTime();
    expect(await queue.getJob(`sla-${c._id}-resolution-breach-${due}`)).toBeTruthy();
    expect(await queue.getJob(`sla-${r._id}-resolution-warn-${due}`)).toBeTruthy();

    // The explanation names the holidays skipped, in Spanish and English.
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    const es = (await (await officer.request(`/api/v1/staff/tickets/${requestRef}/sla`)).json()) as {
      targets: Array<{
        target: string;
        due: string;
        text: string;
        explanation: { holidays: Array<{ names: string[] }> };
      }>;
    };
    const resolution = es.targets.find((t) => t.target === 'resolution')!;
    expect(new Date(resolution.due)).toEqual(lima('2026-04-17T17:30:00'));
    expect(resolution.text).toContain('Jueves Santo');
    expect(resolution.text).toContain('Viernes Santo');
    expect(resolution.explanation.holidays.flatMap((h) => h.names)).toEqual([
      'Jueves Santo',
      'Viernes Santo',
    ]);
    const en = (await (await officer.request(`/api/v1/staff/tickets/${requestRef}/sla?lang=en`)).json()) as {
      targets: Array<{ target: string; text: string }>;
    };
    expect(en.targets.find((t) => t.target === 'resolution')!.text).toContain('Holy Thursday');
    // The public explanation exists only once the ticket is public.
    expect((await fetch(`${stack.url}/api/v1/tickets/${requestRef}/sla`)).status).toBe(404);
    expect((await fetch(`${stack.url}/api/v1/staff/tickets/${requestRef}/sla`)).status).toBe(401);
    const token = linkToken(stack.runtime.config.session.secret, 'verification', String(r._id));
    expect((await fetch(`${stack.url}/api/v1/verifications/${token}`, { method: 'POST' })).status).toBe(200);
    const pub = await fetch(`${stack.url}/api/v1/tickets/${requestRef}/sla?lang=en`);
    expect(pub.status).toBe(200);
    const pubText = await pub.text();
    expect(pubText).toContain('Good Friday');
    expect(pubText).not.toContain(requesterEmail);
  });

  it('waiting on the reporter stops the clock: the dues move by the paused business time', async () => {
    stack.clock.set(lima('2026-04-06T09:00:00'));
    // Sessions expire on the controllable clock too: sign in after each jump.
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    for (const action of ['triage', 'start'])
      expect(
        (
          await officer.request(`/api/v1/staff/tickets/${complaintRef}/transitions`, {
            method: 'POST',
            body: { action },
          })
        ).status,
      ).toBe(200);
    stack.clock.set(lima('2026-04-06T10:00:00'));
    const ask = await officer.request(`/api/v1/staff/tickets/${complaintRef}/transitions`, {
      method: 'POST',
      body: { action: 'ask_reporter', message: '¿Qué filas exactamente? Envíe los números de fila.' },
    });
    expect(ask.status).toBe(200);
    const paused = await ticketOf(complaintRef);
    expect(target(paused, 'resolution').state).toBe('paused');

    // The reporter answers Tue 7 Apr 10:00: paused Mon 10:00–17:30 (7.5 h) + Tue 08:30–10:00 (1.5 h)
    // = 9 business hours = one whole business day (a 9-hour day): every due moves one business day.
    stack.clock.set(lima('2026-04-07T10:00:00'));
    const c = await ticketOf(complaintRef);
    const token = linkToken(stack.runtime.config.session.secret, 'tracking', String(c._id));
    const answer = await postJson(`${stack.url}/api/v1/tracking/${token}/comments`, {
      body: 'Son las filas 120 a 135 del archivo de marzo.',
    });
    expect(answer.status).toBe(201);
    const resumed = await ticketOf(complaintRef);
    expect(resumed.status).toBe('in_progress');
    expect(target(resumed, 'resolution').dueAt).toEqual(lima('2026-04-20T17:30:00'));
    expect(target(resumed, 'firstResponse').dueAt).toEqual(lima('2026-04-08T17:30:00'));
    expect(resumed.sla!.pausedIntervals).toEqual([
      { from: lima('2026-04-06T10:00:00'), to: lima('2026-04-07T10:00:00') },
    ]);
    // The public reply meets the first response; then the old jobs (due Fri 17) are stale.
    stack.clock.set(lima('2026-04-07T11:00:00'));
    const again = await signIn(stack.url, directory.officerA.email, directory.password);
    const reply = await again.request(`/api/v1/staff/tickets/${complaintRef}/comments`, {
      method: 'POST',
      body: { body: 'Gracias, lo revisamos con la DIRIS.', visibility: 'public' },
    });
    expect(reply.status).toBe(201);
  });

  it('extends an access-to-information deadline once, within 2 business days, and tells the requester', async () => {
    stack.clock.set(lima('2026-04-07T11:30:00'));
    const officer = await signIn(stack.url, directory.officerB.email, directory.password);
    const refusedComplaint = await officer.request(`/api/v1/staff/tickets/${complaintRef}/extension`, {
      method: 'POST',
      body: { newDue: '2026-04-30', reason: 'Se requiere consolidar información de 25 DIRESA.' },
    });
    expect(refusedComplaint.status).toBe(400);
    expect(((await refusedComplaint.json()) as { code: string }).code).toBe('no_extension_rule');
    const early = await officer.request(`/api/v1/staff/tickets/${requestRef}/extension`, {
      method: 'POST',
      body: { newDue: '2026-04-10', reason: 'Se requiere consolidar información de 25 DIRESA.' },
    });
    expect(early.status).toBe(400);
    expect(((await early.json()) as { code: string }).code).toBe('not_after_current_due');
    const extended = await officer.request(`/api/v1/staff/tickets/${requestRef}/extension`, {
      method: 'POST',
      body: { newDue: '2026-04-30', reason: 'Se requiere consolidar información de 25 DIRESA.' },
    });
    expect(extended.status).toBe(200);
    const body = (await extended.json()) as { previousDue: string; newDue: string };
    expect(new Date(body.previousDue)).toEqual(lima('2026-04-17T17:30:00'));
    expect(new Date(body.newDue)).toEqual(lima('2026-04-30T17:30:00'));
    const r = await ticketOf(requestRef);
    expect(target(r, 'resolution').dueAt).toEqual(lima('2026-04-30T17:30:00'));
    expect(r.events!.filter((e) => e.type === 'deadline_extended')).toHaveLength(1);

    const again = await officer.request(`/api/v1/staff/tickets/${requestRef}/extension`, {
      method: 'POST',
      body: { newDue: '2026-05-08', reason: 'Otra vez, por si acaso, más tiempo.' },
    });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { code: string }).code).toBe('already_extended');

    // The requester's e-mail is an `sla` job (extension-notice).
    await runSlaQueue();
    const notice = mailsTo(requesterEmail, requestRef).filter((m) => m.text.includes('DIRESA'));
    expect(notice).toHaveLength(1);
  });

  it('a breach e-mails each person in the chain exactly once, through an SMTP outage', async () => {
    // Warning at 75 % of the moved budget: 1 day by Tue 7 17:30, Wed 8 … Wed 15 (6 more), half of Thu 16 → 13:00.
    stack.clock.set(lima('2026-04-16T14:00:00'));
    const warned = await runSlaQueue();
    expect(warned.filter((r) => r.error)).toEqual([]);
    const ana = directory.officerA.email;
    const lucia = directory.lead.email;
    const mario = directory.manager.email;
    const complaint = await ticketOf(complaintRef);
    const assignee = (await stack.commands.directory.findUser(EVERYTHING, String(complaint.assigneeId)))!;
    expect(assignee.email).toBe(ana);
    const slaMails = async () =>
      (await registerModels(stack.runtime.connection)
        .Notification.find({
          ticketId: complaint._id,
          kind: { $in: ['sla_warning', 'sla_breach', 'escalation'] },
        })
        .sort({ createdAt: 1 })
        .lean()) as unknown as Array<{ _id: string; kind: string; to: string; state: string }>;
    await expect
      .poll(async () => (await slaMails()).map((n) => [n.kind, n.to, n.state]), { timeout: 15_000 })
      .toEqual([['sla_warning', ana, 'sent']]);
    const before = {
      ana: mailsTo(ana, complaintRef).length,
      lucia: mailsTo(lucia, complaintRef).length,
      mario: mailsTo(mario, complaintRef).length,
    };
    expect(target(complaint, 'resolution').warnedAt).toBeTruthy();
    expect(complaint.events!.filter((e) => e.type === 'sla_warning')).toHaveLength(1);

    // Past the due (Mon 20 Apr 17:30) with SMTP down: the breach is recorded and its e-mails are
    // queued to the notify worker, whose sends fail and are retried (the SLA job itself succeeds).
    stack.clock.set(lima('2026-04-21T09:00:00'));
    await stack.smtp.setDown(true);
    const during = await runSlaQueue();
    expect(during.filter((r) => r.error)).toEqual([]);
    const breached = await ticketOf(complaintRef);
    expect(breached.sla!.resolutionBreached).toBe(true);
    expect(breached.sla!.breached).toBe(true);
    expect(target(breached, 'resolution').breachedAt).toEqual(lima('2026-04-20T17:30:00'));
    expect(breached.events!.filter((e) => e.type === 'sla_breached')).toHaveLength(1);
    await expect
      .poll(async () => (await slaMails()).filter((n) => n.state === 'pending').length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);
    expect(mailsTo(ana, complaintRef).length - before.ana).toBe(0);

    await stack.smtp.setDown(false);
    await runSlaQueue();
    await expect
      .poll(() => mailsTo(lucia, complaintRef).length - before.lucia, { timeout: 30_000, interval: 250 })
      .toBe(1); // escalation, step 2
    await expect
      .poll(() => mailsTo(ana, complaintRef).length - before.ana, { timeout: 30_000, interval: 250 })
      .toBe(1); // sla_breach
    expect(mailsTo(mario, complaintRef).length - before.mario).toBe(0); // not yet: 5 business days after

    // Mon 20 17:30 + 5 business days = Mon 27 Apr 17:30: the manager's step.
    stack.clock.set(lima('2026-04-28T09:00:00'));
    await runSlaQueue();
    await expect
      .poll(() => mailsTo(mario, complaintRef).length - before.mario, { timeout: 15_000, interval: 250 })
      .toBe(1);

    // A full reconciliation (as after losing Redis) and every job again: nothing more is sent.
    const reconciled = (await runSlaJob(
      { name: 'reconcile', data: {}, attemptsMade: 0, opts: { attempts: 8 } },
      stack.runtime,
    )) as { tickets: number };
    expect(reconciled.tickets).toBeGreaterThanOrEqual(1);
    await runSlaQueue();
    expect(mailsTo(ana, complaintRef).length - before.ana).toBe(1);
    expect(mailsTo(lucia, complaintRef).length - before.lucia).toBe(1);
    expect(mailsTo(mario, complaintRef).length - before.mario).toBe(1);
    const escalations = (await ticketOf(complaintRef)).events!.filter((e) => e.type === 'sla_escalated');
    expect(escalations.map((e) => e.to)).toEqual(['team_lead', 'manager']);
    expect((await slaMails()).map((n) => [n.kind, n.to, n.state])).toEqual([
      ['sla_warning', ana, 'sent'],
      ['sla_breach', ana, 'sent'],
      ['escalation', lucia, 'sent'],
      ['escalation', mario, 'sent'],
    ]);
    const ids = stack.smtp.messages.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a reporter who unsubscribed gets nothing more', async () => {
    const c = await ticketOf(complaintRef);
    const token = linkToken(stack.runtime.config.session.secret, 'tracking', String(c._id));
    expect(
      (await fetch(`${stack.url}/api/v1/tracking/${token}/unsubscribe`, { method: 'POST' })).status,
    ).toBe(200);
    const before = stack.smtp.messages.filter((m) => m.to.includes(complaintReporter)).length;
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    const reply = await officer.request(`/api/v1/staff/tickets/${complaintRef}/comments`, {
      method: 'POST',
      body: { body: 'Corregimos las filas 120 a 135.', visibility: 'public' },
    });
    expect(reply.status).toBe(201);
    const resolved = await officer.request(`/api/v1/staff/tickets/${complaintRef}/transitions`, {
      method: 'POST',
      body: { action: 'resolve', resolution: 'Filas corregidas en la fuente.' },
    });
    expect(resolved.status).toBe(200);
    // Wait until the notify worker has handled both events, then look: nothing reached the reporter.
    const events = (await ticketOf(complaintRef)).events!.slice(-2);
    const notify = stack.runtime.queues.get('notify');
    for (const event of events) {
      await expect
        .poll(async () => (await notify.getJob(`notify-${event._id}`))?.finishedOn ?? null, {
          timeout: 15_000,
        })
        .not.toBeNull();
    }
    expect(stack.smtp.messages.filter((m) => m.to.includes(complaintReporter)).length).toBe(before);
    // Resolved: the clocks stopped, so no SLA job acts any more.
    const after = await runSlaQueue();
    expect(after.every((r) => r.error === undefined)).toBe(true);
  });

  it('a decreed non-working day moves the dues of open tickets on that calendar', async () => {
    // Filed Tue 28 Apr 09:00 (complaint policy, from receipt): Tue 28, Wed 29, Thu 30, (Fri 1 May
    // is Labour Day), Mon 4 … Fri 8, Mon 11, Tue 12 → due Tue 12 May 17:30. Decreeing Fri 8 May
    // non-working for the public sector moves it to Wed 13 May 17:30.
    stack.clock.set(lima('2026-04-28T09:00:00'));
    const filed = await postJson(`${stack.url}/api/v1/complaints`, {
      category: 'wrong_data',
      title: 'Distritos duplicados en el padrón',
      description: 'El distrito de Ate aparece dos veces con códigos distintos.',
      dataset: directory.dataset.slug,
      reporter: { email: 'decreto@example.pe', name: 'Luz' },
      consent: true,
    });
    expect(filed.status).toBe(201);
    const { ref } = (await filed.json()) as { ref: string };
    expect(target(await ticketOf(ref), 'resolution').dueAt).toEqual(lima('2026-05-12T17:30:00'));

    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    const holiday = {
      date: '2026-05-08',
      name: 'Día no laborable para el sector público',
      nameEn: 'Public-sector non-working day',
      law: 'DS 045-2026-PCM',
    };
    expect(
      (await officer.request('/api/v1/admin/calendars/pe/holidays', { method: 'POST', body: holiday }))
        .status,
    ).toBe(403);
    expect(
      (
        await admin.request('/api/v1/admin/calendars/pe/holidays', {
          method: 'POST',
          body: { ...holiday, date: '8 May' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await admin.request('/api/v1/admin/calendars/mars/holidays', { method: 'POST', body: holiday }))
        .status,
    ).toBe(404);
    expect(
      (
        await admin.request('/api/v1/admin/calendars/pe/holidays', {
          method: 'POST',
          body: { ...holiday, date: '2026-05-09' },
        })
      ).status,
    ).toBe(400); // a Saturday
    const added = await admin.request('/api/v1/admin/calendars/pe/holidays', {
      method: 'POST',
      body: holiday,
    });
    expect(added.status).toBe(201);
    expect(((await added.json()) as { calendarIds: string[] }).calendarIds.sort()).toEqual([
      'pe',
      'pe-amazonas',
    ]);
    expect(
      (await admin.request('/api/v1/admin/calendars/pe/holidays', { method: 'POST', body: holiday })).status,
    ).toBe(200);

    // The recompute job on the `sla` queue rewrites the block and schedules the new deadline.
    const ran = await runSlaQueue();
    expect(ran.some((r) => r.name === 'recompute-calendar' && !r.error)).toBe(true);
    const moved = await ticketOf(ref);
    expect(target(moved, 'resolution').dueAt).toEqual(lima('2026-05-13T17:30:00'));
    const queue = stack.runtime.queues.get('sla');
    expect(
      await queue.getJob(`sla-${moved._id}-resolution-breach-${lima('2026-05-13T17:30:00').getTime()}`),
    ).toBeTruthy();
    const calendars = (await (await admin.request('/api/v1/admin/calendars?year=2026')).json()) as {
      items: Array<{ id: string; holidays: Array<{ date: string; decreed: boolean; law: string | null }> }>;
    };
    const amazonas = calendars.items.find((c) => c.id === 'pe-amazonas')!;
    expect(amazonas.holidays.find((h) => h.date === '2026-05-08')).toMatchObject({
      decreed: true,
      law: 'DS 045-2026-PCM',
    });
    const explained = (await (await officer.request(`/api/v1/staff/tickets/${ref}/sla`)).json()) as {
      targets: Array<{ target: string; text: string }>;
    };
    expect(explained.targets.find((t) => t.target === 'resolution')!.text).toContain(
      'Día no laborable para el sector público',
    );
  });
});
