// ascii-value (frictionless/checks/cell/ascii_value.py): string cells with non-ASCII characters.

import { hasNonAscii } from '../py.ts';
import type { ReportError } from '../types.ts';
import { type CheckFactory, cellFromRow } from './check.ts';

export const asciiValue: CheckFactory = (d) => ({
  type: d.type,
  split: true,
  row: (row) => {
    let out: ReportError[] | undefined;
    row.fields.forEach((f, i) => {
      if (f.type !== 'string') return;
      const v = row.values[i];
      if (typeof v === 'string' && v && hasNonAscii(v)) {
        out ??= [];
        out.push(cellFromRow('ascii-value', row, 'the cell contains non-ascii characters', f.name));
      }
    });
    return out;
  },
});
