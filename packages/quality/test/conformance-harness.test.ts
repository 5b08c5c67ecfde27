// The harness itself: the manifest covers every input and has a stored report per case,
// and the comparison and value helpers judge correctly. Runs without the validator.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  canonicalDecimal,
  comparable,
  type FieldCase,
  isErrorExpected,
  toExpected,
} from '../conformance/field-values.ts';
import {
  type ConformanceCase,
  compareReports,
  conformanceDir,
  expectedDir,
  loadCases,
  loadDeliberateDifferences,
  loadExpected,
  type NormalisedReport,
  normaliseReport,
  relativePaths,
  repoRoot,
  testedCases,
  validateArguments,
} from '../conformance/harness.ts';

const cases = loadCases();
const shared = path.resolve(repoRoot, '../shared/datasets');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

function sourcesOf(kind?: string): Set<string> {
  return new Set(
    cases
      .filter((c) => !kind || c.kind === kind)
      .flatMap((c) => (typeof c.source === 'string' ? [c.source] : [])),
  );
}

describe('the manifest', () => {
  test('case ids are unique and usable as file names', () => {
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  });

  test('every table fixture, package and resource descriptor of frictionless-fixtures has a case', () => {
    const fixtures = path.join(shared, 'frictionless-fixtures');
    const inputs = filesUnder(fixtures)
      .filter(
        (f) =>
          /\.(csv|tsv|csv\.gz|csv\.zip)$/.test(f) ||
          /(^|\/)(datapackage|resource)\.json$|\.package\.json$/.test(f),
      )
      .map((f) => path.relative(repoRoot, f).split(path.sep).join('/'));
    expect(inputs.length).toBeGreaterThan(50);
    const covered = sourcesOf();
    expect(inputs.filter((f) => !covered.has(f))).toEqual([]);
  });

  test('every real CSV has an inference-only case', () => {
    const real = readdirSync(path.join(shared, 'real'))
      .filter((f) => f.endsWith('.csv'))
      .map((f) => `../shared/datasets/real/${f}`);
    expect(real.length).toBeGreaterThan(0);
    const inferred = new Set(
      cases.filter((c) => c.kind === 'real' && Object.keys(c.options).length === 0).map((c) => c.source),
    );
    expect(real.filter((f) => !inferred.has(f))).toEqual([]);
  });

  test('inputs are read in place from ../shared, never from the repository', () => {
    for (const c of cases) {
      if (typeof c.source === 'string') expect(c.source.startsWith('../shared/datasets/'), c.id).toBe(true);
    }
  });

  test('every path a case names exists, but the one that tests a missing file', () => {
    const missing = cases.flatMap((c) => {
      const { source, options } = validateArguments(c);
      const paths = [source, options.schema, options.dialect, options.package].filter(
        (p): p is string => typeof p === 'string',
      );
      return paths.filter((p) => !existsSync(p)).map((p) => `${c.id}: ${path.relative(repoRoot, p)}`);
    });
    expect(missing).toEqual([
      'spec-resource-validate-missing-local-file-raises-scheme-error-issue-315: ../shared/datasets/frictionless-fixtures/bad-path.csv',
    ]);
  });

  test('every case has a stored frictionless-py report, and no report is stale', () => {
    const stored = readdirSync(expectedDir).filter((f) => f.endsWith('.json'));
    expect(stored.sort()).toEqual(cases.map((c) => `${c.id}.json`).sort());
    for (const c of cases) {
      const report = loadExpected(c.id);
      expect(report.case).toBe(c.id);
      expect(report.reference).toMatch(/^frictionless 5\.21\./);
    }
  });

  test('stored reports hold no absolute path of the machine that made them', () => {
    for (const file of readdirSync(expectedDir)) {
      const text = readFileSync(path.join(expectedDir, file), 'utf8');
      expect(text.includes(repoRoot), file).toBe(false);
      expect(text.includes(path.resolve(repoRoot, '../shared')), file).toBe(false);
    }
  });

  test('deliberate differences name known cases, give a reason, and point at stored reports', () => {
    const ids = new Set(cases.map((c) => c.id));
    for (const [id, difference] of Object.entries(loadDeliberateDifferences())) {
      expect(ids.has(id), id).toBe(true);
      expect(difference.reason.length, id).toBeGreaterThan(20);
      if (difference.expectedFrom) {
        expect(ids.has(difference.expectedFrom), difference.expectedFrom).toBe(true);
        expect(difference.expectedFrom, id).not.toBe(id);
      }
    }
  });

  test('tested cases: every case once, deliberate ones against their expectedFrom', () => {
    const deliberate = loadDeliberateDifferences();
    const tested = testedCases();
    const withoutReference = Object.values(deliberate).filter((d) => !d.expectedFrom).length;
    expect(tested.length).toBe(cases.length - withoutReference);
    for (const { case: c, expectedId } of tested)
      expect(expectedId).toBe(deliberate[c.id]?.expectedFrom ?? c.id);
  });
});

