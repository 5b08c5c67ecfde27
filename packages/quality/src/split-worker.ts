// A worker of a split read (./split.ts): validates byte ranges of one table that start at a
// record boundary, with the same row reader and checks as a single-threaded pass. Row numbers
// are counted from the range's start; the main thread adds the rows before it. A local file's
// range is read here from the file; until the main thread has merged a range, its record
// offsets and key matches are kept, to read again the rows whose keys an earlier range holds.

import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { Options as CsvOptions } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { createRowReader, type RowReader } from './checks/baseline.ts';
import type { ForeignLookup } from './checks/foreign-key.ts';
import { type Check, createChecks } from './checks/index.ts';
import type { KeyMemory } from './checks/unique.ts';
import { makeErrorFilter } from './errors.ts';
import { compileField } from './fields/index.ts';
import { KeyIndex, type KeyIndexData } from './key-index.ts';
import { type FieldSummaryData, SummaryCollector } from './summary.ts';
import { csvParser, hasC1, pythonCsvRecords, remapCp1252 } from './text-source.ts';
import type { CheckDescriptor, FieldDescriptor, ReportError, TableSchema } from './types.ts';

/** What every range of one table shares (sent once to each worker). */
export interface SplitConfig {
  fields: FieldDescriptor[];
  schema: TableSchema;
  csv: CsvOptions;
  dialect: {
    delimiter: string;
    quoteChar: string;
    escapeChar?: string | undefined;
    doubleQuote: boolean;
    skipInitialSpace: boolean;
    commentChar?: string | undefined;
    skipBlankRows: boolean;
  };
  cp1252: boolean;
  checks: CheckDescriptor[];
  pickErrors?: string[] | undefined;
  skipErrors?: string[] | undefined;
  summary: boolean;
  lookup?: ForeignLookup | undefined;
  bytesPerRow: number;
}

export interface ChunkJob {
  config: number;
  chunk: number;
  /** The range's bytes (a stream), or where the worker reads them itself (a local file). */
  bytes?: Uint8Array | undefined;
  file?: { path: string; start: number; length: number } | undefined;
  /** The range ends the data: an unclosed quote is read the way Python's csv does. */
  last: boolean;
  /** The range stops before an encoding error: the record left open at its end is dropped. */
  cut: boolean;
  rowLimit?: number | undefined;
  errorLimit?: number | undefined;
  /** Keys first seen here that an earlier range holds: [slot, row here, row there]. */
  repeats: [number, number, number][];
}

/** Rows of a range already validated, read again knowing their keys' earlier rows. */
export interface FixJob {
  chunk: number;
  repeats: [number, number, number][];
  /** A stream's range bytes again (a local file's rows are read from the file). */
  bytes?: Uint8Array | undefined;
}

export interface FixResult {
  chunk: number;
  /** Each row's errors, as a single pass gives them (replacing what the range reported). */
  rows: { row: number; errors: ReportError[] }[];
}

export interface ChunkResult {
  chunk: number;
  records: number;
  rows: number;
  errors: ReportError[];
  /** Stopped by a limit: which, and the byte after the last record read. */
  stop?: { by: 'rows' | 'errors'; end: number } | undefined;
  /** A parser failure ended the read here (a record over the size limit). */
  failure?: { code?: string | undefined; message: string } | undefined;
  /** The range ended inside a quoted field: its end was not a record boundary. */
  misaligned: boolean;
  keys: KeyIndexData[];
  summary?: FieldSummaryData[] | undefined;
}

/** A note's row number counted from the range's start (the main thread rewrites it). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL cannot occur in a note, so it marks the row to rewrite
export const LOCAL_ROW = /\u0000(\d+)\u0000/g;

/** Thrown from the record callback once a limit is reached: the parse of the range stops there. */
const STOPPED = Symbol('stopped');

interface Compiled {
  config: SplitConfig;
  fields: ReturnType<typeof compileField>[];
  accept: (type: string) => boolean;
  /** Reads single rows again (fix jobs); its key memory answers from `replay`. */
  replayReader?: RowReader | undefined;
  replay: (slot: number, row: number) => number;
  replayChecks?: Check[] | undefined;
}

