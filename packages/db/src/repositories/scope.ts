import { Types } from 'mongoose';

/**
 * Whose eyes a query serves. Every repository function that reads or changes scoped data
 * takes one and adds its filter, so authorisation holds even if a handler forgets.
 */
export type Scope =
  /** Admins and workers: everything. */
  | { kind: 'everything' }
  /** Staff: their organisations (managers: plus descendants, expanded by the caller). */
  | { kind: 'organisations'; organisationIds: readonly string[] }
  /** Anyone: only what is public. */
  | { kind: 'public' };

export const EVERYTHING: Scope = { kind: 'everything' };
export const PUBLIC: Scope = { kind: 'public' };

/**
 * A string that cannot be a document id (from a URL or a body). Nothing has that id, so the
 * HTTP boundaries answer it as "not found", like mongoose's CastError and BSON's BSONError.
 */
export class MalformedIdError extends Error {
  constructor(id: unknown) {
    super(`not an id: ${String(id).slice(0, 64)}`);
    this.name = 'MalformedIdError';
  }
}

export function toObjectId(id: string | Types.ObjectId): Types.ObjectId {
  if (id instanceof Types.ObjectId) return id;
  if (!isObjectId(id)) throw new MalformedIdError(id);
  return new Types.ObjectId(id);
}

export function isObjectId(id: unknown): id is string {
  return typeof id === 'string' && /^[0-9a-f]{24}$/.test(id);
}

/**
 * The filter a scope adds to a collection whose documents belong to organisations: nothing for
 * everything, the staff member's organisations in `field`, and `publicFilter` for anyone.
 */
export function scopeFilter(
  scope: Scope,
  publicFilter: Record<string, unknown>,
  field = 'organisationId',
): Record<string, unknown> {
  switch (scope.kind) {
    case 'everything':
      return {};
    case 'public':
      return publicFilter;
    case 'organisations':
      return { [field]: { $in: scope.organisationIds.filter(isObjectId).map(toObjectId) } };
  }
}

/** The filter a scope adds to ticket queries: the public sees public tickets only. */
export function ticketScopeFilter(scope: Scope): Record<string, unknown> {
  return scopeFilter(scope, { visibility: 'public' });
}

/** Escapes a user's text for use inside $regex (no operator can arrive from a request). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opaque cursor for keyset pagination: [sort value, _id]. */
export function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(
    JSON.stringify([value instanceof Date ? { $date: value.toISOString() } : value, id]),
  ).toString('base64url');
}

export function decodeCursor(cursor: string): { value: unknown; id: string } | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2 || !isObjectId(parsed[1])) return null;
    const raw = parsed[0] as unknown;
    const value =
      raw && typeof raw === 'object' && '$date' in raw
        ? new Date(String((raw as { $date: string }).$date))
        : raw;
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) return null;
    return { value, id: parsed[1] };
  } catch {
    return null;
  }
}
