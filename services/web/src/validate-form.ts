import { z } from 'zod';
import type { FieldErrors } from './forms.ts';
import type { Translate } from './i18n/index.ts';

/**
 * Form checks that say, in the reader's language, what to fix next to each field. The
 * commands check again (they are the authority); this only makes the first answer helpful.
 */
export function checkText(
  errors: FieldErrors,
  t: Translate,
  field: string,
  value: string,
  rules: { min?: number; max: number; required?: boolean },
): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) {
    if (rules.required) errors[field] = t('field.required');
    return undefined;
  }
  if (rules.min && trimmed.length < rules.min) errors[field] = t('field.tooShort', { min: rules.min });
  else if (trimmed.length > rules.max) errors[field] = t('field.tooLong', { max: rules.max });
  return trimmed;
}

const emailSchema = z.email().max(254);
const urlSchema = z.url({ protocol: /^https?$/ }).max(2000);

export function checkEmail(
  errors: FieldErrors,
  t: Translate,
  field: string,
  value: string,
): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) errors[field] = t('field.required');
  else if (!emailSchema.safeParse(trimmed).success) errors[field] = t('field.email');
  return trimmed || undefined;
}

export function checkUrl(
  errors: FieldErrors,
  t: Translate,
  field: string,
  value: string,
): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  if (!urlSchema.safeParse(trimmed).success) errors[field] = t('field.url');
  return trimmed;
}

export function checkChoice<T extends string>(
  errors: FieldErrors,
  t: Translate,
  field: string,
  value: string,
  choices: readonly T[],
  required: boolean,
): T | undefined {
  if (!value) {
    if (required) errors[field] = t('field.choose');
    return undefined;
  }
  if (!(choices as readonly string[]).includes(value)) {
    errors[field] = t('field.choose');
    return undefined;
  }
  return value as T;
}
