// row-constraint (frictionless/checks/row/row_constraint.py): a formula over the row's fields
// (simpleeval's subset, in ../expr.ts) that must be truthy.

import { rowError } from '../errors.ts';
import { compileFormula, Dec, ExprError, type PyValue } from '../expr.ts';
import { dateTimeKey, dateTimeOrdinal, dateTimeStr, type PyDateTime } from '../fields/datetime.ts';
import { type CheckFactory, type CompiledField, fieldNumberOf, optionsOf } from './check.ts';

/** Value seen by row-constraint formulas. */
function toPyValue(field: CompiledField, value: unknown): PyValue {
  if (value === null || value === undefined) return null;
  if (field.type === 'number' && typeof value === 'number')
    return field.descriptor.floatNumber ? value : new Dec(value);
  if (typeof value === 'object' && value && 'kind' in value && 'year' in value) {
    const d = value as PyDateTime;
    return { kind: d.kind, key: dateTimeKey(d), ord: dateTimeOrdinal(d), str: dateTimeStr(d) };
  }
  return value as PyValue;
}

export const rowConstraint: CheckFactory = (d) => {
  const formula = String(optionsOf(d).formula ?? '');
  let evaluate: ReturnType<typeof compileFormula> | undefined;
  try {
    evaluate = compileFormula(formula);
  } catch {
    evaluate = undefined; // a syntax error fails every row, as simpleeval raises each time
  }
  const note = `the row constraint to conform is "${formula}"`;
  return {
    type: d.type,
    split: true,
    row: (row) => {
      let ok = false;
      if (evaluate) {
        try {
          const result = evaluate((id) => {
            const i = fieldNumberOf(row, id);
            if (i < 0) return undefined;
            return toPyValue(row.fields[i] as CompiledField, row.values[i]);
          });
          ok =
            result !== null &&
            result !== false &&
            result !== 0 &&
            result !== '' &&
            !(Array.isArray(result) && result.length === 0) &&
            !(result instanceof Dec && result.v === 0);
        } catch (error) {
          if (
            !(error instanceof ExprError) &&
            !(error instanceof RangeError) &&
            !(error instanceof TypeError)
          )
            throw error;
          ok = false;
        }
      }
      return ok ? undefined : [rowError('row-constraint', note, row.cells, row.rowNumber)];
    },
  };
};
