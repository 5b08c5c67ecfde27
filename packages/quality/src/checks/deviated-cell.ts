// deviated-cell (frictionless/checks/cell/deviated_cell.py): at the end of the table, string
// cells longer than max(5000, median + interval·stdev) of their field's lengths.

import { makeError } from '../errors.ts';
import { pyLen } from '../fields/index.ts';
import type { ReportError } from '../types.ts';
import { type CheckFactory, optionsOf } from './check.ts';
import { median, NumberColumn, stdev } from './statistics.ts';

export const deviatedCell: CheckFactory = (d, ctx) => {
  const o = optionsOf(d);
  const interval = typeof o.interval === 'number' ? o.interval : 3;
  const ignore = new Set(Array.isArray(o.ignoreFields) ? (o.ignoreFields as string[]) : []);
  const columns = new Map<number, NumberColumn>();
  return {
    type: d.type,
    row: (row) => {
      row.fields.forEach((f, i) => {
        if (ignore.has(f.name) || f.type !== 'string') return;
        const v = row.values[i];
        if (typeof v === 'string' && v) {
          let col = columns.get(i);
          if (!col) {
            col = new NumberColumn();
            columns.set(i, col);
          }
          col.push(pyLen(v), row.rowNumber);
        }
      });
      return undefined;
    },
    end: () => {
      const out: ReportError[] = [];
      for (const [i, col] of [...columns.entries()].sort((a, b) => a[0] - b[0])) {
        if (col.length < 2) continue;
        const sizes = col.view();
        const max = median(sizes) + stdev(sizes) * interval;
        const threshold = Math.max(5000, max);
        for (let k = 0; k < col.length; k++) {
          if ((sizes[k] as number) > threshold)
            out.push(
              makeError(
                'deviated-cell',
                `cell at row "${col.rows[k]}" and field "${ctx.fields[i]?.name}" has deviated size`,
              ),
            );
        }
      }
      return out;
    },
  };
};
