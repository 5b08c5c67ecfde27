import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { validate } from './index.ts';
import type { Report, TableSchema } from './types.ts';

const keys = (r: Report) =>
  r.tasks.flatMap((t) => t.errors.map((e) => `${e.type}@${e.rowNumber ?? '-'},${e.fieldNumber ?? '-'}`));
const csv = (data: string) => ({ data, name: 'table.csv' });

describe('header errors', () => {
  test('blank, duplicate and incorrect labels; extra and missing labels', async () => {
    const schema: TableSchema = {
      fields: [{ name: 'id' }, { name: 'name' }, { name: 'x' }, { name: 'name2' }],
    };
    const report = await validate(csv('id,name,,name,extra\n1,a,b,c,d\n'), { schema });
    expect(keys(report)).toEqual(['extra-label@-,5', 'blank-label@-,3', 'duplicate-label@-,4']);
    const e = report.tasks[0]?.errors[2];
    expect(e?.message).toBe(
      'Label "name" in the header at position "4" is duplicated to a label: at position "2"',
    );
    expect(e?.rowNumbers).toEqual([1]);

    const incorrect = await validate(csv('id,nom\n1,a\n'), {
      schema: { fields: [{ name: 'id' }, { name: 'name' }, { name: 'extra' }] },
    });
    // rows are read against the fields the labels pair with: the unlabelled field is dropped
    expect(keys(incorrect)).toEqual(['missing-label@-,3', 'incorrect-label@-,2']);
  });

  test('fieldsMatch partial: unmatched-header when nothing matches', async () => {
    const report = await validate(csv('a,b\n1,2\n'), {
      schema: { fields: [{ name: 'x' }], fieldsMatch: 'partial' },
    });
    expect(keys(report)).toEqual(['unmatched-header@-,-']);
  });
});

describe('row and cell errors, in frictionless-py order', () => {
  test('type and constraint errors, extra and missing cells, blank rows', async () => {
    const schema: TableSchema = {
      fields: [
        { name: 'id', type: 'integer', constraints: { required: true } },
        { name: 'age', type: 'integer', constraints: { minimum: 0, maximum: 120 } },
        { name: 'name', type: 'string', constraints: { pattern: '[A-Z].*' } },
      ],
    };
    const report = await validate(csv('id,age,name\n1,x,Ana\n2,150,bob\n,,\n\n4,5\n5,6,Eva,extra\n'), {
      schema,
    });
    expect(keys(report)).toEqual([
      'type-error@2,2',
      'constraint-error@3,2',
      'constraint-error@3,3',
      'blank-row@4,-',
      'blank-row@5,-',
      'missing-cell@6,3',
      'extra-cell@7,4',
    ]);
    const [typeError, range] = report.tasks[0]?.errors ?? [];
    expect(typeError?.message).toBe(
      'Type error in the cell "x" in row "2" and field "age" at position "2": type is "integer/default"',
    );
    expect(range?.note).toBe('constraint "maximum" is "120"');
    expect(report.tasks[0]?.errors[4]?.cells).toEqual([]); // an empty line has no cells
  });

  test('a required missing cell gets the constraint-error first, with cell "None"', async () => {
    const schema: TableSchema = { fields: [{ name: 'a' }, { name: 'b', constraints: { required: true } }] };
    const report = await validate(csv('a,b\n1\n'), { schema });
    expect(keys(report)).toEqual(['constraint-error@2,2', 'missing-cell@2,2']);
    expect(report.tasks[0]?.errors[0]?.cell).toBe('None');
  });

  test('unique fields are read first; unique-error names the latest earlier row', async () => {
    const schema: TableSchema = {
      fields: [
        { name: 'name', type: 'integer' },
        { name: 'id', type: 'integer', constraints: { unique: true } },
      ],
    };
    const report = await validate(csv('name,id\nx,1\ny,1\nz,1\n'), { schema });
    expect(keys(report)).toEqual([
      'type-error@2,1',
      'type-error@3,1',
      'unique-error@3,2',
      'type-error@4,1',
      'unique-error@4,2',
    ]);
    expect(report.tasks[0]?.errors[4]?.note).toBe('the same as in the row at position 3');
  });

  test('unique compares parsed values: 1 and 1.0 collide', async () => {
    const report = await validate(csv('n\n1\n1.0\n'), {
      schema: { fields: [{ name: 'n', type: 'number', constraints: { unique: true } }] },
    });
    expect(keys(report)).toEqual(['unique-error@3,1']);
    expect(report.tasks[0]?.errors[0]?.cell).toBe('1.0');
  });

  test('primary key: duplicates and all-null keys', async () => {
    const schema: TableSchema = {
      fields: [{ name: 'a', type: 'integer' }, { name: 'b' }],
      primaryKey: ['a', 'b'],
    };
    const report = await validate(csv('a,b\n1,x\n1,x\n,\n'), { schema });
    expect(keys(report)).toEqual(['primary-key@3,-', 'blank-row@4,-', 'primary-key@4,-']);
  });

  test('self-referencing foreign key', async () => {
    const schema: TableSchema = {
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'parent', type: 'integer' },
      ],
      foreignKeys: [{ fields: ['parent'], reference: { resource: '', fields: ['id'] } }],
    };
    const report = await validate(csv('id,parent\n1,\n2,1\n3,9\n'), { schema });
    expect(keys(report)).toEqual(['foreign-key@4,-']);
    expect(report.tasks[0]?.errors[0]?.note).toBe(
      'for "parent": values "9" not found in the lookup table "" as "id"',
    );
  });

  test('Data Package v2 uniqueKeys', async () => {
    const schema: TableSchema = { fields: [{ name: 'a' }, { name: 'b' }], uniqueKeys: [['a', 'b']] };
    const report = await validate(csv('a,b\n1,x\n1,y\n1,x\n'), { schema });
    expect(keys(report)).toEqual(['unique-error@4,1']);
  });
});

