// Per-field summary kept on each task under `summary` (a key frictionless-py does not use):
// nulls, a HyperLogLog distinct estimate (2^11 registers, ~2.3 % error, 2 KB per field),
// min/max of the parsed values, the most frequent type-error cells.

import type { CompiledField } from './fields/index.ts';
import type { FieldSummary, ReportError, TaskSummary } from './types.ts';

const HLL_BITS = 11;
const HLL_M = 1 << HLL_BITS;
const TOP_ERRORS_TRACKED = 64;

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

class FieldStats {
  nulls = 0;
  typeErrors = 0;
  registers = new Uint8Array(HLL_M);
  min: unknown = undefined;
  max: unknown = undefined;
  minOrd = Infinity;
  maxOrd = -Infinity;
  errorCells = new Map<string, number>();
  /** min/max as text, when merged from a split read (the values stayed in the worker). */
  minText: string | undefined;
  maxText: string | undefined;
  readonly field: CompiledField;
  constructor(field: CompiledField) {
    this.field = field;
  }

  /** The distinct estimate hashes the cell text (no per-cell key string); min/max use the value. */
  add(value: unknown, cell: string): void {
    const h = hash32(cell);
    const idx = h >>> (32 - HLL_BITS);
    const rest = (h << HLL_BITS) >>> 0;
    const rank = rest === 0 ? 32 - HLL_BITS + 1 : Math.clz32(rest) + 1;
    if (rank > (this.registers[idx] as number)) this.registers[idx] = rank;
    const ord = typeof value === 'number' ? value : this.field.ordinal?.(value);
    if (ord !== undefined && !Number.isNaN(ord)) {
      if (ord < this.minOrd) {
        this.minOrd = ord;
        this.min = value;
      }
      if (ord > this.maxOrd) {
        this.maxOrd = ord;
        this.max = value;
      }
    } else if (typeof value === 'string') {
      if (this.min === undefined || value < (this.min as string)) this.min = value;
      if (this.max === undefined || value > (this.max as string)) this.max = value;
    }
  }

  distinct(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < HLL_M; i++) {
      const r = this.registers[i] as number;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / HLL_M);
    let estimate = (alpha * HLL_M * HLL_M) / sum;
    if (estimate <= 2.5 * HLL_M && zeros > 0) estimate = HLL_M * Math.log(HLL_M / zeros);
    return Math.round(estimate);
  }
}

/** One field's summary as plain data (a split read's worker → the main thread). */
export interface FieldSummaryData {
  nulls: number;
  typeErrors: number;
  registers: Uint8Array;
  /** Ordered by their ordinal (numbers, dates…): the ordinals and the values' text. */
  minOrd: number;
  maxOrd: number;
  /** Strings are compared as they are; other values travel as text. */
  min: string | undefined;
  max: string | undefined;
  ordered: boolean;
  errorCells: [string, number][];
}

export class SummaryCollector {
  private stats: FieldStats[];
  /**
   * `tracked`: distinct type-error cells counted per field. A chunk of a split read counts
   * more than are shown, so that the merged counts stay exact for the cells shown.
   */
  private readonly tracked: number;
  constructor(fields: CompiledField[], tracked = TOP_ERRORS_TRACKED) {
    this.tracked = tracked;
    this.stats = fields.map((f) => new FieldStats(f));
  }

  export(): FieldSummaryData[] {
    return this.stats.map((s) => {
      const ordered = s.minOrd !== Infinity;
      const text = (v: unknown) => (v === undefined ? undefined : ordered ? s.field.str(v) : (v as string));
      return {
        nulls: s.nulls,
        typeErrors: s.typeErrors,
        registers: s.registers,
        minOrd: s.minOrd,
        maxOrd: s.maxOrd,
        min: text(s.min),
        max: text(s.max),
        ordered,
        errorCells: [...s.errorCells.entries()],
      };
    });
  }

  /** Adds the summary of the rows that follow (merged in row order, as one pass would count). */
  merge(data: FieldSummaryData[]): void {
    data.forEach((d, i) => {
      const s = this.stats[i];
      if (!s) return;
      s.nulls += d.nulls;
      s.typeErrors += d.typeErrors;
      for (let k = 0; k < HLL_M; k++)
        if ((d.registers[k] as number) > (s.registers[k] as number))
          s.registers[k] = d.registers[k] as number;
      if (d.ordered) {
        if (d.minOrd < s.minOrd) {
          s.minOrd = d.minOrd;
          s.min = d.min;
          s.minText = d.min;
        }
        if (d.maxOrd > s.maxOrd) {
          s.maxOrd = d.maxOrd;
          s.max = d.max;
          s.maxText = d.max;
        }
      } else {
        if (d.min !== undefined && (s.min === undefined || d.min < (s.min as string))) s.min = d.min;
        if (d.max !== undefined && (s.max === undefined || d.max > (s.max as string))) s.max = d.max;
      }
      for (const [cell, count] of d.errorCells) {
        const n = s.errorCells.get(cell);
        if (n !== undefined) s.errorCells.set(cell, n + count);
        else if (s.errorCells.size < this.tracked) s.errorCells.set(cell, count);
      }
    });
  }

  typeError(index: number, cell: string): void {
    const s = this.stats[index];
    if (!s) return;
    s.typeErrors++;
    const n = s.errorCells.get(cell);
    if (n !== undefined) s.errorCells.set(cell, n + 1);
    else if (s.errorCells.size < this.tracked) s.errorCells.set(cell, 1);
  }

  row(values: unknown[], typeFailed: boolean[], cells: string[]): void {
    const stats = this.stats;
    for (let i = 0; i < stats.length; i++) {
      const v = values[i];
      const s = stats[i] as FieldStats;
      if (v === null || v === undefined) {
        if (!typeFailed[i]) s.nulls++;
      } else s.add(v, cells[i] as string);
    }
  }

  result(extra: { encoding: string; dialect: TaskSummary['dialect']; errors: ReportError[] }): TaskSummary {
    const errorCounts: Record<string, number> = {};
    for (const e of extra.errors) errorCounts[e.type] = (errorCounts[e.type] ?? 0) + 1;
    const fields: FieldSummary[] = this.stats.map((s) => {
      const out: FieldSummary = {
        name: s.field.name,
        type: s.field.type,
        nulls: s.nulls,
        distinct: s.distinct(),
        typeErrors: s.typeErrors,
        topTypeErrors: [...s.errorCells.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([cell, count]) => ({ cell, count })),
      };
      if (s.min !== undefined) out.min = s.min === s.minText ? s.minText : s.field.str(s.min);
      if (s.max !== undefined) out.max = s.max === s.maxText ? s.maxText : s.field.str(s.max);
      return out;
    });
    const summary: TaskSummary = { encoding: extra.encoding, fields, errorCounts };
    if (extra.dialect) summary.dialect = extra.dialect;
    return summary;
  }
}
