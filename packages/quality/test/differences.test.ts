// Cases where Quipu once differed from frictionless-py 5.21, each on a small file of ours
// (test/fixtures/): schema descriptors checked against frictionless-py's profiles, an
// integer's groupChar only under v2, integers past 2^53 compared exactly, dateutil's parser
// for format "any". The expected errors are frictionless-py's, written into cases.json by
// fixtures/reference.py (which also checks them again: `reference.py --check`); cases marked
// "reference": "quipu" are rules frictionless-py lacks, with errors written by hand.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { dateTimeStr } from '../src/fields/datetime.ts';
import { dateutilParse } from '../src/fields/dateutil-parse.ts';
import { readCell, type TableSchema, validate } from '../src/index.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface FixtureCase {
  id: string;
  source: string;
  schema: TableSchema | string;
  reference?: 'frictionless' | 'quipu';
  errors: Array<{ type: string; note: string; rowNumber?: number; fieldNumber?: number }>;
}

const manifest = JSON.parse(readFileSync(path.join(fixtures, 'cases.json'), 'utf8')) as {
  cases: FixtureCase[];
  dateutil: Record<string, string | null>;
};

describe('differences from frictionless-py, fixed', () => {
  for (const c of manifest.cases) {
    test(`${c.id} (${c.reference ?? 'frictionless'})`, async () => {
      const schema = typeof c.schema === 'string' ? path.join(fixtures, c.schema) : c.schema;
      const report = await validate(path.join(fixtures, c.source), { schema });
      const errors = [
        ...report.errors.map((e) => ({ type: e.type, note: e.note })),
        ...report.tasks.flatMap((t) =>
          t.errors.map((e) => ({
            type: e.type,
            note: e.note,
            ...(e.rowNumber !== undefined ? { rowNumber: e.rowNumber } : {}),
            ...(e.fieldNumber !== undefined ? { fieldNumber: e.fieldNumber } : {}),
          })),
        ),
      ];
      expect(errors).toEqual(c.errors);
    });
  }

  test('dateutil.parser.parse: the same value (str) or the same refusal on every stored form', () => {
    for (const [text, expected] of Object.entries(manifest.dateutil)) {
      const value = dateutilParse(text);
      expect(value ? dateTimeStr(value) : null, text).toBe(expected);
    }
  });

  test('forms without a year, month or day take them from today, as dateutil does', () => {
    const today = new Date();
    const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    expect(readCell({ name: 'd', type: 'date', format: 'any' }, '10:30')).toEqual({ value: iso });
    expect(readCell({ name: 't', type: 'time', format: 'any' }, '3:00 pm')).toEqual({ value: '15:00:00' });
    expect(readCell({ name: 'd', type: 'date', format: 'any' }, 'Jan 2020')).toEqual({
      value: `2020-01-${String(Math.min(today.getDate(), 31)).padStart(2, '0')}`,
    });
  });

  test('an integer groupChar is read under a v2 schema only; readCell takes the schema', () => {
    const field = { name: 'n', type: 'integer', groupChar: '.' };
    expect(readCell(field, '1.000')).toEqual({ error: 'type is "integer/default"' });
    expect(
      readCell(field, '1.000', { $schema: 'https://datapackage.org/profiles/2.0/tableschema.json' }),
    ).toEqual({ value: 1000 });
  });
});
