// foreign-key: a key tuple (not all null) missing from the referenced resource's keys, which
// the package validation reads first (../index.ts builds the lookup).

import { makeError } from '../errors.ts';
import type { ReportError, TableSchema } from '../types.ts';

/** Foreign-key lookups: resource name → key field names joined by \u0001 → set of keys. */
export type ForeignLookup = Map<string, Map<string, Set<string>>>;

export interface ForeignKey {
  source: string;
  sourceKey: string[];
  target: number[];
  targetNames: string[];
  keys: Set<string>;
}

/** The schema's foreign keys whose fields and lookup exist. */
export function foreignKeysOf(
  schema: TableSchema,
  indexOf: Map<string, number>,
  lookup: ForeignLookup | undefined,
): ForeignKey[] {
  const out: ForeignKey[] = [];
  for (const fk of schema.foreignKeys ?? []) {
    const targetNames = Array.isArray(fk.fields) ? fk.fields : [fk.fields];
    const target = targetNames.map((n) => indexOf.get(n) ?? -1);
    if (target.some((i) => i < 0)) continue;
    const sourceKey = Array.isArray(fk.reference.fields) ? fk.reference.fields : [fk.reference.fields];
    const sourceName = fk.reference.resource ?? '';
    const keys = lookup?.get(sourceName)?.get(sourceKey.join('\u0001'));
    if (!keys) continue;
    out.push({ source: sourceName, sourceKey, target, targetNames, keys });
  }
  return out;
}

export function foreignKeyError(
  g: ForeignKey,
  cells: string[],
  rowNumber: number,
  shown: string[],
): ReportError {
  return makeError(
    'foreign-key',
    `for "${g.targetNames.join(', ')}": values "${shown.join(', ')}" not found in the lookup table "${g.source}" as "${g.sourceKey.join(', ')}"`,
    {
      cells,
      rowNumber,
      fieldNames: g.targetNames.slice(),
      fieldCells: shown,
      referenceName: g.source,
      referenceFieldNames: g.sourceKey.slice(),
    },
  );
}
