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
    expect(found).toContain(`name="elegir" value="${directory.dataset.slug}"`);
    const chosen = await (await fetch(`${stack.web}/reportar?dataset=${directory.dataset.slug}`)).text();
    expect(chosen).toContain(`name="dataset" value="${directory.dataset.slug}"`);
    expect(chosen).toContain('Ley 29733');
  });

  it('keeps everything typed while the dataset is searched for, chosen and changed', async () => {
    const typed = {
      title: 'Fechas futuras',
      description: 'Hay 12 filas con 2031.',
      email: 'rosa@example.pe',
    };
    const token = /name="_form" value="([^"]+)"/.exec(
      await (await fetch(`${stack.web}/reportar`)).text(),
    )![1]!;
    const searched = await postForm(`${stack.web}/reportar/buscar`, { ...typed, _form: token, q: 'covid' });
    expect(searched.status).toBe(200);
    const results = await searched.text();
    expect(results).toContain(`name="elegir" value="${directory.dataset.slug}"`);
    expect(results).toContain('value="Fechas futuras"');
    expect(results).toContain('Hay 12 filas con 2031.</textarea>');
    expect(results).toContain(`name="_form" value="${token}"`);
    const chosen = await (
      await postForm(`${stack.web}/reportar/buscar`, {
        ...typed,
        _form: token,
        elegir: directory.dataset.slug,
      })
    ).text();
    expect(chosen).toContain(`name="dataset" value="${directory.dataset.slug}"`);
    expect(chosen).toContain('value="Fechas futuras"');
    const changed = await (await postForm(`${stack.web}/reportar/buscar`, { ...typed, elegir: '' })).text();
    expect(changed).not.toContain('name="dataset"');
    expect(changed).toContain('Hay 12 filas con 2031.</textarea>');
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
    // POST, then 303 to the reporter's own page: reloading it files nothing.
    expect(response.status).toBe(303);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const location = response.headers.get('location')!;
    expect(location).toMatch(/^\/seguimiento\/[A-Za-z0-9_-]{20,}\?hecho=recibido$/);
    const body = await (await fetch(`${stack.web}${location}`)).text();
    const ref = /Recibimos su caso (Q-\d{4}-\d{6})/.exec(body)![1]!;
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

describe('one form, one case', () => {
  const tokenOf = (page: string) => /name="_form" value="([A-Za-z0-9_-]+)"/.exec(page)![1]!;

  it('files one case however often the same form is sent, and holds the same report sent again within a day', async () => {
    // Its own budget: the sends below would use up the shared one of this file.
    const stack = await startWebStack(harness, {
      workers: false,
      config: {
        redis: { prefix: `${harness.prefix}once` },
        intake: { rateLimitPerMinute: 100, flagsToHide: 3, spamWords: [] },
      },
    });
    const directory = await seedDirectory(stack.commands, '-once');
    const page = await (await fetch(`${stack.web}/reportar?dataset=${directory.dataset.slug}`)).text();
    const form = {
      ...valid(),
      dataset: directory.dataset.slug,
      email: 'doble@example.pe',
      description: 'Las filas 12 a 611 no tienen FECHA_FALLECIMIENTO.',
      _form: tokenOf(page),
    };
    const first = await postForm(`${stack.web}/reportar`, form);
    expect(first.status).toBe(303);
    const again = await postForm(`${stack.web}/reportar`, form);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    const filed = () =>
      stack.commands.tickets.filedBySince(
        'complaint',
        'doble@example.pe',
        { datasetId: String(directory.dataset._id) },
        new Date(Date.now() - 60_000),
      );
    expect(await filed()).toHaveLength(1);

    // The same form with another text: held, the text kept, a new token to send it as a new case.
    const changed = await postForm(`${stack.web}/reportar`, { ...form, title: 'Otro asunto' });
    expect(changed.status).toBe(409);
    const changedPage = await changed.text();
    expect(changedPage).toContain('Este formulario ya se envió');
    expect(changedPage).toContain('value="Otro asunto"');
    expect(tokenOf(changedPage)).not.toBe(form._form);

    // A new form with the same text from the same address: a warning, then sent if confirmed.
    const fresh = tokenOf(await (await fetch(`${stack.web}/reportar`)).text());
    const duplicate = await postForm(`${stack.web}/reportar`, {
      ...form,
      description: '  las filas 12 a 611 NO tienen fecha_fallecimiento ',
      _form: fresh,
    });
    expect(duplicate.status).toBe(409);
    const warned = await duplicate.text();
    expect(warned).toContain('Hoy ya recibimos desde este correo un caso con el mismo texto');
    expect(warned).toContain('name="confirmar"');
    expect(tokenOf(warned)).toBe(fresh);
    expect(await filed()).toHaveLength(1);
    const confirmed = await postForm(`${stack.web}/reportar`, { ...form, _form: fresh, confirmar: 'si' });
    expect(confirmed.status).toBe(303);
    expect(await filed()).toHaveLength(2);
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
    expect(response.status).toBe(303);
    const received = await fetch(`${stack.web}${response.headers.get('location')}`);
    const ref = /Recibimos su caso (Q-\d{4}-\d{6})/.exec(await received.text())![1]!;
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
        // Another text each time: the same one again would be held as a duplicate.
        description: `Faltan las filas del mes ${i + 1} de 2024.`,
        dataset: seeded.dataset.slug,
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await response.text()).toContain('role="alert"');
      }
    }
    expect(statuses).toEqual([201, 201, 303, 303, 429]);
  });
});
