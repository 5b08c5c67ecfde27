// Validation of one table resource, streamed: frictionless-py's TableResource.open() +
// Resource.validate() (header, rows, integrity, checks, limits) in one pass.

import { isUtf8 } from 'node:buffer';
import { type Options as CsvOptions, Parser } from 'csv-parse';
import { type Check, createChecks } from './checks/index.ts';
import { type DeclaredDialect, resolveDialect } from './dialect.ts';
import {
  type DialectDetection,
  type DialectDetectionResult,
  detectDialect,
  dialectSummary,
  positionalFieldCount,
} from './dialect-detection.ts';
import {
  BUFFER_SIZE,
  CP1252_UNDEFINED,
  createDecoder,
  detectEncoding,
  incompleteTail,
  normalizeEncoding,
  utf8Check,
  utf8ErrorMessage,
} from './encoding.ts';
import { cellError, headerError, makeError, makeErrorFilter, rowError, ValidationFailure } from './errors.ts';
import { type CompiledField, compileField, FAIL, numberCellStr, readFieldCell } from './fields/index.ts';
import { inferFields } from './infer-types.ts';
import { KeyIndex } from './key-index.ts';
import { pyStrip } from './py.ts';
import { firstLines } from './sniff.ts';
import { type OpenedSource, openSource, type Source } from './source.ts';
import { SummaryCollector } from './summary.ts';
import type { CheckDescriptor, FieldDescriptor, ReportError, ReportTask, TableSchema } from './types.ts';

export const SAMPLE_SIZE = 100;
/** Records longer than this (in characters) end the read with a source-error. */
export const MAX_RECORD_CHARS = 32 * 1024 * 1024;

export interface TableOptions {
  schema?: TableSchema;
  dialect?: DeclaredDialect;
  checks?: CheckDescriptor[];
  limitErrors?: number;
  limitRows?: number;
  pickErrors?: string[];
  skipErrors?: string[];
  encoding?: string;
  format?: string;
  compression?: string;
  innerpath?: string;
  hash?: string;
  bytes?: number;
  infer?: boolean;
  caps?: { maxBytes?: number; timeoutMs?: number; maxRedirects?: number; allowPrivateNetwork?: boolean };
  signal?: AbortSignal;
  onProgress?: (p: { bytes: number; rows: number; totalBytes?: number }) => void;
  name?: string;
  /** Foreign-key lookups: resource name → key field names joined by \u0001 → set of keys. */
  lookup?: ForeignLookup;
  /** Names of the resources of the package being validated (foreign keys may point at them). */
  packageResources?: string[];
  summary?: boolean;
  /** How an undeclared delimiter is found (default "consistency"; "frictionless": its sniffer alone). */
  dialectDetection?: DialectDetection;
  /** Called for every row (validateRows). */
  onRow?: (row: RowView) => void;
  /** Called once the schema in force (declared or inferred) and the dialect are known. */
  onSchema?: (
    schema: TableSchema,
    detected: {
      encoding: string;
      dialect: { delimiter: string; quoteChar: string; header: boolean; headerRows: number[] };
    },
  ) => void;
}

export type ForeignLookup = Map<string, Map<string, Set<string>>>;

export interface RowView {
  rowNumber: number;
  cells: string[];
  /** Parsed values by field position (null when missing or unreadable). */
  values: unknown[];
  fields: CompiledField[];
  /** Python str() of a parsed value, as frictionless-py's CellError.from_row uses it. */
  cellStr: (fieldIndex: number) => string;
}

export interface Timer {
  start: number;
}

function seconds(t: Timer): number {
  return Math.round(((performance.now() - t.start) / 1000) * 1000) / 1000;
}

/** A task that ends with the given errors (reading or metadata failures). */
export function failedTask(
  name: string,
  place: string,
  timer: Timer,
  errors: ReportError[],
  stats?: Partial<ReportTask['stats']>,
  labels: string[] = [],
): ReportTask {
  const s = seconds(timer);
  return {
    name,
    type: 'table',
    valid: errors.length === 0,
    place,
    labels,
    stats: { errors: errors.length, warnings: 0, seconds: s, ...stats },
    warnings: [],
    errors,
  };
}

const SLICE = 8192;

// Windows-1252 bytes 0x80–0x9F (csv-parse reads the bytes as Latin-1, these are remapped).
const CP1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const C1_RE = /[\u0080-\u009f]/;
const C1_RE_G = /[\u0080-\u009f]/g;

export function remapCp1252(cell: string): string {
  return C1_RE.test(cell) ? cell.replace(C1_RE_G, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] as string) : cell;
}

/**
 * The byte stream turned into what csv-parse reads. UTF-8 and Latin-1/Windows-1252 bytes go
 * to the parser as they are (UTF-8 validated natively; csv-parse decodes fields itself, so its
 * offsets are byte offsets); other encodings are decoded first. An encoding error surfaces the
 * way Python's TextIOWrapper raises it: everything before the 8,192-byte block holding the bad
 * byte is read first, so the same rows are validated.
 */
