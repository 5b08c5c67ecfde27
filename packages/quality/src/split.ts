// A split read: the rest of one table, after the rows the main thread has read, cut into
// byte ranges validated by worker threads (./split-worker.ts), merged in row order so that
// the report is the one a single pass gives.
//
// Cutting. The main thread reads the stream (as it would anyway: bytes, hashes, caps) and
// counts quote characters from the first byte it hands over, which starts a record. Once a
// range holds `chunkSize` bytes, it ends after the first line terminator where the count is
// even, i.e. outside a quoted field when quotes are balanced (`""` inside a field counts
// twice). A stray quote in an unquoted field breaks that rule, so the count is only trusted
// as far as the parse confirms it: a worker parses its range from a record boundary, and when
// the range's last record is still inside a quoted field at its end (csv-parse: quote not
// closed), the range is merged with the next one and validated again. Ranges therefore only
// ever start where a single pass would start a record.
//
// What travels. A local file's range is only an offset and a length: its worker reads and
// decodes the bytes itself, and the main thread keeps none of them. A stream's range is copied
// to its worker and kept here until merged (a misaligned range is joined with the next). At
// most `threads * 2 + 2` ranges are dispatched and not yet merged; the stream is not read
// further meanwhile. Workers answer with errors, counts, summaries and key indexes (typed
// arrays, moved, not copied).
//
// Merging, in range order: rows are numbered from the range's start and offset by the
// records before it. Each range returns its unique / primary-key / unique-key indexes (first
// and last row of each key); absorbed into the main thread's indexes, a key an earlier range
// already holds is a repeat, and only the rows holding repeats are read again, by the worker
// that validated the range (a fix job: it kept each record's offset and the key matches it
// found), so their errors appear where and in the order a single pass puts them. A range
// that reaches limitRows or limitErrors is validated again with the exact remaining limits.
// Encoding is checked on the main thread before ranges are dispatched: the range holding a
// bad byte stops 8 KiB-aligned before it, as Python's reader does.

import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KeyMemory } from './checks/unique.ts';
import { CP1252_UNDEFINED, utf8Check, utf8ErrorMessage } from './encoding.ts';
import { refreshMessage, ValidationFailure } from './errors.ts';
import type { KeyIndex, KeyIndexData } from './key-index.ts';
import type { ChunkJob, ChunkResult, FixResult, SplitConfig } from './split-worker.ts';
import { LOCAL_ROW } from './split-worker.ts';
import type { SummaryCollector } from './summary.ts';
import { SLICE, type TextSource } from './text-source.ts';
import type { ReportError } from './types.ts';

/** Ranges of this size by default; files with less than two of them left stay single-threaded. */
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

/** Counts of split reads and of ranges validated (a test checks that splitting happened). */
export const splitCounters = { reads: 0, ranges: 0 };

export function threadCount(threads: number | 'auto' | undefined): number {
  if (threads === undefined || threads === 'auto') return Math.max(1, availableParallelism());
  return Math.max(1, Math.floor(threads));
}

// ---- the pool: workers live for the process, unreferenced while idle ----------------------
interface PoolWorker {
  worker: Worker;
  /** Jobs posted and not answered (a finished validation's late answers included). */
  inFlight: number;
  configs: Set<number>;
  owner?: ((message: WorkerMessage) => void) | undefined;
}

interface WorkerMessage {
  result?: ChunkResult;
  fixed?: FixResult;
  crash?: string;
}

const pool: PoolWorker[] = [];
let configSeq = 0;
/** Run ids, unique in the process: an answer to an abandoned run is recognised as such. */
let runSeq = 0;

function spawn(): PoolWorker {
  const worker = new Worker(new URL('./split-worker.ts', import.meta.url));
  worker.unref();
  const entry: PoolWorker = { worker, inFlight: 0, configs: new Set() };
  worker.on('message', (message: WorkerMessage) => {
    entry.inFlight--;
    if (entry.inFlight === 0) worker.unref();
    entry.owner?.(message);
  });
  worker.on('error', (error) => entry.owner?.({ crash: String(error?.stack ?? error) }));
  worker.on('exit', () => {
    const i = pool.indexOf(entry);
    if (i !== -1) pool.splice(i, 1);
    entry.owner?.({ crash: 'a validation worker exited' });
  });
  pool.push(entry);
  return entry;
}

