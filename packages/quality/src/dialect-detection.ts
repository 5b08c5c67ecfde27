// Which delimiter a CSV uses when its dialect does not say. frictionless-py runs Python's
// csv.Sniffer, which prefers "," whenever "," and another candidate look equally regular:
// on a ";"- or "|"-delimited file with decimal commas the comma can win, and every row
// becomes one cell. The default here ("consistency", clevercsv's idea) reads the sampled
// lines with each candidate, quote-aware, and keeps the sniffer's answer unless another
// candidate is better by, in order: matching the schema's field count, giving the same
// number of columns on more of the lines, reading more cells as clean values (numbers with
// either decimal mark, or text holding no other candidate). "frictionless" is the sniffer
// alone, exactly (what the conformance harness runs).

import { type Sniffed, sniff } from './sniff.ts';
import type { TaskSummary } from './types.ts';

export type DialectDetection = 'consistency' | 'frictionless';

const CANDIDATES = [',', '\t', ';', '|'];

export interface DelimiterCandidate {
  delimiter: string;
  /** The most frequent number of columns over the sampled lines. */
  columns: number;
  /** Share of the sampled lines with that many columns, 0..1. */
  consistency: number;
  /** Share of cells that read as clean values, 0..1. */
  cleanCells: number;
}

export interface DialectDetectionResult {
  /** What resolveDialect completes the declared dialect with. */
  sniffed: Sniffed | undefined;
  /** The sniffer's own answer (frictionless-py's). */
  sniffer: Sniffed | undefined;
  mode: DialectDetection;
  /** Consistency mode: the candidates as measured (those giving two columns or more). */
  candidates: DelimiterCandidate[];
  /** Why this delimiter: shown to officers in the report summary. */
  reason: string;
}

const NUMBER = /^[+-]?(?:\d+|\d{1,3}(?:[.,\s]\d{3})+)(?:[.,]\d+)?(?:[eE][+-]?\d+)?%?$/;

/** Records of the sample (quote-aware: delimiters and line ends inside quotes do not count). */
function splitRecords(sample: string, delimiter: string, quote: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i] as string;
    if (quoted) {
      if (c === quote) {
        if (sample[i + 1] === quote) {
          cell += c;
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === quote && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && sample[i + 1] === '\n') i++;
      cells.push(cell);
      if (!(cells.length === 1 && cells[0] === '')) records.push(cells);
      cells = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || cells.length) {
    cells.push(cell);
    records.push(cells);
  }
  return records;
}

function measure(sample: string, delimiter: string, quote: string): DelimiterCandidate {
  const records = splitRecords(sample, delimiter, quote);
  const counts = new Map<number, number>();
  for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
  let columns = 0;
  let most = 0;
  for (const [width, n] of counts)
    if (n > most || (n === most && width > columns)) {
      columns = width;
      most = n;
    }
  const others = CANDIDATES.filter((d) => d !== delimiter);
  let cells = 0;
  let clean = 0;
  for (const r of records)
    for (const raw of r) {
      const v = raw.trim();
      cells++;
      if (v === '' || NUMBER.test(v) || !others.some((d) => v.includes(d))) clean++;
    }
  return {
    delimiter,
    columns,
    consistency: records.length ? most / records.length : 0,
    cleanCells: cells ? clean / cells : 0,
  };
}

/** Python's sniffer rule for skipinitialspace, on the first line that has the delimiter. */
function skipInitialSpace(sample: string, delimiter: string): boolean {
  const first = sample.split(/\r\n|\r|\n/).find((l) => l.includes(delimiter)) ?? '';
  const count = (s: string) => first.split(s).length - 1;
  return count(delimiter) > 0 && count(delimiter) === count(`${delimiter} `);
}

const show = (d: string) => (d === '\t' ? 'tab' : `"${d}"`);
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

/**
 * The delimiter, quote and skipInitialSpace for a sample of the first lines (as the sniffer
 * reads them). `fieldCount`: the schema's, when its fields are matched by position.
 */
