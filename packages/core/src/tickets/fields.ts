// Validation of the values an actor supplies with an action. Missing and malformed values
// get different codes so the UI can say "required" or "not valid" next to the field.
import type { FieldValue, PlanError } from './events.ts';
import { planError } from './events.ts';
import { normaliseRef } from './refs.ts';
import type { RequiredField } from './state-machine.ts';

export interface TransitionInput {
  reason?: string | null;
  duplicateOf?: string | null;
  /** A calendar day `YYYY-MM-DD`, a full ISO instant, or a Date. */
  expectedDate?: string | Date | null;
  datasetId?: string | null;
  message?: string | null;
  resolution?: string | null;
}

export const TEXT_MAX_LENGTH = 5000;
const ID_MAX_LENGTH = 200;
const DAY_MS = 24 * 60 * 60 * 1000;
const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface ValidatedFields {
  ok: true;
  fields: Record<string, FieldValue>;
  reason: string | null;
}

interface FieldContext {
  now: Date;
  ticketRef?: string | undefined;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function invalid(field: string, problem: string, message: string): PlanError {
  return planError('invalid_field', message, { field, problem });
}

function text(field: string, value: unknown, max: number): string | PlanError {
  if (typeof value !== 'string') return invalid(field, 'not_text', `${field} must be text`);
  const trimmed = value.trim();
  if (trimmed.length > max) return invalid(field, 'too_long', `${field} is longer than ${max} characters`);
  return trimmed;
}

export function parseExpectedDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  const date = new Date(CALENDAR_DAY.test(trimmed) ? `${trimmed}T00:00:00.000Z` : trimmed);
  if (Number.isNaN(date.getTime())) return null;
  // `new Date('2026-02-31')` rolls over to March; a day that does not exist is a typo.
  if (CALENDAR_DAY.test(trimmed) && date.toISOString().slice(0, 10) !== trimmed) return null;
  return date;
}

function startOfUtcDay(at: Date): number {
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
}

function validateOne(field: RequiredField, value: unknown, ctx: FieldContext): FieldValue | PlanError {
  switch (field) {
    case 'reason':
    case 'message':
    case 'resolution':
      return text(field, value, TEXT_MAX_LENGTH);
    case 'datasetId':
      return text(field, value, ID_MAX_LENGTH);
    case 'duplicateOf': {
      if (typeof value !== 'string') return invalid(field, 'not_text', 'duplicateOf must be a ticket ref');
      const ref = normaliseRef(value);
      if (ref === null)
        return invalid(field, 'not_a_ref', `"${value}" is not a ticket ref like Q-2026-000123`);
      if (ctx.ticketRef !== undefined && ref === ctx.ticketRef) {
        return invalid(field, 'self_reference', 'a ticket cannot be a duplicate of itself');
      }
      return ref;
    }
    case 'expectedDate': {
      const date = parseExpectedDate(value);
      if (date === null) return invalid(field, 'not_a_date', 'expectedDate must be a date (YYYY-MM-DD)');
      // One day of slack: an officer in Lima (UTC-5) choosing "today" late in the evening
      // picks a day that is already yesterday in UTC.
      if (date.getTime() < startOfUtcDay(ctx.now) - DAY_MS) {
        return invalid(field, 'in_the_past', 'expectedDate cannot be in the past');
      }
      return date;
    }
  }
}

/**
 * Checks that every required field is present and valid; also accepts an optional reason.
 * Returns the normalised values: trimmed text, canonical refs, dates as Date.
 */
export function validateFields(
  required: readonly RequiredField[],
  input: TransitionInput,
  ctx: FieldContext,
): ValidatedFields | PlanError {
  const missing = required.filter((field) => isBlank(input[field]));
  if (missing.length > 0) {
    return planError('missing_field', `missing required field(s): ${missing.join(', ')}`, {
      fields: missing,
    });
  }
  const fields: Record<string, FieldValue> = {};
  let reason: string | null = null;
  for (const field of required) {
    const value = validateOne(field, input[field], ctx);
    if (typeof value === 'object' && !(value instanceof Date)) return value;
    if (field === 'reason') reason = value as string;
    else fields[field] = value;
  }
  if (reason === null && !isBlank(input.reason)) {
    const optional = text('reason', input.reason, TEXT_MAX_LENGTH);
    if (typeof optional !== 'string') return optional;
    reason = optional;
  }
  return { ok: true, fields, reason };
}

/** Optional free-text reason of an edit: trimmed, null when blank. */
export function optionalReason(value: string | null | undefined): string | null | PlanError {
  if (isBlank(value)) return null;
  return text('reason', value, TEXT_MAX_LENGTH);
}
