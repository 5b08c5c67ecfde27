#!/usr/bin/env node
// quipu-quality: `validate <path|url> [options]`. Exit 0 valid, 1 invalid, 2 could not read.
// On a TTY a progress line (bytes, rows, rate, ETA) is drawn on stderr; piped, nothing is.

import { realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHECK_TYPES } from './checks/index.ts';
import { inferSchema, type ValidateOptions, validate } from './index.ts';
import type { CheckDescriptor, Report, ReportError } from './types.ts';

export interface CliIo {
  stdout: { write: (s: string) => unknown };
  stderr: { write: (s: string) => unknown };
  isTTY?: boolean;
}

const USAGE = `Usage: quipu validate <path|url> [options]

Validates a CSV/TSV (optionally .gz or .zip) against a Table Schema, as frictionless-py does.

Options:
  --schema FILE          Table Schema (JSON)
  --dialect FILE         CSV dialect (JSON)
  --package FILE         datapackage.json: every resource, foreign keys across them
  --checks JSON|NAMES    opt-in checks: a JSON array, or names such as duplicate-row,ascii-value
  --limit-errors N       stop after N errors (default 1000)
  --limit-rows N         read at most N rows
  --pick-errors A,B      report only these error types or tags (#header, #row, #cell…)
  --skip-errors A,B      leave out these error types or tags
  --encoding NAME        skip encoding detection (utf-8, cp1252, iso8859-1…)
  --dialect-detection M  consistency (default: the delimiter giving the same column count on
                         every line) or frictionless (Python's csv.Sniffer alone)
  --format csv|tsv       when the name does not tell
  --infer-schema FILE    write the inferred schema, with suggestions applied, to FILE
  --allow-private-network  let URLs point at private or loopback addresses
  --timeout MS           give up on a server silent for MS milliseconds (default 60000)
  --max-bytes N          refuse sources larger than N bytes
  --threads N|auto       worker threads for one large local or remote file (default auto: every core)
  --json                 print the report as JSON (frictionless-py's v5 shape)
  -h, --help             this text

Exit status: 0 valid, 1 invalid, 2 could not read (or bad usage).`;

/** Errors that mean the data could not be read at all. */
const UNREADABLE = new Set([
  'scheme-error',
  'format-error',
  'encoding-error',
  'compression-error',
  'source-error',
  'resource-error',
  'package-error',
  'schema-error',
  'field-error',
  'dialect-error',
  'check-error',
  'checklist-error',
  'metadata-error',
  'error',
]);

function parseChecks(value: string): CheckDescriptor[] {
  const text = value.trim();
  if (text.startsWith('[') || text.startsWith('{')) {
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed)) return parsed as CheckDescriptor[];
    const obj = parsed as { checks?: CheckDescriptor[]; type?: string };
    if (Array.isArray(obj.checks)) return obj.checks;
    return [obj as CheckDescriptor];
  }
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((type) => {
      if (!CHECK_TYPES.includes(type))
        throw new Error(`unknown check "${type}" (known: ${CHECK_TYPES.join(', ')})`);
      return { type } as CheckDescriptor;
    });
}

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