class TextSource {
  private iterator: AsyncIterator<Uint8Array>;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private rawDone = false;
  private pending: Uint8Array = new Uint8Array(0);
  private pendingError: ValidationFailure | undefined;
  private decoder: ReturnType<typeof createDecoder> | undefined;
  private mode: 'utf8' | 'latin1' | 'text' = 'utf8';
  private cp1252 = false;
  private bomSkip = 0;
  /** A Windows-1252 byte in 0x80–0x9F was seen: fields need remapping from Latin-1. */
  c1Seen = false;
  /** No more data will come. */
  done = false;
  /** Raw bytes taken from the stream. */
  fed = 0;
  /** Bytes before the parser's first byte (a BOM). */
  offsetBase = 0;
  readonly opened: OpenedSource;
  constructor(opened: OpenedSource) {
    this.opened = opened;
    this.iterator = opened.chunks[Symbol.asyncIterator]();
  }
  private async pull(): Promise<boolean> {
    if (this.rawDone) return false;
    const next = await this.iterator.next();
    if (next.done) {
      this.rawDone = true;
      return false;
    }
    if (next.value.length) {
      this.queue.push(next.value);
      this.queued += next.value.length;
    }
    return true;
  }
  /** The first bytes (up to BUFFER_SIZE) for detection; they stay queued. */
  async readBuffer(): Promise<{ buffer: Uint8Array; complete: boolean }> {
    while (this.queued < BUFFER_SIZE && (await this.pull())) {}
    if (this.queue.length > 1) this.queue = [Buffer.concat(this.queue)];
    const all = this.queue[0] ?? new Uint8Array(0);
    return { buffer: all.subarray(0, BUFFER_SIZE), complete: this.rawDone };
  }
  /** A text preview of the first bytes (sniffing), without consuming them. */
  preview(encoding: string, maxBytes: number): string {
    const head = (this.queue[0] ?? new Uint8Array(0)).subarray(this.bomSkipFor(encoding), maxBytes);
    const enc = normalizeEncoding(encoding);
    if (enc === 'utf-8' || enc === 'utf-8-sig') return new TextDecoder('utf-8').decode(head);
    try {
      return createDecoder(enc).write(head);
    } catch {
      return new TextDecoder('latin1').decode(head);
    }
  }
  private bomSkipFor(encoding: string): number {
    const head = this.queue[0];
    return encoding === 'utf-8-sig' && head && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
      ? 3
      : 0;
  }
  setEncoding(encoding: string) {
    const enc = normalizeEncoding(encoding);
    this.bomSkip = this.bomSkipFor(enc);
    this.offsetBase = this.bomSkip;
    if (enc === 'utf-8' || enc === 'utf-8-sig') this.mode = 'utf8';
    else if (enc === 'cp1252' || enc === 'iso8859-1') {
      this.mode = 'latin1';
      this.cp1252 = enc === 'cp1252';
    } else {
      this.mode = 'text';
      this.decoder = createDecoder(enc);
    }
  }
  get parserEncoding(): 'utf8' | 'latin1' | undefined {
    return this.mode === 'utf8' ? 'utf8' : this.mode === 'latin1' ? 'latin1' : undefined;
  }
  /** Parser offsets are bytes, except for decoded text (UTF-8 bytes of the decoded string). */
  get exactOffsets(): boolean {
    return this.mode !== 'text';
  }
  /** Turns bytes fed to the parser back into text (for the unclosed-quote tail). */
  decode(bytes: Uint8Array): string {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(
      this.mode === 'latin1' ? 'latin1' : 'utf8',
    );
  }
  /** The next piece for the parser (Buffer or decoded text); undefined at the end. */
  async next(): Promise<Buffer | string | undefined> {
    if (this.pendingError) {
      const e = this.pendingError;
      this.pendingError = undefined;
      this.done = true;
      throw e;
    }
    if (this.done) return undefined;
    while (!this.queued && (await this.pull())) {}
    if (!this.queued) {
      this.done = true;
      if (this.mode === 'utf8' && this.pending.length) {
        const abs = this.fed - this.pending.length;
        const r = utf8Check(this.pending, true);
        throw new ValidationFailure(
          'encoding-error',
          utf8ErrorMessage(this.pending, r.pos, r.end, r.reason, abs % SLICE),
          abs,
        );
      }
      if (this.mode === 'text') return this.decoder?.end() ?? '';
      return undefined;
    }
    let chunk = this.queue.shift() as Uint8Array;
    this.queued -= chunk.length;
    const start = this.fed;
    this.fed += chunk.length;
    if (this.bomSkip) {
      chunk = chunk.subarray(this.bomSkip);
      this.bomSkip = 0;
    }
    const chunkStart = this.fed - chunk.length;
    if (this.mode === 'latin1') {
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      if (this.cp1252) {
        let bad = -1;
        for (const b of CP1252_UNDEFINED) {
          const at = buf.indexOf(b);
          if (at !== -1 && (bad === -1 || at < bad)) bad = at;
        }
        if (!this.c1Seen) {
          for (let k = 0; k < buf.length; k++) {
            const b = buf[k] as number;
            if (b >= 0x80 && b <= 0x9f) {
              this.c1Seen = true;
              break;
            }
          }
        }
        if (bad !== -1) {
          const abs = chunkStart + bad;
          this.pendingError = new ValidationFailure(
            'encoding-error',
            `'charmap' codec can't decode byte 0x${(buf[bad] as number).toString(16)} in position ${abs % SLICE}: character maps to <undefined>`,
            abs,
          );
          return buf.subarray(0, Math.max(0, abs - (abs % SLICE) - chunkStart));
        }
      }
      return buf;
    }
    if (this.mode === 'text') {
      try {
        return (this.decoder as ReturnType<typeof createDecoder>).write(chunk);
      } catch (error) {
        if (!(error instanceof ValidationFailure) || error.bytePosition === undefined) throw error;
        const cut = Math.max(0, error.bytePosition - (error.bytePosition % SLICE) - start);
        this.pendingError = error;
        const d = createDecoder((this.decoder as ReturnType<typeof createDecoder>).encoding);
        return cut > 0 ? d.write(chunk.subarray(0, cut)) : '';
      }
    }
    const joined = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const tail = incompleteTail(joined);
    const complete = joined.subarray(0, joined.length - tail);
    this.pending = tail ? Buffer.from(joined.subarray(joined.length - tail)) : new Uint8Array(0);
    if (isUtf8(complete)) return Buffer.from(complete.buffer, complete.byteOffset, complete.length);
    const r = utf8Check(complete, false);
    const completeStart = this.fed - joined.length;
    const abs = completeStart + r.pos;
    this.pendingError = new ValidationFailure(
      'encoding-error',
      utf8ErrorMessage(complete, r.pos, r.end, r.reason || 'invalid start byte', (abs % SLICE) - r.pos),
      abs,
    );
    const cut = Math.max(0, abs - (abs % SLICE) - completeStart);
    this.pending = new Uint8Array(0);
    return Buffer.from(complete.buffer, complete.byteOffset, cut);
  }
  close() {
    void this.iterator.return?.();
  }
}

