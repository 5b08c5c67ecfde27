// @quipu/quality: a streaming validator for CSV/TSV tables whose reports agree with
// frictionless-py 5.21 (same error codes, numbers, messages and order; v5 report shape).

import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { DialectDetection } from './dialect-detection.ts';
import { makeError, ValidationFailure } from './errors.ts';
import { type CompiledField, compileField, isV2, publicValue, readFieldCell } from './fields/index.ts';
import { type InferOptions, inferSchema as inferSchemaImpl } from './infer.ts';
import { checkSchema } from './schema-descriptor.ts';
import type { Source } from './source.ts';
import { type ForeignLookup, failedTask, type RowView, type TableOptions, validateTable } from './table.ts';
import type {
  CheckDescriptor,
  DataPackage,
  Dialect,
  FieldDescriptor,
  InferResult,
  Report,
  ReportError,
  ReportTask,
  ResourceDescriptor,
  TableSchema,
} from './types.ts';

export type { DialectDetection } from './dialect-detection.ts';
export { ERROR_SPECS } from './errors.ts';
export type { InferOptions } from './infer.ts';
export { KeyIndex } from './key-index.ts';
export { checkSchema } from './schema-descriptor.ts';
export type { Source } from './source.ts';
export type { RowView } from './table.ts';
export type * from './types.ts';

export interface ValidateOptions {
  schema?: TableSchema | string;
  dialect?: Dialect | string;
  package?: DataPackage | string;
  checks?: CheckDescriptor[];
  limitErrors?: number;
  limitRows?: number;
  pickErrors?: string[];
  skipErrors?: string[];
  encoding?: string;
  format?: 'csv' | 'tsv';
  compression?: 'gz' | 'zip';
  hash?: string;
  bytes?: number;
  infer?: boolean;
  /** How an undeclared delimiter is found: "consistency" (default) or "frictionless" (its sniffer alone). */
  dialectDetection?: DialectDetection;
  caps?: { maxBytes?: number; timeoutMs?: number; maxRedirects?: number; allowPrivateNetwork?: boolean };
  signal?: AbortSignal;
  onProgress?: (p: { bytes: number; rows: number; totalBytes?: number }) => void;
  /**
   * Worker threads for one large file ('auto': every core; 1: single-threaded). Files with
   * less than two ranges left after the sample stay single-threaded.
   */
  threads?: number | 'auto';
  /** Bytes per range of a split read (8 MiB); given, even a small file is split (tests). */
  chunkSize?: number;
}

