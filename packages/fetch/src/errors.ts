export type FetchErrorCode =
  /** Not http(s), or not a URL at all. */
  | 'scheme'
  /** The host is (or resolves to) a private, loopback, link-local… address. */
  | 'private_address'
  /** The name does not resolve. */
  | 'dns'
  /** Total or idle time exceeded. */
  | 'timeout'
  /** Declared or streamed size above the cap. */
  | 'too_large'
  | 'redirect_loop'
  | 'too_many_redirects'
  | 'tls'
  /** Refused, reset, unreachable, malformed response. */
  | 'connection'
  /** A status the caller cannot use (helpers only: `safeFetch` itself returns every status). */
  | 'http_status'
  /** The caller's signal aborted. */
  | 'aborted';

/** Why a fetch failed, with a stable code; `message` is safe to store and show to staff. */
export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly url: string | undefined;
  readonly status: number | undefined;
  constructor(
    code: FetchErrorCode,
    message: string,
    details: { url?: string; status?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'FetchError';
    this.code = code;
    this.url = details.url;
    this.status = details.status;
  }

  /** Worth retrying later: the network or the server may recover; a policy refusal will not. */
  get transient(): boolean {
    if (this.code === 'http_status')
      return this.status === undefined || this.status >= 500 || this.status === 429;
    return this.code === 'timeout' || this.code === 'connection' || this.code === 'dns';
  }
}

export function isFetchError(error: unknown): error is FetchError {
  return error instanceof FetchError;
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** Maps a socket/TLS error from node:http to a FetchError. */
export function fromSocketError(error: unknown, url: string): FetchError {
  if (error instanceof FetchError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const message = (error as Error | undefined)?.message ?? String(error);
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
    return new FetchError('tls', `TLS failure talking to ${hostOf(url)}: ${message}`, { url, cause: error });
  }
  return new FetchError('connection', `connection to ${hostOf(url)} failed: ${code || message}`, {
    url,
    cause: error,
  });
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
