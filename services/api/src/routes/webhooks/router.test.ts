import { useHarness } from '@quipu/test/harness';
import { seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
const secret = 'a-shared-secret-of-32-characters!';

beforeAll(async () => {
  stack = await startStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
});

describe('webhook routes', () => {
  it('register (the secret shown once), list, pause, show deliveries and remove', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const created = await admin.request('/api/v1/admin/webhooks', {
      method: 'POST',
      body: { url: 'https://hooks.example.pe/quipu', events: ['created', 'status_changed'], secret },
    });
    expect(created.status).toBe(201);
    const webhook = (await created.json()) as { id: string; secret: string; active: boolean };
    expect(webhook).toMatchObject({ secret, active: true });
    const generated = await admin.request('/api/v1/admin/webhooks', {
      method: 'POST',
      body: { url: 'https://otro.example.pe/', events: ['*'], description: 'Tablero' },
    });
    expect(((await generated.json()) as { secret: string }).secret.length).toBeGreaterThanOrEqual(32);

    const listed = await admin.request('/api/v1/admin/webhooks');
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(secret);
    expect((JSON.parse(text) as { items: unknown[] }).items).toHaveLength(2);

    const paused = await admin.request(`/api/v1/admin/webhooks/${webhook.id}`, {
      method: 'PATCH',
      body: { active: false },
    });
    expect(paused.status).toBe(200);
    expect(((await paused.json()) as { active: boolean }).active).toBe(false);

    const deliveries = await admin.request(`/api/v1/admin/webhooks/${webhook.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(((await deliveries.json()) as { items: unknown[] }).items).toEqual([]);

    expect((await admin.request(`/api/v1/admin/webhooks/${webhook.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await admin.request(`/api/v1/admin/webhooks/${webhook.id}`, { method: 'DELETE' })).status).toBe(
      404,
    );
  });

  it('answer 400 for bad bodies', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const post = (body: unknown) => admin.request('/api/v1/admin/webhooks', { method: 'POST', body });
    expect((await post({ url: 'ftp://x.pe/', events: ['*'] })).status).toBe(400);
    expect((await post({ url: 'https://x.pe/', events: [] })).status).toBe(400);
    expect((await post({ url: 'https://x.pe/', events: ['Not An Event'] })).status).toBe(400);
    expect((await post({ url: 'https://x.pe/', events: ['*'], secret: 'short' })).status).toBe(400);
    // Credentials in the URL: the command refuses them (the signature authenticates).
    expect((await post({ url: 'https://user:pw@x.pe/', events: ['*'] })).status).toBe(400);
    const created = (await (await post({ url: 'https://x.pe/', events: ['*'] })).json()) as { id: string };
    expect(
      (
        await admin.request(`/api/v1/admin/webhooks/${created.id}`, {
          method: 'PATCH',
          body: { active: 'no' },
        })
      ).status,
    ).toBe(400);
  });

  it('are for admins only (401 without a session, 403 to other staff)', async () => {
    expect((await fetch(`${stack.url}/api/v1/admin/webhooks`)).status).toBe(401);
    const manager = await signIn(stack.url, directory.manager.email, directory.password);
    expect((await manager.request('/api/v1/admin/webhooks')).status).toBe(403);
    expect(
      (
        await manager.request('/api/v1/admin/webhooks', {
          method: 'POST',
          body: { url: 'https://x.pe/', events: ['*'] },
        })
      ).status,
    ).toBe(403);
  });

  it('answer 404 for unknown webhooks, malformed ids included', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const unknown = '0123456789abcdef01234567';
    expect(
      (await admin.request(`/api/v1/admin/webhooks/${unknown}`, { method: 'PATCH', body: { active: true } }))
        .status,
    ).toBe(404);
    expect((await admin.request(`/api/v1/admin/webhooks/${unknown}/deliveries`)).status).toBe(404);
    expect((await admin.request('/api/v1/admin/webhooks/nope/deliveries')).status).toBe(404);
    expect((await admin.request('/api/v1/admin/webhooks/nope', { method: 'DELETE' })).status).toBe(404);
  });
});
