// The conformance harness: loads the manifest (cases.json) and the reports that
// frictionless-py 5.21 gave on each case (expected/<id>.json), runs Quipu's validate()
// on the same input, normalises both the same way and compares them.
// Shared by compare.ts (the CLI behind `pnpm conformance`) and test/conformance.test.ts.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const conformanceDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(conformanceDir, '../../..');
export const expectedDir = path.join(conformanceDir, 'expected');

export type CaseSource = string | { data: string; name?: string };

export interface ConformanceCase {
  id: string;
  /** fixture | real | package | resource | spec (ported from frictionless-py's tests) | extra */
  kind: string;
  /** A path relative to the repository root, or inline CSV text. */
  source: CaseSource;
  /** Quipu validate() options; schema/dialect/package given as strings are paths relative to the repository root. */
  options: Record<string, unknown>;
  origin: string;
  /** Extra keyword arguments for frictionless-py only (run-reference.py), e.g. schema_profile. */
  referenceOptions?: Record<string, unknown>;
  /** false when the case's messages are known to depend on the implementation. */
  compareMessages?: boolean;
}

export interface NormalisedError {
  type: string;
  rowNumber?: number;
  fieldNumber?: number;
  fieldName?: string;
  message?: string;
  note?: string;
}

export interface NormalisedTask {
  valid: boolean;
  name?: string | null;
  place?: string | null;
  labels: string[];
  stats: { rows?: number; fields?: number; bytes?: number; md5?: string };
  warnings: string[];
  errors: NormalisedError[];
}

export interface NormalisedReport {
  case: string;
  reference?: string;
  valid: boolean;
  warnings: string[];
  errors: NormalisedError[];
  tasks: NormalisedTask[];
}

/**
 * Error types whose message carries the implementation's own words (a Python codec or
 * OS error, a parser exception, a JSON Schema message): compared on type and position
 * only. Every other message comes from frictionless-py's templates and must match.
 */
export const IMPLEMENTATION_SPECIFIC_MESSAGES: ReadonlySet<string> = new Set([
  'error',
  'scheme-error',
  'format-error',
  'encoding-error',
  'compression-error',
  'source-error',
  'metadata-error',
  'resource-error',
  'package-error',
  'schema-error',
  'field-error',
  'dialect-error',
  'check-error',
  'checklist-error',
  'report-error',
]);

interface Manifest {
  cases: ConformanceCase[];
}

export function loadCases(): ConformanceCase[] {
  const manifest = JSON.parse(readFileSync(path.join(conformanceDir, 'cases.json'), 'utf8')) as Manifest;
  return manifest.cases;
}

export function loadExpected(id: string, dir: string = expectedDir): NormalisedReport {
  return JSON.parse(readFileSync(path.join(dir, `${id}.json`), 'utf8')) as NormalisedReport;
}

export interface DeliberateDifference {
  /** Why Quipu deliberately reports differently from frictionless-py on this case. */
  reason: string;
  /** Another case whose frictionless-py report this case must match instead (e.g. the same file with its encoding given). */
  expectedFrom?: string;
}

/** Case id → its deliberate difference. */
export function loadDeliberateDifferences(): Record<string, DeliberateDifference> {
  const file = JSON.parse(readFileSync(path.join(conformanceDir, 'deliberate-differences.json'), 'utf8')) as {
    differences: Record<string, DeliberateDifference>;
  };
  return file.differences;
}

/**
 * The cases the suite tests, each with the id of the stored report it must match: its own,
 * or for a deliberate difference with `expectedFrom` that case's. Deliberate differences
 * without one are left out.
 */
export function testedCases(): Array<{ case: ConformanceCase; expectedId: string }> {
  const deliberate = loadDeliberateDifferences();
  return loadCases().flatMap((c) => {
    const difference = deliberate[c.id];
    if (!difference) return [{ case: c, expectedId: c.id }];
    return difference.expectedFrom ? [{ case: c, expectedId: difference.expectedFrom }] : [];
  });
}

/** The arguments of Quipu's validate() for a case: paths made absolute, so the working directory does not matter. */
export function validateArguments(c: ConformanceCase): {
  source: CaseSource;
  options: Record<string, unknown>;
} {
  const source = typeof c.source === 'string' ? path.resolve(repoRoot, c.source) : { ...c.source };
  // frictionless-py's sniffer, exactly: the default consistency rule differs on purpose.
  const options: Record<string, unknown> = { dialectDetection: 'frictionless', ...c.options };
  for (const key of ['schema', 'dialect', 'package'] as const) {
    const value = options[key];
    if (typeof value === 'string') options[key] = path.resolve(repoRoot, value);
  }
  return { source, options };
}

/** Absolute paths of this machine → the manifest's relative form (`../shared/...`), as run-reference.py does. */
export function relativePaths<T>(value: T): T {
  const shared = path.resolve(repoRoot, '../shared');
  const rewrite = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v
        .split(shared)
        .join('../shared')
        .split(repoRoot + path.sep)
        .join('');
    if (Array.isArray(v)) return v.map(rewrite);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x)]));
    return v;
  };
  return rewrite(value) as T;
}

const ERROR_KEYS = ['type', 'rowNumber', 'fieldNumber', 'fieldName', 'message', 'note'] as const;
const STAT_KEYS = ['rows', 'fields', 'bytes', 'md5'] as const;

