import { CommandError } from '@quipu/commands';
import { AppError, isMalformedId, notFound } from '@quipu/http';
import type { Middleware } from 'koa';

/**
 * The one error boundary: every error leaves as RFC 9457 problem+json with a stable `code`.
 * Unknown errors are logged with the request id and answered with a bare 500.
 */
export function errorBoundary(): Middleware {
  return async function errorBoundaryMiddleware(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError({
          status: 404,
          code: 'not_found',
          title: 'Not found',
          detail: `No route for ${ctx.method} ${ctx.path}.`,
        });
      }
    } catch (caught) {
      const error = normalise(caught);
      if (error.status >= 500) ctx.state.log?.error({ err: caught }, 'unhandled error');
      ctx.status = error.status;
      for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
      ctx.type = 'application/problem+json';
      ctx.body = {
        type: `https://quipu.dev/problems/${error.code}`,
        title: error.title,
        status: error.status,
        code: error.code,
        detail: error.status >= 500 ? 'Something went wrong on our side.' : error.message,
        instance: ctx.path,
        requestId: ctx.state.requestId,
        ...(error.errors.length ? { errors: error.errors } : {}),
        ...error.extra,
      };
    }
  };
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  message?: string;
}

/** Command refusals by code; anything naming a field is a 400 with that field in `errors`. */
const COMMAND_STATUS: Record<string, number> = {
  not_found: 404,
  forbidden: 403,
  invalid_credentials: 401,
  invalid_transition: 409,
  invalid_merge: 409,
  no_change: 409,
  concurrent_change: 409,
  conflict: 409,
  too_many_comments: 409,
};

function fromCommandError(error: CommandError): AppError {
  const status = COMMAND_STATUS[error.code] ?? 400;
  const field = typeof error.details.field === 'string' ? error.details.field : undefined;
  const fields = Array.isArray(error.details.fields)
    ? (error.details.fields as string[])
    : field
      ? [field]
      : [];
  const titles: Record<number, string> = {
    400: 'Invalid request',
    401: 'Unauthenticated',
    403: 'Forbidden',
    404: 'Not found',
    409: 'Conflict',
  };
  return new AppError({
    status,
    code: error.code,
    title: titles[status] ?? 'Error',
    detail: error.message,
    errors: fields.map((f) => ({ field: f, code: error.code, message: error.message })),
    extra: Object.fromEntries(
      Object.entries(error.details).filter(([k]) => !['field', 'fields', 'what'].includes(k)),
    ),
  });
}

function normalise(caught: unknown): AppError {
  if (caught instanceof AppError) return caught;
  if (caught instanceof CommandError) return fromCommandError(caught);
  if (isMalformedId(caught)) return notFound();
  const error = caught as HttpLikeError;
  const status = error?.status ?? error?.statusCode;
  if (status === 413 || error?.type === 'entity.too.large') {
    return new AppError({
      status: 413,
      code: 'payload_too_large',
      title: 'Payload too large',
      detail: 'The body is too large.',
    });
  }
  if (status === 415) {
    return new AppError({
      status: 415,
      code: 'unsupported_media_type',
      title: 'Unsupported media type',
      detail: 'Send application/json.',
    });
  }
  if (status && status >= 400 && status < 500 && error.expose !== false) {
    const code = error.type === 'entity.parse.failed' ? 'malformed_body' : 'bad_request';
    return new AppError({
      status,
      code,
      title: 'Bad request',
      detail: code === 'malformed_body' ? 'The body is not valid JSON.' : (error.message ?? 'Bad request.'),
    });
  }
  return new AppError({ status: 500, code: 'internal', title: 'Internal error' });
}
