import { describe, expect, it } from 'vitest';
import ckanError from './__fixtures__/ckan-error.json' with { type: 'json' };
import organizationShow from './__fixtures__/ckan-organization-show.json' with { type: 'json' };
import packageSearch from './__fixtures__/ckan-package-search.json' with { type: 'json' };
import packageShow from './__fixtures__/ckan-package-show.json' with { type: 'json' };
import mefDonaciones from './__fixtures__/pe-mef-donaciones-dkan-package-show.json' with { type: 'json' };
import { ckanPackageSearchPage, ckanPackageShowResult, mapCkanOrganization, mapCkanPackage } from './ckan.ts';

function mapped(pkg: unknown, options = {}) {
  const result = mapCkanPackage(pkg, options);
  if (!result.ok) throw new Error(`expected a dataset, got ${result.error.code}`);
  return result;
}

describe('mapCkanPackage: a CKAN 2.10 package_show result', () => {
  const { dataset, warnings } = mapped(packageShow.result);

  it('maps identity, texts and organisation', () => {
    expect(dataset.source).toBe('ckan');
    expect(dataset.externalId).toBe('6a1c5f0e-3b7d-4e2a-9a44-0c3e5d7b8f21');
    expect(dataset.name).toBe('licencias-de-funcionamiento-2024');
    expect(dataset.title).toBe('Licencias de funcionamiento 2024');
    expect(dataset.description).toBe(
      'Licencias de funcionamiento otorgadas por la **Municipalidad Distrital de Miraflores** & actualizadas cada mes.',
    );
    expect(dataset.organisation).toEqual({
      externalId: 'b7d3e2a1-52c4-4f0b-8e0f-93c1a6d4e5f7',
      name: 'municipalidad-de-miraflores',
      title: 'Municipalidad Distrital de Miraflores',
    });
    expect(warnings).toEqual([]);
  });

  it('recognises the open licence by its CKAN id', () => {
    expect(dataset.licence).toEqual({
      id: 'cc-by',
      title: 'Creative Commons Attribution',
      url: 'http://www.opendefinition.org/licenses/cc-by',
      isOpen: true,
    });
  });

  it('keeps tags once, groups as themes, maintainer as contact', () => {
    expect(dataset.keywords).toEqual(['licencias', 'comercio']);
    expect(dataset.themes).toEqual(['Economía y finanzas']);
    expect(dataset.contactPoint).toEqual({ name: 'Mesa de datos abiertos', email: 'datos@example.gob.pe' });
  });

  it('reads frequency, coverage and dates from extras and metadata (UTC without a zone)', () => {
    expect(dataset.updateFrequency).toBe('monthly');
    expect(dataset.temporal).toBe('2024-01-01/2024-12-31');
    expect(dataset.spatial).toContain('Polygon');
    expect(dataset.issued).toBe('2024-02-12T15:04:11.382Z');
    expect(dataset.modified).toBe('2026-10-30T21:17:45.120Z');
    expect(dataset.accessRights).toBe('public');
    expect(dataset.landingPage).toBeNull();
  });

  it('builds a landing page from the slug when given the portal URL', () => {
    const withSite = mapped(packageShow.result, { siteUrl: 'https://datos.example.gob.pe/' }).dataset;
    expect(withSite.landingPage).toBe(
      'https://datos.example.gob.pe/dataset/licencias-de-funcionamiento-2024',
    );
  });

  it('maps resources: format, media type, size, hash and schema', () => {
    const [csv, xlsx, json] = dataset.resources;
    expect(csv).toMatchObject({
      externalId: 'e0a1b2c3-d4e5-4f60-8a71-92b3c4d5e6f7',
      format: 'CSV',
      mediaType: 'text/csv',
      size: 482113,
      hash: {
        algorithm: 'sha256',
        value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      },
      modified: '2026-10-30T21:17:44.982Z',
      downloadUrl:
        'https://datos.example.gob.pe/dataset/6a1c5f0e/resource/e0a1b2c3/download/licencias-2024.csv',
    });
    expect(csv?.schema).toMatchObject({ primaryKey: 'numero_licencia' });
    expect((csv?.schema as { fields: unknown[] } | undefined)?.fields).toHaveLength(4);

    expect(xlsx).toMatchObject({ format: 'XLSX', mediaType: null, size: null, hash: null, schema: null });
    // No last_modified: falls back to the resource's metadata_modified.
    expect(xlsx?.modified).toBe('2026-10-30T21:17:45.120Z');

    expect(json).toMatchObject({
      format: 'JSON',
      mediaType: 'application/json',
      size: 1536,
      hash: { algorithm: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
      schema: 'https://datos.example.gob.pe/esquemas/licencias.schema.json',
    });
  });
});

describe('mapCkanPackage: the MEF COVID-19 donations package from datosabiertos.gob.pe (DKAN)', () => {
  const result = ckanPackageShowResult(mefDonaciones, { localUtcOffset: '-05:00' });
  if (!result.ok) throw new Error('expected the Peruvian package to map');
  const { dataset } = result;

  it('takes the one-element result array and strips the HTML description', () => {
    expect(dataset.externalId).toBe('1b2ce23e-1e86-4d74-aeb5-45751225d466');
    expect(dataset.title).toBe('Donaciones COVID-19 - [Ministerio de Economía y Finanzas - MEF]');
    expect(dataset.description).toMatch(/^Datos registrados por las Unidades Ejecutoras/);
    expect(dataset.description).not.toContain('<p');
  });

  it('recognises the licence from the URL DKAN puts in license_title', () => {
    expect(dataset.licence).toMatchObject({
      id: 'odc-by',
      isOpen: true,
      url: 'http://opendefinition.org/licenses/odc-by/',
    });
  });

  it('uses the author as publisher when there is no organisation, groups as themes', () => {
    expect(dataset.organisation).toEqual({
      externalId: null,
      name: 'ministerio-de-economia-y-finanzas',
      title: 'Ministerio de Economía y Finanzas',
    });
    expect(dataset.themes).toEqual(['Datos Abiertos de COVID-19']);
    expect(dataset.keywords).toEqual(['covid19', 'Transparencia']);
    expect(dataset.contactPoint?.name).toBe('Plataforma Nacional de Datos Abiertos');
  });

  it('reads the localised Drupal dates in Lima time', () => {
    expect(dataset.issued).toBe('2020-04-21T03:30:00.000Z');
    expect(dataset.modified).toBe('2020-05-18T20:16:00.000Z');
    expect(dataset.resources[0]?.modified).toBe('2020-04-30T02:16:00.000Z');
  });

  it('does not claim a restriction from DKAN private: true, nor a frequency it does not give', () => {
    expect(dataset.accessRights).toBeNull();
    expect(dataset.updateFrequency).toBe('unknown');
    expect(dataset.landingPage).toBe(
      'https://www.datosabiertos.gob.pe/dataset/donaciones-covid-19-ministerio-de-econom%C3%ADa-y-finanzas-mef',
    );
  });

  it('fixes formats: xls declared for an xlsx file, "data" for a zip', () => {
    expect(dataset.resources.map((resource) => resource.format)).toEqual(['CSV', 'XLSX', 'ZIP']);
    expect(dataset.resources.map((resource) => resource.mediaType)).toEqual([
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      null,
    ]);
  });

  it('reads the human size strings in binary kilobytes, and an empty size as unknown', () => {
    expect(dataset.resources.map((resource) => resource.size)).toEqual([
      Math.round(643.02 * 1024),
      Math.round(23.83 * 1024),
      null,
    ]);
  });
});

describe('mapCkanPackage: malformed input never throws', () => {
  it.each([
    [null, 'not-an-object'],
    ['a string', 'not-an-object'],
    [[{ id: 'x' }], 'not-an-object'],
    [{ name: 'no-id', title: 'No id' }, 'missing-id'],
    [{ id: '  ', title: 'Blank id' }, 'missing-id'],
    [{ id: 'abc' }, 'missing-title'],
  ])('%j → %s', (input, code) => {
    const result = mapCkanPackage(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('survives wrong types in every optional field', () => {
    const result = mapped({
      id: 42,
      title: 'Raro',
      tags: 'a, b ,a',
      groups: 'no-list',
      extras: { frequency: 'semanal', issued: '2024-02-30' },
      organization: 'not-an-object',
      resources: { not: 'a list' },
      license_id: { id: 'cc-by' },
      maintainer_email: 'not an email',
    });
    expect(result.dataset.externalId).toBe('42');
    expect(result.dataset.keywords).toEqual(['a', 'b']);
    expect(result.dataset.updateFrequency).toBe('weekly');
    expect(result.dataset.issued).toBeNull();
    expect(result.dataset.resources).toEqual([]);
    expect(result.dataset.licence).toBeNull();
    expect(result.dataset.contactPoint).toBeNull();
    expect(result.warnings).toEqual([
      { code: 'value-ignored', message: 'The organisation is not a JSON object', path: 'organization' },
    ]);
  });
});

describe('ckanPackageSearchPage', () => {
  const page = ckanPackageSearchPage(packageSearch);

  it('keeps the good packages, reports the bad ones by position and keeps CKAN’s total', () => {
    expect(page.count).toBe(57);
    expect(page.items.map((item) => item.externalId)).toEqual([
      '11111111-2222-4333-8444-555555555555',
      '66666666-7777-4888-8999-000000000000',
    ]);
    expect(page.errors.map((error) => [error.index, error.code])).toEqual([
      [1, 'missing-id'],
      [2, 'not-an-object'],
      [3, 'not-an-object'],
    ]);
  });

  it('drops broken resources with a warning naming them', () => {
    const [first] = page.items;
    expect(first?.resources.map((resource) => resource.externalId)).toEqual([
      'r-presupuesto-csv',
      'r-mala-url',
    ]);
    expect(first?.resources[1]?.url).toBeNull();
    expect(page.warnings.map((warning) => [warning.externalId, warning.path, warning.code])).toEqual([
      ['11111111-2222-4333-8444-555555555555', 'resources[1]', 'resource-skipped'],
      ['11111111-2222-4333-8444-555555555555', 'resources[2]', 'resource-skipped'],
      ['11111111-2222-4333-8444-555555555555', 'resources[3].url', 'value-ignored'],
    ]);
    expect(first?.updateFrequency).toBe('quarterly');
    expect(first?.resources[0]?.size).toBe(12345);
  });

  it('falls back to the name as title, and treats "not specified" as no licence', () => {
    const last = page.items[1];
    expect(last?.title).toBe('denuncias-ciudadanas');
    expect(last?.licence).toBeNull();
  });

  it('reports CKAN failures and malformed envelopes as one error and no items', () => {
    expect(ckanPackageSearchPage(ckanError)).toEqual({
      items: [],
      count: 0,
      errors: [{ code: 'source-error', message: 'Validation Error' }],
      warnings: [],
    });
    expect(ckanPackageSearchPage({ success: true, result: { count: 3 } }).errors[0]?.code).toBe(
      'invalid-response',
    );
    expect(ckanPackageSearchPage('<html>502</html>').errors[0]?.code).toBe('invalid-response');
  });

  it('counts the items when CKAN gives no usable count', () => {
    const page2 = ckanPackageSearchPage({
      success: true,
      result: { count: -1, results: [{ id: 'a', title: 'A' }] },
    });
    expect(page2.count).toBe(1);
  });
});

describe('mapCkanOrganization', () => {
  it('maps organization_show', () => {
    const result = mapCkanOrganization(organizationShow.result);
    expect(result).toEqual({
      ok: true,
      value: {
        externalId: 'b7d3e2a1-52c4-4f0b-8e0f-93c1a6d4e5f7',
        name: 'municipalidad-de-miraflores',
        title: 'Municipalidad Distrital de Miraflores',
      },
      warnings: [],
    });
  });

  it('rejects non-objects and organisations without id or name', () => {
    expect(mapCkanOrganization(3)).toMatchObject({ ok: false, error: { code: 'not-an-object' } });
    expect(mapCkanOrganization({ title: 'Sin id' })).toMatchObject({
      ok: false,
      error: { code: 'missing-id' },
    });
  });

  it('falls back to the name when the title is missing', () => {
    expect(mapCkanOrganization({ name: 'minsa' })).toMatchObject({
      ok: true,
      value: { externalId: 'minsa', name: 'minsa', title: 'minsa' },
    });
  });
});
