// duplicate-row (frictionless/checks/row/duplicate_row.py): a row whose parsed cells equal an
// earlier row's; the note names the latest earlier one.

import { rowError } from '../errors.ts';
import { KeyIndex } from '../key-index.ts';
import type { CheckFactory } from './check.ts';

export const duplicateRow: CheckFactory = (d) => {
  const memory = new KeyIndex();
  return {
    type: d.type,
    row: (row) => {
      let text = '';
      for (let i = 0; i < row.fields.length; i++) text += (i ? ',' : '') + row.cellStr(i);
      const match = memory.set(text, row.rowNumber);
      return match
        ? [rowError('duplicate-row', `the same as row at position "${match}"`, row.cells, row.rowNumber)]
        : undefined;
    },
  };
};