export function detectDialect(
  sample: string,
  options: { mode?: DialectDetection; fieldCount?: number } = {},
): DialectDetectionResult {
  const sniffer = sniff(sample);
  const mode = options.mode ?? 'consistency';
  if (mode === 'frictionless')
    return {
      sniffed: sniffer,
      sniffer,
      mode,
      candidates: [],
      reason: sniffer
        ? `${show(sniffer.delimiter)} chosen by Python's csv.Sniffer, as frictionless-py does`
        : `no delimiter found by Python's csv.Sniffer: "," by default, as frictionless-py does`,
    };
  const quote = sniffer?.quoteChar ?? '"';
  const candidates = CANDIDATES.map((d) => measure(sample, d, quote)).filter((c) => c.columns >= 2);
  const fits = (c: DelimiterCandidate) =>
    options.fieldCount !== undefined && c.columns === options.fieldCount;
  // Better first: the schema's field count, then consistency, then clean cells.
  const better = (a: DelimiterCandidate, b: DelimiterCandidate) =>
    Number(fits(b)) - Number(fits(a)) || b.consistency - a.consistency || b.cleanCells - a.cleanCells;
  const ranked = candidates
    .slice()
    .sort((a, b) => better(a, b) || CANDIDATES.indexOf(a.delimiter) - CANDIDATES.indexOf(b.delimiter));
  const best = ranked[0];
  const sniffedDelimiter = sniffer?.delimiter ?? ',';
  const mine = candidates.find((c) => c.delimiter === sniffedDelimiter);
  const describe = (c: DelimiterCandidate) =>
    `${c.columns} columns on ${pct(c.consistency)} of the sampled lines${fits(c) ? ', as many as the schema has fields' : ''}`;
  if (!best || (mine && better(mine, best) <= 0))
    return {
      sniffed: sniffer,
      sniffer,
      mode,
      candidates,
      reason: mine
        ? `${show(mine.delimiter)}: ${describe(mine)}; the sniffer (frictionless-py's rule) agrees`
        : sniffer
          ? `${show(sniffer.delimiter)} chosen by Python's csv.Sniffer; no candidate gives two columns or more`
          : 'no candidate gives two columns or more: "," by default',
    };
  const why =
    mine && fits(best) && !fits(mine)
      ? 'the schema’s field count'
      : mine && best.consistency > mine.consistency
        ? 'a more consistent column count'
        : mine
          ? 'more cells reading as clean values'
          : 'the only candidate giving two columns or more';
  return {
    sniffed: {
      delimiter: best.delimiter,
      quoteChar: sniffer?.quoteChar ?? '"',
      skipInitialSpace: skipInitialSpace(sample, best.delimiter),
    },
    sniffer,
    mode,
    candidates,
    reason:
      `${show(best.delimiter)}: ${describe(best)}, where the sniffer (frictionless-py's rule) ` +
      `picks ${show(sniffedDelimiter)}${mine ? ` (${describe(mine)}, ${pct(mine.cleanCells)} clean cells against ${pct(best.cleanCells)})` : ' (one column)'}; chosen for ${why}`,
  };
}

/** The schema's field count when fields are matched by position or all of them are expected. */
export function positionalFieldCount(schema: { fields?: unknown[]; fieldsMatch?: string } | undefined) {
  if (!schema || !Array.isArray(schema.fields) || !schema.fields.length) return undefined;
  const match = schema.fieldsMatch ?? 'exact';
  return match === 'exact' || match === 'equal' ? schema.fields.length : undefined;
}

/** The `dialect` block of the task summary: how the delimiter was found, and why. */
export function dialectSummary(
  detected: DialectDetectionResult | undefined,
  resolved: { delimiter: string; delimiterDeclared: boolean },
): Pick<NonNullable<TaskSummary['dialect']>, 'detectedBy' | 'note' | 'candidates'> {
  if (resolved.delimiterDeclared || !detected)
    return { detectedBy: 'declared', note: `${show(resolved.delimiter)} as declared` };
  const overridden = detected.sniffed !== detected.sniffer;
  return {
    detectedBy: overridden ? 'consistency' : 'sniffer',
    note: detected.reason,
    ...(detected.candidates.length ? { candidates: detected.candidates } : {}),
  };
}
