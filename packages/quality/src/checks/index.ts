// Opt-in checks of frictionless-py (frictionless/checks/*), one module each: same codes,
// notes and moments (start of table, each row after the baseline errors, end of table).
// The baseline errors are in ./baseline.ts and the key constraints in ./unique.ts,
// ./primary-key.ts and ./foreign-key.ts.

import { ValidationFailure } from '../errors.ts';
import type { CheckDescriptor } from '../types.ts';
import { asciiValue } from './ascii-value.ts';
import type { Check, CheckContext, CheckFactory } from './check.ts';
import { deviatedCell } from './deviated-cell.ts';
import { deviatedValue } from './deviated-value.ts';
import { duplicateRow } from './duplicate-row.ts';
import { forbiddenValue } from './forbidden-value.ts';
import { requiredValue } from './required-value.ts';
import { rowConstraint } from './row-constraint.ts';
import { sequentialValue } from './sequential-value.ts';
import { tableDimensions } from './table-dimensions.ts';
import { truncatedValue } from './truncated-value.ts';

export type { Check, CheckContext, RowView } from './check.ts';

const CHECKS: Record<string, CheckFactory> = {
  'ascii-value': asciiValue,
  'deviated-cell': deviatedCell,
  'deviated-value': deviatedValue,
  'duplicate-row': duplicateRow,
  'forbidden-value': forbiddenValue,
  'required-value': requiredValue,
  'row-constraint': rowConstraint,
  'sequential-value': sequentialValue,
  'table-dimensions': tableDimensions,
  'truncated-value': truncatedValue,
};

export const CHECK_TYPES = Object.keys(CHECKS);

export function createChecks(descriptors: CheckDescriptor[], ctx: CheckContext): Check[] {
  return descriptors.map((d) => {
    const create = Object.hasOwn(CHECKS, d.type) ? CHECKS[d.type] : undefined;
    if (!create) throw new ValidationFailure('check-error', `check type "${d.type}" is not supported`);
    return create(d, ctx);
  });
}
