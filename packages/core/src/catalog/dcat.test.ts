import { describe, expect, it } from 'vitest';
import dataJson from './__fixtures__/data-json.json' with { type: 'json' };
import dcatAp from './__fixtures__/dcat-ap.jsonld.json' with { type: 'json' };
import expanded from './__fixtures__/dcat-ap-expanded.json' with { type: 'json' };
import { mapDcatJsonLd } from './dcat-jsonld.ts';
import { dcatUsCatalog, mapDcatUsDataset } from './dcat-us.ts';

describe('mapDcatUsDataset / dcatUsCatalog (Project Open Data v1.1)', () => {
  const page = dcatUsCatalog(dataJson);
  const [air, works] = page.items;

  it('maps the valid datasets and reports the malformed ones by position', () => {
    expect(page.count).toBe(5);
    expect(page.items.map((item) => item.externalId)).toEqual([
      'senamhi-calidad-aire-estaciones',
      'mpa-obras-publicas',
    ]);
    expect(page.errors.map((error) => [error.index, error.code])).toEqual([
      [2, 'missing-id'],
      [3, 'not-an-object'],
      [4, 'missing-title'],
    ]);
  });

  it('maps dataset-level fields', () => {
    expect(air).toMatchObject({
      source: 'dcat',
      name: 'calidad-del-aire-por-estacion',
      title: 'Calidad del aire por estación',
      organisation: {
        externalId: null,
        name: 'servicio-nacional-de-meteorologia-e-hidrologia',
        title: 'Servicio Nacional de Meteorología e Hidrología',
      },
      licence: { id: 'cc-by', isOpen: true, url: 'https://creativecommons.org/licenses/by/4.0/' },
      keywords: ['aire', 'contaminación', 'PM2.5'],
      themes: ['Medio ambiente'],
      contactPoint: { name: 'Mesa de datos ambientales', email: 'datos.ambientales@example.gob' },
      updateFrequency: 'daily',
      issued: '2021-03-01T00:00:00.000Z',
      modified: '2026-11-20T11:00:00.000Z',
      landingPage: 'https://datos.example.gob/dataset/senamhi-calidad-aire-estaciones',
      accessRights: 'public',
      rights: 'Citar la fuente: SENAMHI.',
      spatial: 'Lima Metropolitana',
      temporal: '2021-03-01/2026-11-20',
    });
  });

  it('maps distributions, keeps a JSON describedBy as the schema and skips unusable ones', () => {
    expect(air?.resources).toHaveLength(3);
    const [csv, api, pdf] = air?.resources ?? [];
    expect(csv).toMatchObject({
      externalId: 'https://datos.example.gob/files/calidad-aire.csv',
      format: 'CSV',
      mediaType: 'text/csv',
      downloadUrl: 'https://datos.example.gob/files/calidad-aire.csv',
      schema: 'https://datos.example.gob/files/calidad-aire.schema.json',
    });
    expect(api).toMatchObject({
      format: 'API',
      downloadUrl: null,
      accessUrl: 'https://api.example.gob/aire/v1',
    });
    expect(pdf).toMatchObject({ format: 'PDF', schema: null });
    expect(page.warnings.map((warning) => warning.path)).toEqual(['distribution[3]', 'distribution[4]']);
  });

  it('reads comma-separated keywords, restricted access, an unknown licence and irregular updates', () => {
    expect(works?.keywords).toEqual(['obras', 'infraestructura']);
    expect(works?.accessRights).toBe('restricted');
    expect(works?.licence).toEqual({
      id: null,
      title: null,
      url: 'https://example.gob/terminos-de-uso',
      isOpen: false,
    });
    expect(works?.updateFrequency).toBe('irregular');
    expect(works?.resources[0]?.format).toBe('XLS');
  });

  it('never throws on junk', () => {
    expect(mapDcatUsDataset(undefined)).toMatchObject({ ok: false, error: { code: 'not-an-object' } });
    expect(mapDcatUsDataset({ identifier: 'x', title: 'X', distribution: 'nope', keyword: 3 })).toMatchObject(
      {
        ok: true,
        dataset: { resources: [], keywords: ['3'] },
      },
    );
    expect(dcatUsCatalog({ dataset: 'nope' }).errors[0]?.code).toBe('invalid-response');
  });
});

