import { createOrganisation, createUser, linkToken } from '@quipu/commands';
import { EVERYTHING, registerModels } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { holdForDigest } from '../../workers/src/digest/hold.ts';
import { DIGEST_QUEUE, runDigestJob } from '../../workers/src/digest/processor.ts';
import { deliver } from '../../workers/src/notify/deliver.ts';
import { resendNotification } from '../../workers/src/notify/resend.ts';
import { recipientsOf } from '../../workers/src/sla/audience.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
const lima = (local: string) => new Date(`${local}-05:00`);
const job = (name: string, data: Record<string, unknown> = {}) => ({
  name,
  data,
  attemptsMade: 0,
  opts: { attempts: 8 },
});

beforeAll(async () => {
  stack = await startStack(harness, { workers: ['notify', 'maintenance'], now: lima('2026-05-04T07:30:00') });
  directory = await seedDirectory(stack.commands);
});

async function fileComplaint(title: string, email: string) {
  const response = await postJson(`${stack.url}/api/v1/complaints`, {
    category: 'wrong_data',
    title,
    description: 'Descripción suficientemente larga del problema en los datos.',
    dataset: directory.dataset.slug,
    reporter: { email, name: 'Vecina' },
    consent: true,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { ref: string }).ref;
}

describe('digests, preferences and failed e-mails', () => {
  it('plans one 08:00 America/Lima digest per organisation and sends each manager one digest a day', async () => {
    expect(await runDigestJob(job('plan'), stack.runtime)).toEqual({ organisations: 1 });
    const scheduler = await stack.runtime.queues
      .get(DIGEST_QUEUE)
      .getJobScheduler(`digest-org-${directory.organisation._id}`);
    expect(scheduler).toMatchObject({ pattern: '0 8 * * *', tz: 'America/Lima' });

    const first = await fileComplaint('Totales que no suman en el anexo', 'v1@example.pe');
    const second = await fileComplaint('Columnas desplazadas en el CSV', 'v2@example.pe');
    stack.clock.set(lima('2026-05-04T08:00:00'));
    const mario = directory.manager.email;
    const data = { organisationId: String(directory.organisation._id) };
    const result = (await runDigestJob(job('daily-digest', data), stack.runtime)) as {
      sent: number;
      counts: { new: number };
    };
    expect(result.sent).toBe(1);
    expect(result.counts.new).toBe(2);
    expect(await runDigestJob(job('daily-digest', data), stack.runtime)).toMatchObject({ sent: 0 });
    const digests = stack.smtp.messages.filter((m) => m.to.includes(mario) && m.text.includes(first));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.text).toContain(second);
    // Officers are not managers: no digest for them.
    expect(
      stack.smtp.messages.filter(
        (m) => m.to.includes(directory.officerA.email) && m.text.includes(second) && m.text.includes(first),
      ),
    ).toHaveLength(0);

    // The manager opts out: the next morning brings nothing.
    const session = await signIn(stack.url, mario, directory.password);
    const saved = await session.request('/api/v1/staff/preferences', {
      method: 'PUT',
      body: { dailyDigest: false },
    });
    expect(saved.status).toBe(200);
    stack.clock.set(lima('2026-05-05T08:00:00'));
    const before = stack.smtp.messages.filter((m) => m.to.includes(mario)).length;
    expect(await runDigestJob(job('daily-digest', data), stack.runtime)).toMatchObject({ sent: 0 });
    expect(stack.smtp.messages.filter((m) => m.to.includes(mario)).length).toBe(before);
  });

  it('a follower on the digest gets their held updates once a day, in one e-mail', async () => {
    const ref = await fileComplaint('Coordenadas invertidas en establecimientos', 'v3@example.pe');
    const ticket = (await stack.commands.tickets.findByRef(EVERYTHING, ref))!;
    const tracking = linkToken(stack.runtime.config.session.secret, 'verification', String(ticket._id));
    expect((await fetch(`${stack.url}/api/v1/verifications/${tracking}`, { method: 'POST' })).status).toBe(
      200,
    );
    const follower = 'seguidora@example.pe';
    expect((await postJson(`${stack.url}/api/v1/tickets/${ref}/followers`, { email: follower })).status).toBe(
      202,
    );
    const models = registerModels(stack.runtime.connection);
    const subscription = (await models.Subscription.findOne({
      ticketId: ticket._id,
      kind: 'follow',
    }).lean()) as { _id: unknown };
    const token = linkToken(stack.runtime.config.session.secret, 'subscription', String(subscription._id));
    const chosen = await postJson(`${stack.url}/api/v1/subscriptions/${token}/digest`, { digest: true });
    expect(chosen.status).toBe(200);
    expect(
      ((await models.Subscription.findById(subscription._id).lean()) as unknown as { digest: boolean })
        .digest,
    ).toBe(true);
    expect(
      (
        await postJson(`${stack.url}/api/v1/subscriptions/not-a-real-token-at-all-xx/digest`, {
          digest: true,
        })
      ).status,
    ).toBe(404);

    // What notify does for a digest follower: hold each update instead of sending it.
    const link = {
      ref,
      title: ticket.title,
      url: `${stack.runtime.config.http.publicBaseUrl}/tickets/${ref}`,
    };
    const changes = [
      { type: 'status' as const, at: lima('2026-05-05T10:00:00'), from: 'new', to: 'triaged' },
      {
        type: 'reply' as const,
        at: lima('2026-05-05T11:00:00'),
        authorName: 'Ana Quispe',
        excerpt: 'Estamos corrigiendo las coordenadas.',
      },
    ];
    for (const [i, change] of changes.entries()) {
      expect(
        await holdForDigest(models, {
          id: `ev-test-${i}:follower-${subscription._id}`,
          to: follower,
          language: 'es',
          ticketId: String(ticket._id),
          ticket: link,
          change,
        }),
      ).toBe('held');
    }
    stack.clock.set(lima('2026-05-06T08:00:00'));
    expect(await runDigestJob(job('followers-digest'), stack.runtime)).toEqual({ addresses: 1, sent: 1 });
    expect(await runDigestJob(job('followers-digest'), stack.runtime)).toEqual({ addresses: 0, sent: 0 });
    const received = stack.smtp.messages.filter(
      (m) => m.to.includes(follower) && m.text.includes('Estamos corrigiendo'),
    );
    expect(received).toHaveLength(1);
    expect(received.at(-1)!.text).toContain('Estamos corrigiendo las coordenadas.');
    expect(received.at(-1)!.text).toContain(ref);
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
    expect(jobs.some((j) => j?.name === 'resend' && j.data.notificationId === id)).toBe(true);
    // The notify worker sends it; running the re-send again changes nothing.
    await stack.smtp.waitFor((m) => m.to.includes('buzon.lleno@example.pe'), 15_000);
    // The worker records the delivery right after the SMTP peer accepts it.
    for (let i = 0; i < 100; i++) {
      const record = (await models.Notification.findById(id).lean()) as { state?: string } | null;
      if (record?.state === 'sent') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await resendNotification(models, stack.runtime.config, id, { final: false })).toBe('skipped');
    expect(stack.smtp.messages.filter((m) => m.to.includes('buzon.lleno@example.pe'))).toHaveLength(1);
    const after = (await (await admin.request('/api/v1/admin/notifications?state=failed')).json()) as {
      items: Array<{ id: string }>;
    };
    expect(after.items.map((n) => n.id)).not.toContain(id);
  });

  it('escalation audiences: team leads of the team, managers up the tree, the parent organisation’s contact', async () => {
    const parent = await createOrganisation(stack.commands, {
      slug: 'pcm',
      name: 'Presidencia del Consejo de Ministros',
      contactEmail: 'transparencia@pcm.gob.pe',
    });
    const child = await createOrganisation(stack.commands, {
      slug: 'diris-norte',
      name: 'DIRIS Lima Norte',
      parent: 'pcm',
    });
    const parentManager = await createUser(stack.commands, {
      email: 'gerencia@pcm.gob.pe',
      name: 'Gerencia PCM',
      password: directory.password,
      roles: ['manager'],
      organisations: [String(parent._id)],
    });
    const ticket = { organisationId: child._id, teamId: undefined, assigneeId: undefined } as never;
    const emails = async (audience: string) =>
      (await recipientsOf(stack.commands, ticket, audience)).map((r) => r.to);
    expect(await emails('parent_organisation')).toEqual(['transparencia@pcm.gob.pe', parentManager.email]);
    // No manager in DIRIS Lima Norte: the nearest ancestor's managers.
    expect(await emails('manager')).toEqual([parentManager.email]);
    // Unassigned and no team: the warning goes to the organisation's team leads (none here).
    expect(await emails('assignee')).toEqual([]);
    const own = {
      organisationId: directory.organisation._id,
      teamId: directory.team._id,
      assigneeId: directory.officerB._id,
    } as never;
    expect((await recipientsOf(stack.commands, own, 'assignee')).map((r) => r.to)).toEqual([
      directory.officerB.email,
    ]);
    expect((await recipientsOf(stack.commands, own, 'team_lead')).map((r) => r.to)).toEqual([
      directory.lead.email,
    ]);
    expect((await recipientsOf(stack.commands, own, 'manager')).map((r) => r.to)).toEqual([
      directory.manager.email,
    ]);
  });
});
