// The delimiter by consistency (the default) against Python's csv.Sniffer alone
// (dialectDetection: 'frictionless', what frictionless-py does and the conformance harness
// runs): on the real Latin American files in ../shared/datasets/real (read in place) and on
// a file of ours where the sniffer's preference for "," reads a ";" file wrongly.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../conformance/harness.ts';
import { validate } from '../src/index.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const real = (name: string) => path.join(repoRoot, '../shared/datasets/real', name);
// A title line with a comma, then ";" rows with one decimal comma each: over the sniffer's
// first 20 lines "," and ";" are equally regular, and it prefers ",".
const titled = path.join(fixtures, 'title-semicolon-decimal-comma.csv');

describe('dialect detection', () => {
  test.each([
    ['pe-midis-bonos-covid19-muestra.csv', ';', 'cp1252', 9],
    ['pe-minsa-sinadef-fallecidos-muestra-2020-05-22.csv', ';', 'cp1252', 19],
    ['pe-onpe-revocatoria-distrital-2001-resultados.csv', ';', 'cp1252', 12],
    ['pe-mef-donaciones-covid19-2020-05-18-pipe.csv', '|', 'cp1252', 47],
    ['br-inep-censo-educacao-superior-2021-cadastro-ies.csv', ';', 'cp1252', 84],
    ['br-cenipa-ocorrencias-aeronauticas-2012-2021.csv', ';', 'utf-8-sig', 22],
  ])('%s: "%s", %s, %i columns in both modes', async (file, delimiter, encoding, columns) => {
    const byConsistency = (await validate(real(file))).tasks[0];
    const bySniffer = (await validate(real(file), { dialectDetection: 'frictionless' })).tasks[0];
    for (const task of [byConsistency, bySniffer]) {
      expect(task?.summary?.dialect?.delimiter).toBe(delimiter);
      expect(task?.summary?.encoding).toBe(encoding);
      expect(task?.labels).toHaveLength(columns);
    }
    // the sniffer is right on these: the consistency rule says so and keeps its answer
    expect(byConsistency?.summary?.dialect?.detectedBy).toBe('sniffer');
    expect(byConsistency?.summary?.dialect?.note).toContain(
      `${columns} columns on 100 % of the sampled lines`,
    );
    expect(byConsistency?.errors).toEqual(bySniffer?.errors);
  });

  test('a title line with a comma: the sniffer takes ",", the consistency rule ";"', async () => {
    // frictionless-py 5.21 (given the encoding) reads this file as two columns, the title as
    // the header, and reports one missing-cell: the frictionless mode does the same.
    const sniffer = (await validate(titled, { dialectDetection: 'frictionless' })).tasks[0];
    expect(sniffer?.summary?.dialect).toMatchObject({
      delimiter: ',',
      detectedBy: 'sniffer',
      headerRows: [1],
    });
    expect(sniffer?.labels).toEqual(['MINISTERIO DE ECONOMÍA Y FINANZAS', 'DONACIONES COVID-19']);
    expect(sniffer?.errors.map((e) => `${e.type}@${e.rowNumber},${e.fieldNumber}`)).toEqual([
      'missing-cell@2,2',
    ]);

    const task = (await validate(titled)).tasks[0];
    expect(task?.summary?.encoding).toBe('cp1252');
    expect(task?.summary?.dialect).toMatchObject({
      delimiter: ';',
      headerRows: [2],
      skipInitialSpace: false,
      detectedBy: 'consistency',
    });
    expect(task?.summary?.dialect?.note).toMatch(
      /^";": 3 columns on 97\.6 % of the sampled lines, where the sniffer/,
    );
    expect(task?.summary?.dialect?.note).toContain('chosen for more cells reading as clean values');
    expect(task?.summary?.dialect?.candidates?.map((c) => [c.delimiter, c.columns])).toEqual([
      [',', 2],
      [';', 3],
    ]);
    expect(task?.labels).toEqual(['UBIGEO', 'DEPARTAMENTO', 'MONTO']);
    expect(task?.stats.rows).toBe(40);
    expect(task?.valid).toBe(true);
  });

  test("the schema's field count decides; a declared delimiter is kept as declared", async () => {
    const schema = {
      fields: [
        { name: 'UBIGEO', type: 'string', constraints: { pattern: '\\d{6}' } },
        { name: 'DEPARTAMENTO', type: 'string' },
        { name: 'MONTO', type: 'number', decimalChar: ',' },
      ],
    };
    const task = (await validate(titled, { schema })).tasks[0];
    expect(task?.summary?.dialect?.delimiter).toBe(';');
    expect(task?.summary?.dialect?.note).toContain('as many as the schema has fields');
    expect(task?.valid).toBe(true);

    const declared = (await validate(titled, { dialect: { delimiter: ',' } })).tasks[0];
    expect(declared?.summary?.dialect).toMatchObject({
      delimiter: ',',
      detectedBy: 'declared',
      note: '"," as declared',
    });
  });

  test('a ragged "|" file the sniffer cannot read: one column there, two by consistency', async () => {
    const data = { data: 'id|name\n1|a\n2|b|c\n3\n', name: 'inline.csv' };
    const sniffer = (await validate(data, { dialectDetection: 'frictionless' })).tasks[0];
    expect(sniffer?.labels).toEqual(['id|name']);
    expect(sniffer?.valid).toBe(true);
    const task = (await validate(data)).tasks[0];
    expect(task?.labels).toEqual(['id', 'name']);
    expect(task?.errors.map((e) => `${e.type}@${e.rowNumber},${e.fieldNumber}`)).toEqual([
      'extra-cell@3,3',
      'missing-cell@4,2',
    ]);
  });
});
