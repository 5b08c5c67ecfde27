import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { inferSchema, validate } from './index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const real = (name: string) => path.join(repoRoot, '../shared/datasets/real', name);

describe('inferSchema', () => {
  test('frictionless-style types plus portal suggestions, with confidence', async () => {
    const csv =
      'id,activo,monto,fecha,ubigeo,obs\n1,SI,"1.234,50",22/05/2020,010109,NULL\n2,NO,"10,00",01/06/2020,150101,x\n3,Sí,"7,25",13/01/2021,020304,NULL\n';
    const r = await inferSchema({ data: csv, name: 'x.csv' });
    // as frictionless-py infers it ("10,00" reads as a geopoint)
    expect(r.schema.fields.map((f) => f.type)).toEqual([
      'integer',
      'string',
      'geopoint',
      'string',
      'integer',
      'string',
    ]);
    const byName = Object.fromEntries(r.fields.map((f) => [f.name, f]));
    expect(byName.activo?.suggested).toMatchObject({
      type: 'boolean',
      trueValues: ['SI', 'Sí'],
      falseValues: ['NO'],
    });
    expect(byName.monto?.suggested).toMatchObject({ type: 'number', decimalChar: ',', groupChar: '.' });
    expect(byName.fecha?.suggested).toMatchObject({ type: 'date', format: '%d/%m/%Y' });
    expect(byName.ubigeo?.suggested.type).toBe('string');
    expect(byName.monto?.confidence).toBe(1);
    expect(r.suggestedSchema.missingValues).toEqual(['', 'NULL']);
    // the suggested schema validates the file it came from
    const report = await validate({ data: csv, name: 'x.csv' }, { schema: r.suggestedSchema });
    expect(report.valid).toBe(true);
  });

  test('a real Peruvian file: pipes, Windows-1252, decimal commas, dd/mm/yyyy', async () => {
    const r = await inferSchema(real('pe-mef-donaciones-covid19-2020-05-18-pipe.csv'));
    expect(r.encoding).toBe('cp1252');
    expect(r.dialect.delimiter).toBe('|');
    const byName = Object.fromEntries(r.fields.map((f) => [f.name, f]));
    expect(byName.PRECIO_UNIT?.suggested).toMatchObject({ type: 'number', decimalChar: ',' });
    expect(byName.FECHA_MOVIMTO?.suggested).toMatchObject({ type: 'date', format: '%d/%m/%Y' });
    expect(byName.FECHA_REG?.suggested).toMatchObject({ type: 'datetime', format: '%d/%m/%Y %H:%M:%S' });
  });
});
