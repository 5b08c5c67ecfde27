// unique-error: a `unique` field's value, or a v2 `uniqueKeys` tuple, seen in an earlier row
// (frictionless-py's row stream keeps the same memory; nulls and unreadable cells skipped).

import { cellError } from '../errors.ts';
import type { ReportError } from '../types.ts';
import type { CompiledField } from './check.ts';

/** Where keys are remembered: a KeyIndex, or a wrapper that also knows other byte ranges. */
export interface KeyMemory {
  /** Records `row` for the key; returns the row it was last seen at, or 0 when new. */
  set(key: string, row: number): number;
  setNumber(n: number, row: number): number;
}

export function uniqueFieldError(
  field: CompiledField,
  index: number,
  cells: string[],
  rowNumber: number,
  cell: string,
  position: string,
): ReportError {
  return cellError(
    'unique-error',
    `the same as in the row at position ${position}`,
    cells,
    rowNumber,
    cell,
    field.name,
    index + 1,
  );
}

export function uniqueKeyError(
  fields: CompiledField[],
  key: number[],
  cells: string[],
  rowNumber: number,
  cell: string,
  position: string,
): ReportError {
  const first = key[0] as number;
  return cellError(
    'unique-error',
    `the same as in the row at position ${position} for unique key "${key.map((i) => (fields[i] as CompiledField).name).join(', ')}"`,
    cells,
    rowNumber,
    cell,
    (fields[first] as CompiledField).name,
    first + 1,
  );
}