describe('file and table errors', () => {
  test('hash-count and byte-count', async () => {
    const data = 'id\n1\n';
    const md5 = createHash('md5').update(data).digest('hex');
    const ok = await validate(csv(data), { hash: md5, bytes: data.length });
    expect(ok.valid).toBe(true);
    expect(ok.tasks[0]?.stats.md5).toBe(md5);
    const bad = await validate(csv(data), { hash: 'sha256:00', bytes: 99 });
    expect(keys(bad)).toEqual(['hash-count@-,-', 'byte-count@-,-']);
    expect(bad.tasks[0]?.errors[1]?.note).toBe(`expected is "99" and actual is "${data.length}"`);
  });

  test('empty source, missing file', async () => {
    expect(keys(await validate(csv('')))).toEqual(['source-error@-,-']);
    const missing = await validate('/nonexistent/quipu/file.csv');
    expect(keys(missing)).toEqual(['scheme-error@-,-']);
    expect(missing.tasks[0]?.errors[0]?.note).toBe(
      "[Errno 2] No such file or directory: '/nonexistent/quipu/file.csv'",
    );
  });

  test('schema metadata errors stand at the report level', async () => {
    const report = await validate(csv('a\n1\n'), {
      schema: { fields: [{ name: 'a', type: 'integer', constraints: { pattern: 'x' } }] },
    });
    expect(report.tasks).toEqual([]);
    expect(report.errors.map((e) => e.note)).toEqual([
      'constraint "pattern" is not supported by type "integer"',
    ]);
  });
});

describe('limits and filters', () => {
  const data = `n\n${Array.from({ length: 20 }, (_, i) => (i % 2 ? 'x' : String(i))).join('\n')}\n`;
  const schema: TableSchema = { fields: [{ name: 'n', type: 'integer' }] };

  test('limitErrors cuts, warns and skips end-of-table checks', async () => {
    const report = await validate(csv(data), { schema, limitErrors: 3, hash: 'bad' });
    expect(report.tasks[0]?.errors).toHaveLength(3);
    expect(report.tasks[0]?.warnings).toEqual(['reached error limit: 3']);
    expect(report.stats.warnings).toBe(1);
  });

  test('limitRows', async () => {
    const report = await validate(csv(data), { schema, limitRows: 4 });
    expect(report.tasks[0]?.stats.rows).toBe(4);
    expect(report.tasks[0]?.warnings).toEqual(['reached row limit: 4']);
  });

  test('pickErrors and skipErrors by type or tag', async () => {
    const messy = csv('a,b\n1\n1,2,3\nx,y\n');
    const s: TableSchema = { fields: [{ name: 'a', type: 'integer' }, { name: 'b' }] };
    expect(keys(await validate(messy, { schema: s, pickErrors: ['#cell'] }))).toEqual([
      'missing-cell@2,2',
      'extra-cell@3,3',
      'type-error@4,1',
    ]);
    expect(keys(await validate(messy, { schema: s, skipErrors: ['type-error', 'extra-cell'] }))).toEqual([
      'missing-cell@2,2',
    ]);
  });
});

