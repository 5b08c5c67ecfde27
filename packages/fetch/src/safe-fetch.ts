import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { PassThrough, type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { bareHostname, forbiddenRange, type ResolvedAddress, resolveAll } from './address.ts';
import { FetchError, fromSocketError, hostOf } from './errors.ts';

export interface SafeFetchOptions {
  /** Allow private, loopback and link-local addresses (tests, intranet portals). Default false. */
  allowPrivateNetwork?: boolean;
  /** Cap on the (decoded) body. Default 10 MiB. */
  maxBytes?: number;
  /** Total time from the first DNS lookup to the last body byte. Default 30 s. */
  timeoutMs?: number;
  /** Longest silence while waiting for headers or body bytes. Default min(timeoutMs, 15 s). */
  idleTimeoutMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  headers?: Record<string, string>;
  /** Conditional request: an ETag seen before. A 304 answers with `notModified`. */
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | Date | undefined;
  signal?: AbortSignal | undefined;
  method?: 'GET' | 'HEAD';
  /** Ask for gzip/deflate/br and decode; the byte cap applies to decoded bytes. Default true. */
  decompress?: boolean;
}

export interface SafeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  /** Every URL redirected to, in order. */
  redirects: string[];
  /** The address the answer came from (pinned after the check). */
  remoteAddress: string;
  /**
   * The body, decoded and capped: it errors with a FetchError (`too_large`, `timeout`,
   * `connection`) instead of running past the caps. Read it or call `body.destroy()`.
   */
  body: Readable;
  /** The server answered 304 to a conditional request. */
  notModified: boolean;
}

const DEFAULTS = {
  maxBytes: 10 * 1024 * 1024,
  timeoutMs: 30_000,
  maxRedirects: 5,
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Sent to the first host only: a redirect to another origin must not carry credentials.
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export const USER_AGENT = 'Quipu/0.1 (open-data quality desk; +https://github.com/quipu)';

/**
 * GET (or HEAD) a URL the way a server that fetches for others must: only http(s); every
 * hop's name resolved here and refused when any address is private (unless allowed); the
 * connection pinned to the checked addresses so a second DNS answer (rebinding) cannot send
 * it elsewhere; redirects followed by hand and re-checked; total and idle timeouts; a byte
 * cap enforced while streaming. Resolves with any HTTP status; rejects with a FetchError.
 */
export async function safeFetch(input: string | URL, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const idleTimeoutMs = Math.min(options.idleTimeoutMs ?? 15_000, timeoutMs);
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  const maxRedirects = options.maxRedirects ?? DEFAULTS.maxRedirects;
  const method = options.method ?? 'GET';
  const decompress = options.decompress ?? true;

  const controller = new AbortController();
  const firstUrl = String(input);
  const totalTimer = setTimeout(
    () =>
      controller.abort(
        new FetchError('timeout', `no complete answer from ${hostOf(firstUrl)} within ${timeoutMs} ms`, {
          url: firstUrl,
        }),
      ),
    timeoutMs,
  );
  const onCallerAbort = () =>
    controller.abort(
      new FetchError('aborted', 'the fetch was cancelled', { url: firstUrl, cause: options.signal?.reason }),
    );
  if (options.signal?.aborted) onCallerAbort();
  else options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const finish = () => {
    clearTimeout(totalTimer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  };

  try {
    let url = parseUrl(firstUrl);
    const firstOrigin = url.origin;
    const visited = new Set<string>([url.href]);
    const redirects: string[] = [];
    for (;;) {
      const addresses = await checkedAddresses(url, options.allowPrivateNetwork ?? false, controller.signal);
      const headers = requestHeaders(options, url.origin === firstOrigin, decompress);
      const response = await request(url, method, headers, addresses, idleTimeoutMs, controller.signal);
      const location = response.headers.location;
      if (REDIRECTS.has(response.statusCode ?? 0) && location) {
        response.resume();
        response.destroy();
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new FetchError('connection', `${hostOf(url.href)} redirected to an invalid location`, {
            url: url.href,
          });
        }
        if (visited.has(next.href)) {
          throw new FetchError('redirect_loop', `redirect loop back to ${next.href}`, { url: next.href });
        }
        if (redirects.length >= maxRedirects) {
          throw new FetchError('too_many_redirects', `more than ${maxRedirects} redirects from ${firstUrl}`, {
            url: next.href,
          });
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new FetchError('scheme', `redirect to a ${next.protocol} URL refused`, { url: next.href });
        }
        visited.add(next.href);
        redirects.push(next.href);
        url = next;
        continue;
      }
      const status = response.statusCode ?? 0;
      const declared = Number(response.headers['content-length']);
      if (!response.headers['content-encoding'] && Number.isFinite(declared) && declared > maxBytes) {
        response.destroy();
        throw new FetchError(
          'too_large',
          `${url.href} declares ${declared} bytes, above the cap of ${maxBytes}`,
          {
            url: url.href,
          },
        );
      }
      const body = cappedBody(response, {
        url: url.href,
        maxBytes,
        idleTimeoutMs,
        signal: controller.signal,
        decode: decompress && method !== 'HEAD' && status !== 304,
        onDone: finish,
      });
      return {
        status,
        headers: response.headers,
        finalUrl: url.href,
        redirects,
        remoteAddress: response.socket?.remoteAddress ?? addresses[0]!.address,
        body,
        notModified: status === 304,
      };
    }
  } catch (error) {
    finish();
    if (controller.signal.aborted && controller.signal.reason instanceof FetchError)
      throw controller.signal.reason;
    throw error;
  }
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchError('scheme', `not a URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('scheme', `only http and https URLs are fetched, not ${url.protocol}`, {
      url: url.href,
    });
  }
  return url;
}

async function checkedAddresses(
  url: URL,
  allowPrivate: boolean,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
  const host = bareHostname(url);
  let addresses: ResolvedAddress[];
  try {
    addresses = await abortable(resolveAll(host), signal);
  } catch (error) {
    if (error instanceof FetchError) throw error;
    throw new FetchError(
      'dns',
      `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        url: url.href,
        cause: error,
      },
    );
  }
  if (addresses.length === 0) throw new FetchError('dns', `${host} has no address`, { url: url.href });
  if (!allowPrivate) {
    // One bad address is enough to refuse: a name that mixes public and private answers is
    // either misconfigured or an attempt to reach inside.
    for (const { address } of addresses) {
      const range = forbiddenRange(address);
      if (range !== null) {
        throw new FetchError(
          'private_address',
          `${host} resolves to ${address} (${range}), which is not fetched`,
          {
            url: url.href,
          },
        );
      }
    }
  }
  return addresses;
}

