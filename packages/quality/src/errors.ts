import { ERROR_SPECS } from './error-specs.ts';
import type { ReportError } from './types.ts';

export { ERROR_SPECS };

type Extra = Omit<Partial<ReportError>, 'type' | 'title' | 'description' | 'message' | 'tags' | 'note'>;

/** Builds an error the way frictionless-py's Error.__init__ does: message from the template. */
export function makeError(type: string, note: string, extra?: Extra): ReportError {
  const spec = ERROR_SPECS[type];
  if (!spec) throw new Error(`unknown error type ${type}`);
  const error: ReportError = {
    type,
    title: spec.title,
    description: spec.description,
    message: '',
    tags: spec.tags.slice(),
    note,
  };
  if (extra) Object.assign(error, extra);
  error.message = formatTemplate(spec.template, error as unknown as Record<string, unknown>);
  return error;
}

/** The message again, after a field it quotes changed (a split read's row numbers). */
export function refreshMessage(error: ReportError): void {
  const spec = ERROR_SPECS[error.type];
  if (spec) error.message = formatTemplate(spec.template, error as unknown as Record<string, unknown>);
}

function formatTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const v = values[key];
    return v === undefined || v === null ? 'None' : String(v);
  });
}

export function headerError(
  type: string,
  note: string,
  labels: string[],
  rowNumbers: number[],
  label?: { label: string; fieldName: string; fieldNumber: number },
): ReportError {
  return makeError(
    type,
    note,
    label
      ? { labels: labels.slice(), rowNumbers: rowNumbers.slice(), ...label }
      : { labels: labels.slice(), rowNumbers: rowNumbers.slice() },
  );
}

export function rowError(type: string, note: string, cells: string[], rowNumber: number): ReportError {
  return makeError(type, note, { cells, rowNumber });
}

export function cellError(
  type: string,
  note: string,
  cells: string[],
  rowNumber: number,
  cell: string,
  fieldName: string,
  fieldNumber: number,
): ReportError {
  return makeError(type, note, { cells, rowNumber, cell, fieldName, fieldNumber });
}

/** True when an error passes pickErrors/skipErrors (frictionless Checklist.match): only data errors are filtered. */
export function makeErrorFilter(pick?: string[], skip?: string[]): (type: string) => boolean {
  if (!pick?.length && !skip?.length) return () => true;
  const cache = new Map<string, boolean>();
  return (type) => {
    let ok = cache.get(type);
    if (ok !== undefined) return ok;
    const spec = ERROR_SPECS[type];
    ok = true;
    if (spec?.data) {
      if (pick?.length && !pick.includes(type) && !spec.tags.some((t) => pick.includes(t))) ok = false;
      if (skip?.length && (skip.includes(type) || spec.tags.some((t) => skip.includes(t)))) ok = false;
    }
    cache.set(type, ok);
    return ok;
  };
}

/** A failure that ends reading (scheme-error, encoding-error, format-error, source-error...). */
export class ValidationFailure extends Error {
  readonly error: ReportError;
  /** Absolute byte offset where reading failed, when known (encoding errors). */
  bytePosition: number | undefined;
  constructor(type: string, note: string, bytePosition?: number) {
    super(note);
    this.error = makeError(type, note);
    this.bytePosition = bytePosition;
  }
}