export interface SplitInput {
  text: TextSource;
  /** A local file: workers read their ranges from it themselves (nothing is copied to them). */
  file?: string | undefined;
  /** Bytes already taken from the stream, from a record boundary on. */
  head: Uint8Array[];
  /** Byte offset of the first of them in the source. */
  start: number;
  config: SplitConfig;
  threads: number;
  chunkSize: number;
  /** Quote byte (-1: no quoting) and the byte that ends a line. */
  quote: number;
  newline: number;
  encodingCheck: 'utf8' | 'cp1252' | 'none';
  /** Records before the first byte handed over, rows validated, errors so far (appended to). */
  records: number;
  rows: number;
  errors: ReportError[];
  limitRows?: number | undefined;
  limitErrors?: number | undefined;
  /** The main thread's key indexes by slot (see createRowReader). */
  memories: KeyMemory[];
  summary?: SummaryCollector | undefined;
  signal?: AbortSignal | undefined;
  progress: (rows: number) => void;
}

export interface SplitOutcome {
  rows: number;
  records: number;
  stop?: { by: 'rows' | 'errors'; at: number } | undefined;
  /** What ended the read early (encoding or parser failure), and where. */
  failure?: ValidationFailure | undefined;
}

interface Chunk {
  index: number;
  start: number;
  length: number;
  /** The range's bytes until dispatched (a stream's; a local file's are read by the worker). */
  bytes?: Buffer | undefined;
  /** The worker that ran it last: it holds the range until told to release it. */
  worker?: PoolWorker | undefined;
  /** Rows being read again knowing their repeats (a fix job). */
  fixing: boolean;
  last: boolean;
  cut: boolean;
  result?: ChunkResult | undefined;
  running: boolean;
  absorbed: boolean;
  repeats: [number, number, number][];
  rowLimit?: number | undefined;
  errorLimit?: number | undefined;
  /** An encoding error found right after this (cut) range. */
  encodingError?: ValidationFailure | undefined;
}

function tablesOf(k: KeyIndexData): ArrayBuffer[] {
  return [
    k.slots.buffer as ArrayBuffer,
    k.firsts.buffer as ArrayBuffer,
    ...(k.sibling ? tablesOf(k.sibling) : []),
  ];
}

