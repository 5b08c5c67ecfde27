import type { z } from 'zod';
import type { FieldErrors } from './forms.ts';
import type { Translate } from './i18n/index.ts';

/** A form field's value as the schema receives it: strings, ticked boxes, lists of ticked boxes. */
type FormValue = string | boolean | string[] | undefined;

export interface FormRules {
  /** The form's field names in page order: the error summary lists problems as the page shows them. */
  order: readonly string[];
  /** The form field of a schema path where the two differ, e.g. `reporter.email` → `email`. */
  fields?: Record<string, string>;
  /** The message for a field left empty, where it is not "complete this field". */
  empty?: Record<string, string>;
  /** One message for whatever the schema refuses in a filled-in field, in the field's own words. */
  refused?: Record<string, string>;
  /** Fields whose spaces count (passwords); every other text is trimmed, as people mean it. */
  keepSpaces?: readonly string[];
}

export type FormResult<T> = { data: T; errors: null } | { data: null; errors: FieldErrors };

const blank = (value: unknown) => value === undefined;

/** What the schema's issue means to the person filling in the form. */
function messageOf(issue: z.core.$ZodIssue, t: Translate): string {
  switch (issue.code) {
    case 'too_small':
      return t('field.tooShort', { min: Number(issue.minimum) });
    case 'too_big':
      return t('field.tooLong', { max: Number(issue.maximum) });
    case 'invalid_format':
      return issue.format === 'email'
        ? t('field.email')
        : issue.format === 'url'
          ? t('field.url')
          : t('field.invalid');
    case 'invalid_value':
      return t('field.choose');
    default:
      return t('field.invalid');
  }
}

function valueAt(input: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return value;
}

/**
 * Parses a form with the API's schema (one rule, one place; the OpenAPI document shows the
 * same), and says in the reader's language what to fix next to each field. Empty fields are
 * absent to the schema, as in a JSON body. The commands check again: they are the authority.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  input: Record<string, FormValue | Record<string, FormValue>>,
  t: Translate,
  rules: FormRules,
): FormResult<z.output<S>> {
  const present = (key: string, value: FormValue) => {
    if (typeof value !== 'string') return value;
    if (rules.keepSpaces?.includes(key)) return value === '' ? undefined : value;
    return value.trim() || undefined;
  };
  // An empty field is an absent key, as a JSON body leaves it out (strict schemas refuse extras).
  const given = (entries: Array<[string, unknown]>) =>
    Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  const shaped = given(
    Object.entries(input).map(([key, value]) => [
      key,
      value && typeof value === 'object' && !Array.isArray(value)
        ? given(Object.entries(value).map(([k, v]) => [k, present(k, v)]))
        : present(key, value as FormValue),
    ]),
  );
  const result = schema.safeParse(shaped);
  if (result.success) return { data: result.data, errors: null };
  const found: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = issue.path.filter((key) => typeof key !== 'number');
    const dotted = path.join('.');
    const field = rules.fields?.[dotted] ?? dotted;
    if (found[field]) continue;
    found[field] = blank(valueAt(shaped, path))
      ? (rules.empty?.[field] ?? t('field.required'))
      : (rules.refused?.[field] ?? messageOf(issue, t));
  }
  const errors: FieldErrors = {};
  for (const field of [...rules.order, ...Object.keys(found)])
    if (found[field] && !errors[field]) errors[field] = found[field];
  return { data: null, errors };
}
