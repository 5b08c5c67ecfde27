// Validation of one table resource, streamed: frictionless-py's TableResource.open() +
// Resource.validate() (header, rows, integrity, checks, limits) in one pass.

import type { Options as CsvOptions } from 'csv-parse';
import { baselineEnd, createRowReader } from './checks/baseline.ts';
import type { RowView } from './checks/check.ts';
import type { ForeignLookup } from './checks/foreign-key.ts';
import { type Check, createChecks } from './checks/index.ts';
import { type DeclaredDialect, resolveDialect } from './dialect.ts';
import {
  type DialectDetection,
  type DialectDetectionResult,
  detectDialect,
  dialectSummary,
  positionalFieldCount,
} from './dialect-detection.ts';
import { createDecoder, detectEncoding, normalizeEncoding } from './encoding.ts';
import { makeError, makeErrorFilter, ValidationFailure } from './errors.ts';
import { compileField } from './fields/index.ts';
import { deduplicateNames, type HeaderResult, processHeader, readLabels } from './header.ts';
import { inferFields } from './infer-types.ts';
import { KeyIndex } from './key-index.ts';
import { firstLines } from './sniff.ts';
import { type OpenedSource, openSource, type Source } from './source.ts';
import { DEFAULT_CHUNK_SIZE, splitRead, threadCount } from './split.ts';
import { SummaryCollector } from './summary.ts';
import { type CsvApi, csvParser, pythonCsvRecords, remapCp1252, SLICE, TextSource } from './text-source.ts';
import type { CheckDescriptor, FieldDescriptor, ReportError, ReportTask, TableSchema } from './types.ts';

export type { ForeignLookup, RowView };