function requestHeaders(
  options: SafeFetchOptions,
  sameOrigin: boolean,
  decompress: boolean,
): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: '*/*' };
  if (decompress) headers['accept-encoding'] = 'gzip, deflate, br';
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const key = name.toLowerCase();
    if (!sameOrigin && CREDENTIAL_HEADERS.includes(key)) continue;
    headers[key] = value;
  }
  if (options.ifNoneMatch) headers['if-none-match'] = options.ifNoneMatch;
  if (options.ifModifiedSince) {
    headers['if-modified-since'] =
      options.ifModifiedSince instanceof Date
        ? options.ifModifiedSince.toUTCString()
        : options.ifModifiedSince;
  }
  return headers;
}

/** A lookup that answers only with the addresses already checked. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return ((
    _hostname: string,
    options: { all?: boolean; family?: number },
    callback: (...args: unknown[]) => void,
  ) => {
    const wanted =
      options.family === 4 || options.family === 6
        ? addresses.filter((a) => a.family === options.family)
        : addresses;
    const list = wanted.length ? wanted : addresses;
    if (options.all) callback(null, list);
    else callback(null, list[0]!.address, list[0]!.family);
  }) as unknown as LookupFunction;
}

function request(
  url: URL,
  method: string,
  headers: Record<string, string>,
  addresses: ResolvedAddress[],
  idleTimeoutMs: number,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const host = bareHostname(url);
    const req = client.request({
      protocol: url.protocol,
      hostname: host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method,
      headers,
      lookup: pinnedLookup(addresses),
      // No pooling: every hop gets its own checked, pinned connection.
      agent: false,
      signal,
      // SNI carries names only (RFC 6066); certificate checks still use the hostname.
      ...(url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}),
    });
    req.setTimeout(idleTimeoutMs, () => {
      req.destroy(
        new FetchError('timeout', `${url.host} sent nothing for ${idleTimeoutMs} ms`, { url: url.href }),
      );
    });
    req.once('response', (response) => {
      // The body has its own idle timer (cappedBody); the request's must not fire mid-stream.
      req.setTimeout(0);
      resolve(response);
    });
    req.once('error', (error) => {
      if (signal.aborted && signal.reason instanceof FetchError) reject(signal.reason);
      else reject(fromSocketError(error, url.href));
    });
    req.end();
  });
}

function decoderFor(encoding: string | undefined): Transform | null {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

function cappedBody(
  response: IncomingMessage,
  options: {
    url: string;
    maxBytes: number;
    idleTimeoutMs: number;
    signal: AbortSignal;
    decode: boolean;
    onDone: () => void;
  },
): Readable {
  const { url, maxBytes, idleTimeoutMs } = options;
  let received = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  const out = new PassThrough();
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      // A slow reader pauses the response (backpressure): that is not the server stalling,
      // so the idle clock starts again (the total timeout still runs).
      if (response.readableFlowing === false) return armIdle();
      response.destroy(
        new FetchError('timeout', `${hostOf(url)} stalled for ${idleTimeoutMs} ms mid-body`, { url }),
      );
    }, idleTimeoutMs);
  };
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      received += chunk.length;
      if (received > maxBytes) {
        callback(new FetchError('too_large', `${url} is larger than the cap of ${maxBytes} bytes`, { url }));
        return;
      }
      callback(null, chunk);
    },
  });
  response.on('data', armIdle);
  armIdle();
  const onAbort = () => response.destroy(options.signal.reason as Error);
  options.signal.addEventListener('abort', onAbort, { once: true });
  const decoder = options.decode ? decoderFor(response.headers['content-encoding']) : null;
  const stages: NodeJS.ReadWriteStream[] = decoder ? [decoder, cap] : [cap];
  pipeline(response, ...(stages as [Transform]), out)
    .catch((error: unknown) => {
      const reason =
        options.signal.aborted && options.signal.reason instanceof FetchError
          ? options.signal.reason
          : error instanceof FetchError
            ? error
            : String((error as NodeJS.ErrnoException)?.code ?? '').startsWith('Z_')
              ? new FetchError(
                  'connection',
                  `${hostOf(url)} sent a body that could not be decoded: ${(error as Error).message}`,
                  {
                    url,
                    cause: error,
                  },
                )
              : fromSocketError(error, url);
      if (!out.destroyed) out.destroy(reason);
    })
    .finally(() => {
      clearTimeout(idleTimer);
      options.signal.removeEventListener('abort', onAbort);
      options.onDone();
    });
  // A consumer that gives up early releases the socket too.
  out.once('close', () => {
    if (!response.destroyed) response.destroy();
  });
  return out;
}

/** The whole body as a Buffer (still capped); for documents such as API pages and catalogs. */
export async function readBody(response: SafeResponse): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface FetchJsonResult<T = unknown> {
  status: number;
  finalUrl: string;
  headers: IncomingHttpHeaders;
  notModified: boolean;
  /** Undefined when not modified. */
  json: T | undefined;
}

