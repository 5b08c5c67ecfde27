import { linkToken } from '@quipu/commands';
import { EVERYTHING, registerModels } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { holdForDigest } from './hold.ts';
import { runDigestJob } from './processor.ts';

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

describe('the digest worker', () => {
  it('plans one 08:00 America/Lima digest per organisation and sends each manager one digest a day', async () => {
    expect(await runDigestJob(job('plan'), stack.runtime)).toEqual({ organisations: 1 });
    const scheduler = await stack.runtime.queues
      .get('digest')
      .getJobScheduler(`digest-org-${directory.organisation._id}`);
    expect(scheduler).toMatchObject({ pattern: '0 8 * * *', tz: 'America/Lima', name: 'daily-digest' });
    // Planned again (it runs every hour): the same schedulers, no second one.
    expect(await runDigestJob(job('plan'), stack.runtime)).toEqual({ organisations: 1 });
    const keys = (await stack.runtime.queues.get('digest').getJobSchedulers(0, -1)).map((s) => s.key).sort();
    expect(keys).toEqual([`digest-org-${directory.organisation._id}`, 'followers-digest']);

    const first = await fileComplaint('Totales que no suman en el anexo', 'v1@example.pe');
    const second = await fileComplaint('Columnas desplazadas en el CSV', 'v2@example.pe');
    stack.clock.set(lima('2026-05-04T08:00:00'));
    const mario = directory.manager.email;
    const data = { organisationId: String(directory.organisation._id) };
    const result = (await runDigestJob(job('daily-digest', data), stack.runtime)) as {
      queued: number;
      counts: { new: number };
    };
    expect(result.queued).toBe(1);
    expect(result.counts.new).toBe(2);
    expect(await runDigestJob(job('daily-digest', data), stack.runtime)).toMatchObject({ queued: 0 });
    // The notify worker sends what the digest queued.
    await stack.smtp.waitFor((m) => m.to.includes(mario) && m.text.includes(first), 15_000);
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
    expect(await runDigestJob(job('daily-digest', data), stack.runtime)).toMatchObject({ queued: 0 });
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
    expect(await runDigestJob(job('followers-digest'), stack.runtime)).toEqual({ addresses: 1, queued: 1 });
    expect(await runDigestJob(job('followers-digest'), stack.runtime)).toEqual({ addresses: 0, queued: 0 });
    await stack.smtp.waitFor(
      (m) => m.to.includes(follower) && m.text.includes('Estamos corrigiendo'),
      15_000,
    );
    const received = stack.smtp.messages.filter(
      (m) => m.to.includes(follower) && m.text.includes('Estamos corrigiendo'),
    );
    expect(received).toHaveLength(1);
    expect(received.at(-1)!.text).toContain('Estamos corrigiendo las coordenadas.');
    expect(received.at(-1)!.text).toContain(ref);
  });
});
