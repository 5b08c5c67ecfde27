import { preferenceRepository } from '@quipu/db';
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

describe('PUT /api/v1/staff/preferences', () => {
  it('saves my daily-digest choice, and only mine', async () => {
    const managerId = String(directory.manager._id);
    const optOuts = () => preferenceRepository(stack.commands.models).dailyDigestOptOuts([managerId]);
    expect(await optOuts()).toEqual(new Set());
    const manager = await signIn(stack.url, directory.manager.email, directory.password);
    const off = await manager.request('/api/v1/staff/preferences', {
      method: 'PUT',
      body: { dailyDigest: false },
    });
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({ dailyDigest: false });
    expect(await optOuts()).toEqual(new Set([managerId]));
    const on = await manager.request('/api/v1/staff/preferences', {
      method: 'PUT',
      body: { dailyDigest: true },
    });
    expect(on.status).toBe(200);
    expect(await optOuts()).toEqual(new Set());
  });

  it('answers 400 for a bad body, 401 without a session and 403 without the CSRF token', async () => {
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    const put = (body: unknown, csrf = true) =>
      officer.request('/api/v1/staff/preferences', { method: 'PUT', body, csrf });
    expect((await put({ dailyDigest: 'no' })).status).toBe(400);
    expect((await put({ dailyDigest: true, userId: String(directory.manager._id) })).status).toBe(400);
    expect((await put({ dailyDigest: false }, false)).status).toBe(403);
    const anonymous = await fetch(`${stack.url}/api/v1/staff/preferences`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dailyDigest: false }),
    });
    expect(anonymous.status).toBe(401);
  });

  it('has no other method on the path', async () => {
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    expect((await officer.request('/api/v1/staff/preferences/someone')).status).toBe(404);
  });
});