function pick<K extends string>(
  source: Record<string, unknown>,
  keys: readonly K[],
): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    const value = source[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function normaliseError(error: unknown): NormalisedError {
  return pick(asRecord(error), ERROR_KEYS) as unknown as NormalisedError;
}

/** Quipu's report (frictionless v5 shape) → the normalised form stored for frictionless-py. */
export function normaliseReport(caseId: string, report: unknown): NormalisedReport {
  const r = relativePaths(asRecord(report));
  return {
    case: caseId,
    valid: r.valid === true,
    warnings: asArray(r.warnings).map(String),
    errors: asArray(r.errors).map(normaliseError),
    tasks: asArray(r.tasks).map((t) => {
      const task = asRecord(t);
      return {
        valid: task.valid === true,
        name: (task.name as string | undefined) ?? null,
        place: (task.place as string | undefined) ?? null,
        labels: asArray(task.labels).map(String),
        stats: pick(asRecord(task.stats), STAT_KEYS) as NormalisedTask['stats'],
        warnings: asArray(task.warnings).map(String),
        errors: asArray(task.errors).map(normaliseError),
      };
    }),
  };
}

export interface LocatedError extends NormalisedError {
  /** 0 for the report's own errors, 1… for the tasks' errors. */
  taskNumber: number;
}

/** Every error of a report, in report order: its own first, then each task's. */
export function allErrors(report: NormalisedReport): LocatedError[] {
  return [
    ...report.errors.map((e) => ({ ...e, taskNumber: 0 })),
    ...report.tasks.flatMap((t, i) => t.errors.map((e) => ({ ...e, taskNumber: i + 1 }))),
  ];
}

/** The identity the suite compares: task, type, row and field. */
export function errorKey(e: LocatedError): string {
  return `${e.taskNumber}:${e.type}@${e.rowNumber ?? '-'},${e.fieldNumber ?? '-'}`;
}

export function messageComparable(c: ConformanceCase, e: NormalisedError): boolean {
  return c.compareMessages !== false && !IMPLEMENTATION_SPECIFIC_MESSAGES.has(e.type);
}

export interface Comparison {
  /** Validity and the whole (task, type, row, field) sequence agree, and so do comparable messages. */
  agrees: boolean;
  validityAgrees: boolean;
  sequenceAgrees: boolean;
  messagesAgree: boolean;
  expectedErrors: number;
  actualErrors: number;
  /** Expected errors found in ours (multiset intersection on the key, order aside). */
  matchedErrors: number;
  /** Human-readable differences, first ones first. */
  differences: string[];
}

/** Compares our normalised report with frictionless-py's. */
export function compareReports(
  c: ConformanceCase,
  expected: NormalisedReport,
  actual: NormalisedReport,
): Comparison {
  const differences: string[] = [];
  const validityAgrees = expected.valid === actual.valid;
  if (!validityAgrees) differences.push(`valid: expected ${expected.valid}, got ${actual.valid}`);

  const want = allErrors(expected);
  const got = allErrors(actual);
  const wantKeys = want.map(errorKey);
  const gotKeys = got.map(errorKey);

  const pool = new Map<string, number>();
  for (const key of gotKeys) pool.set(key, (pool.get(key) ?? 0) + 1);
  let matchedErrors = 0;
  const missing: string[] = [];
  for (const key of wantKeys) {
    const left = pool.get(key) ?? 0;
    if (left > 0) {
      matchedErrors += 1;
      pool.set(key, left - 1);
    } else {
      missing.push(key);
    }
  }
  const extra = [...pool.entries()].flatMap(([key, n]) => Array<string>(n).fill(key));

  const sequenceAgrees = wantKeys.length === gotKeys.length && wantKeys.every((k, i) => k === gotKeys[i]);
  if (!sequenceAgrees) {
    const first = wantKeys.findIndex((k, i) => k !== gotKeys[i]);
    const at = first === -1 ? Math.min(wantKeys.length, gotKeys.length) : first;
    differences.push(
      `errors differ from #${at + 1}: expected ${wantKeys[at] ?? '(end)'}, got ${gotKeys[at] ?? '(end)'}`,
    );
    if (missing.length > 0) differences.push(`missing ${missing.length}: ${summarise(missing)}`);
    if (extra.length > 0) differences.push(`extra ${extra.length}: ${summarise(extra)}`);
  }

  let messagesAgree = true;
  if (sequenceAgrees) {
    want.forEach((w, i) => {
      const g = got[i];
      if (g && messageComparable(c, w) && w.message !== g.message) {
        if (messagesAgree)
          differences.push(
            `message of ${errorKey(w)}: expected ${JSON.stringify(w.message)}, got ${JSON.stringify(g.message)}`,
          );
        messagesAgree = false;
      }
    });
  }

  return {
    agrees: validityAgrees && sequenceAgrees && messagesAgree,
    validityAgrees,
    sequenceAgrees,
    messagesAgree,
    expectedErrors: want.length,
    actualErrors: got.length,
    matchedErrors,
    differences,
  };
}

function summarise(keys: string[]): string {
  const shown = keys.slice(0, 5).join(' ');
  return keys.length > 5 ? `${shown} …` : shown;
}