function progressLine(p: { bytes: number; rows: number; totalBytes?: number }, started: number): string {
  const elapsed = (performance.now() - started) / 1000;
  const rate = elapsed > 0 ? p.bytes / elapsed : 0;
  const rowsRate = elapsed > 0 ? p.rows / elapsed : 0;
  let bar = '';
  let eta = '';
  if (p.totalBytes) {
    const ratio = Math.min(1, p.bytes / p.totalBytes);
    const width = 24;
    const filled = Math.round(ratio * width);
    bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% `;
    eta = ` ETA ${formatDuration(rate > 0 ? (p.totalBytes - p.bytes) / rate : Number.NaN)}`;
  }
  return `${bar}${formatBytes(p.bytes)}${p.totalBytes ? ` / ${formatBytes(p.totalBytes)}` : ''} · ${p.rows.toLocaleString('en')} rows · ${formatBytes(rate)}/s · ${Math.round(rowsRate).toLocaleString('en')} rows/s${eta}`;
}

/** A readable summary, grouped like the frictionless CLI's: per task, counts then the errors. */
export function formatSummary(report: Report, maxRows = 50): string {
  const out: string[] = [];
  for (const task of report.tasks) {
    const status = task.valid ? 'valid' : 'invalid';
    out.push(
      `# ${'-'.repeat(status.length)}`,
      `# ${status}: ${task.place}`,
      `# ${'-'.repeat(status.length)}`,
      '',
    );
    const s = task.stats;
    const info: Array<[string, string]> = [
      ['Rows checked', String(s.rows ?? 0)],
      ['Fields', String(s.fields ?? 0)],
      ['Bytes', s.bytes !== undefined ? formatBytes(s.bytes) : '0 B'],
      ['Errors', String(s.errors)],
      ['Time', `${s.seconds} s`],
    ];
    if (task.summary?.encoding) info.push(['Encoding', task.summary.encoding]);
    if (task.summary?.dialect) {
      const d = task.summary.dialect;
      info.push(['Delimiter', `${JSON.stringify(d.delimiter)}${d.note ? ` (${d.note})` : ''}`]);
    }
    const w = Math.max(...info.map(([k]) => k.length));
    for (const [k, v] of info) out.push(`  ${k.padEnd(w)}  ${v}`);
    for (const warning of task.warnings) out.push('', `> ${warning}`);
    if (task.errors.length) {
      const counts = new Map<string, { title: string; n: number }>();
      for (const e of task.errors) {
        const c = counts.get(e.type) ?? { title: e.title, n: 0 };
        c.n++;
        counts.set(e.type, c);
      }
      out.push('', '  Error type                 Count');
      for (const [type, c] of counts) out.push(`  ${type.padEnd(26)} ${String(c.n).padStart(5)}`);
      out.push('', '  Row    Field  Type                 Message');
      for (const e of task.errors.slice(0, maxRows)) out.push(errorLine(e));
      if (task.errors.length > maxRows)
        out.push(`  … ${task.errors.length - maxRows} more (use --json for all)`);
    }
    out.push('');
  }
  for (const e of report.errors) out.push(`error: ${e.message}`);
  return `${out.join('\n')}\n`;
}

function errorLine(e: ReportError): string {
  const row = e.rowNumber !== undefined ? String(e.rowNumber) : '';
  const field = e.fieldNumber !== undefined ? String(e.fieldNumber) : '';
  return `  ${row.padEnd(6)} ${field.padEnd(6)} ${e.type.padEnd(20)} ${e.message}`;
}

export function exitCodeOf(report: Report): number {
  if (report.valid) return 0;
  const all = [...report.errors, ...report.tasks.flatMap((t) => t.errors)];
  if (
    all.some(
      (e) => UNREADABLE.has(e.type) && !(e.type === 'source-error' && e.note === 'the source is empty'),
    )
  )
    return 2;
  return 1;
}

