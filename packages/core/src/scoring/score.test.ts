import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import mefDonaciones from '../catalog/__fixtures__/pe-mef-donaciones-dkan-package-show.json' with {
  type: 'json',
};
import { ckanPackageShowResult } from '../catalog/ckan.ts';
import { CRITERIA, type DatasetChecks, gradeFor, type ScorableDataset, scoreDataset } from './score.ts';

const NOW = '2026-11-27T09:00:00.000Z';

function perfect(): { dataset: ScorableDataset; checks: DatasetChecks } {
  return {
    dataset: {
      source: 'ckan',
      externalId: 'ds-1',
      name: 'licencias',
      title: 'Licencias de funcionamiento',
      description: 'Licencias otorgadas por mes.',
      organisation: { externalId: 'org-1', name: 'miraflores', title: 'Municipalidad de Miraflores' },
      licence: {
        id: 'cc-by',
        title: 'CC BY',
        url: 'https://creativecommons.org/licenses/by/4.0/',
        isOpen: true,
      },
      keywords: ['licencias'],
      themes: ['economia'],
      contactPoint: { name: 'Mesa de datos', email: 'datos@example.gob.pe' },
      updateFrequency: 'monthly',
      issued: '2024-01-10T00:00:00.000Z',
      modified: '2026-11-17T09:00:00.000Z',
      landingPage: 'https://datos.example.gob.pe/dataset/licencias',
      accessRights: 'public',
      rights: 'Citar a la Municipalidad de Miraflores.',
      spatial: 'Miraflores, Lima',
      temporal: '2024-01-01/..',
      resources: [
        {
          externalId: 'r-1',
          name: 'Licencias (CSV)',
          url: 'https://datos.example.gob.pe/files/licencias.csv',
          accessUrl: 'https://datos.example.gob.pe/files/licencias.csv',
          downloadUrl: 'https://datos.example.gob.pe/files/licencias.csv',
          format: 'CSV',
          mediaType: 'text/csv',
          size: 1024,
          schema: { fields: [{ name: 'numero', type: 'string' }] },
        },
      ],
    },
    checks: {
      availability: { 'r-1': { ok: true, status: 200, contentTypeMatches: true } },
      validity: { 'r-1': { valid: true, errorCount: 0, rowCount: 120, hasSchema: true } },
    },
  };
}

type Case = [id: string, spoil: (dataset: ScorableDataset, checks: DatasetChecks) => void];

const resource = (dataset: ScorableDataset) => dataset.resources[0]!;

const SPOILERS: Case[] = [
  [
    'keywords',
    (d) => {
      d.keywords = [];
    },
  ],
  [
    'themes',
    (d) => {
      d.themes = [];
    },
  ],
  [
    'spatial',
    (d) => {
      d.spatial = null;
    },
  ],
  [
    'temporal',
    (d) => {
      d.temporal = null;
    },
  ],
  [
    'access-url-reachable',
    (_, c) => {
      c.availability!['r-1'] = { ok: false, status: 404 };
    },
  ],
  [
    'download-url',
    (d) => {
      resource(d).downloadUrl = null;
    },
  ],
  [
    'download-url-reachable',
    (_, c) => {
      c.availability!['r-1'] = { ok: false, status: 500 };
    },
  ],
  [
    'format',
    (d) => {
      resource(d).format = null;
    },
  ],
  [
    'media-type',
    (_, c) => {
      c.availability!['r-1'] = { ok: true, contentTypeMatches: false };
    },
  ],
  [
    'format-vocabulary',
    (d) => {
      resource(d).format = 'WMS';
      resource(d).mediaType = 'application/x-municipal';
    },
  ],
  [
    'non-proprietary',
    (d) => {
      resource(d).format = 'XLSX';
      resource(d).mediaType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    },
  ],
  [
    'machine-readable',
    (d) => {
      resource(d).format = 'PDF';
      resource(d).mediaType = 'application/pdf';
    },
  ],
  [
    'dcat-ap',
    (d) => {
      d.description = null;
    },
  ],
  [
    'licence',
    (d) => {
      d.licence = null;
    },
  ],
  [
    'licence-open',
    (d) => {
      d.licence = { id: null, title: 'Términos de uso', url: null, isOpen: false };
    },
  ],
  [
    'access-rights',
    (d) => {
      d.accessRights = null;
    },
  ],
  [
    'contact-point',
    (d) => {
      d.contactPoint = { name: 'Mesa de datos', email: null };
    },
  ],
  [
    'publisher',
    (d) => {
      d.organisation = null;
    },
  ],
  [
    'rights',
    (d) => {
      d.rights = null;
    },
  ],
  [
    'byte-size',
    (d) => {
      resource(d).size = null;
    },
  ],
  [
    'issued',
    (d) => {
      d.issued = null;
    },
  ],
  [
    'modified',
    (d) => {
      d.modified = 'not a date';
    },
  ],
  [
    'schema',
    (d, c) => {
      resource(d).schema = null;
      c.validity!['r-1'] = { valid: true, errorCount: 0, hasSchema: false };
    },
  ],
  [
    'data-valid',
    (_, c) => {
      c.validity!['r-1'] = { valid: false, errorCount: 7, hasSchema: true };
    },
  ],
  [
    'update-frequency',
    (d) => {
      d.updateFrequency = 'unknown';
    },
  ],
  [
    'up-to-date',
    (d) => {
      d.modified = '2026-08-01T00:00:00.000Z';
    },
  ],
];