const aCase: ConformanceCase = {
  id: 'c',
  kind: 'spec',
  source: '../shared/datasets/x.csv',
  options: {},
  origin: 'test',
};

function report(
  errors: Array<[string, number | undefined, number | undefined, string?]>,
  valid = errors.length === 0,
): NormalisedReport {
  return {
    case: 'c',
    valid,
    warnings: [],
    errors: [],
    tasks: [
      {
        valid,
        labels: [],
        stats: {},
        warnings: [],
        errors: errors.map(([type, rowNumber, fieldNumber, message]) => ({
          type,
          rowNumber,
          fieldNumber,
          message: message ?? type,
        })),
      },
    ],
  };
}

describe('compareReports', () => {
  test('agrees on identical reports', () => {
    const r = report([
      ['blank-label', undefined, 3],
      ['missing-cell', 2, 3],
    ]);
    const cmp = compareReports(aCase, r, structuredClone(r));
    expect(cmp).toMatchObject({
      agrees: true,
      matchedErrors: 2,
      expectedErrors: 2,
      actualErrors: 2,
      differences: [],
    });
  });

  test('reports a missing error, counting the others as matched', () => {
    const want = report([
      ['blank-label', undefined, 3],
      ['missing-cell', 2, 3],
      ['blank-row', 4, undefined],
    ]);
    const got = report([
      ['blank-label', undefined, 3],
      ['blank-row', 4, undefined],
    ]);
    const cmp = compareReports(aCase, want, got);
    expect(cmp.agrees).toBe(false);
    expect(cmp.sequenceAgrees).toBe(false);
    expect(cmp.matchedErrors).toBe(2);
    expect(cmp.differences.join('\n')).toContain('missing 1: 1:missing-cell@2,3');
  });

  test('order matters for agreement but not for the matched count', () => {
    const want = report([
      ['missing-cell', 2, 3],
      ['extra-cell', 5, 5],
    ]);
    const got = report([
      ['extra-cell', 5, 5],
      ['missing-cell', 2, 3],
    ]);
    const cmp = compareReports(aCase, want, got);
    expect(cmp.agrees).toBe(false);
    expect(cmp.matchedErrors).toBe(2);
  });

  test('the same error at another row or field is a different error', () => {
    const cmp = compareReports(aCase, report([['type-error', 4, 1]]), report([['type-error', 4, 2]]));
    expect(cmp.matchedErrors).toBe(0);
    expect(cmp.differences.join('\n')).toContain('extra 1: 1:type-error@4,2');
  });

  test('validity is compared on its own', () => {
    const cmp = compareReports(aCase, report([], false), report([], true));
    expect(cmp).toMatchObject({ agrees: false, validityAgrees: false, sequenceAgrees: true });
  });

  test('templated messages must match; implementation-specific ones need not', () => {
    const want = report([
      ['blank-label', undefined, 3, 'Label in the header in field at position "3" is blank'],
    ]);
    const got = report([['blank-label', undefined, 3, 'Label 3 is blank']]);
    expect(compareReports(aCase, want, got).messagesAgree).toBe(false);
    expect(compareReports({ ...aCase, compareMessages: false }, want, got).agrees).toBe(true);
    const codec = compareReports(
      aCase,
      report([['encoding-error', undefined, undefined, "'utf-8' codec can't decode"]]),
      report([['encoding-error', undefined, undefined, 'invalid UTF-8']]),
    );
    expect(codec.agrees).toBe(true);
  });
});