export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, isTTY: process.stderr.isTTY },
): Promise<number> {
  const args = argv[0] === 'validate' ? argv.slice(1) : argv;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        schema: { type: 'string' },
        dialect: { type: 'string' },
        package: { type: 'string' },
        checks: { type: 'string' },
        'limit-errors': { type: 'string' },
        'limit-rows': { type: 'string' },
        'pick-errors': { type: 'string' },
        'skip-errors': { type: 'string' },
        encoding: { type: 'string' },
        'dialect-detection': { type: 'string' },
        format: { type: 'string' },
        'infer-schema': { type: 'string' },
        'allow-private-network': { type: 'boolean' },
        timeout: { type: 'string' },
        'max-bytes': { type: 'string' },
        threads: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr.write(`quipu validate: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const source = parsed.positionals[0];
  if (!source && !v.package) {
    io.stderr.write(`quipu validate: a path or URL is required\n\n${USAGE}\n`);
    return 2;
  }
  const options: ValidateOptions = {};
  try {
    if (typeof v.schema === 'string') options.schema = v.schema;
    if (typeof v.dialect === 'string') options.dialect = v.dialect;
    if (typeof v.package === 'string') options.package = v.package;
    if (typeof v.checks === 'string') options.checks = parseChecks(v.checks);
    const int = (name: string) => {
      const raw = v[name];
      if (typeof raw !== 'string') return undefined;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a whole number`);
      return n;
    };
    const limitErrors = int('limit-errors');
    if (limitErrors !== undefined) options.limitErrors = limitErrors;
    const limitRows = int('limit-rows');
    if (limitRows !== undefined) options.limitRows = limitRows;
    if (v.threads === 'auto') options.threads = 'auto';
    else {
      const threads = int('threads');
      if (threads !== undefined) options.threads = Math.max(1, threads);
    }
    const pick = list(v['pick-errors'] as string | undefined);
    if (pick) options.pickErrors = pick;
    const skip = list(v['skip-errors'] as string | undefined);
    if (skip) options.skipErrors = skip;
    if (typeof v.encoding === 'string') options.encoding = v.encoding;
    const detection = v['dialect-detection'];
    if (detection !== undefined) {
      if (detection !== 'consistency' && detection !== 'frictionless')
        throw new Error('--dialect-detection is consistency or frictionless');
      options.dialectDetection = detection;
    }
    if (v.format === 'csv' || v.format === 'tsv') options.format = v.format;
    const timeout = int('timeout');
    const maxBytes = int('max-bytes');
    options.caps = {
      ...(v['allow-private-network'] ? { allowPrivateNetwork: true } : {}),
      ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
      ...(maxBytes !== undefined ? { maxBytes } : {}),
    };
  } catch (error) {
    io.stderr.write(`quipu validate: ${(error as Error).message}\n`);
    return 2;
  }

  if (typeof v['infer-schema'] === 'string' && source) {
    try {
      const inferred = await inferSchema(source, {
        ...(options.encoding ? { encoding: options.encoding } : {}),
        ...(options.caps ? { caps: options.caps } : {}),
      });
      await writeFile(v['infer-schema'], `${JSON.stringify(inferred.suggestedSchema, null, 2)}\n`);
      if (!v.json) {
        io.stderr.write(
          `Schema written to ${v['infer-schema']} (${inferred.sampledRows} rows sampled, ${inferred.encoding}):\n`,
        );
        for (const f of inferred.fields) {
          const note = f.reason ? ` — ${f.reason}` : '';
          io.stderr.write(
            `  ${f.name}: ${f.type} → ${f.suggested.type}${f.suggested.format ? ` (${f.suggested.format})` : ''} confidence ${f.confidence}${note}\n`,
          );
        }
      }
    } catch (error) {
      io.stderr.write(`quipu validate: cannot infer a schema: ${(error as Error).message}\n`);
    }
  }

  const started = performance.now();
  let lastDraw = 0;
  if (io.isTTY) {
    options.onProgress = (p) => {
      const now = performance.now();
      if (now - lastDraw < 200) return;
      lastDraw = now;
      io.stderr.write(`\r\x1b[2K${progressLine(p, started)}`);
    };
  }
  let report: Report;
  try {
    report = await validate(source, options);
  } catch (error) {
    if (io.isTTY) io.stderr.write('\r\x1b[2K');
    io.stderr.write(`quipu validate: ${(error as Error).message}\n`);
    return 2;
  }
  if (io.isTTY) io.stderr.write('\r\x1b[2K');
  if (v.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(formatSummary(report));
  return exitCodeOf(report);
}

// Run directly (node packages/quality/src/cli.ts …), not when imported by `quipu validate`.
const invokedDirectly =
  (import.meta as { main?: boolean }).main ??
  (process.argv[1] !== undefined &&
    realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url)));
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`quipu validate: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
