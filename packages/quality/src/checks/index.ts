// Opt-in checks of frictionless-py (frictionless/checks/*): same codes, notes and moments
// (start of table, each row after the baseline errors, end of table).

import { cellError, makeError, rowError, ValidationFailure } from '../errors.ts';
import { compileFormula, Dec, ExprError, type PyValue } from '../expr.ts';
import { dateTimeKey, dateTimeOrdinal, dateTimeStr, type PyDateTime } from '../fields/datetime.ts';
import type { CompiledField } from '../fields/index.ts';
import { pyLen } from '../fields/index.ts';
import { KeyIndex } from '../key-index.ts';
import { hasNonAscii, pyFixed2, pyRepr, pyStr } from '../py.ts';
import type { RowView } from '../table.ts';
import type { CheckDescriptor, ReportError, TableSchema } from '../types.ts';

export interface Check {
  type: string;
  disabled?: boolean;
  start?: () => ReportError[];
  row?: (row: RowView) => ReportError[] | undefined;
  end?: () => ReportError[];
}

export interface CheckContext {
  fields: CompiledField[];
  schema: TableSchema;
  stats: { rows: number };
}

export const CHECK_TYPES = [
  'ascii-value',
  'deviated-cell',
  'deviated-value',
  'duplicate-row',
  'forbidden-value',
  'required-value',
  'row-constraint',
  'sequential-value',
  'table-dimensions',
  'truncated-value',
];

const fieldNumberOf = (row: RowView, name: string) => row.fields.findIndex((f) => f.name === name);

/** CellError.from_row: the cell is str() of the parsed value. */
function cellFromRow(type: string, row: RowView, note: string, fieldName: string): ReportError {
  const i = fieldNumberOf(row, fieldName);
  return cellError(type, note, row.cells, row.rowNumber, row.cellStr(i), fieldName, i + 1);
}

/** Python `==` between a parsed value and a JSON value (1 == 1.0 == True; str only with str). */
function pyEquals(value: unknown, other: unknown): boolean {
  if (value === null || value === undefined) return other === null;
  const n1 =
    typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
      ? Number(value)
      : undefined;
  const n2 =
    typeof other === 'number' || typeof other === 'boolean' || typeof other === 'bigint'
      ? Number(other)
      : undefined;
  if (n1 !== undefined && n2 !== undefined) return n1 === n2;
  if (typeof value === 'string' || typeof other === 'string') return value === other;
  return pyRepr(value) === pyRepr(other);
}

function stdev(values: ArrayLike<number>): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}
function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s / values.length;
}
function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
function mode(values: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  let best = values[0] as number;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > max) {
      max = c;
      best = v;
    }
  }
  // Python's mode returns the first value reaching the highest count.
  for (let i = 0; i < values.length; i++)
    if (counts.get(values[i] as number) === max) return values[i] as number;
  return best;
}

