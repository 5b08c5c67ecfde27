// frictionless-py's Detector.detect_schema type inference over the sample fragment:
// candidates scored row by row, the first to reach 90 % of the non-missing cells wins.

import { compileField, FAIL } from './fields/index.ts';
import type { FieldDescriptor } from './types.ts';

export const FIELD_CANDIDATES = [
  'yearmonth',
  'geopoint',
  'duration',
  'geojson',
  'object',
  'array',
  'datetime',
  'time',
  'date',
  'integer',
  'number',
  'boolean',
  'year',
  'string',
];
const CONFIDENCE = 0.9;

const runnerFields = FIELD_CANDIDATES.map((type) => compileField({ name: 'shared', type }));

export function inferFields(
  names: string[],
  fragment: string[][],
  missingValues: string[] = [''],
): FieldDescriptor[] {
  const missing = new Set(missingValues);
  const fields: (FieldDescriptor | undefined)[] = names.map(() => undefined);
  const scores = names.map(() => FIELD_CANDIDATES.map(() => 0));
  const maxScore = names.map(() => fragment.length);
  const threshold = fragment.length * (CONFIDENCE - 1);
  for (const cells of fragment) {
    for (let index = 0; index < names.length; index++) {
      if (fields[index]) continue;
      const source = index < cells.length ? cells[index] : undefined;
      const isMissing = source !== undefined && missing.has(source);
      if (isMissing) (maxScore[index] as number)--;
      const row = scores[index] as number[];
      for (let r = 0; r < runnerFields.length; r++) {
        if ((row[r] as number) < threshold) continue;
        if (!isMissing) {
          // read_cell(None) is a null without notes: it scores
          let ok = true;
          if (source !== undefined && source !== '')
            ok = (runnerFields[r] as ReturnType<typeof compileField>).read(source) !== FAIL;
          row[r] = (row[r] as number) + (ok ? 1 : -1);
        }
        const max = maxScore[index] as number;
        if (max > 0 && (row[r] as number) >= max * CONFIDENCE) {
          fields[index] = { name: names[index] as string, type: FIELD_CANDIDATES[r] as string };
          break;
        }
      }
    }
  }
  return names.map((name, i) => fields[i] ?? { name, type: 'any' });
}