/** Bytes of a local file (a range whose encoding error must be placed exactly). */
function readRange(file: string, start: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  const fd = openSync(file, 'r');
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

/**
 * A range's errors with the errors of some rows replaced (rows read again by a fix job);
 * errors are in row order, each row's together.
 */
function withRows(errors: ReportError[], rows: FixResult['rows']): ReportError[] {
  const out: ReportError[] = [];
  let k = 0;
  for (const { row, errors: replacement } of rows) {
    while (k < errors.length && ((errors[k] as ReportError).rowNumber ?? 0) < row)
      out.push(errors[k++] as ReportError);
    while (k < errors.length && (errors[k] as ReportError).rowNumber === row) k++;
    for (const e of replacement) out.push(e);
  }
  while (k < errors.length) out.push(errors[k++] as ReportError);
  return out;
}

export async function splitRead(input: SplitInput): Promise<SplitOutcome> {
  const configId = ++configSeq;
  splitCounters.reads++;
  const { errors } = input;
  let rows = input.rows;
  let records = input.records;
  const chunks: Chunk[] = []; // emitted, not yet merged, in order
  const queue: Chunk[] = [];
  let finished = false;
  let outcome: SplitOutcome | undefined;
  let crash: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const waitForEvent = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });

  // ---- dispatch ---------------------------------------------------------------------------
  const workers: PoolWorker[] = [];
  const busy = new Set<PoolWorker>();
  const onMessage = (w: PoolWorker) => (message: WorkerMessage) => {
    if (message.crash) crash = new Error(message.crash);
    else if (message.fixed) {
      const fixed = message.fixed;
      const c = chunks.find((x) => x.index === fixed.chunk && x.fixing);
      if (c?.result) {
        c.fixing = false;
        c.result.errors = withRows(c.result.errors, fixed.rows);
      }
    } else {
      busy.delete(w);
      const result = message.result;
      const c = result && chunks.find((x) => x.index === result.chunk && x.running);
      if (c && result) {
        c.running = false;
        c.result = result;
      }
    }
    dispatch();
    notify();
  };
  /** Tells the worker holding a range that it is merged (or about to be validated again). */
  const letGo = (c: Chunk) => {
    if (c.worker && c.result && !c.result.misaligned) {
      // the key tables go back to be reused (absorbed by now, or not needed: run again)
      const buffers = [...new Set(c.result.keys.flatMap(tablesOf))].filter((b) => b.byteLength > 0);
      c.worker.worker.postMessage({ release: c.index, buffers }, buffers);
    }
    c.worker = undefined;
  };
  const dispatch = () => {
    while (queue.length && !finished) {
      let w = workers.find((x) => !busy.has(x) && x.inFlight === 0);
      if (!w && workers.length < input.threads) {
        w = pool.find((x) => !x.owner && x.inFlight === 0) ?? spawn();
        w.owner = onMessage(w);
        workers.push(w);
      }
      if (!w) return;
      const c = queue.shift() as Chunk;
      c.worker = w;
      if (!w.configs.has(configId)) {
        w.worker.postMessage({ config: configId, setup: input.config });
        w.configs.add(configId);
      }
      busy.add(w);
      w.inFlight++;
      w.worker.ref();
      c.running = true;
      c.result = undefined;
      const job: ChunkJob = {
        config: configId,
        chunk: c.index,
        // a stream's bytes are copied to the worker and kept here until merged (a misaligned
        // range is joined with the next); a local file's range is read by the worker itself
        bytes: c.bytes,
        file: input.file === undefined ? undefined : { path: input.file, start: c.start, length: c.length },
        last: c.last,
        cut: c.cut,
        rowLimit: c.rowLimit,
        errorLimit: c.errorLimit,
        repeats: c.repeats,
      };
      w.worker.postMessage({ job });
      splitCounters.ranges++;
    }
  };
  const limitsNow = (c: Chunk) => {
    c.rowLimit = input.limitRows ? input.limitRows - rows : undefined;
    c.errorLimit = input.limitErrors ? input.limitErrors - errors.length : undefined;
  };
  const run = (c: Chunk) => {
    letGo(c);
    c.index = ++runSeq; // a new id: a late answer to an earlier run is ignored
    c.fixing = false;
    c.result = undefined;
    c.running = false;
    limitsNow(c);
    queue.push(c);
    dispatch();
  };

  // ---- merging, in range order --------------------------------------------------------------
  let eof = false;
  const merge = () => {
    while (!finished && chunks.length) {
      const c = chunks[0] as Chunk;
      const r = c.result;
      if (!r || c.fixing) return;
      if (r.misaligned) {
        const next = chunks[1];
        if (next && held.includes(next)) return; // merged once its encoding is confirmed
        if (next) {
          // the range ended inside a quoted field: one range with the next
          chunks.splice(1, 1);
          const i = queue.indexOf(next);
          if (i !== -1) queue.splice(i, 1);
          letGo(next);
          if (c.bytes && next.bytes) c.bytes = Buffer.concat([c.bytes, next.bytes]);
          c.length += next.length;
          c.last = next.last;
          c.cut = next.cut;
          c.encodingError = next.encodingError;
        } else if (eof) c.last = true;
        else return; // wait for the next range
        c.absorbed = false;
        c.repeats = [];
        run(c);
        return;
      }
      if (!c.absorbed) {
        c.absorbed = true;
        const repeats: [number, number, number][] = [];
        r.keys.forEach((data, slot) => {
          const memory = input.memories[slot] as KeyIndex | undefined;
          memory?.absorb(data, records, (first, seenAt) => {
            repeats.push([slot, first - records, seenAt]);
          });
        });
        if (repeats.length) {
          // only the rows holding the repeats are read again, by the worker holding the range
          c.repeats = repeats;
          if (!c.worker) {
            run(c); // no worker holds the range: it is validated again whole
            return;
          }
          c.fixing = true;
          c.worker.inFlight++;
          c.worker.worker.ref();
          c.worker.worker.postMessage({ fix: { chunk: c.index, repeats, bytes: c.bytes } });
          return;
        }
      }
      const remainingRows = input.limitRows ? input.limitRows - rows : undefined;
      const remainingErrors = input.limitErrors ? input.limitErrors - errors.length : undefined;
      const reaches =
        r.stop !== undefined ||
        (remainingRows !== undefined && r.rows >= remainingRows) ||
        (remainingErrors !== undefined && r.errors.length >= remainingErrors);
      if (reaches && (c.rowLimit !== remainingRows || c.errorLimit !== remainingErrors)) {
        run(c);
        return;
      }
      // accepted
      const base = records;
      for (const e of r.errors) {
        if (e.rowNumber !== undefined) {
          e.rowNumber += base;
          if (e.note.includes('\u0000'))
            e.note = e.note.replace(LOCAL_ROW, (_m, n: string) => String(Number(n) + base));
          refreshMessage(e);
        }
        errors.push(e);
      }
      rows += r.rows;
      records += r.records;
      if (r.summary) input.summary?.merge(r.summary);
      letGo(c);
      chunks.shift();
      input.progress(rows);
      if (r.stop) {
        finish({ rows, records, stop: { by: r.stop.by, at: c.start + r.stop.end } });
        return;
      }
      if (r.failure) {
        const failure = new ValidationFailure(
          'source-error',
          r.failure.code === 'CSV_MAX_RECORD_SIZE' ? 'field larger than field limit' : r.failure.message,
          c.start + c.length,
        );
        finish({ rows, records, failure });
        return;
      }
      if (c.encodingError) {
        finish({ rows, records, failure: c.encodingError });
        return;
      }
      if (!chunks.length && eof) finish({ rows, records });
    }
  };
  const finish = (o: SplitOutcome) => {
    finished = true;
    outcome = o;
    queue.length = 0;
    notify();
  };

  // ---- cutting --------------------------------------------------------------------------------
  const q = input.quote;
  const nl = input.newline;
  let parity = 0;
  let parts: Uint8Array[] = [];
  let partsLength = 0;
  let partsClean = true;
  let offset = input.start; // of parts[0]
  /** Ranges cut and encoding-checked, waiting until 8 KiB past their end are checked too. */
  const held: Chunk[] = [];
  const release = (upTo: number, all: boolean) => {
    while (held.length) {
      const c = held[0] as Chunk;
      if (!all && c.start + c.length + SLICE > upTo) break;
      held.shift();
      run(c);
    }
  };
  const newChunk = (start: number, length: number, bytes: Buffer | undefined, last: boolean): Chunk => ({
    index: -1,
    start,
    length,
    bytes,
    fixing: false,
    last,
    cut: false,
    running: false,
    absorbed: false,
    repeats: [],
  });
  /** The first encoding error in `bytes` (at `start`), as the single-threaded reader reports it. */
  const encodingError = (
    bytes: Buffer,
    start: number,
    atEnd: boolean,
  ): { cut: number; error: ValidationFailure } | undefined => {
    if (input.encodingCheck === 'utf8') {
      if (isUtf8(bytes)) return undefined;
      const r = utf8Check(bytes, false);
      if (r.ok) {
        if (!atEnd) return undefined;
        // an incomplete sequence at the end of the data: everything before it was read
        const e = utf8Check(bytes, true);
        const abs = start + e.pos;
        return {
          cut: abs,
          error: new ValidationFailure(
            'encoding-error',
            utf8ErrorMessage(bytes, e.pos, e.end, e.reason, (abs % SLICE) - e.pos),
            abs,
          ),
        };
      }
      const abs = start + r.pos;
      return {
        cut: abs - (abs % SLICE),
        error: new ValidationFailure(
          'encoding-error',
          utf8ErrorMessage(bytes, r.pos, r.end, r.reason || 'invalid start byte', (abs % SLICE) - r.pos),
          abs,
        ),
      };
    }
    if (input.encodingCheck === 'cp1252') {
      let bad = -1;
      for (const b of CP1252_UNDEFINED) {
        const at = bytes.indexOf(b);
        if (at !== -1 && (bad === -1 || at < bad)) bad = at;
      }
      if (bad === -1) return undefined;
      const abs = start + bad;
      return {
        cut: abs - (abs % SLICE),
        error: new ValidationFailure(
          'encoding-error',
          `'charmap' codec can't decode byte 0x${(bytes[bad] as number).toString(16)} in position ${abs % SLICE}: character maps to <undefined>`,
          abs,
        ),
      };
    }
    return undefined;
  };
  let stopCutting = false;
  /** Whether a piece decodes, judged alone (a UTF-8 sequence cut between pieces does not). */
  const clean = (piece: Uint8Array) =>
    input.encodingCheck === 'utf8'
      ? isUtf8(piece)
      : input.encodingCheck === 'cp1252'
        ? CP1252_UNDEFINED.every((b) => piece.indexOf(b) === -1)
        : true;
  /** A range cut from `parts`: a local file's is only checked (its worker reads it), a stream's is joined. */
  const emitParts = (last: boolean) => {
    const taken = parts;
    const length = partsLength;
    const wasClean = partsClean;
    parts = [];
    partsLength = 0;
    partsClean = true;
    if (input.file === undefined) emit(Buffer.concat(taken), last);
    else if (wasClean) emitClean(length, last);
    else emit(readRange(input.file, offset, length), last); // where the error is, exactly
  };
  /** Part of a piece joins the range being cut: a stream's is kept, a local file's only checked. */
  const addPart = (piece: Uint8Array, from: number, to: number) => {
    if (input.file === undefined) parts.push(piece.subarray(from, to));
    else if (partsClean && !clean(piece.subarray(from, to))) partsClean = false;
    partsLength += to - from;
  };
  const emitClean = (length: number, last: boolean) => {
    const c = newChunk(offset, length, undefined, last);
    offset += length;
    chunks.push(c);
    held.push(c);
    release(offset, last);
  };
  const emit = (bytes: Buffer, last: boolean) => {
    const start = offset;
    offset += bytes.length;
    const bad = encodingError(bytes, start, last);
    if (bad) {
      // the held ranges and this one, up to the 8 KiB block holding the bad byte, are the last
      const from = held.length ? (held[0] as Chunk).start : start;
      const keep = Math.max(0, bad.cut - from);
      const all =
        input.file === undefined
          ? Buffer.concat([...held.map((c) => c.bytes as Buffer), bytes]).subarray(0, keep)
          : undefined;
      for (const h of held) chunks.splice(chunks.indexOf(h), 1);
      held.length = 0;
      const c = newChunk(from, keep, all, false);
      c.cut = true;
      c.encodingError = bad.error;
      chunks.push(c);
      run(c);
      stopCutting = true;
      return;
    }
    const c = newChunk(start, bytes.length, input.file === undefined ? bytes : undefined, last);
    chunks.push(c);
    held.push(c);
    release(offset, last);
  };
  // Quotes and line ends are found with Buffer#indexOf (native scans): most ranges hold few
  // quotes, and a loop over every byte was a good share of the main thread's time.
  const take = (piece: Uint8Array) => {
    const buf = Buffer.from(piece.buffer, piece.byteOffset, piece.length);
    let from = 0;
    while (from < piece.length) {
      const room = input.chunkSize - partsLength;
      let i = from;
      if (room > 0) {
        // below the range size: only count quotes
        const until = Math.min(piece.length, from + room);
        if (q >= 0)
          for (let k = buf.indexOf(q, i); k !== -1 && k < until; k = buf.indexOf(q, k + 1)) parity ^= 1;
        i = until;
      }
      let cutAt = -1;
      if (i < piece.length || partsLength + (i - from) >= input.chunkSize) {
        let nextQuote = q >= 0 ? buf.indexOf(q, i) : -1;
        while (i < piece.length) {
          const n = buf.indexOf(nl, i);
          if (nextQuote !== -1 && (n === -1 || nextQuote < n)) {
            parity ^= 1;
            i = nextQuote + 1;
            nextQuote = buf.indexOf(q, i);
          } else if (n === -1) i = piece.length;
          else if (parity === 0) {
            cutAt = n + 1;
            break;
          } else i = n + 1;
        }
      }
      if (cutAt === -1) {
        addPart(piece, from, piece.length);
        return;
      }
      addPart(piece, from, cutAt);
      emitParts(false);
      if (stopCutting) return;
      from = cutAt;
    }
  };

  const pending = () => chunks.length - held.length;
  try {
    for (const piece of input.head) {
      take(piece);
      if (stopCutting) break;
    }
    // nothing keeps a local file's pieces from here on: they can be read into one buffer
    if (input.file !== undefined) input.text.opened.recycle();
    while (!stopCutting && !finished) {
      if (input.signal?.aborted) throw new ValidationFailure('source-error', 'validation was aborted');
      if (crash) throw crash;
      while (pending() >= input.threads * 2 + 2 && !finished && !crash) {
        merge();
        if (pending() >= input.threads * 2 + 2 && !finished) await waitForEvent();
      }
      if (finished || crash) break;
      const piece = await input.text.nextRaw();
      if (piece === undefined) {
        if (partsLength) emitParts(true);
        else {
          const lastChunk = chunks[chunks.length - 1];
          if (lastChunk && !lastChunk.cut) lastChunk.last = true; // checked again when it ended open
          release(offset, true);
        }
        break;
      }
      take(piece);
      merge();
    }
    eof = true;
    release(offset, true);
    if (!chunks.length && !finished) finish({ rows, records });
    while (!finished) {
      if (crash) throw crash;
      if (input.signal?.aborted) throw new ValidationFailure('source-error', 'validation was aborted');
      merge();
      if (!finished) await waitForEvent();
    }
  } finally {
    finished = true;
    for (const w of workers) {
      w.owner = undefined;
      w.worker.postMessage({ drop: configId });
      w.configs.delete(configId);
    }
  }
  return outcome ?? { rows, records };
}