/**
 * A range validated and not yet merged by the main thread: what it takes to read again alone
 * the rows whose keys an earlier range holds (a fix job), instead of the whole range. Not its
 * bytes: a fix job brings a stream's, a local file's rows are read from the file.
 */
interface Held {
  compiled: Compiled;
  file?: ChunkJob['file'];
  remap: boolean;
  /** End offset of each record (record n ends at ends[n - 1]). */
  ends: Uint32Array;
  /** Key matches the first read found, by `row * slots + slot` (only non-zero ones). */
  matches: Map<number, number>;
  slots: number;
  /** Records read by Python's rules at the end (an unclosed quote), by row. */
  tail: Map<number, string[]>;
}

const configs = new Map<number, Compiled>();

/**
 * Key tables the main thread sent back once it had merged them: reused for the next ranges'
 * indexes, so that a long file does not leave a range's tables behind as garbage each time
 * (external memory, collected late: tens of MB at the peak on a 1 GB file).
 */
const pool: ArrayBuffer[] = [];
const POOL_SIZE = 32;
function fromPool(length: number): Uint32Array<ArrayBuffer> {
  const i = pool.findIndex((b) => b.byteLength >= length * 4);
  if (i === -1) return new Uint32Array(length);
  const table = new Uint32Array(pool.splice(i, 1)[0] as ArrayBuffer, 0, length);
  table.fill(0);
  return table;
}
const held = new Map<number, Held>();

/**
 * One buffer for a local file's ranges, reused: a range is validated synchronously and the
 * cells are copies, so nothing refers to it afterwards (no range-sized garbage per range).
 */
let scratch = Buffer.allocUnsafe(0);

