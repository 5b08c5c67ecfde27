/**
 * Errors with stable codes. One middleware (error-boundary.ts) turns them into RFC 9457
 * `application/problem+json`; anything else becomes a 500 that leaks nothing.
 */
export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `reporter.email`. */
  field: string;
  code: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly errors: FieldProblem[];
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;

  constructor(props: {
    status: number;
    code: string;
    title: string;
    detail?: string;
    errors?: FieldProblem[];
    headers?: Record<string, string>;
    extra?: Record<string, unknown>;
  }) {
    super(props.detail ?? props.title);
    this.name = 'AppError';
    this.status = props.status;
    this.code = props.code;
    this.title = props.title;
    this.errors = props.errors ?? [];
    this.headers = props.headers ?? {};
    this.extra = props.extra ?? {};
  }
}

export const validationError = (errors: FieldProblem[], detail = 'The request is not valid.') =>
  new AppError({ status: 400, code: 'validation_failed', title: 'Invalid request', detail, errors });

export const badRequest = (code: string, detail: string) =>
  new AppError({ status: 400, code, title: 'Bad request', detail });

export const unauthenticated = (detail = 'Authentication is required.') =>
  new AppError({
    status: 401,
    code: 'unauthenticated',
    title: 'Unauthenticated',
    detail,
    headers: { 'WWW-Authenticate': 'Bearer' },
  });

export const forbidden = (detail = 'You may not do this.') =>
  new AppError({ status: 403, code: 'forbidden', title: 'Forbidden', detail });

export const notFound = (what = 'resource') =>
  new AppError({ status: 404, code: 'not_found', title: 'Not found', detail: `No such ${what}.` });

export const conflict = (code: string, detail: string, extra: Record<string, unknown> = {}) =>
  new AppError({ status: 409, code, title: 'Conflict', detail, extra });

export const payloadTooLarge = (limitKb: number) =>
  new AppError({
    status: 413,
    code: 'payload_too_large',
    title: 'Payload too large',
    detail: `The body exceeds ${limitKb} KiB.`,
  });

export const unsupportedMediaType = (detail: string) =>
  new AppError({ status: 415, code: 'unsupported_media_type', title: 'Unsupported media type', detail });

export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError({
    status: 429,
    code: 'rate_limited',
    title: 'Too many requests',
    detail: `Try again in ${retryAfterSeconds} seconds.`,
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });

/**
 * Errors raised when a path or body value is not a document id at all (our repositories'
 * MalformedIdError, mongoose's CastError, the driver's BSONError): no document has that id, so
 * both boundaries answer "not found" rather than a 500.
 */
const MALFORMED_ID_ERRORS = new Set(['MalformedIdError', 'CastError', 'BSONError']);

export function isMalformedId(error: unknown): boolean {
  return error instanceof Error && MALFORMED_ID_ERRORS.has(error.name);
}