/**
 * Python's csv reader (non-strict) over a piece of text that starts at a record boundary:
 * used for what csv-parse refuses, a quoted field left open at the end of the data.
 */
export function pythonCsvRecords(
  text: string,
  d: {
    delimiter: string;
    quoteChar: string;
    escapeChar?: string | undefined;
    doubleQuote: boolean;
    skipInitialSpace: boolean;
  },
): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let state: 'record' | 'field-start' | 'field' | 'quoted' | 'quote-in-quoted' | 'escape' | 'escape-quoted' =
    'record';
  const endRecord = () => {
    records.push(fields);
    fields = [];
    state = 'record';
  };
  const save = () => {
    fields.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const eol = c === '\n' || c === '\r';
    if (eol && c === '\r' && text[i + 1] === '\n' && state !== 'quoted' && state !== 'escape-quoted') i++;
    switch (state) {
      case 'record':
        if (eol) {
          records.push([]);
          break;
        }
        state = 'field-start';
        i--;
        break;
      case 'field-start':
        if (eol) {
          save();
          endRecord();
        } else if (c === d.quoteChar) state = 'quoted';
        else if (c === d.escapeChar) state = 'escape';
        else if (c === ' ' && d.skipInitialSpace) {
        } else if (c === d.delimiter) save();
        else {
          field += c;
          state = 'field';
        }
        break;
      case 'field':
        if (eol) {
          save();
          endRecord();
        } else if (c === d.escapeChar) state = 'escape';
        else if (c === d.delimiter) {
          save();
          state = 'field-start';
        } else field += c;
        break;
      case 'escape':
        field += c;
        state = 'field';
        break;
      case 'quoted':
        if (c === d.escapeChar) state = 'escape-quoted';
        else if (c === d.quoteChar) state = d.doubleQuote ? 'quote-in-quoted' : 'field';
        else field += c;
        break;
      case 'escape-quoted':
        field += c;
        state = 'quoted';
        break;
      case 'quote-in-quoted':
        if (c === d.quoteChar) {
          field += c;
          state = 'quoted';
        } else if (c === d.delimiter) {
          save();
          state = 'field-start';
        } else if (eol) {
          save();
          endRecord();
        } else {
          field += c;
          state = 'field';
        }
        break;
    }
  }
  if (state !== 'record') {
    save();
    records.push(fields);
  }
  return records;
}

interface HeaderResult {
  labels: string[];
  errors: ReportError[];
  expected: FieldDescriptor[];
}

/**
 * csv-parse is a third faster with one record delimiter than with a list: when the first
 * lines use a single kind of line ending, only that one is given (Python's csv accepts any).
 */
function lineTerminators(head: string): string | string[] {
  const crlf = (head.match(/\r\n/g) ?? []).length;
  const cr = (head.match(/\r/g) ?? []).length - crlf;
  const lf = (head.match(/\n/g) ?? []).length - crlf;
  if (crlf && !cr && !lf) return '\r\n';
  if (lf && !cr && !crlf) return '\n';
  if (cr && !lf && !crlf) return '\r';
  return ['\r\n', '\n', '\r'];
}

function deduplicateNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    let suffix = 2;
    while (used.has(candidate)) candidate = `${name}${suffix++}`;
    used.add(candidate);
    return candidate;
  });
}

