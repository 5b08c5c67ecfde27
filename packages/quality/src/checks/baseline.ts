// The baseline check (frictionless/checks/baseline.py) and the key constraints of
// frictionless-py's row stream, for one row at a time: type-error, constraint-error,
// extra-cell, missing-cell, blank-row, then unique-error, primary-key and foreign-key; and
// hash-count / byte-count at the end of the table.

import { cellError, makeError, rowError } from '../errors.ts';
import { FAIL, numberCellStr, readFieldCell } from '../fields/index.ts';
import { KeyIndex } from '../key-index.ts';
import type { ReportError, TableSchema } from '../types.ts';
import type { CompiledField, RowView } from './check.ts';
import { type ForeignLookup, foreignKeyError, foreignKeysOf } from './foreign-key.ts';
import { primaryKeyError, primaryKeyNullError } from './primary-key.ts';
import { type KeyMemory, uniqueFieldError, uniqueKeyError } from './unique.ts';

export interface RowReaderOptions {
  fields: CompiledField[];
  schema: TableSchema;
  lookup?: ForeignLookup | undefined;
  /** Rows expected in the table: the key indexes are sized once for them. */
  expectedRows: number;
  /** Called for each type error (the summary's top errors). */
  onTypeError?: ((fieldIndex: number, cell: string) => void) | undefined;
  /**
   * The memory of key constraint `slot` (unique fields in order, then the primary key, then
   * the unique keys); a KeyIndex unless a split read keeps its own.
   */
  memory?: ((slot: number, expectedRows: number) => KeyMemory) | undefined;
  /** How a matched row appears in notes (a split read writes a placeholder for its offset). */
  position?: ((row: number) => string) | undefined;
}

export interface RowReader {
  /** The row as checks see it (values filled by read()). */
  view: RowView;
  values: unknown[];
  typeFailed: boolean[];
  /** Number of key constraints (the slots passed to `memory`). */
  keySlots: number;
  /** The row's baseline and key errors, in frictionless-py's order (the array is reused). */
  read(cells: string[], rowNumber: number): ReportError[];
}

/** Lengths of missing values told apart; longer ones share the last flag. */
const MISSING_LENGTHS = 64;