describe('report shape', () => {
  test('v5 keys, stats only when known, seconds rounded', async () => {
    const report = await validate(csv('id,name\n1,a\n'));
    expect(Object.keys(report)).toEqual(['valid', 'stats', 'warnings', 'errors', 'tasks']);
    const task = report.tasks[0];
    expect(Object.keys(task ?? {}).slice(0, 8)).toEqual([
      'name',
      'type',
      'valid',
      'place',
      'labels',
      'stats',
      'warnings',
      'errors',
    ]);
    expect(task?.stats).toMatchObject({ errors: 0, warnings: 0, bytes: 12, fields: 2, rows: 1 });
    expect(String(task?.stats.seconds).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(3);
    expect(task?.summary?.fields[0]).toMatchObject({
      name: 'id',
      type: 'integer',
      nulls: 0,
      distinct: 1,
      min: '1',
      max: '1',
    });
  });

  test('zip and gzip inputs', async () => {
    const zip = await validate(
      '../shared/datasets/frictionless-fixtures/table.csv.zip'.replace(
        /^/,
        `${process.cwd().replace(/\/packages\/quality.*$/, '')}/`,
      ),
    );
    expect(zip.valid).toBe(true);
    expect(zip.tasks[0]?.place).toMatch(/table\.csv\.zip -> table\.csv$/);
  });
});

describe('validateRows', () => {
  test('streams parsed rows, then the report', async () => {
    const { validateRows } = await import('./index.ts');
    const seen: unknown[][] = [];
    let report: Report | undefined;
    for await (const item of validateRows(csv('id,n\n1,2.5\n2,x\n'), {
      schema: {
        fields: [
          { name: 'id', type: 'integer' },
          { name: 'n', type: 'number' },
        ],
      },
    })) {
      if ('row' in item) seen.push(item.row.values);
      else report = item.report;
    }
    expect(seen).toEqual([
      [1, 2.5],
      [2, null],
    ]);
    expect(report?.tasks[0]?.errors.map((e) => e.type)).toEqual(['type-error']);
  });

  test('a Data Package with a foreign key across resources', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'quipu-pkg-'));
    writeFileSync(path.join(dir, 'regions.csv'), 'code,name\n01,Amazonas\n02,Áncash\n');
    writeFileSync(path.join(dir, 'people.csv'), 'id,region\n1,01\n2,03\n3,\n');
    const pkg = {
      resources: [
        {
          name: 'regions',
          path: 'regions.csv',
          schema: { fields: [{ name: 'code' }, { name: 'name' }], primaryKey: ['code'] },
        },
        {
          name: 'people',
          path: 'people.csv',
          schema: {
            fields: [{ name: 'id', type: 'integer' }, { name: 'region' }],
            foreignKeys: [{ fields: ['region'], reference: { resource: 'regions', fields: ['code'] } }],
          },
        },
      ],
    };
    writeFileSync(path.join(dir, 'datapackage.json'), JSON.stringify(pkg));
    const report = await validate(path.join(dir, 'datapackage.json'));
    rmSync(dir, { recursive: true, force: true });
    expect(report.tasks.map((t) => t.name)).toEqual(['regions', 'people']);
    expect(keys(report)).toEqual(['foreign-key@3,-']);
    expect(report.tasks[1]?.errors[0]).toMatchObject({
      fieldNames: ['region'],
      fieldCells: ['03'],
      referenceName: 'regions',
      referenceFieldNames: ['code'],
      note: 'for "region": values "03" not found in the lookup table "regions" as "code"',
    });
  });
});

describe('foreign keys to other resources', () => {
  test('outside a package they are a resource-error, as frictionless-py says it', async () => {
    const schema: TableSchema = {
      fields: [{ name: 'id', type: 'integer' }],
      foreignKeys: [{ fields: ['id'], reference: { resource: 'other', fields: ['id'] } }],
    };
    const report = await validate(csv('id\n1\n'), { schema });
    expect(report.tasks[0]?.errors.map((e) => e.note)).toEqual([
      'package is required for foreign keys to other resources: "{fk}"',
    ]);
    expect(report.tasks[0]?.stats.fields).toBe(1);
  });
});
