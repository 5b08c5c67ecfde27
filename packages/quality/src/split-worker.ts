// A worker of a split read (./split.ts): validates byte ranges of one table that start at a
// record boundary, with the same row reader and checks as a single-threaded pass. Row numbers
// are counted from the range's start; the main thread adds the rows before it.

import { parentPort } from 'node:worker_threads';
import { type Options as CsvOptions, Parser } from 'csv-parse';
import { createRowReader } from './checks/baseline.ts';
import type { ForeignLookup } from './checks/foreign-key.ts';
import { type Check, createChecks } from './checks/index.ts';
import type { KeyMemory } from './checks/unique.ts';
import { makeErrorFilter } from './errors.ts';
import { compileField } from './fields/index.ts';
import { KeyIndex, type KeyIndexData } from './key-index.ts';
import { type FieldSummaryData, SummaryCollector } from './summary.ts';
import { pythonCsvRecords, remapCp1252 } from './text-source.ts';
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
  bytes: Uint8Array;
  /** The range ends the data: an unclosed quote is read the way Python's csv does. */
  last: boolean;
  /** The range stops before an encoding error: the record left open at its end is dropped. */
  cut: boolean;
  rowLimit?: number | undefined;
  errorLimit?: number | undefined;
  /** Keys first seen here that an earlier range holds: [slot, row here, row there]. */
  repeats: [number, number, number][];
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

const SLICE_BYTES = 1 << 20;

interface Compiled {
  config: SplitConfig;
  fields: ReturnType<typeof compileField>[];
  accept: (type: string) => boolean;
}

const configs = new Map<number, Compiled>();

async function runChunk(c: Compiled, job: ChunkJob): Promise<ChunkResult> {
  const { config } = c;
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.length);
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
  // A key seen earlier in this range gives its row here (rewritten by the main thread); one
  // first seen here but held by an earlier range gives that range's row, negated.
  const memory = (slot: number, n: number): KeyMemory => {
    const index = new KeyIndex(Math.min(n, expected), true);
    indexes[slot] = index;
    const known = repeats.get(slot);
    if (!known) return index;
    return {
      set: (key, row) => index.set(key, row) || -(known.get(row) ?? 0),
      setNumber: (v, row) => index.setNumber(v, row) || -(known.get(row) ?? 0),
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
    position: (row) => (row < 0 ? String(-row) : `\u0000${row}\u0000`),
  });
  const stats = { rows: 0 };
  const checks: Check[] = createChecks(config.checks, { fields: c.fields, schema: config.schema, stats });
  const errors: ReportError[] = [];
  const { dialect } = config;
  let remap = false;
  if (config.cp1252)
    for (let k = 0; k < bytes.length && !remap; k++)
      remap = (bytes[k] as number) >= 0x80 && (bytes[k] as number) <= 0x9f;

  let records: string[][] = [];
  let ends: number[] = [];
  let recordCount = 0;
  let lastEnd = 0;
  let stop: ChunkResult['stop'];
  const consume = () => {
    for (let k = 0; k < records.length && !stop; k++) {
      const cells = records[k] as string[];
      lastEnd = ends[k] as number;
      const rowNumber = ++recordCount;
      if (
        dialect.commentChar !== undefined &&
        cells.length > 0 &&
        (cells[0] as string).startsWith(dialect.commentChar)
      )
        continue;
      if (dialect.skipBlankRows && cells.every((x) => x === '')) continue;
      stats.rows++;
      const rowErrors = reader.read(cells, rowNumber);
      for (let e = 0; e < rowErrors.length; e++) {
        const error = rowErrors[e] as ReportError;
        if (c.accept(error.type)) errors.push(error);
      }
      summary?.row(reader.values, reader.typeFailed, cells);
      for (const check of checks) {
        const out = check.row?.(reader.view);
        if (out) for (const e of out) if (c.accept(e.type)) errors.push(e);
      }
      if (job.rowLimit && stats.rows >= job.rowLimit) stop = { by: 'rows', end: lastEnd };
      else if (job.errorLimit && errors.length >= job.errorLimit) {
        errors.length = job.errorLimit;
        stop = { by: 'errors', end: lastEnd };
      }
    }
    records = [];
    ends = [];
  };

  const parser = new Parser(config.csv);
  let failure = undefined as { code?: string | undefined; message: string } | undefined;
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', (error: { code?: string; message?: string }) => {
      failure = { code: error.code, message: error.message ?? String(error) };
      resolve();
    });
  });
  parser.on('data', (record: string[]) => {
    if (remap) for (let k = 0; k < record.length; k++) record[k] = remapCp1252(record[k] as string);
    records.push(record.length === 1 && record[0] === '' ? [] : record);
    ends.push(parser.info.bytes);
  });
  parser.resume();
  for (let at = 0; at < bytes.length && !stop && !failure; at += SLICE_BYTES) {
    parser.write(bytes.subarray(at, at + SLICE_BYTES));
    consume();
  }
  let misaligned = false;
  if (!stop && !failure) {
    if (job.cut) parser.destroy();
    else {
      parser.end();
      await ended;
      consume();
      if ((failure as { code?: string } | undefined)?.code === 'CSV_QUOTE_NOT_CLOSED') {
        if (job.last) {
          // the unclosed record starts where the last complete one ended
          const tail = bytes.subarray(lastEnd);
          const text = tail.toString(config.csv.encoding === 'latin1' ? 'latin1' : 'utf8');
          for (const record of pythonCsvRecords(text, dialect)) {
            records.push(record);
            ends.push(bytes.length);
          }
          failure = undefined;
          consume();
        } else {
          misaligned = true;
          failure = undefined;
        }
      }
    }
  } else parser.destroy();
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

function buffersOf(k: KeyIndexData): ArrayBuffer[] {
  return [
    k.slots.buffer as ArrayBuffer,
    k.firsts.buffer as ArrayBuffer,
    ...(k.sibling ? buffersOf(k.sibling) : []),
  ];
}

parentPort?.on(
  'message',
  (message: { config?: number; setup?: SplitConfig; drop?: number; job?: ChunkJob }) => {
    if (message.setup && message.config !== undefined) {
      const config = message.setup;
      configs.set(message.config, {
        config,
        fields: config.fields.map((f) => compileField(f, config.schema)),
        accept: makeErrorFilter(config.pickErrors, config.skipErrors),
      });
      return;
    }
    if (message.drop !== undefined) {
      configs.delete(message.drop);
      return;
    }
    const job = message.job;
    if (!job) return;
    const compiled = configs.get(job.config);
    if (!compiled) return;
    runChunk(compiled, job).then(
      (result) => {
        const transfer = result.keys.flatMap((k) => buffersOf(k));
        parentPort?.postMessage(
          { result },
          transfer.filter((b, i, all) => b.byteLength && all.indexOf(b) === i),
        );
      },
      (error: unknown) =>
        parentPort?.postMessage({ chunk: job.chunk, crash: String((error as Error)?.stack ?? error) }),
    );
  },
);
