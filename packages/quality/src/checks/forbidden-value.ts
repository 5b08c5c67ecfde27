// forbidden-value (frictionless/checks/cell/forbidden_value.py): a field's value among the
// forbidden ones.

import { pyRepr } from '../py.ts';
import {
  type CheckFactory,
  cellFromRow,
  fieldCheckStart,
  fieldNumberOf,
  optionsOf,
  pyEquals,
} from './check.ts';

export const forbiddenValue: CheckFactory = (d, ctx) => {
  const o = optionsOf(d);
  const fieldName = String(o.fieldName);
  const values = Array.isArray(o.values) ? (o.values as unknown[]) : [];
  const note = `forbidden values are "${pyRepr(values)}"`;
  return {
    type: d.type,
    split: true,
    start: fieldCheckStart(fieldName, ctx, 'forbidden value check requires field "%s"'),
    row: (row) => {
      const i = fieldNumberOf(row, fieldName);
      const v = i < 0 ? null : row.values[i];
      return values.some((x) => pyEquals(v, x))
        ? [cellFromRow('forbidden-value', row, note, fieldName)]
        : undefined;
    },
  };
};
