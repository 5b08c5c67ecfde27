import { useHarness } from '@quipu/test/harness';
import { seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
});

/** A notification as the notify worker leaves it; `overrides` replace its fields. */
async function notification(id: string, overrides: Record<string, unknown> = {}) {
  await stack.commands.models.Notification.create({
    _id: id,
    kind: 'sla_warning',
    to: 'buzon.lleno@example.pe',
    recipientKind: 'manager',
    data: { ticket: { ref: 'Q-2026-000999' } },
    state: 'failed',
    attempts: 8,
    lastError: '550 mailbox full',
    ...overrides,
  });
  // Mongoose stamps `updatedAt` on create: an older one is set afterwards, unstamped.
  if (overrides.updatedAt)
    await stack.commands.models.Notification.updateOne(
      { _id: id },
      { $set: { updatedAt: overrides.updatedAt } },
      { timestamps: false },
    );
}

describe('GET /api/v1/admin/notifications', () => {
  it('lists e-mails by state, failed by default, newest first, without their outbox', async () => {
    await notification('ev-old:user-a', { updatedAt: new Date('2026-05-01T10:00:00Z') });
    await notification('ev-new:user-b');
    await notification('ev-sent:user-c', { state: 'sent', lastError: undefined });
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const response = await admin.request('/api/v1/admin/notifications');
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Array<Record<string, unknown>> };
    expect(items.map((n) => n.id)).toEqual(['ev-new:user-b', 'ev-old:user-a']);
    expect(items[0]).toMatchObject({
      state: 'failed',
      to: 'buzon.lleno@example.pe',
      lastError: '550 mailbox full',
    });
    expect(items[0]).not.toHaveProperty('outbox');
    const sent = (await (await admin.request('/api/v1/admin/notifications?state=sent')).json()) as {
      items: Array<{ id: string }>;
    };
    expect(sent.items.map((n) => n.id)).toEqual(['ev-sent:user-c']);
    const paged = (await (
      await admin.request('/api/v1/admin/notifications?limit=1&before=2026-05-02T00:00:00.000Z')
    ).json()) as { items: Array<{ id: string }> };
    expect(paged.items.map((n) => n.id)).toEqual(['ev-old:user-a']);
  });

  it('answers 400 for bad queries, 401 without a session and 403 to other staff', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    expect((await admin.request('/api/v1/admin/notifications?state=lost')).status).toBe(400);
    expect((await admin.request('/api/v1/admin/notifications?limit=500')).status).toBe(400);
    expect((await admin.request('/api/v1/admin/notifications?before=yesterday')).status).toBe(400);
    expect((await fetch(`${stack.url}/api/v1/admin/notifications`)).status).toBe(401);
    const manager = await signIn(stack.url, directory.manager.email, directory.password);
    expect((await manager.request('/api/v1/admin/notifications')).status).toBe(403);
  });
});

describe('POST /api/v1/admin/notifications/:id/resend', () => {
  it('queues one re-send of a failed e-mail through its outbox (202), then refuses (409)', async () => {
    const id = 'ev-resend:user-x';
    await notification(id);
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const path = `/api/v1/admin/notifications/${encodeURIComponent(id)}/resend`;
    const resend = await admin.request(path, { method: 'POST' });
    expect(resend.status).toBe(202);
    expect(await resend.json()).toMatchObject({ id, state: 'pending', attempts: 0 });
    const again = await admin.request(path, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('not_failed');
    const jobs = await stack.runtime.queues.get('notify').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(
      jobs.filter(
        (j) => j?.name === 'resend' && (j.data as { notificationId?: string }).notificationId === id,
      ),
    ).toHaveLength(1);
    // The relay moved the entry to the queue and pulled it from the notification.
    const stored = (await stack.commands.models.Notification.findById(id).lean()) as { outbox?: unknown[] };
    expect(stored.outbox).toEqual([]);
  });

  it('answers 404 for an unknown e-mail and 401/403 to others', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    expect((await admin.request('/api/v1/admin/notifications/nope/resend', { method: 'POST' })).status).toBe(
      404,
    );
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    expect(
      (await officer.request('/api/v1/admin/notifications/ev-new:user-b/resend', { method: 'POST' })).status,
    ).toBe(403);
    expect(
      (await fetch(`${stack.url}/api/v1/admin/notifications/ev-new:user-b/resend`, { method: 'POST' }))
        .status,
    ).toBe(401);
  });
});
