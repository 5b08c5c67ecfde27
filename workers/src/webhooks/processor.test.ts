import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVERYTHING } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWebhookJob } from './processor.ts';

/** A receiver on loopback that records requests and answers with the next scripted status. */
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
const script: number[] = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', () => {
    received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    response.statusCode = script.shift() ?? 204;
    response.end();
  });
});

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let receiverUrl = '';

beforeAll(async () => {
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/quipu`;
  stack = await startStack(harness, { workers: ['maintenance'] });
  directory = await seedDirectory(stack.commands);
});
afterAll(() => {
  receiver.close();
});

const job = (name: string, data: Record<string, unknown>, attemptsMade = 0) => ({
  name,
  data,
  attemptsMade,
  opts: { attempts: 3 },
});

describe('outgoing webhooks', () => {
  it('registers (admins only), signs each ticket event, retries a 5xx and logs every attempt', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    const body = {
      url: receiverUrl,
      events: ['created', 'status_changed'],
      secret: 'a-shared-secret-of-32-characters!',
    };
    expect((await officer.request('/api/v1/admin/webhooks', { method: 'POST', body })).status).toBe(403);
    expect(
      (
        await admin.request('/api/v1/admin/webhooks', {
          method: 'POST',
          body: { ...body, url: 'ftp://x.pe/' },
        })
      ).status,
    ).toBe(400);
    const created = await admin.request('/api/v1/admin/webhooks', { method: 'POST', body });
    expect(created.status).toBe(201);
    const webhook = (await created.json()) as { id: string; secret: string };
    expect(webhook.secret).toBe(body.secret);
    const listed = await (await admin.request('/api/v1/admin/webhooks')).text();
    expect(listed).not.toContain(body.secret);

    const filed = await postJson(`${stack.url}/api/v1/complaints`, {
      category: 'wrong_data',
      title: 'Valores negativos en población',
      description: 'La columna población tiene valores negativos en 3 distritos.',
      dataset: directory.dataset.slug,
      reporter: { email: 'webhook.reporter@example.pe', name: 'Ana Reportera' },
      consent: true,
    });
    expect(filed.status).toBe(201);
    const { ref } = (await filed.json()) as { ref: string };
    const ticket = (await stack.commands.tickets.findByRef(EVERYTHING, ref))!;
    const createdEvent = ticket.events!.find((e) => e.type === 'created')!;
    const routedEvent = ticket.events!.find((e) => e.type === 'routed')!;

    // Fan-out (what the outbox relay runs for each event): `routed` is not subscribed to.
    expect(
      await runWebhookJob(
        job('ticket-event', { ticketId: String(ticket._id), eventId: routedEvent._id }),
        stack.runtime,
      ),
    ).toEqual({ webhooks: 0 });
    expect(
      await runWebhookJob(
        job('ticket-event', { ticketId: String(ticket._id), eventId: createdEvent._id }),
        stack.runtime,
      ),
    ).toEqual({ webhooks: 1 });
    const queued = await stack.runtime.queues.get('webhooks').getJob(`whd-${webhook.id}-${createdEvent._id}`);
    expect(queued?.data).toMatchObject({ webhookId: webhook.id, eventId: createdEvent._id });
    expect(queued?.opts.attempts).toBe(10);
    // The same event fanned out again: still one delivery job for the webhook.
    await runWebhookJob(
      job('ticket-event', { ticketId: String(ticket._id), eventId: createdEvent._id }),
      stack.runtime,
    );
    const deliveries = (
      await stack.runtime.queues
        .get('webhooks')
        .getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])
    ).filter((j) => j?.name === 'deliver');
    expect(deliveries).toHaveLength(1);

    // First answer 503: retried; the second attempt is delivered; a third run sends nothing.
    script.push(503);
    const data = { webhookId: webhook.id, ticketId: String(ticket._id), eventId: createdEvent._id };
    await expect(runWebhookJob(job('deliver', data, 0), stack.runtime)).rejects.toThrow(/503/);
    expect(await runWebhookJob(job('deliver', data, 1), stack.runtime)).toEqual({
      delivered: true,
      status: 204,
    });
    expect(await runWebhookJob(job('deliver', data, 2), stack.runtime)).toEqual({
      skipped: 'already delivered',
    });
    expect(received).toHaveLength(2);
    const last = received.at(-1)!;
    const timestamp = String(last.headers['x-quipu-timestamp']);
    const expected = `sha256=${createHmac('sha256', body.secret).update(`${timestamp}.${last.body}`).digest('hex')}`;
    expect(last.headers['x-quipu-signature']).toBe(expected);
    expect(last.headers['x-quipu-event']).toBe('created');
    const payload = JSON.parse(last.body) as { type: string; ticket: { ref: string } };
    expect(payload.type).toBe('created');
    expect(payload.ticket.ref).toBe(ref);
    expect(last.body).not.toContain('webhook.reporter@example.pe');
    expect(last.body).not.toContain('Ana Reportera');

    const log = (await (await admin.request(`/api/v1/admin/webhooks/${webhook.id}/deliveries`)).json()) as {
      items: Array<{ state: string; attempts: number; log: Array<{ status: number }> }>;
    };
    expect(log.items).toHaveLength(1);
    expect(log.items[0]!.state).toBe('delivered');
    expect(log.items[0]!.log.map((l) => l.status)).toEqual([503, 204]);
  });

  it('refuses loopback and private addresses unless the portal allows the private network', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const created = await admin.request('/api/v1/admin/webhooks', {
      method: 'POST',
      body: { url: receiverUrl.replace('/hooks/quipu', '/private'), events: ['*'] },
    });
    const webhook = (await created.json()) as { id: string };
    const ticket = (await stack.commands.tickets.list(EVERYTHING, {}, { limit: 1, projection: {} }))
      .items[0]!;
    const eventId = ticket.events![0]!._id;
    const strict = {
      ...stack.runtime,
      config: {
        ...stack.runtime.config,
        fetch: { ...stack.runtime.config.fetch, allowPrivateNetwork: false },
      },
    };
    const before = received.length;
    await expect(
      runWebhookJob(job('deliver', { webhookId: webhook.id, ticketId: String(ticket._id), eventId }), strict),
    ).rejects.toThrow(/loopback|private/);
    expect(received.length).toBe(before);
    const log = (await (await admin.request(`/api/v1/admin/webhooks/${webhook.id}/deliveries`)).json()) as {
      items: Array<{ state: string }>;
    };
    expect(log.items[0]!.state).toBe('failed');
  });
});