/** frictionless-py's Header: label errors and the fields expected in the data. */
function processHeader(
  labels: string[],
  fields: FieldDescriptor[],
  rowNumbers: number[],
  ignoreCase: boolean,
  fieldsMatch: string,
  primaryKey: string[],
  hasHeader: boolean,
): HeaderResult {
  const norm = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  const byName = fieldsMatch !== 'exact';
  const fieldsByKey = new Map<string, FieldDescriptor>();
  for (const f of fields) if (!fieldsByKey.has(norm(f.name))) fieldsByKey.set(norm(f.name), f);
  const matching = (position: number, label: string) =>
    byName ? fieldsByKey.get(norm(label)) : fields[position];
  const errors: ReportError[] = [];
  if (!hasHeader || labels.length === 0) {
    // header missing: every field expected, no label errors
    return { labels, errors, expected: fields };
  }
  if (fieldsMatch !== 'subset' && fieldsMatch !== 'partial') {
    labels.forEach((label, i) => {
      if (!matching(i, label))
        errors.push(
          headerError('extra-label', '', labels, rowNumbers, { label, fieldName: '', fieldNumber: i + 1 }),
        );
    });
  }
  if (fieldsMatch === 'partial' && fields.length && !labels.some((l, i) => matching(i, l)))
    errors.push(headerError('unmatched-header', '', labels, rowNumbers));
  let unmatched: FieldDescriptor[];
  if (!byName) unmatched = fields.slice(labels.length);
  else {
    const matched = new Set(labels.map(norm));
    unmatched = fields.filter((f) => !matched.has(norm(f.name)));
  }
  if (fieldsMatch === 'superset' || fieldsMatch === 'partial')
    unmatched = unmatched.filter((f) => f.constraints?.required === true || primaryKey.includes(f.name));
  unmatched.forEach((f, offset) => {
    errors.push(
      headerError('missing-label', '', labels, rowNumbers, {
        label: '',
        fieldName: f.name,
        fieldNumber: labels.length + offset + 1,
      }),
    );
  });
  if (byName) {
    const groups = new Map<string, FieldDescriptor[]>();
    for (const f of fields) groups.set(norm(f.name), [...(groups.get(norm(f.name)) ?? []), f]);
    for (const group of groups.values()) {
      if (new Set(group.map((f) => f.name)).size > 1) {
        const names = group.map((f) => `"${f.name}"`).join(', ');
        throw new ValidationFailure(
          'metadata-error',
          `matching fields by name ("fieldsMatch": "${fieldsMatch}") is ambiguous: fields ${names} differ only by case, which "header_case" is set to ignore`,
        );
      }
    }
    const keys = labels.map(norm);
    if (new Set(keys).size !== keys.length)
      throw new ValidationFailure(
        'error',
        `matching fields by name ("fieldsMatch": "${fieldsMatch}") requires unique labels in the header`,
      );
  } else {
    const n = Math.min(fields.length, labels.length);
    for (let i = 0; i < n; i++) {
      const field = fields[i] as FieldDescriptor;
      let label: string | null = labels[i] as string;
      const fieldNumber = i + 1;
      if (!label)
        errors.push(
          headerError('blank-label', '', labels, rowNumbers, {
            label: '',
            fieldName: field.name,
            fieldNumber,
          }),
        );
      if (label) {
        const dups: number[] = [];
        for (let j = 0; j < i; j++) if (labels[j] === label) dups.push(j + 1);
        if (dups.length) {
          errors.push(
            headerError('duplicate-label', `at position "${dups.join(', ')}"`, labels, rowNumbers, {
              label: labels[i] as string,
              fieldName: field.name,
              fieldNumber,
            }),
          );
          label = null;
        }
      }
      if (label && norm(label) !== norm(field.name)) {
        errors.push(
          headerError('incorrect-label', '', labels, rowNumbers, {
            label,
            fieldName: field.name,
            fieldNumber,
          }),
        );
      }
    }
  }
  const matched = labels.map((l, i) => matching(i, l));
  const names = deduplicateNames(matched.map((f, i) => (f ? f.name : (labels[i] as string))));
  const expected = matched.map((f, i) => f ?? { name: names[i] as string, type: 'any' });
  return { labels, errors, expected };
}

/** Reads labels from the sample like Dialect.read_labels. */
function readLabels(
  sample: string[][],
  header: boolean,
  headerRows: number[],
  headerJoin: string,
  isComment: (n: number, cells: string[]) => boolean,
): string[] {
  if (!header) return [];
  const firstContent = headerRows.length ? (headerRows[headerRows.length - 1] as number) + 1 : 1;
  const lists: string[][] = [];
  for (let i = 0; i < sample.length; i++) {
    const rowNumber = i + 1;
    const cells = sample[i] as string[];
    if (isComment(rowNumber, cells)) continue;
    if (headerRows.includes(rowNumber)) lists.push(cells.map((c) => pyStripLabel(c)));
    if (rowNumber >= firstContent) break;
  }
  const labels: string[] = [];
  const prev = new Map<number, string>();
  for (const cells of lists) {
    cells.forEach((cell, index) => {
      if (prev.get(index) === cell) return;
      prev.set(index, cell);
      if (labels.length <= index) labels.push(cell);
      else labels[index] = [labels[index], cell].join(headerJoin);
    });
  }
  return labels;
}

const pyStripLabel = (s: string) => pyStrip(s);