class MetadataFailure extends Error {
  readonly errors: ReportError[];
  constructor(errors: ReportError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.errors = errors;
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

async function loadJson<T>(
  value: T | string,
  kind: 'schema-error' | 'dialect-error' | 'package-error',
): Promise<{ value: T; base?: string }> {
  if (typeof value !== 'string') return { value };
  try {
    const text = await readFile(value, 'utf8');
    return { value: parseJsonExact(text) as T, base: dirname(value) };
  } catch (error) {
    const label = kind === 'schema-error' ? 'schema' : kind === 'dialect-error' ? 'dialect' : 'package';
    throw new ValidationFailure(kind, `cannot retrieve ${label} "${value}": ${(error as Error).message}`);
  }
}

/** JSON.parse, with integers past 2^53 kept exact as BigInt (constraint bounds, enums). */
function parseJsonExact(text: string): unknown {
  return JSON.parse(text, (_key, value, context?: { source?: string }) =>
    typeof value === 'number' &&
    !Number.isSafeInteger(value) &&
    context?.source !== undefined &&
    /^-?\d+$/.test(context.source)
      ? BigInt(context.source)
      : value,
  );
}

function reportOf(tasks: ReportTask[], seconds: number, errors: ReportError[] = []): Report {
  const errorCount = errors.length + tasks.reduce((s, t) => s + t.stats.errors, 0);
  const warningCount = tasks.length === 1 ? (tasks[0] as ReportTask).warnings.length : 0;
  return {
    valid: errorCount === 0,
    stats: { tasks: tasks.length, errors: errorCount, warnings: warningCount, seconds: round3(seconds) },
    warnings: [],
    errors,
    tasks,
  };
}

function metadataFailureReport(error: ReportError, started: number, name = 'memory', place = ''): Report {
  return reportOf(
    [failedTask(name, place, { start: started }, [error])],
    (performance.now() - started) / 1000,
  );
}

async function resolveOptions(
  options: ValidateOptions,
): Promise<{ schema?: TableSchema; dialect?: Dialect }> {
  const out: { schema?: TableSchema; dialect?: Dialect } = {};
  if (options.schema !== undefined) {
    out.schema = (await loadJson(options.schema, 'schema-error')).value;
    const problems = checkSchema(out.schema);
    if (problems.length) throw new MetadataFailure(problems);
  }
  if (options.dialect !== undefined) out.dialect = (await loadJson(options.dialect, 'dialect-error')).value;
  return out;
}

function tableOptions(options: ValidateOptions): TableOptions {
  return {
    checks: options.checks,
    limitErrors: options.limitErrors,
    limitRows: options.limitRows,
    pickErrors: options.pickErrors,
    skipErrors: options.skipErrors,
    encoding: options.encoding,
    format: options.format,
    compression: options.compression,
    hash: options.hash,
    bytes: options.bytes,
    infer: options.infer,
    dialectDetection: options.dialectDetection,
    caps: options.caps,
    signal: options.signal,
    onProgress: options.onProgress,
    threads: options.threads,
    chunkSize: options.chunkSize,
  };
}

/** Validates a table (or, with `package`, every resource of a Data Package). */
export async function validate(source: Source | undefined, options: ValidateOptions = {}): Promise<Report> {
  const started = performance.now();
  if (options.package !== undefined) return validatePackage(options.package, options, started);
  if (source === undefined)
    return metadataFailureReport(makeError('source-error', 'no source given'), started);
  // A descriptor given as the source: a Data Package, or a single Data Resource.
  if (typeof source === 'string' && /\.json$/i.test(source) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    const descriptor = await readDescriptor(source);
    if (descriptor && Array.isArray((descriptor as DataPackage).resources))
      return validatePackage(source, options, started);
    if (descriptor && ('path' in descriptor || 'data' in descriptor))
      return validatePackage(
        { resources: [descriptor as ResourceDescriptor] },
        options,
        started,
        dirname(source),
      );
  }
  let resolved: { schema?: TableSchema; dialect?: Dialect };
  try {
    resolved = await resolveOptions(options);
  } catch (error) {
    // frictionless-py fails building the Schema: the errors stand at the top, with no task.
    if (error instanceof MetadataFailure)
      return reportOf([], (performance.now() - started) / 1000, error.errors);
    if (error instanceof ValidationFailure)
      return metadataFailureReport(error.error, started, undefined, typeof source === 'string' ? source : '');
    throw error;
  }
  const opts = tableOptions(options);
  if (resolved.schema) opts.schema = resolved.schema;
  if (resolved.dialect) opts.dialect = resolved.dialect;
  if (resolved.schema?.foreignKeys?.some((fk) => !fk.reference.resource)) {
    opts.lookup = await selfLookup(source, resolved.schema, opts);
  }
  const task = await safeValidateTable(source, opts);
  return reportOf([task], (performance.now() - started) / 1000);
}

/** Reads the referenced key sets of a resource (frictionless-py's Lookup): parsed tuples, all-null skipped. */
async function collectKeys(
  source: Source,
  options: TableOptions,
  keySets: string[][],
  into: Map<string, Set<string>>,
): Promise<void> {
  const sets = keySets.map((k) => {
    const id = k.join('\u0001');
    let set = into.get(id);
    if (!set) {
      set = new Set<string>();
      into.set(id, set);
    }
    return { names: k, set };
  });
  let indexes: number[][] | undefined;
  await validateTable(source, {
    ...options,
    schema: options.schema ? { ...options.schema, foreignKeys: [] } : undefined,
    checks: [],
    limitErrors: Number.MAX_SAFE_INTEGER,
    limitRows: undefined,
    summary: false,
    onProgress: undefined,
    onRow: (row: RowView) => {
      indexes ??= sets.map((s) => s.names.map((n) => row.fields.findIndex((f) => f.name === n)));
      sets.forEach((s, k) => {
        const idx = (indexes as number[][])[k] as number[];
        if (idx.some((i) => i < 0)) return;
        if (idx.every((i) => row.values[i] === null)) return;
        let key = '';
        for (const i of idx) {
          const v = row.values[i];
          key += v === null ? '\u0000' : (row.fields[i] as CompiledField).key(v);
          key += '\u0001';
        }
        s.set.add(key);
      });
    },
  });
}

async function selfLookup(
  source: Source,
  schema: TableSchema,
  options: TableOptions,
): Promise<ForeignLookup> {
  const lookup: ForeignLookup = new Map();
  const keys = (schema.foreignKeys ?? [])
    .filter((fk) => !fk.reference.resource)
    .map((fk) => (Array.isArray(fk.reference.fields) ? fk.reference.fields : [fk.reference.fields]));
  const map = new Map<string, Set<string>>();
  lookup.set('', map);
  if (typeof source === 'string' || source instanceof URL || (typeof source === 'object' && 'data' in source))
    await collectKeys(source, options, keys, map);
  return lookup;
}

async function readDescriptor(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

async function validatePackage(
  pkg: DataPackage | string,
  options: ValidateOptions,
  started: number,
  basepath?: string,
): Promise<Report> {
  let descriptor: DataPackage;
  let base: string | undefined = basepath;
  try {
    const loaded = await loadJson(pkg, 'package-error');
    descriptor = loaded.value;
    base = loaded.base ?? basepath;
    if (!descriptor || !Array.isArray(descriptor.resources))
      throw new ValidationFailure('package-error', '"resources" is a required property');
  } catch (error) {
    if (error instanceof ValidationFailure)
      return reportOf([], (performance.now() - started) / 1000, [error.error]);
    throw error;
  }
  const resolvePath = (p: string) =>
    /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || isAbsolute(p) || !base ? p : join(base, p);
  interface Prepared {
    resource: ResourceDescriptor;
    source: Source | undefined;
    opts: TableOptions;
    error?: ReportError;
  }
  const prepared: Prepared[] = [];
  for (const resource of descriptor.resources) {
    const opts = tableOptions(options);
    let error: ReportError | undefined;
    try {
      if (resource.schema !== undefined) {
        const schema =
          typeof resource.schema === 'string'
            ? (await loadJson<TableSchema>(resolvePath(resource.schema), 'schema-error')).value
            : resource.schema;
        const problems = checkSchema(schema, descriptor as { $schema?: unknown });
        if (problems.length) throw new MetadataFailure(problems);
        // The package's v2 profile governs its schemas' v2 rules (an integer's groupChar).
        opts.schema =
          isV2(descriptor as { $schema?: unknown }) && !isV2(schema as { $schema?: unknown })
            ? { ...schema, $schema: (descriptor as { $schema?: unknown }).$schema }
            : schema;
      }
      if (resource.dialect !== undefined)
        opts.dialect =
          typeof resource.dialect === 'string'
            ? (await loadJson<Dialect>(resolvePath(resource.dialect), 'dialect-error')).value
            : resource.dialect;
    } catch (e) {
      if (e instanceof MetadataFailure) error = e.errors[0];
      else if (e instanceof ValidationFailure) error = e.error;
      else throw e;
    }
    if (resource.encoding) opts.encoding = resource.encoding;
    if (resource.format) opts.format = resource.format;
    if (resource.compression) opts.compression = resource.compression;
    if (resource.hash) opts.hash = resource.hash;
    if (typeof resource.bytes === 'number') opts.bytes = resource.bytes;
    if (typeof resource.name === 'string') opts.name = resource.name;
    let source: Source | undefined;
    const path = Array.isArray(resource.path) ? resource.path[0] : resource.path;
    if (typeof path === 'string') source = resolvePath(path);
    else if (Array.isArray(resource.data)) {
      const rows = resource.data as unknown[][];
      const text = rows
        .map((r) => (Array.isArray(r) ? r : Object.values(r as object)).map((c) => csvCell(c)).join(','))
        .join('\n');
      source = { data: text, name: resource.name ?? 'memory' };
      opts.format = 'csv';
    } else if (typeof resource.data === 'string')
      source = { data: resource.data, name: resource.name ?? 'memory' };
    prepared.push({ resource, source, opts, ...(error ? { error } : {}) });
  }
  // Foreign keys: each resource gets the key sets it references (under the name its schema
  // uses: "" or its own name for itself), each set read once per (resource, fields).
  const keySets = new Map<string, Set<string>>();
  const tasks: ReportTask[] = [];
  for (const p of prepared) {
    const name = p.resource.name ?? 'memory';
    const place = typeof p.resource.path === 'string' ? p.resource.path : '<inline>';
    const timer = { start: performance.now() };
    if (p.error || !p.source) {
      const error = p.error ?? makeError('resource-error', 'one of "path" or "data" is required');
      tasks.push(failedTask(name, place, timer, [error]));
      continue;
    }
    const lookup: ForeignLookup = new Map();
    for (const fk of p.opts.schema?.foreignKeys ?? []) {
      const refName = fk.reference.resource ?? '';
      const refFields = Array.isArray(fk.reference.fields) ? fk.reference.fields : [fk.reference.fields];
      const targetIndex =
        refName === '' || refName === p.resource.name
          ? prepared.indexOf(p)
          : prepared.findIndex((q) => q.resource.name === refName);
      const target = prepared[targetIndex];
      if (!target?.source) continue;
      const id = `${targetIndex}\u0002${refFields.join('\u0001')}`;
      let keys = keySets.get(id);
      if (!keys) {
        const map = new Map<string, Set<string>>();
        await collectKeys(target.source, { ...target.opts }, [refFields], map);
        keys = map.get(refFields.join('\u0001')) ?? new Set();
        keySets.set(id, keys);
      }
      let byFields = lookup.get(refName);
      if (!byFields) {
        byFields = new Map();
        lookup.set(refName, byFields);
      }
      byFields.set(refFields.join('\u0001'), keys);
    }
    p.opts.lookup = lookup;
    p.opts.packageResources = prepared
      .map((q) => q.resource.name)
      .filter((n): n is string => typeof n === 'string');
    const task = await safeValidateTable(p.source, p.opts);
    if (typeof p.resource.path === 'string') task.place = p.resource.path;
    tasks.push(task);
  }
  return reportOf(tasks, (performance.now() - started) / 1000);
}

/**
 * validateTable, with the promise that nothing escapes as an exception: a failure no reader
 * anticipated still ends as a source-error in the report (bad data must never crash a worker).
 */
async function safeValidateTable(source: Source, options: TableOptions): Promise<ReportTask> {
  const started = performance.now();
  try {
    return await validateTable(source, options);
  } catch (error) {
    const note = error instanceof Error ? error.message : String(error);
    const place = typeof source === 'string' ? source : source instanceof URL ? source.href : '<stream>';
    return failedTask(options.name ?? 'memory', place, { start: started }, [makeError('source-error', note)]);
  }
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Streams every row with its parsed values (progress UIs, custom checks), then the report. */
export async function* validateRows(
  source: Source,
  options: ValidateOptions = {},
): AsyncGenerator<{ row: RowView } | { report: Report }> {
  const queue: RowView[] = [];
  let notify: (() => void) | undefined;
  let done = false;
  let report: Report | undefined;
  let failure: unknown;
  const started = performance.now();
  const run = (async () => {
    const resolved = await resolveOptions(options);
    const opts = tableOptions(options);
    if (resolved.schema) opts.schema = resolved.schema;
    if (resolved.dialect) opts.dialect = resolved.dialect;
    opts.onRow = (row) => {
      queue.push({ ...row, cells: row.cells.slice(), values: row.values.slice() });
      notify?.();
    };
    const task = await validateTable(source, opts);
    report = reportOf([task], (performance.now() - started) / 1000);
  })()
    .catch((error) => {
      failure = error;
    })
    .finally(() => {
      done = true;
      notify?.();
    });
  while (!done || queue.length) {
    if (!queue.length) {
      await new Promise<void>((resolve) => {
        notify = resolve;
      });
      notify = undefined;
      continue;
    }
    yield { row: queue.shift() as RowView };
  }
  await run;
  if (failure) throw failure;
  if (report) yield { report };
}

/** Reads one cell like frictionless-py's Field.read_cell (the schema's missing values and v2 profile apply): the value, or the first note. */
export function readCell(
  field: FieldDescriptor,
  cell: string,
  schema?: Pick<TableSchema, 'missingValues' | '$schema'>,
): { value: unknown } | { error: string } {
  const compiled = compileField(field, schema);
  const out = readFieldCell(compiled, cell);
  if (out.typeNote) return { error: out.typeNote };
  if (out.notes.length) return { error: out.notes[0] as string };
  return { value: publicValue(out.value) };
}

/** Infers a Table Schema (frictionless-style) plus suggestions for Latin-American portals. */
export async function inferSchema(source: Source, options: InferOptions = {}): Promise<InferResult> {
  return inferSchemaImpl(source, options);
}
