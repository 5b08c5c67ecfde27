import { useHarness } from '@quipu/test/harness';
import { seedDirectory } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DeskSession, deskSessions, postForm, startWebStack } from '../test-support.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
/** One session per person for the whole file. */
let signInPage: ReturnType<typeof deskSessions>;

beforeAll(async () => {
  stack = await startWebStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
  signInPage = deskSessions(stack.web, directory.password);
});

const accountPage = async (session: DeskSession, query = '') =>
  await (await fetch(`${stack.web}/mesa/cuenta${query}`, { headers: { cookie: session.cookie } })).text();
const post = (path: string, session: DeskSession, fields: Record<string, string> = {}) =>
  postForm(`${stack.web}${path}`, { _csrf: session.csrf, ...fields }, { cookie: session.cookie });
const me = (token: string) =>
  fetch(`${stack.web}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });

describe('my account', () => {
  it('shows who is signed in, and links to administration only for admins and managers', async () => {
    const anonymous = await fetch(`${stack.web}/mesa/cuenta`, { redirect: 'manual' });
    expect(anonymous.headers.get('location')).toBe('/mesa/ingresar?volver=%2Fmesa%2Fcuenta');
    const officer = await signInPage(directory.officerA.email);
    const page = await accountPage(officer);
    expect(page).toContain('<h1>Mi cuenta</h1>');
    expect(page).toContain(`<dd>${directory.officerA.name}</dd>`);
    expect(page).toContain(`<dd>${directory.officerA.email}</dd>`);
    expect(page).toContain('<dd>Funcionario</dd>');
    expect(page).toContain(`<dd>${directory.organisation.name}</dd>`);
    expect(page).toContain('No tiene tokens de API.');
    expect(page).not.toContain('href="/mesa/admin');
    const admin = await signInPage(directory.admin.email);
    expect(await accountPage(admin)).toContain('<a href="/mesa/admin">Ir a Administración</a>');
  });

  it('creates a token shown once, lists it without the secret, and revoked the API refuses it', async () => {
    const officer = await signInPage(directory.officerA.email);
    const created = await post('/mesa/cuenta/tokens', officer, { name: 'Script de reportes' });
    // Rendered in the POST answer itself: no redirect, nothing kept by caches.
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBeNull();
    expect(created.headers.get('cache-control')).toBe('no-store');
    const shown = await created.text();
    expect(shown).toContain('no se volverá a mostrar');
    const token = /id="token-secret" class="token-secret" value="(quipu_[^"]+)"/.exec(shown)![1]!;
    expect(shown).toContain('<label for="token-secret">Token «Script de reportes»</label>');

    const answer = await me(token);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { user: { email: string } }).user.email).toBe(directory.officerA.email);

    const listed = await accountPage(officer);
    expect(listed).toContain('<th scope="row">Script de reportes</th>');
    expect(listed).toContain(`<code>${token.slice(0, 12)}…</code>`);
    expect(listed).not.toContain(token);
    expect(listed).not.toContain('Nunca'); // used once by the call above
    const action = /action="(\/mesa\/cuenta\/tokens\/[0-9a-f]{24}\/revocar)"/.exec(listed)![1]!;

    // Someone else cannot revoke it: their tokens are the only ones they reach.
    const other = await signInPage(directory.officerB.email);
    expect((await post(action, other)).status).toBe(404);
    expect((await me(token)).status).toBe(200);

    const revoked = await post(action, officer);
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('location')).toBe('/mesa/cuenta?hecho=revocado');
    const after = await accountPage(officer, '?hecho=revocado');
    expect(after).toContain('El token fue revocado');
    expect(after).toContain('Revocado el');
    expect(after).not.toContain(action);
    expect((await me(token)).status).toBe(401);
    expect((await post(action, officer)).status).toBe(404);
  });

  it('asks for a token name (400, next to the field) and refuses a POST without the CSRF token', async () => {
    const officer = await signInPage(directory.officerA.email);
    const nameless = await post('/mesa/cuenta/tokens', officer, { name: '  ' });
    expect(nameless.status).toBe(400);
    const page = await nameless.text();
    expect(page).toContain('<a href="#name">Complete este campo.</a>');
    expect(page).toContain('<span class="field-error" id="name-error">Complete este campo.</span>');
    expect(page).not.toContain('id="token-secret"');
    const forged = await postForm(
      `${stack.web}/mesa/cuenta/tokens`,
      { name: 'Sin CSRF' },
      { cookie: officer.cookie },
    );
    expect(forged.status).toBe(403);
    expect(await forged.text()).not.toContain('id="token-secret"');
    expect(await accountPage(officer)).not.toContain('Sin CSRF');
  });

  it('gives a token the lifetime chosen (90 days preselected) and shows when each one expires', async () => {
    const officer = await signInPage(directory.officerB.email);
    const form = await accountPage(officer);
    expect(form).toMatch(/<select id="expiresInDays" name="expiresInDays"[^>]*>/);
    expect(form).toContain('<option value="90" selected>90 días</option>');
    expect(form).toContain('<option value="">Sin vencimiento</option>');
    const before = Date.now();
    expect(
      (await post('/mesa/cuenta/tokens', officer, { name: 'Por un mes', expiresInDays: '30' })).status,
    ).toBe(201);
    expect(
      (await post('/mesa/cuenta/tokens', officer, { name: 'Para siempre', expiresInDays: '' })).status,
    ).toBe(201);
    const tooLong = await post('/mesa/cuenta/tokens', officer, { name: 'Eterno', expiresInDays: '9999' });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain(
      '<span class="field-error" id="expiresInDays-error">Elija una opción.</span>',
    );

    const tokens = await stack.commands.directory.listApiTokens(String(directory.officerB._id));
    const monthly = tokens.find((t) => t.name === 'Por un mes')!;
    expect(monthly.expiresAt!.getTime() - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1_000);
    expect(monthly.expiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
    expect(tokens.find((t) => t.name === 'Para siempre')!.expiresAt).toBeUndefined();
    expect(tokens.map((t) => t.name)).not.toContain('Eterno');

    const page = await accountPage(officer);
    expect(page).toContain('<th scope="col">Vence</th>');
    const row = (name: string) => new RegExp(`<th scope="row">${name}</th>[\\s\\S]*?</tr>`).exec(page)![0];
    expect(row('Por un mes')).toContain(`<time datetime="${monthly.expiresAt!.toISOString()}">`);
    expect(row('Para siempre')).toContain('<td>Sin vencimiento</td>');
  });

  it('speaks English with ?lang=en', async () => {
    const officer = await signInPage(directory.officerA.email);
    const page = await accountPage(officer, '?lang=en');
    expect(page).toContain('<h1>My account</h1>');
    expect(page).toContain('API tokens');
    expect(page).toContain('<dd>Officer</dd>');
  });
});