function fileBytes(path: string, start: number, length: number, into?: Buffer): Buffer {
  let bytes = into ?? Buffer.allocUnsafe(length);
  if (bytes.length < length) bytes = Buffer.allocUnsafe(length);
  const fd = openSync(path, 'r');
  try {
    let at = 0;
    while (at < length) {
      const n = readSync(fd, bytes, at, length - at, start + at);
      if (n === 0) break;
      at += n;
    }
    return bytes.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

function rangeBytes(job: ChunkJob): Buffer {
  if (job.bytes) return Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.length);
  const { path, start, length } = job.file as NonNullable<ChunkJob['file']>;
  if (scratch.length < length) scratch = Buffer.allocUnsafe(length);
  return fileBytes(path, start, length, scratch);
}

function runChunk(c: Compiled, job: ChunkJob): ChunkResult {
  const { config } = c;
  const bytes = rangeBytes(job);
  const expected = Math.ceil((bytes.length / config.bytesPerRow) * 1.05) + 16;
  const repeats = new Map<number, Map<number, number>>();
  for (const [slot, row, seenAt] of job.repeats) {
    let m = repeats.get(slot);
    if (!m) {
      m = new Map();
      repeats.set(slot, m);
    }
    m.set(row, seenAt);
  }
  const indexes: KeyIndex[] = [];
  const matches = new Map<number, number>();
  let slots = 1;
  // A key seen earlier in this range gives its row here (rewritten by the main thread); one
  // first seen here but held by an earlier range gives that range's row, negated.
  const memory = (slot: number, n: number): KeyMemory => {
    const index = new KeyIndex(Math.min(n, expected), true, fromPool);
    indexes[slot] = index;
    const known = repeats.get(slot);
    const note = (row: number, match: number) => {
      if (match) matches.set(row * slots + slot, match);
      return match;
    };
    if (!known)
      return {
        set: (key, row) => note(row, index.set(key, row)),
        setNumber: (v, row) => note(row, index.setNumber(v, row)),
      };
    return {
      set: (key, row) => note(row, index.set(key, row) || -(known.get(row) ?? 0)),
      setNumber: (v, row) => note(row, index.setNumber(v, row) || -(known.get(row) ?? 0)),
    };
  };
  const summary = config.summary ? new SummaryCollector(c.fields, 4096) : undefined;
  const reader = createRowReader({
    fields: c.fields,
    schema: config.schema,
    lookup: config.lookup,
    expectedRows: expected,
    onTypeError: summary ? (i, cell) => summary.typeError(i, cell) : undefined,
    memory,
    position,
  });
  slots = reader.keySlots;
  const stats = { rows: 0 };
  const checks: Check[] = createChecks(config.checks, { fields: c.fields, schema: config.schema, stats });
  const errors: ReportError[] = [];
  const { dialect } = config;
  const remap = config.cp1252 && hasC1(bytes);

  let ends = new Uint32Array(Math.max(16, expected));
  let recordCount = 0;
  let lastEnd = 0;
  let stop: ChunkResult['stop'];
  const tail = new Map<number, string[]>();
  const row = (cells: string[], end: number) => {
    if (stop) return;
    lastEnd = end;
    const rowNumber = ++recordCount;
    if (rowNumber > ends.length) {
      const grown = new Uint32Array(ends.length * 2);
      grown.set(ends);
      ends = grown;
    }
    ends[rowNumber - 1] = end;
    if (
      dialect.commentChar !== undefined &&
      cells.length > 0 &&
      (cells[0] as string).startsWith(dialect.commentChar)
    )
      return;
    if (dialect.skipBlankRows && cells.every((x) => x === '')) return;
    stats.rows++;
    validateRow(c, reader, checks, cells, rowNumber, errors);
    summary?.row(reader.values, reader.typeFailed, cells);
    if (job.rowLimit && stats.rows >= job.rowLimit) stop = { by: 'rows', end: lastEnd };
    else if (job.errorLimit && errors.length >= job.errorLimit) {
      errors.length = job.errorLimit;
      stop = { by: 'errors', end: lastEnd };
    }
  };

  const api = csvParser(config.csv);
  const push = (record: string[]) => {
    if (stop) throw STOPPED;
    if (remap) for (let k = 0; k < record.length; k++) record[k] = remapCp1252(record[k] as string);
    row(record.length === 1 && record[0] === '' ? [] : record, api.info.bytes);
  };
  const close = () => {};
  let failure = undefined as { code?: string | undefined; message: string } | undefined;
  const fail = (error: { code?: string; message?: string } | undefined) => {
    if (error) failure = { code: error.code, message: error.message ?? String(error) };
  };
  // the range in one call: given in pieces, csv-parse copies each piece joined to the record
  // left open before it
  try {
    fail(api.parse(bytes, false, push, close));
  } catch (error) {
    if (error !== STOPPED) throw error;
  }
  let misaligned = false;
  if (!stop && !failure && !job.cut) {
    fail(api.parse(undefined, true, push, close));
    if ((failure as { code?: string } | undefined)?.code === 'CSV_QUOTE_NOT_CLOSED') {
      failure = undefined;
      if (job.last) {
        // the unclosed record starts where the last complete one ended
        const text = bytes.subarray(lastEnd).toString(config.csv.encoding === 'latin1' ? 'latin1' : 'utf8');
        for (const record of pythonCsvRecords(text, dialect)) {
          tail.set(recordCount + 1, record);
          row(record, bytes.length);
        }
      } else misaligned = true;
    }
  }
  if (!misaligned) held.set(job.chunk, { compiled: c, file: job.file, remap, ends, matches, slots, tail });
  return {
    chunk: job.chunk,
    records: recordCount,
    rows: stats.rows,
    errors,
    stop,
    failure,
    misaligned,
    keys: indexes.map((i) => i.export()),
    summary: summary?.export(),
  };
}

const position = (row: number) => (row < 0 ? String(-row) : `\u0000${row}\u0000`);

/** One row through the row reader and the checks, its errors appended (as a single pass does). */
function validateRow(
  c: Compiled,
  reader: RowReader,
  checks: Check[],
  cells: string[],
  rowNumber: number,
  errors: ReportError[],
): void {
  const rowErrors = reader.read(cells, rowNumber);
  for (let e = 0; e < rowErrors.length; e++) {
    const error = rowErrors[e] as ReportError;
    if (c.accept(error.type)) errors.push(error);
  }
  for (const check of checks) {
    const out = check.row?.(reader.view);
    if (out) for (const e of out) if (c.accept(e.type)) errors.push(e);
  }
}

/** Rows of a held range read again, their key matches from the first read plus the repeats. */
function fixRows(h: Held, job: FixJob): FixResult {
  const c = h.compiled;
  const { config } = c;
  const byRow = new Map<number, Map<number, number>>();
  for (const [slot, row, seenAt] of job.repeats) {
    let m = byRow.get(row);
    if (!m) {
      m = new Map();
      byRow.set(row, m);
    }
    m.set(slot, seenAt);
  }
  let current = new Map<number, number>();
  c.replay = (slot, row) => {
    const earlier = current.get(slot);
    return earlier !== undefined && !h.matches.has(row * h.slots + slot)
      ? -earlier
      : (h.matches.get(row * h.slots + slot) ?? 0);
  };
  c.replayReader ??= createRowReader({
    fields: c.fields,
    schema: config.schema,
    lookup: config.lookup,
    expectedRows: 16,
    memory: (slot) => ({
      set: (_key, row) => c.replay(slot, row),
      setNumber: (_v, row) => c.replay(slot, row),
    }),
    position,
  });
  c.replayChecks ??= createChecks(config.checks, {
    fields: c.fields,
    schema: config.schema,
    stats: { rows: 0 },
  });
  const rows: FixResult['rows'] = [];
  for (const row of [...byRow.keys()].sort((a, b) => a - b)) {
    current = byRow.get(row) as Map<number, number>;
    let cells = h.tail.get(row);
    if (!cells) {
      const from = row > 1 ? (h.ends[row - 2] as number) : 0;
      const to = h.ends[row - 1] as number;
      const bytes = job.bytes
        ? Buffer.from(job.bytes.buffer, job.bytes.byteOffset + from, to - from)
        : (() => {
            const f = h.file as NonNullable<ChunkJob['file']>;
            return fileBytes(f.path, f.start + from, to - from);
          })();
      const record = parseSync(bytes, config.csv)[0] ?? [''];
      if (h.remap) for (let k = 0; k < record.length; k++) record[k] = remapCp1252(record[k] as string);
      cells = record.length === 1 && record[0] === '' ? [] : record;
    }
    const errors: ReportError[] = [];
    validateRow(c, c.replayReader, c.replayChecks, cells, row, errors);
    rows.push({ row, errors });
  }
  return { chunk: job.chunk, rows };
}

function buffersOf(k: KeyIndexData): ArrayBuffer[] {
  return [
    k.slots.buffer as ArrayBuffer,
    k.firsts.buffer as ArrayBuffer,
    ...(k.sibling ? buffersOf(k.sibling) : []),
  ];
}

parentPort?.on(
  'message',
  (message: {
    config?: number;
    setup?: SplitConfig;
    drop?: number;
    job?: ChunkJob;
    fix?: FixJob;
    release?: number;
    buffers?: ArrayBuffer[];
  }) => {
    if (message.setup && message.config !== undefined) {
      const config = message.setup;
      configs.set(message.config, {
        config,
        fields: config.fields.map((f) => compileField(f, config.schema)),
        accept: makeErrorFilter(config.pickErrors, config.skipErrors),
        replay: () => 0,
      });
      return;
    }
    if (message.drop !== undefined) {
      const dropped = configs.get(message.drop);
      configs.delete(message.drop);
      for (const [chunk, h] of held) if (h.compiled === dropped) held.delete(chunk);
      return;
    }
    if (message.release !== undefined) {
      held.delete(message.release);
      for (const b of message.buffers ?? []) if (pool.length < POOL_SIZE) pool.push(b);
      return;
    }
    if (message.fix) {
      const h = held.get(message.fix.chunk);
      try {
        if (!h) throw new Error(`range ${message.fix.chunk} is not held`);
        parentPort?.postMessage({ fixed: fixRows(h, message.fix) });
      } catch (error) {
        parentPort?.postMessage({ crash: String((error as Error)?.stack ?? error) });
      }
      return;
    }
    const job = message.job;
    if (!job) return;
    const compiled = configs.get(job.config);
    if (!compiled) return;
    try {
      const result = runChunk(compiled, job);
      const transfer = result.keys.flatMap((k) => buffersOf(k));
      parentPort?.postMessage(
        { result },
        transfer.filter((b, i, all) => b.byteLength && all.indexOf(b) === i),
      );
    } catch (error) {
      parentPort?.postMessage({ chunk: job.chunk, crash: String((error as Error)?.stack ?? error) });
    }
  },
);
