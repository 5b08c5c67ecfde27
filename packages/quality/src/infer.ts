// Schema inference: the frictionless-py schema (what `frictionless describe` gives), plus
// suggestions for what Latin-American portals publish: decimal commas with thousands dots,
// dd/mm/yyyy dates, Spanish/Portuguese booleans, codes whose leading zeros must survive,
// and missing-value sentinels. Each suggestion carries the share of sample cells it reads.

import { compileField, FAIL } from './fields/index.ts';
import type { Source } from './source.ts';
import { validateTable } from './table.ts';
import type { Dialect, FieldDescriptor, FieldSuggestion, InferResult, TableSchema } from './types.ts';

export interface InferOptions {
  dialect?: Dialect;
  encoding?: string;
  format?: 'csv' | 'tsv';
  compression?: 'gz' | 'zip';
  /** Rows read for the suggestions (the frictionless-style types use the first 100). */
  sampleRows?: number;
  caps?: { maxBytes?: number; timeoutMs?: number; maxRedirects?: number; allowPrivateNetwork?: boolean };
  signal?: AbortSignal;
}

const SENTINELS = [
  'NULL',
  'null',
  'N/A',
  'n/a',
  'NA',
  '-',
  '--',
  '***',
  '****',
  'S/D',
  's/d',
  'ND',
  'nd',
  'SIN DATO',
  'Sin dato',
  'SD',
];

const BOOLEAN_PAIRS: Array<{ t: string[]; f: string[] }> = [
  { t: ['SI', 'Si', 'si', 'SÍ', 'Sí', 'sí', 'S', 's'], f: ['NO', 'No', 'no', 'N', 'n'] },
  { t: ['SIM', 'Sim', 'sim'], f: ['NÃO', 'Não', 'não', 'NAO', 'Nao', 'nao'] },
  { t: ['VERDADERO', 'Verdadero', 'verdadero', 'V'], f: ['FALSO', 'Falso', 'falso', 'F'] },
  { t: ['true', 'True', 'TRUE', '1'], f: ['false', 'False', 'FALSE', '0'] },
];

interface Candidate {
  descriptor: Omit<FieldDescriptor, 'name'>;
  reason: string;
}

function share(cells: string[], test: (c: string) => boolean): number {
  if (!cells.length) return 0;
  let n = 0;
  for (const c of cells) if (test(c)) n++;
  return n / cells.length;
}

function readsAll(descriptor: Omit<FieldDescriptor, 'name'>, cells: string[]): number {
  const field = compileField({ name: 'x', ...descriptor });
  return share(cells, (c) => field.read(c) !== FAIL);
}