describe('scoreDataset', () => {
  it('gives a complete, checked, fresh dataset full marks', () => {
    const { dataset, checks } = perfect();
    const result = scoreDataset({ dataset, checks, now: NOW });
    expect(result.score).toBe(100);
    expect(result.grade).toBe('A');
    expect(result.freshness).toBe('fresh');
    expect(result.stars).toBe(3);
    expect(result.criteria.every((criterion) => criterion.passed === true)).toBe(true);
    expect(result.dimensions).toEqual([
      { id: 'findability', earned: 100, possible: 100 },
      { id: 'accessibility', earned: 100, possible: 100 },
      { id: 'interoperability', earned: 110, possible: 110 },
      { id: 'reusability', earned: 75, possible: 75 },
      { id: 'contextuality', earned: 20, possible: 20 },
      { id: 'validity', earned: 60, possible: 60 },
      { id: 'freshness', earned: 40, possible: 40 },
    ]);
  });

  it('has one spoiler per criterion in this test', () => {
    expect(SPOILERS.map(([id]) => id).sort()).toEqual(CRITERIA.map((criterion) => criterion.id).sort());
  });

  it.each(SPOILERS)('%s fails when its condition is broken, and the score drops', (id, spoil) => {
    const { dataset, checks } = perfect();
    spoil(dataset, checks);
    const result = scoreDataset({ dataset, checks, now: NOW });
    const criterion = result.criteria.find((candidate) => candidate.id === id)!;
    expect(criterion.passed).toBe(false);
    expect(criterion.earned).toBeLessThan(criterion.possible);
    expect(criterion.possible).toBe(criterion.weight);
    expect(result.score).toBeLessThan(100);
  });

  it('carries a label and a hint in both languages on every criterion', () => {
    const { criteria } = scoreDataset({ ...perfect(), now: NOW });
    for (const criterion of criteria) {
      for (const text of [criterion.label.es, criterion.label.en, criterion.hint.es, criterion.hint.en]) {
        expect(text.length).toBeGreaterThan(3);
      }
      expect(criterion.hint.es).not.toBe(criterion.hint.en);
    }
  });

  it('mirrors the MQA weights and adds validity and freshness', () => {
    const totals = new Map<string, number>();
    for (const criterion of CRITERIA)
      totals.set(criterion.dimension, (totals.get(criterion.dimension) ?? 0) + criterion.weight);
    expect(Object.fromEntries(totals)).toEqual({
      findability: 100,
      accessibility: 100,
      interoperability: 110,
      reusability: 75,
      contextuality: 20,
      validity: 60,
      freshness: 40,
    });
  });

  it('leaves out what has not been measured instead of failing it', () => {
    const { dataset } = perfect();
    dataset.updateFrequency = 'irregular';
    const result = scoreDataset({ dataset, checks: {}, now: NOW });
    const byId = Object.fromEntries(result.criteria.map((criterion) => [criterion.id, criterion]));
    for (const id of ['access-url-reachable', 'download-url-reachable', 'data-valid', 'up-to-date']) {
      expect(byId[id]).toMatchObject({ passed: null, earned: 0, possible: 0 });
    }
    // The declared schema is still seen without a validation run.
    expect(byId.schema?.passed).toBe(true);
    expect(result.freshness).toBe('not-applicable');
    expect(result.score).toBe(100);
  });

  it('gives partial credit per resource on accessibility', () => {
    const { dataset, checks } = perfect();
    dataset.resources.push({
      ...resource(dataset),
      externalId: 'r-2',
      url: 'https://datos.example.gob.pe/404.csv',
    });
    checks.availability!['r-2'] = { ok: false, status: 404 };
    checks.validity!['r-2'] = { valid: true, errorCount: 0, hasSchema: true };
    const result = scoreDataset({ dataset, checks, now: NOW });
    const reachable = result.criteria.find((criterion) => criterion.id === 'access-url-reachable');
    expect(reachable).toMatchObject({ earned: 25, possible: 50, passed: false });
    expect(result.score).toBe(Math.round((100 * (505 - 25 - 15)) / 505));
  });

  it('counts a change Quipu saw in the data itself as an update', () => {
    const { dataset, checks } = perfect();
    dataset.modified = '2026-01-01T00:00:00.000Z';
    expect(scoreDataset({ dataset, checks, now: NOW }).freshness).toBe('stale');
    checks.freshness = { lastChange: '2026-11-20T00:00:00.000Z' };
    expect(scoreDataset({ dataset, checks, now: NOW }).freshness).toBe('fresh');
  });

  it('treats a regular cadence without a modification date as not up to date', () => {
    const { dataset, checks } = perfect();
    dataset.modified = null;
    const result = scoreDataset({ dataset, checks, now: NOW });
    expect(result.freshness).toBe('unknown');
    expect(result.criteria.find((criterion) => criterion.id === 'up-to-date')?.passed).toBe(false);
  });

  it('scores an empty record low but within bounds', () => {
    const result = scoreDataset({ dataset: { resources: [] }, now: NOW });
    expect(result.score).toBe(0);
    expect(result.grade).toBe('E');
    expect(result.stars).toBe(0);
  });

  it('always returns an integer score within 0–100 and earned ≤ possible', () => {
    const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
    const resourceArbitrary = fc.record({
      externalId: fc.string({ minLength: 1, maxLength: 4 }),
      url: maybe(fc.constant('https://x.example/a')),
      downloadUrl: maybe(fc.constant('https://x.example/a')),
      format: maybe(fc.constantFrom('CSV', 'XLSX', 'PDF', 'TTL', 'WMS', '')),
      mediaType: maybe(fc.constantFrom('text/csv', 'application/pdf', 'x/y')),
      size: maybe(fc.nat()),
      schema: maybe(fc.constant('https://x.example/schema.json')),
    });
    fc.assert(
      fc.property(
        fc.record({
          title: maybe(fc.string()),
          description: maybe(fc.string()),
          keywords: fc.array(fc.string(), { maxLength: 2 }),
          updateFrequency: fc.constantFrom('daily', 'monthly', 'irregular', 'unknown', 'P3D'),
          modified: maybe(fc.constantFrom('2026-11-01', '2020-01-01', 'junk')),
          resources: fc.array(resourceArbitrary, { maxLength: 4 }),
        }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.record({ ok: fc.boolean() })),
        (dataset, availability) => {
          const result = scoreDataset({ dataset, checks: { availability }, now: NOW });
          expect(Number.isInteger(result.score)).toBe(true);
          expect(result.score).toBeGreaterThanOrEqual(0);
          expect(result.score).toBeLessThanOrEqual(100);
          expect(result.grade).toBe(gradeFor(result.score));
          for (const criterion of result.criteria)
            expect(criterion.earned).toBeLessThanOrEqual(criterion.possible);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('gradeFor', () => {
  it.each([
    [100, 'A'],
    [87, 'A'],
    [86, 'B'],
    [70, 'B'],
    [69, 'C'],
    [55, 'C'],
    [54, 'D'],
    [30, 'D'],
    [29, 'E'],
    [0, 'E'],
  ])('%d → %s', (score, grade) => {
    expect(gradeFor(score)).toBe(grade);
  });
});

describe('scoreDataset on the MEF donations package from datosabiertos.gob.pe', () => {
  const mapped = ckanPackageShowResult(mefDonaciones, { localUtcOffset: '-05:00' });
  if (!mapped.ok) throw new Error('fixture should map');
  const result = scoreDataset({
    dataset: mapped.dataset,
    checks: {
      availability: {
        'd726b668-1d4f-42ff-9007-476d666544a3': { ok: true, status: 200, contentTypeMatches: true },
        'ecb1164b-f6f8-4dba-9aa0-6973fa2cac04': { ok: true, status: 200, contentTypeMatches: true },
        'fb419097-b9ea-4727-98d8-d35f720210d6': { ok: false, status: 404 },
      },
    },
    now: '2020-05-26T12:00:00.000Z',
  });
  const passed = Object.fromEntries(result.criteria.map((criterion) => [criterion.id, criterion.passed]));

  it('credits what the portal does declare', () => {
    expect(passed).toMatchObject({
      keywords: true,
      themes: true,
      licence: true,
      'licence-open': true,
      publisher: true,
      'contact-point': true,
      'non-proprietary': true,
      'machine-readable': true,
      issued: true,
      modified: true,
    });
    expect(result.stars).toBe(3);
  });

  it('points at what is missing: coverage, access rights, schema, frequency, a broken link', () => {
    expect(passed).toMatchObject({
      spatial: false,
      temporal: false,
      'access-rights': false,
      rights: false,
      schema: false,
      'update-frequency': false,
      'access-url-reachable': false,
      'up-to-date': null,
      'data-valid': null,
    });
    expect(result.grade).toBe(gradeFor(result.score));
    expect(result.score).toBeGreaterThan(40);
    expect(result.score).toBeLessThan(75);
  });
});
