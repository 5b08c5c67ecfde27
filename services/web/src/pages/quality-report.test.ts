import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { qualityDedupeKey } from '@quipu/commands';
import { registerModels } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory, signIn } from '@quipu/test/stack';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { axeScan, hasChromium, launchBrowser, screenshots, serious } from '../browser/support.ts';
import { signInThroughForm, startWebStack } from '../test-support.ts';
import { columnsShown } from './quality-report.ts';

// frictionless-py's own fixtures, read in place: a CSV with type, constraint, extra-cell and
// primary-key errors against a declared schema, and one with header and row-shape errors.
// `../shared` sits beside the clone (here and in CI).
const FIXTURES = fileURLToPath(
  new URL('../../../../../shared/datasets/frictionless-fixtures/', import.meta.url),
);
const SERVED: Record<string, [string, string]> = {
  '/schema-errors.csv': ['schema-errors.csv', 'text/csv'],
  '/schema-valid.json': ['schema-valid.json', 'application/json'],
  '/invalid.csv': ['invalid.csv', 'text/csv'],
};

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let admin: Awaited<ReturnType<typeof signIn>>;
let files: http.Server;
let filesUrl = '';
/** Report ids by resource id, from the quality worker's own run. */
const reportOf: Record<string, string> = {};
let datasetId = '';

async function checkedDataset(slug: string, resources: Array<Record<string, unknown>>) {
  const dataset = await stack.commands.datasets.insert({
    source: 'manual',
    externalId: slug,
    slug,
    title: `Padrón de personas ${slug}`,
    description: 'Personas registradas.',
    organisationId: directory.organisation._id,
    officerIds: [directory.officerA._id],
    licence: { id: 'cc-by', title: 'CC BY 4.0', isOpen: true },
    resources,
  });
  // The worker's path, as an admin's "check now" takes it: the API queues the run, the quality
  // worker fetches, validates, stores the reports and writes the dataset's quality block last.
  const queued = await admin.request(`/api/v1/admin/datasets/${dataset._id}/checks`, {
    method: 'POST',
    body: {},
  });
  expect(queued.status).toBe(202);
  const { runId } = (await queued.json()) as { runId: string };
  const checked = await vi.waitFor(
    async () => {
      const found = await stack.commands.datasets.find(String(dataset._id));
      const quality = found?.quality as
        | { lastRunId?: string; resources?: Array<{ resourceId: string; lastReportId: string }> }
        | undefined;
      if (quality?.lastRunId !== runId) throw new Error(`run ${runId} not recorded yet`);
      return quality.resources ?? [];
    },
    { timeout: 20_000, interval: 100 },
  );
  return {
    dataset,
    reports: checked.map((state) => ({ resourceId: state.resourceId, id: state.lastReportId })),
  };
}

beforeAll(async () => {
  stack = await startWebStack(harness, { workers: ['quality'] });
  directory = await seedDirectory(stack.commands);
  admin = await signIn(stack.url, directory.admin.email, directory.password);
  files = http.createServer(async (req, res) => {
    const served = SERVED[req.url ?? ''];
    if (!served) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': served[1] }).end(await readFile(`${FIXTURES}/${served[0]}`));
  });
  files.listen(0, '127.0.0.1');
  await once(files, 'listening');
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  const { dataset, reports } = await checkedDataset('personas', [
    {
      _id: 'personas',
      name: 'personas.csv',
      url: `${filesUrl}/schema-errors.csv`,
      format: 'CSV',
      schema: `${filesUrl}/schema-valid.json`,
    },
    { _id: 'invalido', name: 'invalido.csv', url: `${filesUrl}/invalid.csv`, format: 'CSV' },
  ]);
  datasetId = String(dataset._id);
  for (const report of reports) reportOf[report.resourceId] = report.id;
});

afterAll(async () => {
  files.closeAllConnections();
  await new Promise((resolve) => files.close(resolve));
});

/** The <td>/<th> contents of the body rows of the table whose caption is `caption`. */
function tableRows(page: string, caption: string): string[][] {
  const table = page.split('<table').find((part) => part.includes(`>${caption}</caption>`));
  if (!table) throw new Error(`no table "${caption}"`);
  const body = table.slice(table.indexOf('<tbody>'), table.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((cell) => cell[1]!),
  );
}

