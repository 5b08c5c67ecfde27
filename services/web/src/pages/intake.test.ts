import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, startWebStack } from '../test-support.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startWebStack(harness, { workers: ['notify'] });
  directory = await seedDirectory(stack.commands);
});

const valid = () => ({
  category: 'outdated',
  title: 'Datos de 2023 sin actualizar',
  description: 'El archivo no tiene filas posteriores a diciembre de 2023.',
  email: 'lector@example.pe',
  name: 'Lector',
  consent: 'si',
});

describe('layout and language', () => {
  it('serves Spanish by default, English by ?lang= (remembered in a cookie) or Accept-Language', async () => {
    const es = await fetch(`${stack.web}/`);
    expect(es.status).toBe(200);
    const body = await es.text();
    expect(body).toContain('<html lang="es">');
    expect(body).toContain('href="#main"');
    expect(es.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(body).not.toMatch(/<script|style=/);

    const en = await fetch(`${stack.web}/reportar?lang=en`);
    expect(await en.text()).toContain('<html lang="en">');
    const cookie = en.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toBe('quipu_lang=en');
    expect(await (await fetch(`${stack.web}/reportar`, { headers: { cookie } })).text()).toContain(
      'Report a problem',
    );
    expect(
      await (
        await fetch(`${stack.web}/reportar`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } })
      ).text(),
    ).toContain('<html lang="en">');
  });

  it('serves the stylesheet with a long cache under its hash and HTML 404s outside the API', async () => {
    const home = await (await fetch(`${stack.web}/`)).text();
    const href = /href="(\/static\/site\.css\?v=[0-9a-f]+)"/.exec(home)![1]!;
    const css = await fetch(`${stack.web}${href}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(css.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${stack.web}/no-existe`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/html');
    const api = await fetch(`${stack.web}/api/v1/no-existe`);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('/reportar', () => {
  it('finds datasets server-side and preselects one', async () => {
    const found = await (await fetch(`${stack.web}/reportar?q=covid`)).text();
    expect(found).toContain('Fallecidos por COVID-19');
    expect(found).toContain(`/reportar?dataset=${directory.dataset.slug}`);
    const chosen = await (await fetch(`${stack.web}/reportar?dataset=${directory.dataset.slug}`)).text();
    expect(chosen).toContain(`name="dataset" value="${directory.dataset.slug}"`);
    expect(chosen).toContain('Ley 29733');
  });

  it('re-renders with the values kept and messages next to the fields', async () => {
    const response = await postForm(`${stack.web}/reportar`, {
      ...valid(),
      dataset: directory.dataset.slug,
      title: 'abc',
      email: 'no-es-correo',
      consent: '',
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('role="alert"');
    expect(body).toMatch(/id="title"[^>]*aria-invalid="true"[^>]*aria-describedby="title-hint title-error"/);
    expect(body).toContain('id="email-error"');
    expect(body).toContain('id="consent-error"');
    expect(body).toContain('value="no-es-correo"');
    expect(body).toContain('El archivo no tiene filas posteriores');
  });

  it('asks for the dataset when neither it nor a link is given, and refuses unknown links', async () => {
    const none = await postForm(`${stack.web}/reportar`, valid());
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('id="datasetUrl-error"');
    const unknown = await postForm(`${stack.web}/reportar`, {
      ...valid(),
      datasetUrl: 'https://example.org/x.csv',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('No encontramos ese conjunto de datos');
  });

  it('escapes hostile input when re-rendering', async () => {
    const hostile = '"><script>alert(1)</script>';
    const body = await (
      await postForm(`${stack.web}/reportar`, { ...valid(), title: hostile, email: hostile })
    ).text();
    expect(body).not.toContain('<script>alert(1)</script>');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('files a complaint (by pasted URL) and shows the tracking link', async () => {
    const response = await postForm(`${stack.web}/reportar`, {
      ...valid(),
      datasetUrl: `https://cloud.minsa.gob.pe/fallecidos.csv`,
    });
    expect(response.status).toBe(201);
    const body = await response.text();
    const ref = /Recibimos su caso (Q-\d{4}-\d{6})/.exec(body)![1]!;
    expect(body).toMatch(/href="\/seguimiento\/[A-Za-z0-9_-]{20,}"/);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const ticket = await stack.commands.tickets.findByRef({ kind: 'everything' }, ref);
    expect(ticket?.datasetTitle).toBe('Fallecidos por COVID-19');
    expect(ticket?.reporter?.language).toBe('es');
  });

  it('rejects the honeypot', async () => {
    const response = await postForm(`${stack.web}/reportar`, {
      ...valid(),
      dataset: directory.dataset.slug,
      website: 'http://spam',
    });
    expect(response.status).toBe(400);
  });
});

describe('/solicitar', () => {
  it('lists organisations and files a data request under Ley 27806', async () => {
    expect(await (await fetch(`${stack.web}/solicitar`)).text()).toContain(
      `value="${directory.organisation.slug}"`,
    );
    const missing = await postForm(`${stack.web}/solicitar`, { ...valid(), category: '' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('id="organisation-error"');
    const response = await postForm(`${stack.web}/solicitar`, {
      ...valid(),
      category: 'health',
      organisation: directory.organisation.slug,
      ley27806: 'si',
    });
    expect(response.status).toBe(201);
    const ref = /Recibimos su caso (Q-\d{4}-\d{6})/.exec(await response.text())![1]!;
    const ticket = await stack.commands.tickets.findByRef({ kind: 'everything' }, ref);
    expect(ticket?.kind).toBe('data_request');
    expect(ticket?.regime).toBe('access_to_information');
  });
});

describe('/widget.js', () => {
  it('is a cacheable script any site may load, setting no cookie', async () => {
    const response = await fetch(`${stack.web}/widget.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('set-cookie')).toBeNull();
    const source = await response.text();
    expect(source).toContain("'/reportar?dataset='");
    expect(source).not.toMatch(/fetch\(|XMLHttpRequest|document\.cookie|sendBeacon/);
  });
});

describe('intake budget shared with the API', () => {
  it('counts complaints through the API and the report form in one bucket per client', async () => {
    const limited = await startWebStack(harness, {
      workers: false,
      config: {
        redis: { prefix: `${harness.prefix}rl` },
        intake: { rateLimitPerMinute: 4, flagsToHide: 3, spamWords: [] },
      },
    });
    const seeded = await seedDirectory(limited.commands, '-rl');
    // The budget is a fixed one-minute window: start well inside one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await postJson(`${limited.url}/api/v1/complaints`, {
        category: 'outdated',
        title: 'Datos de 2023 sin actualizar',
        description: 'El archivo no tiene filas posteriores a diciembre de 2023.',
        dataset: seeded.dataset.slug,
        reporter: { email: 'lector@example.pe', name: 'Lector' },
        consent: true,
      });
      statuses.push(response.status);
    }
    for (let i = 0; i < 3; i++) {
      const response = await postForm(`${limited.web}/reportar`, {
        ...valid(),
        dataset: seeded.dataset.slug,
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await response.text()).toContain('role="alert"');
      }
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });
});
