import { QUEUE_NAMES } from '@quipu/queue';
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

describe('admin routes', () => {
  it('lets an admin create organisations (with parent), teams and users, passwords stored with scrypt', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const parent = await admin.request('/api/v1/admin/organisations', {
      method: 'POST',
      body: { slug: 'gore-amazonas', name: 'Gobierno Regional de Amazonas', calendarId: 'pe-amazonas' },
    });
    expect(parent.status).toBe(201);
    const child = await admin.request('/api/v1/admin/organisations', {
      method: 'POST',
      body: { slug: 'diresa-amazonas', name: 'DIRESA Amazonas', parent: 'gore-amazonas' },
    });
    expect(child.status).toBe(201);
    const childBody = (await child.json()) as { id: string; parentId: string };
    expect(childBody.parentId).toBe(((await parent.json()) as { id: string }).id);
    const user = await admin.request('/api/v1/admin/users', {
      method: 'POST',
      body: {
        email: 'Oficial@Diresa.gob.pe',
        name: 'Oficial Diresa',
        password: 'una clave bastante larga',
        roles: ['officer'],
        organisations: ['diresa-amazonas'],
      },
    });
    expect(user.status).toBe(201);
    const userBody = (await user.json()) as { id: string; email: string };
    expect(userBody.email).toBe('oficial@diresa.gob.pe');
    const stored = await stack.commands.directory.findUserByEmail('oficial@diresa.gob.pe');
    expect(stored!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    const team = await admin.request('/api/v1/admin/teams', {
      method: 'POST',
      body: {
        organisation: 'diresa-amazonas',
        slug: 'triaje',
        name: 'Triaje',
        memberIds: [userBody.id],
        strategy: 'least_loaded',
        capPerOfficer: 20,
      },
    });
    expect(team.status).toBe(201);
    const away = await admin.request(`/api/v1/admin/users/${userBody.id}`, {
      method: 'PATCH',
      body: { away: true },
    });
    expect(((await away.json()) as { away: boolean }).away).toBe(true);
  });

  it('answers 400, 409 and 404 where they belong', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const bad = await admin.request('/api/v1/admin/organisations', {
      method: 'POST',
      body: { slug: 'Con Espacios', name: 'x' },
    });
    expect(bad.status).toBe(400);
    const duplicate = await admin.request('/api/v1/admin/organisations', {
      method: 'POST',
      body: { slug: directory.organisation.slug, name: 'Repetida' },
    });
    expect(duplicate.status).toBe(409);
    const shortPassword = await admin.request('/api/v1/admin/users', {
      method: 'POST',
      body: {
        email: 'a@b.pe',
        name: 'Ab',
        password: 'corta',
        roles: ['officer'],
        organisations: [directory.organisation.slug],
      },
    });
    expect(shortPassword.status).toBe(400);
    expect(
      (
        await admin.request('/api/v1/admin/users/000000000000000000000000', {
          method: 'PATCH',
          body: { away: true },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await admin.request('/api/v1/admin/organisations', {
          method: 'POST',
          body: { slug: 'x-cal', name: 'Calendario raro', calendarId: 'marte' },
        })
      ).status,
    ).toBe(400);
  });

  it('answers 401 anonymously, 403 to officers, and lets managers read only their organisations', async () => {
    expect((await fetch(`${stack.url}/api/v1/admin/users`)).status).toBe(401);
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    expect((await officer.request('/api/v1/admin/users')).status).toBe(403);
    expect(
      (
        await officer.request('/api/v1/admin/organisations', {
          method: 'POST',
          body: { slug: 'hack', name: 'Hack' },
        })
      ).status,
    ).toBe(403);
    const manager = await signIn(stack.url, directory.manager.email, directory.password);
    const organisations = (await (await manager.request('/api/v1/admin/organisations')).json()) as {
      items: Array<{ slug: string }>;
    };
    expect(organisations.items.map((o) => o.slug)).toEqual([directory.organisation.slug]);
    expect(
      (
        await manager.request('/api/v1/admin/users', {
          method: 'POST',
          body: { email: 'm@b.pe', name: 'Mb', roles: ['officer'], organisations: [] },
        })
      ).status,
    ).toBe(403);
  });
});

describe('queue monitor', () => {
  it('is for admins only', async () => {
    expect((await fetch(`${stack.url}/admin/queues`)).status).toBe(401);
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    expect((await officer.request('/admin/queues')).status).toBe(403);
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const page = await admin.request('/admin/queues');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const api = await admin.request('/admin/queues/api/queues');
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
    expect(QUEUE_NAMES).toEqual(
      expect.arrayContaining(['harvest', 'maintenance', 'notify', 'quality', 'sla', 'webhooks', 'digest']),
    );
  });

  it("refuses a cross-site change on a cookie session (403) and takes the board's own, which echoes the XSRF cookie", async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const queue = stack.runtime.queues.get('digest');
    const pause = `${stack.url}/admin/queues/api/queues/digest/pause`;
    const forged = await fetch(pause, {
      method: 'PUT',
      headers: { cookie: admin.cookie, origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    const guessed = await fetch(pause, {
      method: 'PUT',
      headers: { cookie: `${admin.cookie}; XSRF-TOKEN=guess`, 'x-xsrf-token': 'guess' },
    });
    expect(guessed.status).toBe(403);
    expect(await queue.isPaused()).toBe(false);

    // What the board's page and its HTTP client do in the browser: the page sets the cookie,
    // every same-origin call copies it into X-XSRF-TOKEN.
    const page = await fetch(`${stack.url}/admin/queues`, { headers: { cookie: admin.cookie } });
    const xsrf = page.headers.getSetCookie().find((c) => c.startsWith('XSRF-TOKEN='))!;
    expect(xsrf.toLowerCase()).toContain('path=/admin/queues');
    expect(xsrf.toLowerCase()).toContain('samesite=strict');
    expect(xsrf.toLowerCase()).not.toContain('httponly');
    const value = xsrf.split(';')[0]!.slice('XSRF-TOKEN='.length);
    const board = await fetch(pause, {
      method: 'PUT',
      headers: {
        cookie: `${admin.cookie}; XSRF-TOKEN=${value}`,
        'x-xsrf-token': value,
        origin: stack.url,
        'sec-fetch-site': 'same-origin',
      },
    });
    expect(board.status).toBeLessThan(300);
    expect(await queue.isPaused()).toBe(true);
    await queue.resume();
  });
});

describe('routing rules administration', () => {
  it('shows the rules in force, refuses an invalid set, and routes new tickets by the saved one', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const current = (await (await admin.request('/api/v1/admin/routing')).json()) as {
      source: string;
      rules: unknown[];
      fallback: unknown;
    };
    expect(current.source).toBe('config');
    expect(current.rules.length).toBeGreaterThan(0);
    const bad = await admin.request('/api/v1/admin/routing', {
      method: 'PUT',
      body: {
        rules: [{ id: 'x', match: { colour: 'red' }, target: { teamSlug: 'triaje' } }],
        fallback: { default: { teamSlug: 'triaje' } },
      },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems.join(' ')).toContain('colour');
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    expect((await officer.request('/api/v1/admin/routing', { method: 'PUT', body: current })).status).toBe(
      403,
    );

    const { createTeam } = await import('@quipu/commands');
    const links = await createTeam(stack.commands, {
      organisation: String(directory.organisation._id),
      slug: 'enlaces',
      name: 'Enlaces rotos',
      memberIds: [String(directory.officerB._id)],
      strategy: 'round_robin',
    });
    const rules = {
      rules: [
        {
          id: 'broken-links',
          match: { kind: 'complaint', category: 'broken_link' },
          target: { teamSlug: 'enlaces' },
        },
      ],
      fallback: { default: { teamSlug: 'triaje' } },
    };
    const saved = await admin.request('/api/v1/admin/routing', { method: 'PUT', body: rules });
    expect(saved.status).toBe(200);
    expect(((await (await admin.request('/api/v1/admin/routing')).json()) as { source: string }).source).toBe(
      'admin',
    );
    const { postJson } = await import('@quipu/test/stack');
    const created = await postJson(`${stack.url}/api/v1/complaints`, {
      category: 'broken_link',
      title: 'Enlace roto del CSV',
      description: 'La descarga devuelve 404 desde ayer.',
      dataset: directory.dataset.slug,
      reporter: { email: 'r@example.pe' },
      consent: true,
    });
    const { ref } = (await created.json()) as { ref: string };
    const ticket = await stack.commands.tickets.findByRef({ kind: 'everything' }, ref);
    expect(String(ticket!.teamId)).toBe(String(links._id));
    expect(ticket!.routing?.ruleId).toBe('broken-links');
    expect((await admin.request('/api/v1/admin/routing', { method: 'DELETE' })).status).toBe(204);
    expect(((await (await admin.request('/api/v1/admin/routing')).json()) as { source: string }).source).toBe(
      'config',
    );
  });
});