describe('the quality report viewer', () => {
  it('shows the report: families, errors grouped by type, the offending cells marked, the field summary', async () => {
    const response = await fetch(`${stack.web}/informes/${reportOf.personas}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    const page = await response.text();
    expect(page).toContain('<h1>Informe de calidad: personas.csv</h1>');
    expect(page).toContain('<a href="/datos/personas">Padrón de personas personas</a>');
    expect(page).toContain(`href="/informes/${reportOf.personas}.json"`);
    expect(page).toContain('Declarado por el publicador');

    const families = tableRows(page, 'Resultado por familia de criterios');
    expect(families.map((row) => [row[0], /Correcto|Con problemas|No medido/.exec(row[1]!)?.[0]])).toEqual([
      ['Disponibilidad', 'Correcto'],
      ['Validez', 'Con problemas'],
      ['Metadatos', 'Correcto'],
      ['Actualidad', 'Correcto'],
    ]);
    expect(families[1]![2]).toBe('Errores encontrados: 9');

    // Grouped by type, counts from the report's `counts` (most frequent first, ties by code), Spanish titles.
    const byType = tableRows(page, 'Errores por tipo').map((row) => [
      row[0]!.replace(/ <small>.*/, ''),
      row[1],
    ]);
    expect(byType).toEqual([
      ['Restricción no cumplida', '3'],
      ['Celda sobrante', '3'],
      ['Error de clave primaria', '2'],
      ['Error de tipo', '1'],
    ]);

    // Row 4: the type error is in column 1 ("id"); only that cell is marked, and named.
    const rows = tableRows(page, 'Filas con errores');
    expect(rows).toHaveLength(9);
    const typeError = rows.find((row) => row[0] === '4' && row[1]!.includes('Error de tipo'))!;
    const cells = typeError.slice(2);
    expect(cells[0]).toBe(
      '<mark><span class="visually-hidden">Celda con error: </span>i_should_be_a_number</mark>',
    );
    expect(cells.slice(1).some((cell) => cell.includes('<mark>'))).toBe(false);
    expect(typeError[1]).toContain('type is &quot;integer/default&quot;');
    // The required-name error marks the empty cell of column 2 as empty, in words.
    const required = rows.find((row) => row[0] === '4' && row[1]!.includes('field &quot;name&quot;'))!;
    expect(required[3]).toContain('<em>(vacía)</em></mark>');
    // Row 5 has six cells under a three-column header: the extra columns are named as such.
    expect(page).toContain('<th scope="col">Columna 6 (sin encabezado)</th>');
    const extra = rows.find((row) => row[0] === '5' && row[1]!.includes('position &quot;6&quot;'))!;
    expect(extra.slice(2).map((cell) => cell.includes('<mark>'))).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);

    const fields = tableRows(page, 'Resumen por columna');
    expect(fields.map((row) => row[0])).toEqual(['id', 'name', 'age']);
    const id = fields[0]!;
    expect(id[1]).toBe('<code>integer</code>');
    expect(id[6]).toBe('1');
    expect(id[7]).toContain('<code>i_should_be_a_number</code> (apariciones: 1)');
    expect(id[3]).toMatch(/^≈ \d+$/);
  });

  it('lists header errors apart and marks missing cells of short rows', async () => {
    const page = await (await fetch(`${stack.web}/informes/${reportOf.invalido}`)).text();
    expect(page).toContain('Inferido de los datos');
    const header = page.slice(page.indexOf('Errores del encabezado'));
    expect(header).toContain('<strong>Nombre de columna en blanco</strong>');
    expect(header).toContain('<strong>Nombre de columna repetido</strong>');
    const rows = tableRows(page, 'Filas con errores');
    expect(rows.some((row) => row.some((cell) => cell.includes('<em>(falta)</em></mark>')))).toBe(true);
    expect(rows.some((row) => row[1]!.includes('Fila en blanco'))).toBe(true);
  });

  it('speaks English with ?lang=en', async () => {
    const page = await (await fetch(`${stack.web}/informes/${reportOf.personas}?lang=en`)).text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<h1>Quality report: personas.csv</h1>');
    expect(page).toContain('>Rows with errors</caption>');
    expect(tableRows(page, 'Errors by type').map((row) => row[0]!.replace(/ <small>.*/, ''))).toContain(
      'Type error',
    );
    expect(page).toContain('<span class="visually-hidden">Cell with the error: </span>');
  });

  it('downloads the report as the API serves it', async () => {
    const response = await fetch(`${stack.web}/informes/${reportOf.personas}.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${reportOf.personas}.json"`,
    );
    const body = (await response.json()) as {
      id: string;
      datasetId: string;
      validity: { errors: unknown[] };
    };
    expect(body.id).toBe(reportOf.personas);
    expect(body.datasetId).toBe(datasetId);
    expect(body.validity.errors).toHaveLength(9);
    const api = await (await fetch(`${stack.url}/api/v1/reports/${reportOf.personas}`)).json();
    expect(body).toEqual(api);
  });

  it('answers 404 for a malformed id, an unknown report and a withdrawn dataset', async () => {
    for (const path of ['nada', `qr-${'0'.repeat(32)}`, `qr-${'0'.repeat(32)}.json`, 'QR-ABC.json']) {
      const response = await fetch(`${stack.web}/informes/${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toContain('text/html');
    }
    const { dataset, reports } = await checkedDataset('retirado', [
      { _id: 'personas', name: 'personas.csv', url: `${filesUrl}/schema-errors.csv`, format: 'CSV' },
    ]);
    const id = reports[0]!.id;
    expect((await fetch(`${stack.web}/informes/${id}`)).status).toBe(200);
    await registerModels(stack.runtime.connection).Dataset.updateOne(
      { _id: dataset._id },
      { $set: { withdrawnAt: new Date() } },
    );
    expect((await fetch(`${stack.web}/informes/${id}`)).status).toBe(404);
    expect((await fetch(`${stack.web}/informes/${id}.json`)).status).toBe(404);
    expect((await fetch(`${stack.url}/api/v1/reports/${id}`)).status).toBe(404);
  });

  it('is linked from the dataset page, one latest report per resource', async () => {
    const page = await (await fetch(`${stack.web}/datos/personas`)).text();
    expect(page).toContain('Último informe por recurso');
    expect(page).toContain(`<a href="/informes/${reportOf.personas}">personas.csv</a>`);
    expect(page).toContain(`<a href="/informes/${reportOf.invalido}">invalido.csv</a>`);
    expect(page).toContain('Con problemas: Validez');
  });

  it("is linked from the officer's page of the quality ticket the check opened", async () => {
    const ticket = await stack.commands.tickets.findByDedupeKey(
      qualityDedupeKey(datasetId, 'personas', 'validity'),
    );
    expect(ticket).toBeTruthy();
    const { cookie } = await signInThroughForm(stack.web, directory.manager.email, directory.password);
    const page = await (
      await fetch(`${stack.web}/mesa/tickets/${ticket!.ref}`, { headers: { cookie } })
    ).text();
    expect(page).toContain('<a href="/datos/personas">Padrón de personas personas</a>');
    expect(page).toContain(`<a href="/informes/${reportOf.personas}">Informe del <time`);
  });
});

describe('the quality ticket on the officer’s page', () => {
  it('says what the check found in the reader’s language, from the event’s data', async () => {
    const ticket = await stack.commands.tickets.findByDedupeKey(
      qualityDedupeKey(datasetId, 'personas', 'validity'),
    );
    const failed = (ticket!.events ?? []).find((e) => e.type === 'quality_check_failed');
    const fields = failed!.fields as { errorCount?: number; reportUrl?: string };
    expect(fields.reportUrl).toBe(`/api/v1/reports/${reportOf.personas}`);
    expect(fields.errorCount).toBeGreaterThan(0);
    const { cookie } = await signInThroughForm(stack.web, directory.manager.email, directory.password);
    const page = async (lang: string) =>
      await (
        await fetch(`${stack.web}/mesa/tickets/${ticket!.ref}?lang=${lang}`, { headers: { cookie } })
      ).text();
    const es = await page('es');
    expect(es).toContain(
      `El archivo tiene ${fields.errorCount} errores de validación. Informe: /informes/${reportOf.personas}`,
    );
    // The worker's one-line summary (kept as the event's reason for the API) is no longer the
    // history's text (it stays the ticket's description).
    const history = (text: string) => text.slice(text.indexOf('<ol class="timeline">'));
    expect(es).toContain('<ol class="timeline">');
    expect(history(es)).not.toContain(String(failed!.reason));
    expect(history(es)).toContain('Comprobación de calidad fallida');
    expect(history(es)).not.toContain('quality_check_failed');
    const en = await page('en');
    expect(en).toContain(
      `The file has ${fields.errorCount} validation errors. Report: /informes/${reportOf.personas}`,
    );
    expect(history(en)).not.toContain(String(failed!.reason));
  });
});

describe.skipIf(!hasChromium)('the quality report viewer in a browser', () => {
  it('passes axe-core without serious or critical violations, and records screenshots', async () => {
    const browser = await launchBrowser();
    try {
      // axe is injected into the page, which the CSP forbids: this context bypasses it.
      const context = await browser.newContext({ locale: 'es-PE', bypassCSP: true });
      const page = await context.newPage();
      const problems: string[] = [];
      for (const [name, path] of [
        ['quality-report', `/informes/${reportOf.personas}`],
        ['quality-report-en', `/informes/${reportOf.invalido}?lang=en`],
        ['dataset-reports', `/datos/personas`],
      ] as const) {
        expect((await page.goto(`${stack.web}${path}`))?.status()).toBe(200);
        for (const issue of serious(await axeScan(page))) problems.push(`${name}: ${issue}`);
        await screenshots(page, name);
      }
      expect(problems.join('\n')).toBe('');
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describe('columnsShown', () => {
  it('keeps every column of a narrow file, and of a wide one the first and those near a bad cell', () => {
    expect(columnsShown(4, [2])).toEqual([0, 1, 2, 3]);
    expect(columnsShown(30, [29])).toHaveLength(30);
    expect(columnsShown(60, [10, 12, 58])).toEqual([
      0,
      { skipped: 6 },
      7,
      8,
      9,
      10,
      11,
      12,
      13,
      14,
      15,
      { skipped: 39 },
      55,
      56,
      57,
      58,
      59,
    ]);
    expect(columnsShown(40, [])).toEqual([0, { skipped: 39 }]);
  });
});
