// truncated-value (frictionless/checks/cell/truncated_value.py): strings of exactly 255
// characters and integers at common type maxima.

import { pyLen } from '../fields/index.ts';
import type { ReportError } from '../types.ts';
import { type CheckFactory, cellFromRow } from './check.ts';

const TRUNCATED_INTEGERS = new Set([
  '18446744073709551616',
  '9223372036854775807',
  '4294967295',
  '2147483647',
  '2097152',
  '65535',
  '32767',
]);

export const truncatedValue: CheckFactory = (d) => ({
  type: d.type,
  split: true,
  row: (row) => {
    let out: ReportError[] | undefined;
    row.fields.forEach((f, i) => {
      const v = row.values[i];
      if (v === null || v === undefined) return;
      let truncated = false;
      if (typeof v === 'string' && pyLen(v) === 255) truncated = true;
      if (
        (f.type === 'integer' || f.type === 'year') &&
        (typeof v === 'number' || typeof v === 'bigint') &&
        TRUNCATED_INTEGERS.has(String(v))
      )
        truncated = true;
      if (truncated) {
        out ??= [];
        out.push(cellFromRow('truncated-value', row, 'value  is probably truncated', f.name));
      }
    });
    return out;
  },
});