export async function validateTable(source: Source, options: TableOptions = {}): Promise<ReportTask> {
  const timer: Timer = { start: performance.now() };
  const limitErrors = options.limitErrors ?? 1000;
  const limitRows = options.limitRows;
  const accept = makeErrorFilter(options.pickErrors, options.skipErrors);
  const warnings: string[] = [];
  let name = options.name ?? 'memory';
  let place = typeof source === 'string' ? source : source instanceof URL ? source.href : '<stream>';

  // Hash declaration (frictionless ignores algorithms other than md5/sha256, with a warning).
  let hashAlgorithm: string | undefined;
  let hashExpected: string | undefined;
  if (options.hash) {
    const idx = options.hash.indexOf(':');
    hashAlgorithm = idx === -1 ? 'md5' : options.hash.slice(0, idx);
    hashExpected = idx === -1 ? options.hash : options.hash.slice(idx + 1);
    if (hashAlgorithm !== 'md5' && hashAlgorithm !== 'sha256') {
      warnings.push('hash is ignored; supported algorithms: md5/sha256');
      hashAlgorithm = undefined;
    }
  }

  if (options.signal?.aborted)
    return failedTask(name, place, timer, [makeError('source-error', 'validation was aborted')]);
  let opened: OpenedSource;
  try {
    opened = await openSource(source, {
      caps: options.caps,
      signal: options.signal,
      format: options.format,
      compression: options.compression,
      innerpath: options.innerpath,
      name: options.name,
    });
  } catch (error) {
    if (error instanceof ValidationFailure) return failedTask(name, place, timer, [error.error]);
    throw error;
  }
  name = opened.name;
  place = opened.place;
  const text = new TextSource(opened);
  const statsOf = () => {
    const s: Partial<ReportTask['stats']> = {};
    if (opened.stats.md5) s.md5 = opened.stats.md5;
    if (opened.stats.sha256) s.sha256 = opened.stats.sha256;
    if (opened.stats.bytes) s.bytes = opened.stats.bytes;
    return s;
  };

  // ---- open: buffer, encoding, sniffing, sample --------------------------------------
  let parser: Parser;
  let records: string[][] = [];
  let recordEnds: number[] = [];
  let parseError: unknown;
  let encoding: string;
  let dialect: ReturnType<typeof resolveDialect>;
  let detected: DialectDetectionResult | undefined;
  let ended: Promise<void> = Promise.resolve();
  // What frictionless-py reports when it stops before the end: the bytes its 8 KiB reads had
  // reached, and no hashes.
  let stopAt: number | undefined;
  const partialStats = (): Partial<ReportTask['stats']> => {
    const total = opened.stats.bytes;
    const bytes = stopAt === undefined ? total : Math.min(total, (Math.floor(stopAt / SLICE) + 1) * SLICE);
    return bytes ? { bytes } : {};
  };
  const byteOffset = (parserOffset: number) => text.offsetBase + parserOffset;
  // What the parser was given since the last complete record: an unclosed quote at the end
  // of the data is read the way Python's csv does (the field runs to the end) from it.
  let kept: Buffer[] = [];
  let keptStart = 0;
  let lastEndBeforeDrop = 0; // end of the last record once `recordEnds` was emptied
  const feed = (piece: Buffer | string) => {
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
    const lastEnd = recordEnds.length ? (recordEnds[recordEnds.length - 1] as number) : lastEndBeforeDrop;
    while (kept.length && keptStart + (kept[0] as Buffer).length <= lastEnd)
      keptStart += (kept.shift() as Buffer).length;
    kept.push(bytes);
    parser.write(piece);
  };
  const finishParser = async () => {
    if (!parser.writableEnded) parser.end();
    await ended;
    const e = parseError as { code?: string } | undefined;
    if (e?.code === 'CSV_QUOTE_NOT_CLOSED') {
      // the unclosed record starts where the last complete one ended
      const from = recordEnds.length ? (recordEnds[recordEnds.length - 1] as number) : lastEndBeforeDrop;
      const all = Buffer.concat(kept);
      const tail = all.subarray(Math.max(0, from - keptStart));
      for (const record of pythonCsvRecords(text.decode(tail), dialect)) {
        records.push(record);
        recordEnds.push(from + tail.length);
      }
      kept = [];
      parseError = undefined;
    }
  };
  try {
    const { buffer, complete } = await text.readBuffer();
    // A portal's error page served with a CSV content type: not a table.
    if (
      /^https?:/i.test(opened.place) &&
      /^\s*<(!doctype html|html|head|body)[\s>]/i.test(
        Buffer.from(buffer.subarray(0, 512)).toString('latin1'),
      )
    )
      throw new ValidationFailure('format-error', 'the server answered with an HTML page, not a table');
    encoding = options.encoding ? normalizeEncoding(options.encoding) : detectEncoding(buffer, complete);
    if (encoding !== 'utf-8' && encoding !== 'utf-8-sig') createDecoder(encoding); // unknown encodings fail here
    text.setEncoding(encoding);
    // Sniff over the first 100 lines.
    const head = firstLines(text.preview(encoding, 1024 * 1024), SAMPLE_SIZE);
    const format = options.format ?? opened.format;
    detected = detectDialect(head, {
      mode: options.dialectDetection,
      fieldCount: positionalFieldCount(options.schema),
    });
    dialect = resolveDialect(options.dialect, detected.sniffed, format);
    const csvOptions: CsvOptions = {
      delimiter: dialect.delimiter,
      quote: dialect.quoteChar === '' ? false : dialect.quoteChar,
      escape: dialect.escapeChar ?? dialect.quoteChar ?? '"',
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
      record_delimiter: lineTerminators(head),
      max_record_size: MAX_RECORD_CHARS,
      ltrim: dialect.skipInitialSpace,
      ...(text.parserEncoding ? { encoding: text.parserEncoding } : {}),
    };
    parser = new Parser(csvOptions);
    const p = parser;
    p.on('data', (record: string[]) => {
      if (text.c1Seen) for (let k = 0; k < record.length; k++) record[k] = remapCp1252(record[k] as string);
      // An empty line is a record without cells (Python's csv gives []).
      records.push(record.length === 1 && record[0] === '' ? [] : record);
      recordEnds.push(p.info.bytes);
    });
    ended = new Promise<void>((resolve) => {
      p.on('end', resolve);
      p.on('error', (error) => {
        parseError = error;
        resolve();
      });
    });
    p.resume();
    while (records.length < SAMPLE_SIZE && !text.done && !parseError) {
      const more = await text.next();
      if (more === undefined) break;
      if (more.length) feed(more);
    }
    if (text.done) await finishParser();
  } catch (error) {
    text.close();
    if (error instanceof ValidationFailure) {
      stopAt = error.bytePosition ?? text.fed;
      return failedTask(name, place, timer, [error.error], partialStats());
    }
    throw error;
  }

  // ---- dialect (header rows), labels, schema, header ---------------------------------
  const sample = records.slice(0, SAMPLE_SIZE);
  const isComment = (rowNumber: number, cells: string[]) =>
    (dialect.commentChar !== undefined &&
      cells.length > 0 &&
      (cells[0] as string).startsWith(dialect.commentChar)) ||
    (dialect.commentRows?.includes(rowNumber) ?? false);
  const header = dialect.header;
  let headerRows = dialect.headerRows;
  if (!dialect.headerDeclared && sample.length) {
    const widths = sample.map((c) => c.length);
    const width = Math.round(widths.reduce((a, b) => a + b, 0) / widths.length);
    const drift = Math.max(Math.round(width * 0.1), 1);
    for (let i = 0; i < sample.length; i++) {
      if (isComment(i + 1, sample[i] as string[])) continue;
      const w = (sample[i] as string[]).length;
      if (w >= width - drift && w <= width + drift) {
        headerRows = [i + 1];
        break;
      }
    }
  }
  const firstContentRow = header && headerRows.length ? (headerRows[headerRows.length - 1] as number) + 1 : 1;
  const labels = readLabels(sample, header, headerRows, dialect.headerJoin, isComment);
  const fragment: string[][] = [];
  for (let i = 0; i < sample.length; i++) {
    const rn = i + 1;
    if (rn < firstContentRow || isComment(rn, sample[i] as string[])) continue;
    if (dialect.skipBlankRows && (sample[i] as string[]).every((c) => c === '')) continue;
    fragment.push(sample[i] as string[]);
  }

  let schema: TableSchema;
  if (options.schema) schema = options.schema;
  else {
    let names = labels.length
      ? labels.slice()
      : fragment.length
        ? (fragment[0] as string[]).map((_c, i) => `field${i + 1}`)
        : [];
    names = names.map((n, i) => n || `field${i + 1}`);
    names = deduplicateNames(names);
    const fieldsOut: FieldDescriptor[] =
      options.infer === false || !fragment.length
        ? names.map((n) => ({ name: n, type: 'any' }))
        : inferFields(names, fragment);
    schema = { fields: fieldsOut };
  }
  const schemaFields = schema.fields ?? [];
  const primaryKey =
    schema.primaryKey === undefined
      ? []
      : Array.isArray(schema.primaryKey)
        ? schema.primaryKey
        : [schema.primaryKey];
  const errors: ReportError[] = [];
  let partial = false;
  let headerInfo: HeaderResult;
  try {
    headerInfo = processHeader(
      labels,
      schemaFields,
      headerRows,
      dialect.headerCase === false,
      schema.fieldsMatch ?? 'exact',
      primaryKey,
      header,
    );
    // frictionless-py's lookup: references to other resources need them in the package.
    for (const fk of schema.foreignKeys ?? []) {
      const ref = fk.reference.resource ?? '';
      if (ref === '' || ref === options.name) continue;
      if (!options.packageResources)
        throw new ValidationFailure(
          'resource-error',
          'package is required for foreign keys to other resources: "{fk}"',
        );
      if (!options.packageResources.includes(ref))
        throw new ValidationFailure(
          'resource-error',
          `failed to handle a foreign key for resource "${name}" as resource "${ref}" does not exist`,
        );
    }
  } catch (error) {
    text.close();
    if (!(error instanceof ValidationFailure)) throw error;
    // Failing after the sample was read: frictionless-py has read what the sample needed.
    if (!text.done) stopAt = byteOffset(recordEnds[Math.min(records.length, SAMPLE_SIZE) - 1] ?? 0);
    const st = stopAt === undefined ? statsOf() : partialStats();
    if (schemaFields.length) st.fields = schemaFields.length;
    return failedTask(name, place, timer, [error.error], st);
  }
  const fields = headerInfo.expected.map((f) => compileField(f, schema));
  options.onSchema?.(schema, {
    encoding,
    dialect: {
      delimiter: dialect.delimiter,
      quoteChar: dialect.quoteChar,
      header,
      headerRows: header ? headerRows : [],
    },
  });
  const fieldCount = fields.length;
  // The default missing values [""]: a length test instead of a Set lookup.
  const onlyEmptyMissing = fields.map((f) => f.missing.size === 1 && f.missing.has(''));
  const stats = { rows: 0 };

  // Checks (baseline first, then the opt-in ones in order)
  let checks: Check[];
  try {
    checks = createChecks(options.checks ?? [], { fields, schema, stats });
  } catch (error) {
    text.close();
    if (error instanceof ValidationFailure) return failedTask(name, place, timer, [error.error], statsOf());
    throw error;
  }
  const push = (e: ReportError) => {
    if (accept(e.type)) errors.push(e);
  };
  if (!labels.length && !fragment.length) errors.push(makeError('source-error', 'the source is empty'));
  for (const e of headerInfo.errors) push(e);
  for (const check of checks) {
    for (const e of check.start?.() ?? []) {
      if (e.type === 'check-error') check.disabled = true;
      push(e);
    }
  }
  checks = checks.filter((c) => !c.disabled);

  // ---- integrity setup -----------------------------------------------------------------
  const indexOf = new Map<string, number>();
  fields.forEach((f, i) => {
    indexOf.set(f.name, i);
  });
  const pkIndexes = primaryKey.map((n) => indexOf.get(n) ?? -1);
  const hasPk = primaryKey.length > 0 && pkIndexes.every((i) => i >= 0);
  const uniqueIdx: number[] = [];
  fields.forEach((f, i) => {
    if (f.unique) uniqueIdx.push(i);
  });
  // Size the key indexes once from the expected row count (file size ÷ bytes per sample
  // row): no doubling of a large table, whose old and new copies would both be alive.
  const sampleEnd = recordEnds[Math.min(records.length, SAMPLE_SIZE) - 1] ?? 0;
  const expectedRows =
    opened.totalBytes && !opened.compression && sampleEnd > 0 && records.length >= SAMPLE_SIZE
      ? Math.ceil((opened.totalBytes / (sampleEnd / Math.min(records.length, SAMPLE_SIZE))) * 1.05)
      : 1024;
  const uniqueMemory = uniqueIdx.map(() => new KeyIndex(expectedRows));
  const pkMemory = new KeyIndex(hasPk ? expectedRows : 16);
  const uniqueKeys = (Array.isArray(schema.uniqueKeys) ? schema.uniqueKeys : [])
    .map((k) => (Array.isArray(k) ? k : [k]).map((n) => indexOf.get(String(n)) ?? -1))
    .filter((k) => k.length && k.every((i) => i >= 0));
  const uniqueKeysMemory = uniqueKeys.map(() => new KeyIndex());
  interface FkGroup {
    source: string;
    sourceKey: string[];
    target: number[];
    targetNames: string[];
    keys: Set<string> | undefined;
  }
  const fkGroups: FkGroup[] = [];
  for (const fk of schema.foreignKeys ?? []) {
    const targetNames = Array.isArray(fk.fields) ? fk.fields : [fk.fields];
    const target = targetNames.map((n) => indexOf.get(n) ?? -1);
    if (target.some((i) => i < 0)) continue;
    const sourceKey = Array.isArray(fk.reference.fields) ? fk.reference.fields : [fk.reference.fields];
    const sourceName = fk.reference.resource ?? '';
    const keys = options.lookup?.get(sourceName)?.get(sourceKey.join('\u0001'));
    if (!keys) continue;
    fkGroups.push({ source: sourceName, sourceKey, target, targetNames, keys });
  }
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

  const summary = options.summary === false ? undefined : new SummaryCollector(fields);

  // ---- row processing ------------------------------------------------------------------
  const values: unknown[] = new Array(fieldCount).fill(null);
  const typeFailed: boolean[] = new Array(fieldCount).fill(false);
  const processed: boolean[] = new Array(fieldCount).fill(false);
  const rowErrors: ReportError[] = [];
  let blankCount = 0;
  let currentCells: string[] = [];
  let currentRow = 0;
  const cellStr = (i: number): string => {
    const v = values[i];
    if (v === null || v === undefined) return 'None';
    const f = fields[i] as CompiledField;
    if (f.type === 'number' && typeof v === 'number') return numberCellStr(f, currentCells[i] as string);
    return f.str(v);
  };
  const rowView: RowView = { rowNumber: 0, cells: currentCells, values, fields, cellStr };

  const processField = (i: number) => {
    processed[i] = true;
    const f = fields[i] as CompiledField;
    const cell = currentCells[i];
    let value: unknown = null;
    typeFailed[i] = false;
    if (cell !== undefined && !(onlyEmptyMissing[i] ? cell.length === 0 : f.missing.has(cell))) {
      value = f.read(cell);
      if (value === FAIL) {
        value = null;
        typeFailed[i] = true;
        rowErrors.push(cellError('type-error', f.typeNote, currentCells, currentRow, cell, f.name, i + 1));
        summary?.typeError(i, cell);
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
  let finished = false;
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

  const integrityErrors: ReportError[] = [];
  // Reading every remaining cell before an integrity error is appended (frictionless-py's
  // row.errors access processes the whole row at that moment).
  const complete = () => {
    if (!finished) {
      finishRow();
      finished = true;
    }
  };
  const handleRow = (cells: string[], rowNumber: number) => {
    stats.rows++;
    currentCells = cells;
    currentRow = rowNumber;
    rowView.cells = cells;
    rowView.rowNumber = rowNumber;
    rowErrors.length = 0;
    blankCount = 0;
    finished = false;
    if (!hasIntegrity) {
      for (let i = 0; i < fieldCount; i++) processField(i);
      const n = cells.length;
      if (n !== fieldCount || blankCount === fieldCount) {
        for (let i = 0; i < fieldCount; i++) processed[i] = true;
        finishRow();
      }
    } else {
      processed.fill(false);
      integrityErrors.length = 0;
      let u = 0;
      // unique fields are read first, one at a time
      for (const i of integrityOrder) {
        if (!processed[i]) processField(i);
        if (u < uniqueIdx.length && uniqueIdx[u] === i) {
          const v = values[i];
          if (v !== null) {
            const match =
              typeof v === 'number'
                ? (uniqueMemory[u] as KeyIndex).setNumber(v, rowNumber)
                : (uniqueMemory[u] as KeyIndex).set((fields[i] as CompiledField).key(v), rowNumber);
            if (match) {
              complete();
              integrityErrors.push(
                cellError(
                  'unique-error',
                  `the same as in the row at position ${match}`,
                  cells,
                  rowNumber,
                  cellStr(i),
                  (fields[i] as CompiledField).name,
                  i + 1,
                ),
              );
            }
          }
          u++;
        }
      }
      if (hasPk) {
        if (pkIndexes.every((i) => values[i] === null)) {
          complete();
          integrityErrors.push(
            rowError('primary-key', 'cells composing the primary keys are all "None"', cells, rowNumber),
          );
        } else {
          const match = pkMemory.set(keyOf(pkIndexes), rowNumber);
          if (match) {
            complete();
            integrityErrors.push(
              rowError('primary-key', `the same as in the row at position ${match}`, cells, rowNumber),
            );
          }
        }
      }
      for (const g of fkGroups) {
        if (g.target.every((i) => values[i] === null)) continue;
        const key = keyOf(g.target);
        if (!g.keys?.has(key)) {
          complete();
          const shown = g.target.map((i) => cellStr(i));
          const e = makeError(
            'foreign-key',
            `for "${g.targetNames.join(', ')}": values "${shown.join(', ')}" not found in the lookup table "${g.source}" as "${g.sourceKey.join(', ')}"`,
            {
              cells: cells,
              rowNumber,
              fieldNames: g.targetNames.slice(),
              fieldCells: shown,
              referenceName: g.source,
              referenceFieldNames: g.sourceKey.slice(),
            },
          );
          integrityErrors.push(e);
        }
      }
      uniqueKeys.forEach((idx, k) => {
        if (idx.some((i) => values[i] === null)) return;
        const match = (uniqueKeysMemory[k] as KeyIndex).set(keyOf(idx), rowNumber);
        if (match) {
          complete();
          const first = idx[0] as number;
          integrityErrors.push(
            cellError(
              'unique-error',
              `the same as in the row at position ${match} for unique key "${idx.map((i) => (fields[i] as CompiledField).name).join(', ')}"`,
              cells,
              rowNumber,
              cellStr(first),
              (fields[first] as CompiledField).name,
              first + 1,
            ),
          );
        }
      });
      complete();
      for (const e of integrityErrors) rowErrors.push(e);
    }
    for (const e of rowErrors) push(e);
    summary?.row(values, typeFailed, currentCells);
    for (let c = 0; c < checks.length; c++) {
      const out = (checks[c] as Check).row?.(rowView);
      if (out) for (const e of out) push(e);
    }
    options.onRow?.(rowView);
  };

  // ---- stream the rest -----------------------------------------------------------------
  let recordIndex = 0; // position in `records`
  let recordBase = 0; // records dropped before `records[0]`
  let stopped = false;
  let lastEnd = 0; // character offset after the last consumed record
  const consume = () => {
    const commentsOn = dialect.commentChar !== undefined || dialect.commentRows !== undefined;
    while (recordIndex < records.length && !stopped) {
      const cells = records[recordIndex] as string[];
      lastEnd = recordEnds[recordIndex] as number;
      recordIndex++;
      const rowNumber = recordBase + recordIndex;
      if (rowNumber < firstContentRow) continue;
      if (commentsOn && isComment(rowNumber, cells)) continue;
      if (dialect.skipBlankRows && cells.every((c) => c === '')) continue;
      handleRow(cells, rowNumber);
      if (limitRows && stats.rows >= limitRows) {
        warnings.push(`reached row limit: ${limitRows}`);
        partial = true;
        stopped = true;
      } else if (limitErrors && errors.length >= limitErrors) {
        errors.length = limitErrors;
        warnings.push(`reached error limit: ${limitErrors}`);
        partial = true;
        stopped = true;
      }
    }
    if (recordIndex === records.length) {
      recordBase += recordIndex;
      recordIndex = 0;
      records = [];
      if (recordEnds.length) lastEndBeforeDrop = recordEnds[recordEnds.length - 1] as number;
      recordEnds = [];
    }
  };

  let lastProgress = 0;
  const progress = () => {
    if (!options.onProgress) return;
    const now = performance.now();
    if (now - lastProgress < 100) return;
    lastProgress = now;
    options.onProgress({ bytes: opened.stats.bytes, rows: stats.rows, totalBytes: opened.totalBytes });
  };

  try {
    consume();
    while (!stopped && !parseError && !text.done) {
      if (options.signal?.aborted) throw new ValidationFailure('source-error', 'validation was aborted');
      const more = await text.next();
      if (more === undefined) break;
      if (more.length) feed(more);
      if (text.done) await finishParser();
      consume();
      progress();
    }
    if (!stopped && !parseError) {
      await finishParser();
      consume();
    }
    if (parseError && !stopped) {
      consume();
      errors.push(csvFailure(parseError).error);
      stopAt = text.fed;
    }
  } catch (error) {
    if (!(error instanceof ValidationFailure)) throw error;
    errors.push(error.error);
    stopAt = error.bytePosition ?? text.fed;
  } finally {
    text.close();
    options.onProgress?.({ bytes: opened.stats.bytes, rows: stats.rows, totalBytes: opened.totalBytes });
  }
  if (stopped) stopAt = byteOffset(lastEnd);

  // ---- end of table --------------------------------------------------------------------
  if (!partial) {
    if (hashAlgorithm && hashExpected) {
      const actual = hashAlgorithm === 'md5' ? opened.stats.md5 : opened.stats.sha256;
      if (actual && actual !== hashExpected)
        push(makeError('hash-count', `expected is "${hashExpected}" and actual is "${actual}"`));
    }
    if (options.bytes && options.bytes !== opened.stats.bytes)
      push(makeError('byte-count', `expected is "${options.bytes}" and actual is "${opened.stats.bytes}"`));
    for (const check of checks) for (const e of check.end?.() ?? []) push(e);
  }

  const taskStats: ReportTask['stats'] = {
    errors: errors.length,
    warnings: warnings.length,
    seconds: seconds(timer),
    ...(stopAt === undefined ? statsOf() : partialStats()),
  };
  if (schemaFields.length) taskStats.fields = schemaFields.length;
  if (stats.rows) taskStats.rows = stats.rows;
  const task: ReportTask = {
    name,
    type: 'table',
    valid: errors.length === 0,
    place: opened.place,
    labels,
    stats: taskStats,
    warnings,
    errors,
  };
  if (summary) {
    task.summary = summary.result({
      encoding,
      dialect: {
        delimiter: dialect.delimiter,
        quoteChar: dialect.quoteChar,
        header,
        headerRows: header ? headerRows : [],
        skipInitialSpace: dialect.skipInitialSpace,
        ...dialectSummary(detected, dialect),
      },
      errors,
    });
  }
  return task;
}

function csvFailure(error: unknown): ValidationFailure {
  if (error instanceof ValidationFailure) return error;
  const e = error as { code?: string; message?: string };
  if (e.code === 'CSV_MAX_RECORD_SIZE')
    return new ValidationFailure('source-error', `field larger than field limit (${MAX_RECORD_CHARS})`);
  return new ValidationFailure('source-error', e.message ?? String(error));
}
