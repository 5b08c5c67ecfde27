// What every check is made of (frictionless-py's Check: validate_start, validate_row,
// validate_end), and the row as checks see it. Both the table loop and the checks import
// these types from here, so neither imports the other.

import { cellError, makeError } from '../errors.ts';
import type { CompiledField } from '../fields/index.ts';
import { pyRepr } from '../py.ts';
import type { CheckDescriptor, ReportError, TableSchema } from '../types.ts';

export type { CompiledField };

export interface RowView {
  rowNumber: number;
  cells: string[];
  /** Parsed values by field position (null when missing or unreadable). */
  values: unknown[];
  fields: CompiledField[];
  /** Python str() of a parsed value, as frictionless-py's CellError.from_row uses it. */
  cellStr: (fieldIndex: number) => string;
}

export interface Check {
  type: string;
  disabled?: boolean;
  /**
   * The row hook keeps nothing from one row to the next (or there is none), so a file split
   * into byte ranges can run it in each range's worker; checks without it run single-threaded.
   */
  split?: boolean;
  start?: () => ReportError[];
  row?: (row: RowView) => ReportError[] | undefined;
  end?: () => ReportError[];
}

export interface CheckContext {
  fields: CompiledField[];
  schema: TableSchema;
  stats: { rows: number };
}

export type CheckFactory = (descriptor: CheckDescriptor, ctx: CheckContext) => Check;

/** The descriptor's own options (camelCase, as given). */
export const optionsOf = (d: CheckDescriptor) => d as Record<string, unknown>;

export const fieldNumberOf = (row: RowView, name: string) => row.fields.findIndex((f) => f.name === name);

/** CellError.from_row: the cell is str() of the parsed value. */
export function cellFromRow(type: string, row: RowView, note: string, fieldName: string): ReportError {
  const i = fieldNumberOf(row, fieldName);
  return cellError(type, note, row.cells, row.rowNumber, row.cellStr(i), fieldName, i + 1);
}

/** Python `==` between a parsed value and a JSON value (1 == 1.0 == True; str only with str). */
export function pyEquals(value: unknown, other: unknown): boolean {
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

/** validate_start of the checks that name a field: a check-error when the schema lacks it. */
export function fieldCheckStart(fieldName: string, ctx: CheckContext, note: string): () => ReportError[] {
  return () =>
    ctx.schema.fields.some((f) => f.name === fieldName)
      ? []
      : [makeError('check-error', note.replace('%s', fieldName))];
}
