// frictionless-py's Header and Dialect.read_labels: labels from the header rows, label errors,
// and the fields expected in the data.

import { headerError, ValidationFailure } from './errors.ts';
import { pyStrip } from './py.ts';
import type { FieldDescriptor, ReportError } from './types.ts';

export interface HeaderResult {
  labels: string[];
  errors: ReportError[];
  expected: FieldDescriptor[];
}

export function deduplicateNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    let suffix = 2;
    while (used.has(candidate)) candidate = `${name}${suffix++}`;
    used.add(candidate);
    return candidate;
  });
}

/** frictionless-py's Header: label errors and the fields expected in the data. */
export function processHeader(
  labels: string[],
  fields: FieldDescriptor[],
  rowNumbers: number[],
  ignoreCase: boolean,
  fieldsMatch: string,
  primaryKey: string[],
  hasHeader: boolean,
): HeaderResult {
  const norm = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  const byName = fieldsMatch !== 'exact';
  const fieldsByKey = new Map<string, FieldDescriptor>();
  for (const f of fields) if (!fieldsByKey.has(norm(f.name))) fieldsByKey.set(norm(f.name), f);
  const matching = (position: number, label: string) =>
    byName ? fieldsByKey.get(norm(label)) : fields[position];
  const errors: ReportError[] = [];
  if (!hasHeader || labels.length === 0) {
    // header missing: every field expected, no label errors
    return { labels, errors, expected: fields };
  }
  if (fieldsMatch !== 'subset' && fieldsMatch !== 'partial') {
    labels.forEach((label, i) => {
      if (!matching(i, label))
        errors.push(
          headerError('extra-label', '', labels, rowNumbers, { label, fieldName: '', fieldNumber: i + 1 }),
        );
    });
  }
  if (fieldsMatch === 'partial' && fields.length && !labels.some((l, i) => matching(i, l)))
    errors.push(headerError('unmatched-header', '', labels, rowNumbers));
  let unmatched: FieldDescriptor[];
  if (!byName) unmatched = fields.slice(labels.length);
  else {
    const matched = new Set(labels.map(norm));
    unmatched = fields.filter((f) => !matched.has(norm(f.name)));
  }
  if (fieldsMatch === 'superset' || fieldsMatch === 'partial')
    unmatched = unmatched.filter((f) => f.constraints?.required === true || primaryKey.includes(f.name));
  unmatched.forEach((f, offset) => {
    errors.push(
      headerError('missing-label', '', labels, rowNumbers, {
        label: '',
        fieldName: f.name,
        fieldNumber: labels.length + offset + 1,
      }),
    );
  });
  if (byName) {
    const groups = new Map<string, FieldDescriptor[]>();
    for (const f of fields) groups.set(norm(f.name), [...(groups.get(norm(f.name)) ?? []), f]);
    for (const group of groups.values()) {
      if (new Set(group.map((f) => f.name)).size > 1) {
        const names = group.map((f) => `"${f.name}"`).join(', ');
        throw new ValidationFailure(
          'metadata-error',
          `matching fields by name ("fieldsMatch": "${fieldsMatch}") is ambiguous: fields ${names} differ only by case, which "header_case" is set to ignore`,
        );
      }
    }
    const keys = labels.map(norm);
    if (new Set(keys).size !== keys.length)
      throw new ValidationFailure(
        'error',
        `matching fields by name ("fieldsMatch": "${fieldsMatch}") requires unique labels in the header`,
      );
  } else {
    const n = Math.min(fields.length, labels.length);
    for (let i = 0; i < n; i++) {
      const field = fields[i] as FieldDescriptor;
      let label: string | null = labels[i] as string;
      const fieldNumber = i + 1;
      if (!label)
        errors.push(
          headerError('blank-label', '', labels, rowNumbers, {
            label: '',
            fieldName: field.name,
            fieldNumber,
          }),
        );
      if (label) {
        const dups: number[] = [];
        for (let j = 0; j < i; j++) if (labels[j] === label) dups.push(j + 1);
        if (dups.length) {
          errors.push(
            headerError('duplicate-label', `at position "${dups.join(', ')}"`, labels, rowNumbers, {
              label: labels[i] as string,
              fieldName: field.name,
              fieldNumber,
            }),
          );
          label = null;
        }
      }
      if (label && norm(label) !== norm(field.name)) {
        errors.push(
          headerError('incorrect-label', '', labels, rowNumbers, {
            label,
            fieldName: field.name,
            fieldNumber,
          }),
        );
      }
    }
  }
  const matched = labels.map((l, i) => matching(i, l));
  const names = deduplicateNames(matched.map((f, i) => (f ? f.name : (labels[i] as string))));
  const expected = matched.map((f, i) => f ?? { name: names[i] as string, type: 'any' });
  return { labels, errors, expected };
}

/** Reads labels from the sample like Dialect.read_labels. */
export function readLabels(
  sample: string[][],
  header: boolean,
  headerRows: number[],
  headerJoin: string,
  isComment: (n: number, cells: string[]) => boolean,
): string[] {
  if (!header) return [];
  const firstContent = headerRows.length ? (headerRows[headerRows.length - 1] as number) + 1 : 1;
  const lists: string[][] = [];
  for (let i = 0; i < sample.length; i++) {
    const rowNumber = i + 1;
    const cells = sample[i] as string[];
    if (isComment(rowNumber, cells)) continue;
    if (headerRows.includes(rowNumber)) lists.push(cells.map((c) => pyStrip(c)));
    if (rowNumber >= firstContent) break;
  }
  const labels: string[] = [];
  const prev = new Map<number, string>();
  for (const cells of lists) {
    cells.forEach((cell, index) => {
      if (prev.get(index) === cell) return;
      prev.set(index, cell);
      if (labels.length <= index) labels.push(cell);
      else labels[index] = [labels[index], cell].join(headerJoin);
    });
  }
  return labels;
}