describe('mapDcatJsonLd (DCAT-AP, compacted)', () => {
  const page = mapDcatJsonLd(dcatAp);
  const budget = page.items.find((item) => item.externalId === 'ejecucion-presupuestal-2026');
  const complaints = page.items.find((item) => item.externalId === 'registro-denuncias');

  it('finds every dataset node, prefixed, bare or full IRI, and reports the one without a title', () => {
    expect(page.items.map((item) => item.externalId).sort()).toEqual([
      'ejecucion-presupuestal-2026',
      'registro-denuncias',
    ]);
    expect(page.errors).toEqual([
      expect.objectContaining({ code: 'missing-title', externalId: 'sin-titulo' }),
    ]);
  });

  it('prefers Spanish literals, then English, and keeps the keywords of the chosen language', () => {
    expect(budget?.title).toBe('Ejecución presupuestal 2026');
    expect(budget?.description).toBe('Ejecución mensual del presupuesto por programa.');
    expect(budget?.keywords).toEqual(['presupuesto', 'gasto público']);
    expect(budget?.organisation).toEqual({
      externalId: 'https://datos.example.eu/org/hacienda',
      name: 'ministerio-de-hacienda',
      title: 'Ministerio de Hacienda',
    });
  });

  it('falls back to English, then the first literal, when Spanish is missing', () => {
    const english = mapDcatJsonLd(dcatAp, { languages: ['en'] }).items.find(
      (item) => item.externalId === 'ejecucion-presupuestal-2026',
    );
    expect(english?.title).toBe('Budget execution 2026');
    const catalan = mapDcatJsonLd(dcatAp, { languages: ['ca'] }).items.find(
      (item) => item.externalId === 'ejecucion-presupuestal-2026',
    );
    expect(catalan?.title).toBe('Pressupost executat 2026');
    const none = mapDcatJsonLd(dcatAp, { languages: ['qu'] }).items.find(
      (item) => item.externalId === 'ejecucion-presupuestal-2026',
    );
    expect(none?.title).toBe('Budget execution 2026');
  });

  it('resolves contact point, vocabularies and coverage', () => {
    expect(budget).toMatchObject({
      contactPoint: { name: 'Unidad de datos abiertos', email: 'datosabiertos@example.eu' },
      updateFrequency: 'monthly',
      themes: ['http://publications.europa.eu/resource/authority/data-theme/ECON'],
      accessRights: 'public',
      spatial: 'http://publications.europa.eu/resource/authority/country/ESP',
      temporal: '2026-01-01/2026-12-31',
      issued: '2026-01-05T00:00:00.000Z',
      modified: '2026-11-02T09:15:00.000Z',
      landingPage: 'https://datos.example.eu/es/dataset/ejecucion-presupuestal',
    });
  });

  it('takes the licence from the distributions when the dataset has none', () => {
    expect(budget?.licence).toMatchObject({ id: 'cc-by', isOpen: true });
    expect(complaints?.licence).toEqual({
      id: null,
      title: 'Licencia propia',
      url: 'https://example.eu/licencia-propia',
      isOpen: false,
    });
  });

  it('resolves distributions by @id, with EU file types, IANA media types, size and checksum', () => {
    expect(budget?.resources).toHaveLength(2);
    const [csv, turtle] = budget?.resources ?? [];
    expect(csv).toEqual({
      externalId: 'https://datos.example.eu/dataset/ejecucion-presupuestal/csv',
      name: 'Ejecución (CSV)',
      description: null,
      url: 'https://datos.example.eu/files/ejecucion-2026.csv',
      accessUrl: 'https://datos.example.eu/es/dataset/ejecucion-presupuestal',
      downloadUrl: 'https://datos.example.eu/files/ejecucion-2026.csv',
      format: 'CSV',
      mediaType: 'text/csv',
      size: 1048576,
      hash: { algorithm: 'sha1', value: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3' },
      schema: null,
      issued: null,
      modified: '2026-11-02T00:00:00.000Z',
    });
    expect(turtle).toMatchObject({ format: 'TTL', mediaType: 'text/turtle', downloadUrl: null });
    expect(page.warnings).toEqual([
      expect.objectContaining({ externalId: 'ejecucion-presupuestal-2026', path: 'distribution[2]' }),
    ]);
  });

  it('maps an inline distribution and the EU IRREG frequency', () => {
    expect(complaints?.updateFrequency).toBe('irregular');
    expect(complaints?.resources).toEqual([
      expect.objectContaining({ format: 'ZIP', url: 'https://datos.example.eu/files/denuncias.zip' }),
    ]);
  });
});

describe('mapDcatJsonLd (expanded form and junk)', () => {
  it('reads full IRIs and arrays everywhere', () => {
    const page = mapDcatJsonLd(expanded);
    expect(page.errors).toEqual([]);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      externalId: 'https://data.example.eu/set/transport-stops',
      title: 'Public transport stops',
      keywords: ['transport', 'stops'],
      updateFrequency: 'weekly',
      organisation: { title: 'Transport Authority' },
      licence: { id: 'cc-zero', isOpen: true },
      resources: [
        {
          externalId: 'https://data.example.eu/files/stops.geojson',
          format: 'GEOJSON',
          mediaType: 'application/geo+json',
          accessUrl: 'https://data.example.eu/files/stops.geojson',
          downloadUrl: null,
        },
      ],
    });
  });

  it('reports documents without datasets, and non-JSON-LD input', () => {
    expect(mapDcatJsonLd({ '@graph': [] }).errors[0]?.code).toBe('no-datasets');
    expect(mapDcatJsonLd('text').errors[0]?.code).toBe('invalid-response');
    expect(
      mapDcatJsonLd({ '@graph': [{ '@type': 'dcat:Dataset', 'dct:title': 'Sin id' }] }).errors[0]?.code,
    ).toBe('missing-id');
  });

  it('survives cycles and dangling references', () => {
    const node: Record<string, unknown> = {
      '@id': 'https://x.example/ds',
      '@type': 'dcat:Dataset',
      'dct:title': 'Cíclico',
      'dcat:distribution': [{ '@id': 'https://x.example/missing' }],
    };
    node['dct:isPartOf'] = node;
    const page = mapDcatJsonLd(node);
    expect(page.items[0]?.title).toBe('Cíclico');
    expect(page.items[0]?.resources).toEqual([]);
    expect(page.warnings[0]?.code).toBe('resource-skipped');
  });
});