export const SAMPLE_SIZE = 100;
const noop = () => {};
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
  /** Worker threads for a split read (see ./split.ts); 'auto' by default. */
  threads?: number | 'auto';
  /** Bytes per range of a split read; given, any file with data left after its header is split. */
  chunkSize?: number;
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
  let parser: CsvApi;
  let parserEnded = false;
  let records: string[][] = [];
  let recordEnds: number[] = [];
  let parseError: unknown;
  let encoding: string;
  let dialect: ReturnType<typeof resolveDialect>;
  let detected: DialectDetectionResult | undefined;
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
  // While the sample is read everything is kept: a split read takes over from its bytes.
  let sampling = true;
  let parserFed = 0;
  let onRecord: (record: string[]) => void = noop;
  const feed = (piece: Buffer | string) => {
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
    const lastEnd = recordEnds.length ? (recordEnds[recordEnds.length - 1] as number) : lastEndBeforeDrop;
    while (!sampling && kept.length && keptStart + (kept[0] as Buffer).length <= lastEnd)
      keptStart += (kept.shift() as Buffer).length;
    kept.push(bytes);
    parserFed += bytes.length;
    if (parseError || parserEnded) return;
    const error = parser.parse(bytes, false, onRecord, noop);
    if (error) parseError = error;
  };
  const finishParser = async () => {
    if (!parserEnded && !parseError) {
      parserEnded = true;
      const error = parser.parse(undefined, true, onRecord, noop);
      if (error) parseError = error;
    }
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
  let csvOptions: CsvOptions;
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
    csvOptions = {
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
    const p = csvParser(csvOptions);
    parser = p;
    onRecord = (record: string[]) => {
      if (text.c1Seen) for (let k = 0; k < record.length; k++) record[k] = remapCp1252(record[k] as string);
      // An empty line is a record without cells (Python's csv gives []).
      records.push(record.length === 1 && record[0] === '' ? [] : record);
      recordEnds.push(p.info.bytes);
    };
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
  const stats = { rows: 0 };

  // Checks (baseline first, then the opt-in ones in order)
  let checks: Check[];
  let checkDescriptors: CheckDescriptor[];
  try {
    checks = createChecks(options.checks ?? [], { fields, schema, stats });
    checkDescriptors = options.checks ?? [];
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
  checkDescriptors = checkDescriptors.filter((_d, i) => !checks[i]?.disabled);
  checks = checks.filter((c) => !c.disabled);

  // ---- rows: baseline and key constraints (checks/baseline.ts), summary, opt-in checks ----
  // Size the key indexes once from the expected row count (file size ÷ bytes per sample
  // row): no doubling of a large table, whose old and new copies would both be alive.
  const sampleEnd = recordEnds[Math.min(records.length, SAMPLE_SIZE) - 1] ?? 0;
  const expectedRows =
    opened.totalBytes && !opened.compression && sampleEnd > 0 && records.length >= SAMPLE_SIZE
      ? Math.ceil((opened.totalBytes / (sampleEnd / Math.min(records.length, SAMPLE_SIZE))) * 1.05)
      : 1024;
  const summary = options.summary === false ? undefined : new SummaryCollector(fields);
  const memories: KeyIndex[] = [];
  const reader = createRowReader({
    fields,
    schema,
    lookup: options.lookup,
    expectedRows,
    onTypeError: summary ? (i, cell) => summary.typeError(i, cell) : undefined,
    memory: (slot, n) => {
      const index = new KeyIndex(n);
      memories[slot] = index;
      return index;
    },
  });
  const rowView = reader.view;
  const handleRow = (cells: string[], rowNumber: number) => {
    stats.rows++;
    const rowErrors = reader.read(cells, rowNumber);
    for (let k = 0; k < rowErrors.length; k++) push(rowErrors[k] as ReportError);
    summary?.row(reader.values, reader.typeFailed, cells);
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

  // ---- a split read (./split.ts) takes over after the header when the file is large ----------
  const threads = threadCount(options.threads);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const splitAt = options.chunkSize ? firstContentRow - 1 : Math.min(records.length, SAMPLE_SIZE);
  const splitFrom = splitAt > 0 ? (recordEnds[splitAt - 1] as number) : 0;
  const quoteByte = dialect.quoteChar === '' ? -1 : dialect.quoteChar.charCodeAt(0);
  const keptLength = kept.reduce((n, b) => n + b.length, 0);
  const splitWanted =
    threads > 1 &&
    !options.onRow &&
    // A file read whole by the sample is split only when asked to (tests force small ranges).
    (text.splittable ||
      (options.chunkSize !== undefined && text.done && text.parserEncoding !== undefined)) &&
    !parseError &&
    !opened.compression &&
    dialect.commentRows === undefined &&
    (dialect.escapeChar === undefined || dialect.escapeChar === dialect.quoteChar) &&
    quoteByte < 128 &&
    checks.every((c) => c.split) &&
    // header errors already at the limit: a single pass still reads one row, then stops
    !(limitErrors && errors.length >= limitErrors) &&
    splitAt <= records.length &&
    keptStart + keptLength === parserFed &&
    keptStart <= splitFrom;
  // Of unknown length (a remote file without Content-Length, a caller's stream), the source is
  // measured by reading ahead: at most two ranges are held before the split read takes them.
  // A failure met while reading ahead is thrown once the bytes before it are read.
  let remaining = (opened.totalBytes ?? 0) - byteOffset(splitFrom);
  if (splitWanted && opened.totalBytes === undefined) {
    const wanted = byteOffset(splitFrom) + (options.chunkSize ? 1 : 2 * chunkSize);
    remaining = (await text.lookAhead(wanted)).taken - byteOffset(splitFrom);
  }
  const splittable = splitWanted && (options.chunkSize ? remaining > 0 : remaining >= 2 * chunkSize);
  sampling = false;
  let splitStop: number | undefined;

  try {
    if (splittable) {
      records = records.slice(0, splitAt);
      recordEnds = recordEnds.slice(0, splitAt);
      consume();
    }
    if (splittable && !stopped) {
      const head = Buffer.concat(kept).subarray(splitFrom - keptStart);
      kept = [];
      parserEnded = true;
      const outcome = await splitRead({
        text,
        file: opened.compression ? undefined : opened.file,
        head: [head, ...text.takeRaw()],
        start: byteOffset(splitFrom),
        config: {
          fields: headerInfo.expected,
          schema,
          csv: csvOptions,
          dialect: {
            delimiter: dialect.delimiter,
            quoteChar: dialect.quoteChar,
            escapeChar: dialect.escapeChar,
            doubleQuote: dialect.doubleQuote,
            skipInitialSpace: dialect.skipInitialSpace,
            commentChar: dialect.commentChar,
            skipBlankRows: dialect.skipBlankRows,
          },
          cp1252: text.remapsC1,
          checks: checkDescriptors,
          pickErrors: options.pickErrors,
          skipErrors: options.skipErrors,
          summary: summary !== undefined,
          lookup: options.lookup,
          bytesPerRow: sampleEnd > 0 && records.length ? sampleEnd / records.length : 100,
        },
        threads,
        chunkSize,
        quote: quoteByte,
        newline: csvOptions.record_delimiter === '\r' ? 13 : 10,
        encodingCheck: text.parserEncoding === 'utf8' ? 'utf8' : text.remapsC1 ? 'cp1252' : 'none',
        records: recordBase,
        rows: stats.rows,
        errors,
        limitRows,
        limitErrors,
        memories,
        summary,
        signal: options.signal,
        progress: (rows) => {
          stats.rows = rows;
          progress();
        },
      });
      stats.rows = outcome.rows;
      if (outcome.stop) {
        warnings.push(
          outcome.stop.by === 'rows'
            ? `reached row limit: ${limitRows}`
            : `reached error limit: ${limitErrors}`,
        );
        partial = true;
        splitStop = outcome.stop.at;
      }
      if (outcome.failure) throw outcome.failure;
    }
    if (!splittable) consume();
    while (!splittable && !stopped && !parseError && !text.done) {
      if (options.signal?.aborted) throw new ValidationFailure('source-error', 'validation was aborted');
      const more = await text.next();
      if (more === undefined) break;
      if (more.length) feed(more);
      if (text.done) await finishParser();
      consume();
      progress();
    }
    if (!splittable && !stopped && !parseError) {
      await finishParser();
      consume();
    }
    if (!splittable && parseError && !stopped) {
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
  if (splitStop !== undefined) stopAt = splitStop;

  // ---- end of table --------------------------------------------------------------------
  if (!partial) {
    for (const e of baselineEnd({ hashAlgorithm, hashExpected, bytes: options.bytes }, opened.stats)) push(e);
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
