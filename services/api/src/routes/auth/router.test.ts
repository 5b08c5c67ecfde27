import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: false, config: { auth: { loginAttemptsPerMinute: 3 } } });
  directory = await seedDirectory(stack.commands);
});

describe('auth routes', () => {
  it('signs in with a session cookie (HttpOnly, SameSite) and returns the user and CSRF token', async () => {
    const response = await postJson(`${stack.url}/api/v1/auth/login`, {
      email: directory.officerA.email.toUpperCase(),
      password: directory.password,
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/quipu_session=/);
    expect(cookie.toLowerCase()).toContain('httponly');
    expect(cookie.toLowerCase()).toContain('samesite=lax');
    const body = (await response.json()) as { user: { email: string; roles: string[] }; csrfToken: string };
    expect(body.user).toMatchObject({ email: directory.officerA.email, roles: ['officer'] });
    expect(JSON.stringify(body)).not.toContain('passwordHash');
  });

  it('answers 401 for a wrong password or unknown user, 400 for a malformed body', async () => {
    const wrong = await postJson(`${stack.url}/api/v1/auth/login`, {
      email: directory.officerB.email,
      password: 'not the password',
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { code: string }).code).toBe('invalid_credentials');
    expect(
      (await postJson(`${stack.url}/api/v1/auth/login`, { email: 'nobody@example.pe', password: 'x' }))
        .status,
    ).toBe(401);
    expect((await postJson(`${stack.url}/api/v1/auth/login`, { email: 'x' })).status).toBe(400);
  });

  it('brakes repeated attempts on one account with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push(
        (await postJson(`${stack.url}/api/v1/auth/login`, { email: directory.lead.email, password: 'guess' }))
          .status,
      );
    expect(statuses).toContain(429);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
  });

  it('reports the current user and ends the session on logout', async () => {
    const session = await signIn(stack.url, directory.manager.email, directory.password);
    const me = await session.request('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { roles: string[] } }).user.roles).toEqual(['manager']);
    expect((await session.request('/api/v1/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await session.request('/api/v1/auth/me')).status).toBe(401);
  });

  it('answers 404 when revoking a token that is not yours', async () => {
    const session = await signIn(stack.url, directory.admin.email, directory.password);
    expect(
      (await session.request('/api/v1/auth/tokens/000000000000000000000000', { method: 'DELETE' })).status,
    ).toBe(404);
  });
});

describe('login brake per address', () => {
  const own = useHarness();
  let brake: Awaited<ReturnType<typeof startStack>>;
  beforeAll(async () => {
    brake = await startStack(own, {
      workers: false,
      config: { auth: { loginAttemptsPerMinute: 1000, loginAttemptsPerAddressPerMinute: 5 } },
    });
  });

  it('answers 429 problem+json with Retry-After once one address has tried its budget, whatever the e-mails', async () => {
    // The budget is a fixed one-minute window: start well inside one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const answers: Response[] = [];
    for (let i = 0; i < 8; i++)
      answers.push(
        await postJson(`${brake.url}/api/v1/auth/login`, {
          email: `persona${i}@minsa.gob.pe`,
          password: 'guess',
        }),
      );
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const refused = answers[5]!;
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { code: string }).code).toBe('rate_limited');
  });
});

describe('token expiry and password changes', () => {
  const own = useHarness();
  let clocked: Awaited<ReturnType<typeof startStack>>;
  let people: Awaited<ReturnType<typeof seedDirectory>>;
  beforeAll(async () => {
    clocked = await startStack(own, { workers: false, now: new Date('2026-06-01T15:00:00Z') });
    people = await seedDirectory(clocked.commands);
  });
  const me = (token: string) =>
    fetch(`${clocked.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });

  it('gives a token an optional expiry in days, lists it, and refuses the token with 401 once it has passed', async () => {
    const session = await signIn(clocked.url, people.officerA.email, people.password);
    for (const expiresInDays of [0, 367, 1.5, 'soon'])
      expect(
        (
          await session.request('/api/v1/auth/tokens', {
            method: 'POST',
            body: { name: 'Mal', expiresInDays },
          })
        ).status,
        String(expiresInDays),
      ).toBe(400);
    const created = await session.request('/api/v1/auth/tokens', {
      method: 'POST',
      body: { name: 'Por un día', expiresInDays: 1 },
    });
    expect(created.status).toBe(201);
    const shortLived = (await created.json()) as { token: string; expiresAt: string };
    expect(shortLived.expiresAt).toBe('2026-06-02T15:00:00.000Z');
    const forever = (await (
      await session.request('/api/v1/auth/tokens', { method: 'POST', body: { name: 'Sin plazo' } })
    ).json()) as { token: string; expiresAt: null };
    expect(forever.expiresAt).toBeNull();
    const listed = (await (await session.request('/api/v1/auth/tokens')).json()) as {
      items: Array<{ name: string; expiresAt: string | null }>;
    };
    expect(listed.items.map((t) => [t.name, t.expiresAt])).toEqual([
      ['Sin plazo', null],
      ['Por un día', '2026-06-02T15:00:00.000Z'],
    ]);

    expect((await me(shortLived.token)).status).toBe(200);
    clocked.clock.advance(24 * 3_600_000 - 1_000);
    expect((await me(shortLived.token)).status).toBe(200);
    clocked.clock.advance(1_000);
    const expired = await me(shortLived.token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('content-type')).toContain('application/problem+json');
    expect((await me(forever.token)).status).toBe(200);
  });

  it("ends a user's sessions when their password changes, all but the changer's own", async () => {
    const officerPhone = await signIn(clocked.url, people.officerB.email, people.password);
    const officerDesk = await signIn(clocked.url, people.officerB.email, people.password);
    const admin = await signIn(clocked.url, people.admin.email, people.password);
    const adminElsewhere = await signIn(clocked.url, people.admin.email, people.password);
    const newPassword = 'otra frase de paso bien larga';

    const changed = await admin.request(`/api/v1/admin/users/${people.officerB._id}`, {
      method: 'PATCH',
      body: { password: newPassword },
    });
    expect(changed.status).toBe(200);
    expect((await officerPhone.request('/api/v1/auth/me')).status).toBe(401);
    expect((await officerDesk.request('/api/v1/auth/me')).status).toBe(401);
    expect(
      (
        await signIn(clocked.url, people.officerB.email, newPassword).then((s) =>
          s.request('/api/v1/auth/me'),
        )
      ).status,
    ).toBe(200);

    const own = await admin.request(`/api/v1/admin/users/${people.admin._id}`, {
      method: 'PATCH',
      body: { password: newPassword },
    });
    expect(own.status).toBe(200);
    expect((await admin.request('/api/v1/auth/me')).status).toBe(200);
    expect((await adminElsewhere.request('/api/v1/auth/me')).status).toBe(401);
    // Other changes leave sessions alone.
    expect(
      (
        await admin.request(`/api/v1/admin/users/${people.admin._id}`, {
          method: 'PATCH',
          body: { name: 'Admin 2' },
        })
      ).status,
    ).toBe(200);
    expect((await admin.request('/api/v1/auth/me')).status).toBe(200);
  });
});