/** Growable column of numbers with row numbers. */
class NumberColumn {
  values = new Float64Array(1024);
  rows = new Uint32Array(1024);
  length = 0;
  push(v: number, row: number) {
    if (this.length === this.values.length) {
      const nv = new Float64Array(this.length * 2);
      nv.set(this.values);
      this.values = nv;
      const nr = new Uint32Array(this.length * 2);
      nr.set(this.rows);
      this.rows = nr;
    }
    this.values[this.length] = v;
    this.rows[this.length] = row;
    this.length++;
  }
  view(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

const TRUNCATED_INTEGERS = new Set([
  '18446744073709551616',
  '9223372036854775807',
  '4294967295',
  '2147483647',
  '2097152',
  '65535',
  '32767',
]);

/** Value seen by row-constraint formulas. */
function toPyValue(field: CompiledField, value: unknown, cell: string | undefined): PyValue {
  if (value === null || value === undefined) return null;
  if (field.type === 'number' && typeof value === 'number')
    return field.descriptor.floatNumber ? value : new Dec(value);
  if (typeof value === 'object' && value && 'kind' in value && 'year' in value) {
    const d = value as PyDateTime;
    return { kind: d.kind, key: dateTimeKey(d), ord: dateTimeOrdinal(d), str: dateTimeStr(d) };
  }
  void cell;
  return value as PyValue;
}

export function createChecks(descriptors: CheckDescriptor[], ctx: CheckContext): Check[] {
  return descriptors.map((d) => createCheck(d, ctx));
}

function fieldCheckStart(fieldName: string, ctx: CheckContext, note: string): () => ReportError[] {
  return () =>
    ctx.schema.fields.some((f) => f.name === fieldName)
      ? []
      : [makeError('check-error', note.replace('%s', fieldName))];
}

function createCheck(d: CheckDescriptor, ctx: CheckContext): Check {
  const o = d as Record<string, unknown>;
  switch (d.type) {
    case 'ascii-value':
      return {
        type: d.type,
        row: (row) => {
          let out: ReportError[] | undefined;
          row.fields.forEach((f, i) => {
            if (f.type !== 'string') return;
            const v = row.values[i];
            if (typeof v === 'string' && v && hasNonAscii(v)) {
              out ??= [];
              out.push(cellFromRow('ascii-value', row, 'the cell contains non-ascii characters', f.name));
            }
          });
          return out;
        },
      };
    case 'duplicate-row': {
      const memory = new KeyIndex();
      return {
        type: d.type,
        row: (row) => {
          let text = '';
          for (let i = 0; i < row.fields.length; i++) text += (i ? ',' : '') + row.cellStr(i);
          const match = memory.set(text, row.rowNumber);
          return match
            ? [rowError('duplicate-row', `the same as row at position "${match}"`, row.cells, row.rowNumber)]
            : undefined;
        },
      };
    }
    case 'deviated-value': {
      const fieldName = String(o.fieldName);
      const interval = typeof o.interval === 'number' ? o.interval : 3;
      const average = typeof o.average === 'string' ? o.average : 'mean';
      const fn =
        average === 'mean' ? mean : average === 'median' ? median : average === 'mode' ? mode : undefined;
      const column = new NumberColumn();
      let isInt = false;
      return {
        type: d.type,
        start: () => {
          const out: ReportError[] = [];
          const field = ctx.schema.fields.find((f) => f.name === fieldName);
          if (!field)
            out.push(makeError('check-error', `deviated value check requires field "${fieldName}" to exist`));
          else if (!['integer', 'number'].includes(field.type ?? 'string'))
            out.push(
              makeError('check-error', `deviated value check requires field "${fieldName}" to be numeric`),
            );
          else isInt = field.type === 'integer';
          if (!fn)
            out.push(
              makeError(
                'check-error',
                'deviated value check supports only average functions "mean, median, mode"',
              ),
            );
          return out;
        },
        row: (row) => {
          const i = fieldNumberOf(row, fieldName);
          const v = row.values[i];
          if (v !== null && v !== undefined) column.push(Number(v), row.rowNumber);
          return undefined;
        },
        end: () => {
          if (column.length < 2 || !fn) return [];
          const values = column.view();
          const sd = stdev(values);
          const avg = fn(values);
          const min = avg - sd * interval;
          const max = avg + sd * interval;
          const out: ReportError[] = [];
          for (let k = 0; k < column.length; k++) {
            const v = values[k] as number;
            if (!(min <= v && v <= max)) {
              const shown = isInt ? String(v) : String(v);
              out.push(
                makeError(
                  'deviated-value',
                  `value "${shown}" in row at position "${column.rows[k]}" and field "${fieldName}" is deviated "[${pyFixed2(min)}, ${pyFixed2(max)}]"`,
                ),
              );
            }
          }
          return out;
        },
      };
    }
    case 'deviated-cell': {
      const interval = typeof o.interval === 'number' ? o.interval : 3;
      const ignore = new Set(Array.isArray(o.ignoreFields) ? (o.ignoreFields as string[]) : []);
      const columns = new Map<number, NumberColumn>();
      return {
        type: d.type,
        row: (row) => {
          row.fields.forEach((f, i) => {
            if (ignore.has(f.name) || f.type !== 'string') return;
            const v = row.values[i];
            if (typeof v === 'string' && v) {
              let col = columns.get(i);
              if (!col) {
                col = new NumberColumn();
                columns.set(i, col);
              }
              col.push(pyLen(v), row.rowNumber);
            }
          });
          return undefined;
        },
        end: () => {
          const out: ReportError[] = [];
          for (const [i, col] of [...columns.entries()].sort((a, b) => a[0] - b[0])) {
            if (col.length < 2) continue;
            const sizes = col.view();
            const max = median(sizes) + stdev(sizes) * interval;
            const threshold = Math.max(5000, max);
            for (let k = 0; k < col.length; k++) {
              if ((sizes[k] as number) > threshold)
                out.push(
                  makeError(
                    'deviated-cell',
                    `cell at row "${col.rows[k]}" and field "${ctx.fields[i]?.name}" has deviated size`,
                  ),
                );
            }
          }
          return out;
        },
      };
    }
    case 'truncated-value':
      return {
        type: d.type,
        row: (row) => {
          let out: ReportError[] | undefined;
          row.fields.forEach((f, i) => {
            const v = row.values[i];
            if (v === null || v === undefined) return;
            let truncated = false;
            if (typeof v === 'string' && pyLen(v) === 255) truncated = true;
            if (
              (f.type === 'integer' || f.type === 'year') &&
              (typeof v === 'number' || typeof v === 'bigint') &&
              TRUNCATED_INTEGERS.has(String(v))
            )
              truncated = true;
            if (truncated) {
              out ??= [];
              out.push(cellFromRow('truncated-value', row, 'value  is probably truncated', f.name));
            }
          });
          return out;
        },
      };
    case 'forbidden-value': {
      const fieldName = String(o.fieldName);
      const values = Array.isArray(o.values) ? (o.values as unknown[]) : [];
      const note = `forbidden values are "${pyRepr(values)}"`;
      return {
        type: d.type,
        start: fieldCheckStart(fieldName, ctx, 'forbidden value check requires field "%s"'),
        row: (row) => {
          const i = fieldNumberOf(row, fieldName);
          const v = i < 0 ? null : row.values[i];
          return values.some((x) => pyEquals(v, x))
            ? [cellFromRow('forbidden-value', row, note, fieldName)]
            : undefined;
        },
      };
    }
    case 'sequential-value': {
      const fieldName = String(o.fieldName);
      let cursor: unknown = null;
      let exited = false;
      return {
        type: d.type,
        start: fieldCheckStart(fieldName, ctx, 'sequential value check requires field "%s"'),
        row: (row) => {
          if (exited) return undefined;
          const i = fieldNumberOf(row, fieldName);
          const cell = i < 0 ? null : row.values[i];
          const truthyCursor =
            cursor !== null && cursor !== undefined && cursor !== 0 && cursor !== '' && cursor !== false;
          cursor = truthyCursor ? cursor : cell;
          const fail = () => {
            exited = true;
            return [cellFromRow('sequential-value', row, 'the value is not sequential', fieldName)];
          };
          if (!pyEquals(cursor, cell)) return fail();
          if (typeof cursor === 'number') cursor = cursor + 1;
          else if (typeof cursor === 'bigint') cursor = cursor + 1n;
          else if (typeof cursor === 'boolean') cursor = Number(cursor) + 1;
          else return fail();
          return undefined;
        },
      };
    }
    case 'required-value': {
      const fieldName = String(o.fieldName);
      const values = Array.isArray(o.values) ? (o.values as unknown[]) : [];
      const found = new Set<number>();
      return {
        type: d.type,
        start: fieldCheckStart(fieldName, ctx, 'required value check requires field "%s" to exist'),
        row: (row) => {
          const i = fieldNumberOf(row, fieldName);
          const v = i < 0 ? null : row.values[i];
          values.forEach((x, k) => {
            if (pyEquals(v, x)) found.add(k);
          });
          return undefined;
        },
        end: () => {
          const out: ReportError[] = [];
          const seen = new Set<string>();
          values.forEach((x, k) => {
            if (found.has(k) || seen.has(pyRepr(x))) return;
            seen.add(pyRepr(x));
            out.push(
              makeError(
                'required-value',
                `The value "${pyStr(x)}" is required to be present in field "${fieldName}" in at least one row.`,
              ),
            );
          });
          return out;
        },
      };
    }
    case 'row-constraint': {
      const formula = String(o.formula ?? '');
      let evaluate: ReturnType<typeof compileFormula> | undefined;
      try {
        evaluate = compileFormula(formula);
      } catch {
        evaluate = undefined; // a syntax error fails every row, as simpleeval raises each time
      }
      const note = `the row constraint to conform is "${formula}"`;
      return {
        type: d.type,
        row: (row) => {
          let ok = false;
          if (evaluate) {
            try {
              const result = evaluate((id) => {
                const i = fieldNumberOf(row, id);
                if (i < 0) return undefined;
                return toPyValue(row.fields[i] as CompiledField, row.values[i], row.cells[i]);
              });
              ok =
                result !== null &&
                result !== false &&
                result !== 0 &&
                result !== '' &&
                !(Array.isArray(result) && result.length === 0) &&
                !(result instanceof Dec && result.v === 0);
            } catch (error) {
              if (
                !(error instanceof ExprError) &&
                !(error instanceof RangeError) &&
                !(error instanceof TypeError)
              )
                throw error;
              ok = false;
            }
          }
          return ok ? undefined : [rowError('row-constraint', note, row.cells, row.rowNumber)];
        },
      };
    }
    case 'table-dimensions': {
      const n = (k: string) => (typeof o[k] === 'number' && (o[k] as number) ? (o[k] as number) : undefined);
      // One rule for fields (at the start) and rows (at the end): required, minimum, maximum.
      const outOfBounds = (what: 'fields' | 'rows', count: number, suffix: 'Fields' | 'Rows') => {
        const out: ReportError[] = [];
        const num = n(`num${suffix}`);
        const min = n(`min${suffix}`);
        const max = n(`max${suffix}`);
        const said = (bound: string, value: number) =>
          makeError('table-dimensions', `number of ${what} is ${count}, the ${bound} is ${value}`);
        if (num && count !== num) out.push(said('required', num));
        if (min && count < min) out.push(said('minimum', min));
        if (max && count > max) out.push(said('maximum', max));
        return out;
      };
      return {
        type: d.type,
        start: () => outOfBounds('fields', ctx.schema.fields.length, 'Fields'),
        end: () => outOfBounds('rows', ctx.stats.rows, 'Rows'),
      };
    }
    default:
      throw new ValidationFailure('check-error', `check type "${d.type}" is not supported`);
  }
}
