// sequential-value (frictionless/checks/cell/sequential_value.py): each value is the previous
// one + 1; the first break is reported and the check stops.

import {
  type CheckFactory,
  cellFromRow,
  fieldCheckStart,
  fieldNumberOf,
  optionsOf,
  pyEquals,
} from './check.ts';

export const sequentialValue: CheckFactory = (d, ctx) => {
  const fieldName = String(optionsOf(d).fieldName);
  let cursor: unknown = null;
  let exited = false;
  return {
    type: d.type,
    start: fieldCheckStart(fieldName, ctx, 'sequential value check requires field "%s"'),
    row: (row) => {
      if (exited) return undefined;
      const i = fieldNumberOf(row, fieldName);
      const cell = i < 0 ? null : row.values[i];
      const truthyCursor =
        cursor !== null && cursor !== undefined && cursor !== 0 && cursor !== '' && cursor !== false;
      cursor = truthyCursor ? cursor : cell;
      const fail = () => {
        exited = true;
        return [cellFromRow('sequential-value', row, 'the value is not sequential', fieldName)];
      };
      if (!pyEquals(cursor, cell)) return fail();
      if (typeof cursor === 'number') cursor = cursor + 1;
      else if (typeof cursor === 'bigint') cursor = cursor + 1n;
      else if (typeof cursor === 'boolean') cursor = Number(cursor) + 1;
      else return fail();
      return undefined;
    },
  };
};
