// table-dimensions (frictionless/checks/table/table_dimensions.py): the number of fields (at
// the start) and of rows (at the end) against required, minimum and maximum counts.

import { makeError } from '../errors.ts';
import type { ReportError } from '../types.ts';
import { type CheckFactory, optionsOf } from './check.ts';

export const tableDimensions: CheckFactory = (d, ctx) => {
  const o = optionsOf(d);
  const n = (k: string) => (typeof o[k] === 'number' && (o[k] as number) ? (o[k] as number) : undefined);
  // One rule for fields (at the start) and rows (at the end): required, minimum, maximum.
  const outOfBounds = (what: 'fields' | 'rows', count: number, suffix: 'Fields' | 'Rows') => {
    const out: ReportError[] = [];
    const num = n(`num${suffix}`);
    const min = n(`min${suffix}`);
    const max = n(`max${suffix}`);
    const said = (bound: string, value: number) =>
      makeError('table-dimensions', `number of ${what} is ${count}, the ${bound} is ${value}`);
    if (num && count !== num) out.push(said('required', num));
    if (min && count < min) out.push(said('minimum', min));
    if (max && count > max) out.push(said('maximum', max));
    return out;
  };
  return {
    type: d.type,
    split: true,
    start: () => outOfBounds('fields', ctx.schema.fields.length, 'Fields'),
    end: () => outOfBounds('rows', ctx.stats.rows, 'Rows'),
  };
};
