// deviated-value (frictionless/checks/cell/deviated_value.py): at the end of the table, the
// numeric values of one field outside average ± interval·stdev.

import { makeError } from '../errors.ts';
import { pyFixed2 } from '../py.ts';
import type { ReportError } from '../types.ts';
import { type CheckFactory, fieldNumberOf, optionsOf } from './check.ts';
import { mean, median, mode, NumberColumn, stdev } from './statistics.ts';

export const deviatedValue: CheckFactory = (d, ctx) => {
  const o = optionsOf(d);
  const fieldName = String(o.fieldName);
  const interval = typeof o.interval === 'number' ? o.interval : 3;
  const average = typeof o.average === 'string' ? o.average : 'mean';
  const fn =
    average === 'mean' ? mean : average === 'median' ? median : average === 'mode' ? mode : undefined;
  const column = new NumberColumn();
  return {
    type: d.type,
    start: () => {
      const out: ReportError[] = [];
      const field = ctx.schema.fields.find((f) => f.name === fieldName);
      if (!field)
        out.push(makeError('check-error', `deviated value check requires field "${fieldName}" to exist`));
      else if (!['integer', 'number'].includes(field.type ?? 'string'))
        out.push(
          makeError('check-error', `deviated value check requires field "${fieldName}" to be numeric`),
        );
      if (!fn)
        out.push(
          makeError(
            'check-error',
            'deviated value check supports only average functions "mean, median, mode"',
          ),
        );
      return out;
    },
    row: (row) => {
      const i = fieldNumberOf(row, fieldName);
      const v = row.values[i];
      if (v !== null && v !== undefined) column.push(Number(v), row.rowNumber);
      return undefined;
    },
    end: () => {
      if (column.length < 2 || !fn) return [];
      const values = column.view();
      const sd = stdev(values);
      const avg = fn(values);
      const min = avg - sd * interval;
      const max = avg + sd * interval;
      const out: ReportError[] = [];
      for (let k = 0; k < column.length; k++) {
        const v = values[k] as number;
        if (!(min <= v && v <= max))
          out.push(
            makeError(
              'deviated-value',
              `value "${String(v)}" in row at position "${column.rows[k]}" and field "${fieldName}" is deviated "[${pyFixed2(min)}, ${pyFixed2(max)}]"`,
            ),
          );
      }
      return out;
    },
  };
};