/**
 * A JSON document: `safeFetch`, then the status checked (2xx, or 304 for a conditional
 * request), then the capped body parsed. Non-2xx → `http_status`; bad JSON → `connection`.
 */
export async function fetchJson<T = unknown>(
  url: string | URL,
  options: SafeFetchOptions = {},
): Promise<FetchJsonResult<T>> {
  const response = await safeFetch(url, {
    ...options,
    headers: { accept: 'application/json, application/ld+json;q=0.9, */*;q=0.1', ...options.headers },
  });
  if (response.notModified) {
    response.body.destroy();
    return {
      status: 304,
      finalUrl: response.finalUrl,
      headers: response.headers,
      notModified: true,
      json: undefined,
    };
  }
  if (response.status < 200 || response.status > 299) {
    response.body.destroy();
    throw new FetchError('http_status', `${response.finalUrl} answered HTTP ${response.status}`, {
      url: response.finalUrl,
      status: response.status,
    });
  }
  const raw = await readBody(response);
  let json: T;
  try {
    json = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, '')) as T;
  } catch (error) {
    throw new FetchError(
      'connection',
      `${response.finalUrl} did not answer with JSON: ${(error as Error).message}`,
      {
        url: response.finalUrl,
        cause: error,
      },
    );
  }
  return {
    status: response.status,
    finalUrl: response.finalUrl,
    headers: response.headers,
    notModified: false,
    json,
  };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
