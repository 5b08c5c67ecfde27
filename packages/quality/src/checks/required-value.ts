// required-value (frictionless/checks/table/required_value.py): at the end of the table, one
// error per required value never seen in the field.

import { makeError } from '../errors.ts';
import { pyRepr, pyStr } from '../py.ts';
import type { ReportError } from '../types.ts';
import { type CheckFactory, fieldCheckStart, fieldNumberOf, optionsOf, pyEquals } from './check.ts';

export const requiredValue: CheckFactory = (d, ctx) => {
  const o = optionsOf(d);
  const fieldName = String(o.fieldName);
  const values = Array.isArray(o.values) ? (o.values as unknown[]) : [];
  const found = new Set<number>();
  return {
    type: d.type,
    start: fieldCheckStart(fieldName, ctx, 'required value check requires field "%s" to exist'),
    row: (row) => {
      const i = fieldNumberOf(row, fieldName);
      const v = i < 0 ? null : row.values[i];
      values.forEach((x, k) => {
        if (pyEquals(v, x)) found.add(k);
      });
      return undefined;
    },
    end: () => {
      const out: ReportError[] = [];
      const seen = new Set<string>();
      values.forEach((x, k) => {
        if (found.has(k) || seen.has(pyRepr(x))) return;
        seen.add(pyRepr(x));
        out.push(
          makeError(
            'required-value',
            `The value "${pyStr(x)}" is required to be present in field "${fieldName}" in at least one row.`,
          ),
        );
      });
      return out;
    },
  };
};
