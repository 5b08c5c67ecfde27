import { describe, expect, test } from 'vitest';
import { compileFormula, Dec, ExprError } from '../expr.ts';
import { validate } from '../index.ts';
import type { CheckDescriptor, Report, TableSchema } from '../types.ts';

const keys = (r: Report) =>
  r.tasks.flatMap((t) => t.errors.map((e) => `${e.type}@${e.rowNumber ?? '-'},${e.fieldNumber ?? '-'}`));
const csv = (data: string) => ({ data, name: 'table.csv' });
const run = (data: string, checks: CheckDescriptor[], schema?: TableSchema) =>
  validate(csv(data), schema ? { checks, schema } : { checks });

describe('opt-in checks', () => {
  test('duplicate-row hashes the parsed row', async () => {
    const r = await run('id,name\n1,a\n2,b\n1,a\n01,a\n', [{ type: 'duplicate-row' }]);
    expect(keys(r)).toEqual(['duplicate-row@4,-', 'duplicate-row@5,-']);
    expect(r.tasks[0]?.errors[1]?.message).toBe(
      'Row at position 5 is duplicated: the same as row at position "4"',
    );
  });

  test('deviated-value with mean, and a check-error for a non-numeric field', async () => {
    const rows = Array.from({ length: 30 }, () => '10').concat(['1000']);
    const r = await run(`v\n${rows.join('\n')}\n`, [{ type: 'deviated-value', fieldName: 'v' }]);
    expect(keys(r)).toEqual(['deviated-value@-,-']);
    expect(r.tasks[0]?.errors[0]?.note).toMatch(
      /^value "1000" in row at position "32" and field "v" is deviated "\[/,
    );
    const bad = await run('v\na\n', [{ type: 'deviated-value', fieldName: 'v' }]);
    expect(bad.tasks[0]?.errors.map((e) => e.note)).toEqual([
      'deviated value check requires field "v" to be numeric',
    ]);
  });

  test('deviated-cell', async () => {
    const rows = Array.from({ length: 10 }, () => 'short').concat(['x'.repeat(6000)]);
    const r = await run(`v\n${rows.join('\n')}\n`, [{ type: 'deviated-cell' }]);
    expect(r.tasks[0]?.errors.map((e) => e.note)).toEqual([
      'cell at row "12" and field "v" has deviated size',
    ]);
  });

  test('truncated-value', async () => {
    const r = await run(`s,n\n${'a'.repeat(255)},1\nb,32767\n`, [{ type: 'truncated-value' }]);
    expect(keys(r)).toEqual(['truncated-value@2,1', 'truncated-value@3,2']);
  });

  test('forbidden-value compares parsed values', async () => {
    const r = await run('id\n1\n2\n3\n', [{ type: 'forbidden-value', fieldName: 'id', values: [2] }]);
    expect(keys(r)).toEqual(['forbidden-value@3,1']);
    expect(r.tasks[0]?.errors[0]?.note).toBe('forbidden values are "[2]"');
  });

  test('sequential-value reports the first break only', async () => {
    const r = await run('id\n1\n2\n4\n5\n7\n', [{ type: 'sequential-value', fieldName: 'id' }]);
    expect(keys(r)).toEqual(['sequential-value@4,1']);
  });

  test('required-value at the end', async () => {
    const r = await run('id\n1\n2\n', [{ type: 'required-value', fieldName: 'id', values: [2, 3] }]);
    expect(r.tasks[0]?.errors.map((e) => e.note)).toEqual([
      'The value "3" is required to be present in field "id" in at least one row.',
    ]);
  });

  test('row-constraint', async () => {
    const r = await run('a,b\n1,2\n3,2\n,1\n', [{ type: 'row-constraint', formula: 'a < b' }]);
    expect(keys(r)).toEqual(['row-constraint@3,-', 'row-constraint@4,-']); // None < 1 raises in Python
    expect(r.tasks[0]?.errors[0]?.note).toBe('the row constraint to conform is "a < b"');
  });

  test('table-dimensions at start and end', async () => {
    const r = await run('a,b\n1,2\n', [{ type: 'table-dimensions', numFields: 3, minRows: 2 }]);
    expect(r.tasks[0]?.errors.map((e) => e.note)).toEqual([
      'number of fields is 2, the required is 3',
      'number of rows is 1, the minimum is 2',
    ]);
  });

  test('ascii-value', async () => {
    const r = await run('s\nabc\nañ\n', [{ type: 'ascii-value' }]);
    expect(keys(r)).toEqual(['ascii-value@3,1']);
  });

  test('checks run after the baseline errors of each row, in the order given', async () => {
    const r = await run(
      'a\nx\nx\n',
      [{ type: 'duplicate-row' }, { type: 'row-constraint', formula: 'a > 0' }],
      {
        fields: [{ name: 'a', type: 'integer' }],
      },
    );
    expect(keys(r)).toEqual([
      'type-error@2,1',
      'row-constraint@2,-',
      'type-error@3,1',
      'duplicate-row@3,-',
      'row-constraint@3,-',
    ]);
  });

  test('an unknown check is a check-error', async () => {
    const r = await run('a\n1\n', [{ type: 'no-such-check' }]);
    expect(r.tasks[0]?.errors.map((e) => e.type)).toEqual(['check-error']);
  });
});

describe('formula evaluator (simpleeval subset, no eval)', () => {
  const evaluate = (src: string, names: Record<string, unknown> = {}) =>
    compileFormula(src)((id) => (Object.hasOwn(names, id) ? (names[id] as never) : undefined));

  test('arithmetic, comparisons, boolean logic, ternary', () => {
    expect(evaluate('1 + 2 * 3 ** 2')).toBe(19);
    expect(evaluate('7 // 2 == 3 and 7 % 3 == 1')).toBe(true);
    expect(evaluate('-7 // 2')).toBe(-4);
    expect(evaluate('1 < x <= 3', { x: 3 })).toBe(true);
    expect(evaluate('"a" if x else "b"', { x: 0 })).toBe('b');
    expect(evaluate('x in ["a", "b"] and not y', { x: 'a', y: false })).toBe(true);
    expect(evaluate('str(1) + "x"')).toBe('1x');
  });

  test('Python errors: undefined names, None comparisons, Decimal and float mixing', () => {
    expect(() => evaluate('z > 1')).toThrow(ExprError);
    expect(() => evaluate('x > 1', { x: null })).toThrow(ExprError);
    expect(() => evaluate('x * 1.5', { x: new Dec(2) })).toThrow(ExprError);
    expect(evaluate('x * 2', { x: new Dec(2) })).toEqual(new Dec(4));
  });

  test('nothing reaches the host: no attributes, no globals, no constructors', () => {
    expect(() => evaluate('constructor')).toThrow(ExprError);
    expect(() => evaluate('x.constructor', { x: 1 })).toThrow(ExprError);
    expect(() => evaluate('__import__("os")')).toThrow(ExprError);
    expect(() => evaluate('process')).toThrow(ExprError);
    expect(() => evaluate('"a" * 10000000')).toThrow(ExprError);
    expect(() => evaluate('constructor("x")')).toThrow(ExprError);
    expect(() => evaluate('__proto__')).toThrow(ExprError);
  });
});