function suggestFor(type: string, cells: string[]): { candidate?: Candidate; confidence: number } {
  if (!cells.length) return { confidence: 0 };
  const candidates: Candidate[] = [];
  // Codes with leading zeros (ubigeo, DANE, CEP): integers would lose them.
  if ((type === 'integer' || type === 'year' || type === 'number') && cells.some((c) => /^0\d+$/.test(c))) {
    candidates.push({
      descriptor: { type: 'string', constraints: { pattern: '\\d+' } },
      reason: 'codes with leading zeros: read as text to keep them',
    });
  }
  // "1.234,50" and "10,00" read as geopoints (lon,lat) to frictionless-py: decimal commas win.
  if (type === 'string' || type === 'any' || type === 'integer' || type === 'geopoint') {
    if (cells.some((c) => /,\d+$/.test(c) || /^\d{1,3}(\.\d{3})+(,\d+)?$/.test(c))) {
      candidates.push({
        descriptor: { type: 'number', decimalChar: ',', groupChar: '.' },
        reason: 'decimal comma with thousands dots',
      });
      candidates.push({ descriptor: { type: 'number', decimalChar: ',' }, reason: 'decimal comma' });
    }
    const dmy = cells.filter((c) => /^\d{1,2}[/-]\d{1,2}[/-]\d{4}$/.test(c));
    if (dmy.length) {
      const sep = dmy[0]?.includes('/') ? '/' : '-';
      const dayFirst = dmy.some((c) => Number(c.split(/[/-]/)[0]) > 12);
      const monthFirst = dmy.some((c) => Number(c.split(/[/-]/)[1]) > 12);
      const fmt = monthFirst && !dayFirst ? `%m${sep}%d${sep}%Y` : `%d${sep}%m${sep}%Y`;
      candidates.push({
        descriptor: { type: 'date', format: fmt },
        reason: monthFirst && !dayFirst ? 'mm/dd/yyyy dates' : 'dd/mm/yyyy dates',
      });
    }
    if (cells.some((c) => /^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}(:\d{2})?$/.test(c))) {
      const withSeconds = cells.some((c) => /:\d{2}:\d{2}$/.test(c));
      candidates.push({
        descriptor: { type: 'datetime', format: withSeconds ? '%d/%m/%Y %H:%M:%S' : '%d/%m/%Y %H:%M' },
        reason: 'dd/mm/yyyy hh:mm dates and times',
      });
    }
    for (const pair of BOOLEAN_PAIRS.slice(0, 3)) {
      const used = new Set(cells);
      const t = pair.t.filter((v) => used.has(v));
      const f = pair.f.filter((v) => used.has(v));
      if (t.length && f.length)
        candidates.push({
          descriptor: { type: 'boolean', trueValues: t, falseValues: f },
          reason: 'Spanish/Portuguese yes/no values',
        });
    }
  }
  let best: Candidate | undefined;
  let bestScore = 0;
  for (const c of candidates) {
    const score =
      c.descriptor.type === 'string' ? share(cells, (x) => /^\d+$/.test(x)) : readsAll(c.descriptor, cells);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  if (best && bestScore >= 0.9) return { candidate: best, confidence: bestScore };
  return { confidence: 0 };
}

export async function inferSchema(source: Source, options: InferOptions = {}): Promise<InferResult> {
  const sampleRows = options.sampleRows ?? 1000;
  let inferred: TableSchema = { fields: [] };
  let info: { encoding: string; dialect: InferResult['dialect'] } = {
    encoding: 'utf-8',
    dialect: { delimiter: ',', quoteChar: '"', header: true, headerRows: [1] },
  };
  const columns: string[][] = [];
  let rows = 0;
  await validateTable(source, {
    dialect: options.dialect,
    encoding: options.encoding,
    format: options.format,
    compression: options.compression,
    caps: options.caps,
    signal: options.signal,
    limitRows: sampleRows,
    limitErrors: Number.MAX_SAFE_INTEGER,
    summary: false,
    onSchema: (schema, detected) => {
      inferred = schema;
      info = detected;
    },
    onRow: (row) => {
      rows++;
      row.cells.forEach((c, i) => {
        columns[i] ??= [];
        columns[i].push(c);
      });
    },
  });
  const missing = new Set(['']);
  const sentinelCounts = new Map<string, number>();
  for (const col of columns)
    for (const c of col)
      if (SENTINELS.includes(c.trim())) sentinelCounts.set(c, (sentinelCounts.get(c) ?? 0) + 1);
  const sentinels = [...sentinelCounts.keys()];
  for (const s of sentinels) missing.add(s);
  const fields: FieldSuggestion[] = inferred.fields.map((f, i) => {
    const cells = (columns[i] ?? []).filter((c) => !missing.has(c));
    const type = f.type ?? 'any';
    const { candidate, confidence } = suggestFor(type, cells);
    if (candidate)
      return {
        name: f.name,
        type,
        suggested: { name: f.name, ...candidate.descriptor },
        confidence: round2(confidence),
        reason: candidate.reason,
      };
    // keep frictionless' choice; its confidence is the share of cells the type reads
    const own = type === 'any' ? 0 : readsAll({ type }, cells);
    return {
      name: f.name,
      type,
      suggested: { name: f.name, type },
      confidence: round2(cells.length ? own : 0),
    };
  });
  const suggestedSchema: TableSchema = { fields: fields.map((f) => f.suggested) };
  if (sentinels.length) suggestedSchema.missingValues = ['', ...sentinels];
  return {
    schema: inferred,
    suggestedSchema,
    fields,
    encoding: info.encoding,
    dialect: info.dialect,
    sampledRows: rows,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
