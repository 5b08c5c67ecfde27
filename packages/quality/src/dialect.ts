// The CSV dialect in force: what was declared (Frictionless v5 `csv` control or the flat
// Data Package v1 keys), completed by the sniffer for what was not.

import type { Sniffed } from './sniff.ts';
import type { Dialect } from './types.ts';

export type DeclaredDialect = Dialect;

export interface ResolvedDialect {
  delimiter: string;
  /** The delimiter came from the dialect (or a "tsv" format), not from detection. */
  delimiterDeclared: boolean;
  quoteChar: string;
  escapeChar: string | undefined;
  doubleQuote: boolean;
  skipInitialSpace: boolean;
  header: boolean;
  headerRows: number[];
  /** header or headerRows declared: no header-row detection then. */
  headerDeclared: boolean;
  headerJoin: string;
  headerCase: boolean;
  commentChar: string | undefined;
  commentRows: number[] | undefined;
  skipBlankRows: boolean;
}

export function resolveDialect(
  declared: Dialect | undefined,
  sniffed: Sniffed | undefined,
  format: string | undefined,
): ResolvedDialect {
  const d = declared ?? {};
  const csv = (d.csv ?? {}) as NonNullable<Dialect['csv']>;
  const pick = <K extends keyof NonNullable<Dialect['csv']>>(key: K) =>
    (csv[key] !== undefined ? csv[key] : (d as Record<string, unknown>)[key]) as NonNullable<
      Dialect['csv']
    >[K];
  let delimiter = pick('delimiter');
  if (delimiter === undefined && format === 'tsv') delimiter = '\t';
  const header = d.header !== undefined ? d.header !== false : true;
  const headerRows = Array.isArray(d.headerRows) ? d.headerRows.map(Number) : [1];
  const escapeChar = pick('escapeChar');
  return {
    delimiter: delimiter ?? sniffed?.delimiter ?? ',',
    delimiterDeclared: delimiter !== undefined,
    quoteChar: pick('quoteChar') ?? sniffed?.quoteChar ?? '"',
    escapeChar: escapeChar ?? undefined,
    doubleQuote: escapeChar ? pick('doubleQuote') !== false : true,
    skipInitialSpace: pick('skipInitialSpace') ?? sniffed?.skipInitialSpace ?? false,
    header,
    headerRows: header ? headerRows : [],
    headerDeclared: d.header !== undefined || d.headerRows !== undefined,
    headerJoin: typeof d.headerJoin === 'string' ? d.headerJoin : ' ',
    headerCase: d.headerCase !== false,
    commentChar: typeof d.commentChar === 'string' ? d.commentChar : undefined,
    commentRows: Array.isArray(d.commentRows) ? d.commentRows.map(Number) : undefined,
    skipBlankRows: d.skipBlankRows === true,
  };
}