describe('normaliseReport', () => {
  test('keeps what frictionless-py reports are compared on, with relative paths', () => {
    const absolute = path.resolve(repoRoot, '../shared/datasets/frictionless-fixtures/bad.csv');
    const normalised = normaliseReport('c', {
      valid: false,
      stats: { tasks: 1, errors: 1, warnings: 0, seconds: 0.1 },
      warnings: [],
      errors: [],
      tasks: [
        {
          valid: false,
          name: 'bad',
          type: 'table',
          place: absolute,
          labels: ['a'],
          stats: {
            errors: 1,
            warnings: 0,
            seconds: 0.2,
            rows: 3,
            fields: 1,
            bytes: 10,
            md5: 'x',
            sha256: 'y',
          },
          warnings: [],
          errors: [
            {
              type: 'scheme-error',
              title: 't',
              description: 'd',
              tags: [],
              note: `no ${absolute}`,
              message: `cannot load ${absolute}`,
              cells: [],
            },
          ],
        },
      ],
    });
    expect(normalised.tasks[0]).toEqual({
      valid: false,
      name: 'bad',
      place: '../shared/datasets/frictionless-fixtures/bad.csv',
      labels: ['a'],
      stats: { rows: 3, fields: 1, bytes: 10, md5: 'x' },
      warnings: [],
      errors: [
        {
          type: 'scheme-error',
          note: 'no ../shared/datasets/frictionless-fixtures/bad.csv',
          message: 'cannot load ../shared/datasets/frictionless-fixtures/bad.csv',
        },
      ],
    });
  });

  test('relativePaths rewrites paths inside the repository too', () => {
    expect(relativePaths({ a: [path.join(repoRoot, 'packages/x.csv')] })).toEqual({ a: ['packages/x.csv'] });
  });

  test('validateArguments makes case paths absolute and leaves inline data and descriptors alone', () => {
    const schema = { fields: [] };
    const { source, options } = validateArguments({
      ...aCase,
      options: { schema: '../shared/s.json', dialect: { delimiter: ';' }, limitErrors: 3 },
    });
    expect(source).toBe(path.resolve(repoRoot, '../shared/datasets/x.csv'));
    expect(options).toEqual({
      dialectDetection: 'frictionless',
      schema: path.resolve(repoRoot, '../shared/s.json'),
      dialect: { delimiter: ';' },
      limitErrors: 3,
    });
    expect(
      validateArguments({ ...aCase, source: { data: 'a\n1\n' }, options: { schema } }).options.schema,
    ).toBe(schema);
  });
});

describe('field values', () => {
  test('canonicalDecimal', () => {
    expect(canonicalDecimal('010.50')).toBe('10.5');
    expect(canonicalDecimal('+1E3')).toBe('1000');
    expect(canonicalDecimal('1.5e-3')).toBe('0.0015');
    expect(canonicalDecimal('-0.0')).toBe('0');
    expect(canonicalDecimal('-12.30')).toBe('-12.3');
  });

  test('toExpected gives the default JavaScript representation', () => {
    expect(toExpected({ $decimal: '10.5' })).toBe(10.5);
    expect(toExpected({ $bigint: '9223372036854775808' })).toBe(9223372036854775808n);
    expect(toExpected({ $date: '2019-01-01' })).toBe('2019-01-01');
    expect(toExpected({ $geopoint: ['180', '-90'] })).toEqual([180, -90]);
    expect(toExpected({ $yearmonth: [2000, 10] })).toEqual([2000, 10]);
    expect(toExpected([{ $decimal: '1.5' }, { $decimal: '2' }])).toEqual([1.5, 2]);
    expect(toExpected({ key: 'value' })).toEqual({ key: 'value' });
  });

  test('comparable accepts equal values in their legitimate forms and rejects others', () => {
    const same = (actual: unknown, expected: Parameters<typeof comparable>[1]) => {
      const [a, b] = comparable(actual, expected);
      return JSON.stringify(a) === JSON.stringify(b);
    };
    expect(same(10.5, { $decimal: '10.50' })).toBe(true);
    expect(same('10.5', { $decimal: '10.50' })).toBe(true);
    expect(same(10.4, { $decimal: '10.50' })).toBe(false);
    expect(same('2014-01-01T05:00:00Z', { $datetime: '2014-01-01T06:00:00+01:00' })).toBe(true);
    expect(same('2014-01-01T06:00:00Z', { $datetime: '2014-01-01T06:00:00+01:00' })).toBe(false);
    expect(same('2014-01-01T06:00:00Z', { $datetime: '2014-01-01T06:00:00' })).toBe(false);
    expect(same('2014-01-01T06:00:00', { $datetime: '2014-01-01T06:00:00' })).toBe(true);
    expect(same('06:00:00Z', { $time: '06:00:00+00:00' })).toBe(true);
    expect(same({ lon: 180, lat: -90 }, { $geopoint: ['180', '-90'] })).toBe(true);
    expect(same({ year: 2000, month: 10 }, { $yearmonth: [2000, 10] })).toBe(true);
    expect(same(1n, 1)).toBe(true);
    expect(same([1.5, 2], [{ $decimal: '1.5' }, { $decimal: '2' }])).toBe(true);
    expect(same(true, 1)).toBe(false);
  });

  test('every field-case table is well formed and names the type it tests', () => {
    const dir = path.join(conformanceDir, 'field-cases');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const file of files) {
      const table = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
        type: string;
        cases: FieldCase[];
      };
      expect(file).toBe(`${table.type}.json`);
      expect(table.cases.length, file).toBeGreaterThan(0);
      for (const c of table.cases) {
        expect(c.field.type, c.origin).toBe(table.type);
        expect(typeof c.cell, c.origin).toBe('string');
        if (!isErrorExpected(c.expected)) toExpected(c.expected);
      }
    }
  });
});
