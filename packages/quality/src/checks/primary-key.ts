// primary-key: the key tuple seen in an earlier row, or every key cell null.

import { rowError } from '../errors.ts';
import type { ReportError } from '../types.ts';

export const primaryKeyNullError = (cells: string[], rowNumber: number): ReportError =>
  rowError('primary-key', 'cells composing the primary keys are all "None"', cells, rowNumber);

export const primaryKeyError = (cells: string[], rowNumber: number, position: string): ReportError =>
  rowError('primary-key', `the same as in the row at position ${position}`, cells, rowNumber);
