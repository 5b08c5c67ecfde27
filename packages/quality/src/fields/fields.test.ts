import { describe, expect, test } from 'vitest';
import { readCell } from '../index.ts';
import { compileField, readFieldCell } from './index.ts';

describe('type readers (frictionless-py semantics)', () => {
  test('integer: trims, signs, leading zeros, underscores; rejects decimals', () => {
    const f = { name: 'n', type: 'integer' };
    expect(readCell(f, ' 42 ')).toEqual({ value: 42 });
    expect(readCell(f, '+007')).toEqual({ value: 7 });
    expect(readCell(f, '1_000')).toEqual({ value: 1000 });
    expect(readCell(f, '12345678901234567890')).toEqual({ value: 12345678901234567890n });
    expect(readCell(f, '1.0')).toEqual({ error: 'type is "integer/default"' });
    expect(readCell({ ...f, bareNumber: false }, 'USD 15 per unit')).toEqual({ value: 15 });
  });

  test('number: Decimal syntax, NaN/INF, decimalChar and groupChar only when set', () => {
    const f = { name: 'x', type: 'number' };
    expect(readCell(f, '1.5e3')).toEqual({ value: 1500 });
    expect(readCell(f, '-INF')).toEqual({ value: -Infinity });
    expect(readCell(f, '1,5')).toEqual({ error: 'type is "number/default"' });
    expect(readCell({ ...f, decimalChar: ',', groupChar: '.' }, '1.234,5')).toEqual({ value: 1234.5 });
    // with a non-"." decimalChar a literal "." is invalid
    expect(readCell({ ...f, decimalChar: ',' }, '1.5')).toEqual({ error: 'type is "number/default"' });
  });

  test('boolean: exact, case-sensitive values', () => {
    const f = { name: 'b', type: 'boolean' };
    expect(readCell(f, 'TRUE')).toEqual({ value: true });
    expect(readCell(f, 'yes')).toEqual({ error: 'type is "boolean/default"' });
    expect(readCell({ ...f, trueValues: ['SI'], falseValues: ['NO'] }, 'NO')).toEqual({ value: false });
  });

  test('date, time, datetime', () => {
    expect(readCell({ name: 'd', type: 'date' }, '2020-1-5')).toEqual({ value: '2020-01-05' });
    expect(readCell({ name: 'd', type: 'date' }, '2020-02-30')).toEqual({ error: 'type is "date/default"' });
    expect(readCell({ name: 'd', type: 'date', format: '%d/%m/%Y' }, '22/05/2020')).toEqual({
      value: '2020-05-22',
    });
    expect(readCell({ name: 'd', type: 'date', format: '%d-%b-%y' }, '27-MAR-20')).toEqual({
      value: '2020-03-27',
    });
    expect(readCell({ name: 't', type: 'time' }, '06:00:00Z')).toEqual({ value: '06:00:00+00:00' });
    expect(readCell({ name: 'dt', type: 'datetime' }, '2020-05-22T10:00:00-05:00')).toEqual({
      value: '2020-05-22T10:00:00-05:00',
    });
    expect(readCell({ name: 'dt', type: 'datetime' }, '2020-05-22')).toEqual({
      error: 'type is "datetime/default"',
    });
  });

  test('year, yearmonth, duration, geopoint, object, array, list', () => {
    expect(readCell({ name: 'y', type: 'year' }, '2019')).toEqual({ value: 2019 });
    expect(readCell({ name: 'y', type: 'yearmonth' }, '2019-13')).toEqual({
      error: 'type is "yearmonth/default"',
    });
    expect(readCell({ name: 'd', type: 'duration' }, 'P2W')).toEqual({ value: 'P14D' });
    expect(readCell({ name: 'g', type: 'geopoint' }, '-77.0428, -12.0464')).toEqual({
      value: [-77.0428, -12.0464],
    });
    expect(readCell({ name: 'g', type: 'geopoint' }, '200, 0')).toEqual({
      error: 'type is "geopoint/default"',
    });
    expect(readCell({ name: 'o', type: 'object' }, '{"a": 1}')).toEqual({ value: { a: 1 } });
    expect(readCell({ name: 'a', type: 'array' }, '[1, 2]')).toEqual({ value: [1, 2] });
    expect(readCell({ name: 'l', type: 'list', itemType: 'integer' }, '1,x')).toEqual({
      error: 'expected item type is "integer"',
    });
  });

  test('string formats', () => {
    expect(readCell({ name: 'e', type: 'string', format: 'email' }, 'ana@example.org')).toEqual({
      value: 'ana@example.org',
    });
    expect(readCell({ name: 'u', type: 'string', format: 'uri' }, 'example.org')).toEqual({
      error: 'type is "string/uri"',
    });
    expect(
      readCell({ name: 'u', type: 'string', format: 'uuid' }, '0a3f0c5e-0000-4000-8000-000000000000'),
    ).toHaveProperty('value');
  });
});

describe('constraints and their notes', () => {
  test('notes quote the constraint with Python str(): lists, booleans', () => {
    const f = compileField({
      name: 'c',
      type: 'number',
      constraints: { required: true, minimum: 1, enum: ['1.5', 2] },
    });
    expect(readFieldCell(f, undefined).notes).toEqual(['constraint "required" is "True"']);
    expect(readFieldCell(f, '0.5').notes).toEqual([
      'constraint "minimum" is "1"',
      `constraint "enum" is "['1.5', 2]"`,
    ]);
    expect(readFieldCell(f, '2.0').notes).toEqual([]);
  });

  test('pattern is anchored like re.match("^…$"), alternation unbracketed', () => {
    const f = compileField({ name: 's', type: 'string', constraints: { pattern: 'a|b' } });
    expect(readFieldCell(f, 'axyz').notes).toEqual([]); // "^a|b$" matches a prefix "a"
    expect(readFieldCell(f, 'xb').notes).toEqual(['constraint "pattern" is "a|b"']);
  });

  test('missing values make a cell null; no constraint but required applies', () => {
    const f = compileField({
      name: 's',
      type: 'integer',
      missingValues: ['NA'],
      constraints: { minimum: 5 },
    });
    expect(readFieldCell(f, 'NA')).toEqual({ value: null, typeNote: null, notes: [] });
    expect(readFieldCell(f, '')).toEqual({ value: null, typeNote: 'type is "integer/default"', notes: [] });
  });

  test('Data Package v2 categories', () => {
    const f = compileField({ name: 's', type: 'string', categories: ['a', { value: 'b', label: 'B' }] });
    expect(readFieldCell(f, 'b').notes).toEqual([]);
    expect(readFieldCell(f, 'c').notes).toEqual([`constraint "categories" is "['a', 'b']"`]);
  });
});