export function createRowReader(o: RowReaderOptions): RowReader {
  const { fields, schema } = o;
  const fieldCount = fields.length;
  const position = o.position ?? String;
  // The default missing values [""]: a length test instead of a Set lookup.
  const onlyEmptyMissing = fields.map((f) => f.missing.size === 1 && f.missing.has(''));
  // Other missing values: the Set is asked only for cells of a missing value's length (a
  // lookup hashes the whole cell; most cells have another length).
  const missingLengths = fields.map((f) => {
    const lengths = new Uint8Array(MISSING_LENGTHS + 1);
    for (const m of f.missing) lengths[Math.min(m.length, MISSING_LENGTHS)] = 1;
    return lengths;
  });
  const isMissing = (i: number, cell: string) =>
    onlyEmptyMissing[i]
      ? cell.length === 0
      : (missingLengths[i] as Uint8Array)[Math.min(cell.length, MISSING_LENGTHS)] === 1 &&
        (fields[i] as CompiledField).missing.has(cell);

  const indexOf = new Map<string, number>();
  fields.forEach((f, i) => {
    indexOf.set(f.name, i);
  });
  const primaryKey =
    schema.primaryKey === undefined
      ? []
      : Array.isArray(schema.primaryKey)
        ? schema.primaryKey
        : [schema.primaryKey];
  const pkIndexes = primaryKey.map((n) => indexOf.get(n) ?? -1);
  const hasPk = primaryKey.length > 0 && pkIndexes.every((i) => i >= 0);
  const uniqueIdx: number[] = [];
  fields.forEach((f, i) => {
    if (f.unique) uniqueIdx.push(i);
  });
  const uniqueKeys = (Array.isArray(schema.uniqueKeys) ? schema.uniqueKeys : [])
    .map((k) => (Array.isArray(k) ? k : [k]).map((n) => indexOf.get(String(n)) ?? -1))
    .filter((k) => k.length && k.every((i) => i >= 0));
  const memoryOf = o.memory ?? ((_slot: number, expected: number) => new KeyIndex(expected));
  const uniqueMemory = uniqueIdx.map((_i, k) => memoryOf(k, o.expectedRows));
  const pkMemory = memoryOf(uniqueIdx.length, hasPk ? o.expectedRows : 16);
  const uniqueKeysMemory = uniqueKeys.map((_k, k) => memoryOf(uniqueIdx.length + 1 + k, 1024));
  const fkGroups = foreignKeysOf(schema, indexOf, o.lookup);
  const integrityOrder: number[] = [];
  {
    const add = (i: number) => {
      if (!integrityOrder.includes(i)) integrityOrder.push(i);
    };
    uniqueIdx.forEach(add);
    if (hasPk) pkIndexes.forEach(add);
    for (const g of fkGroups) g.target.forEach(add);
    for (const k of uniqueKeys) k.forEach(add);
  }
  const hasIntegrity = uniqueIdx.length > 0 || hasPk || fkGroups.length > 0 || uniqueKeys.length > 0;

  const values: unknown[] = new Array(fieldCount).fill(null);
  const typeFailed: boolean[] = new Array(fieldCount).fill(false);
  const processed: boolean[] = new Array(fieldCount).fill(false);
  const rowErrors: ReportError[] = [];
  const integrityErrors: ReportError[] = [];
  let blankCount = 0;
  let currentCells: string[] = [];
  let currentRow = 0;
  let finished = false;
  const cellStr = (i: number): string => {
    const v = values[i];
    if (v === null || v === undefined) return 'None';
    const f = fields[i] as CompiledField;
    if (f.type === 'number' && typeof v === 'number') return numberCellStr(f, currentCells[i] as string);
    return f.str(v);
  };
  const view: RowView = { rowNumber: 0, cells: currentCells, values, fields, cellStr };
  const onTypeError = o.onTypeError;

  const processField = (i: number) => {
    processed[i] = true;
    const f = fields[i] as CompiledField;
    const cell = currentCells[i];
    let value: unknown = null;
    typeFailed[i] = false;
    if (cell !== undefined && !isMissing(i, cell)) {
      value = f.read(cell);
      if (value === FAIL) {
        value = null;
        typeFailed[i] = true;
        rowErrors.push(cellError('type-error', f.typeNote, currentCells, currentRow, cell, f.name, i + 1));
        onTypeError?.(i, cell);
        values[i] = null;
        return;
      }
    }
    values[i] = value;
    if (value === null) {
      blankCount++;
      if (f.required)
        rowErrors.push(
          cellError(
            'constraint-error',
            f.requiredNote,
            currentCells,
            currentRow,
            cell === undefined ? 'None' : cell,
            f.name,
            i + 1,
          ),
        );
      return;
    }
    const checksOf = f.checks;
    for (let k = 0; k < checksOf.length; k++) {
      const c = checksOf[k] as (typeof checksOf)[number];
      if (!c.test(value))
        rowErrors.push(
          cellError('constraint-error', c.note, currentCells, currentRow, cell as string, f.name, i + 1),
        );
    }
    if (f.arrayItem && Array.isArray(value)) {
      // array items: delegate to the slow, exact reader
      const out = readFieldCell(f, cell);
      values[i] = out.value;
      if (out.typeNote)
        rowErrors.push(
          cellError('type-error', out.typeNote, currentCells, currentRow, cell as string, f.name, i + 1),
        );
      for (const note of out.notes)
        if (!f.checks.some((c) => c.note === note))
          rowErrors.push(
            cellError('constraint-error', note, currentCells, currentRow, cell as string, f.name, i + 1),
          );
    }
  };
  const finishRow = () => {
    for (let i = 0; i < fieldCount; i++) if (!processed[i]) processField(i);
    const n = currentCells.length;
    if (n > fieldCount) {
      for (let j = fieldCount; j < n; j++)
        rowErrors.push(
          cellError('extra-cell', '', currentCells, currentRow, currentCells[j] as string, '', j + 1),
        );
    } else if (n < fieldCount) {
      for (let j = n; j < fieldCount; j++)
        rowErrors.push(
          cellError(
            'missing-cell',
            '',
            currentCells,
            currentRow,
            '',
            (fields[j] as CompiledField).name,
            j + 1,
          ),
        );
    }
    if (blankCount === fieldCount) {
      rowErrors.length = 0;
      rowErrors.push(rowError('blank-row', '', currentCells, currentRow));
    }
  };
  const keyOf = (idx: number[]) => {
    let k = '';
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j] as number;
      const v = values[i];
      k += v === null ? '\u0000' : (fields[i] as CompiledField).key(v);
      k += '\u0001';
    }
    return k;
  };
  // Reading every remaining cell before a key error is appended (frictionless-py's
  // row.errors access processes the whole row at that moment).
  const complete = () => {
    if (!finished) {
      finishRow();
      finished = true;
    }
  };

  const readKeys = (cells: string[], rowNumber: number) => {
    processed.fill(false);
    integrityErrors.length = 0;
    let u = 0;
    // unique fields are read first, one at a time
    for (const i of integrityOrder) {
      if (!processed[i]) processField(i);
      if (u < uniqueIdx.length && uniqueIdx[u] === i) {
        const v = values[i];
        if (v !== null) {
          const memory = uniqueMemory[u] as KeyMemory;
          const match =
            typeof v === 'number'
              ? memory.setNumber(v, rowNumber)
              : memory.set((fields[i] as CompiledField).key(v), rowNumber);
          if (match) {
            complete();
            integrityErrors.push(
              uniqueFieldError(fields[i] as CompiledField, i, cells, rowNumber, cellStr(i), position(match)),
            );
          }
        }
        u++;
      }
    }
    if (hasPk) {
      if (pkIndexes.every((i) => values[i] === null)) {
        complete();
        integrityErrors.push(primaryKeyNullError(cells, rowNumber));
      } else {
        const match = pkMemory.set(keyOf(pkIndexes), rowNumber);
        if (match) {
          complete();
          integrityErrors.push(primaryKeyError(cells, rowNumber, position(match)));
        }
      }
    }
    for (const g of fkGroups) {
      if (g.target.every((i) => values[i] === null)) continue;
      if (!g.keys.has(keyOf(g.target))) {
        complete();
        integrityErrors.push(
          foreignKeyError(
            g,
            cells,
            rowNumber,
            g.target.map((i) => cellStr(i)),
          ),
        );
      }
    }
    uniqueKeys.forEach((idx, k) => {
      if (idx.some((i) => values[i] === null)) return;
      const match = (uniqueKeysMemory[k] as KeyMemory).set(keyOf(idx), rowNumber);
      if (match) {
        complete();
        integrityErrors.push(
          uniqueKeyError(fields, idx, cells, rowNumber, cellStr(idx[0] as number), position(match)),
        );
      }
    });
    complete();
    for (const e of integrityErrors) rowErrors.push(e);
  };

  return {
    view,
    values,
    typeFailed,
    keySlots: uniqueIdx.length + 1 + uniqueKeys.length,
    read(cells, rowNumber) {
      currentCells = cells;
      currentRow = rowNumber;
      view.cells = cells;
      view.rowNumber = rowNumber;
      rowErrors.length = 0;
      blankCount = 0;
      finished = false;
      if (!hasIntegrity) {
        for (let i = 0; i < fieldCount; i++) processField(i);
        if (cells.length !== fieldCount || blankCount === fieldCount) {
          for (let i = 0; i < fieldCount; i++) processed[i] = true;
          finishRow();
        }
      } else readKeys(cells, rowNumber);
      return rowErrors;
    },
  };
}

/** The end-of-table baseline errors: the declared hash and byte count against what was read. */
export function baselineEnd(
  declared: {
    hashAlgorithm?: string | undefined;
    hashExpected?: string | undefined;
    bytes?: number | undefined;
  },
  read: { md5?: string | undefined; sha256?: string | undefined; bytes: number },
): ReportError[] {
  const out: ReportError[] = [];
  if (declared.hashAlgorithm && declared.hashExpected) {
    const actual = declared.hashAlgorithm === 'md5' ? read.md5 : read.sha256;
    if (actual && actual !== declared.hashExpected)
      out.push(makeError('hash-count', `expected is "${declared.hashExpected}" and actual is "${actual}"`));
  }
  if (declared.bytes && declared.bytes !== read.bytes)
    out.push(makeError('byte-count', `expected is "${declared.bytes}" and actual is "${read.bytes}"`));
  return out;
}
