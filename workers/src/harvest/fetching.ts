import {
  type FetchJsonResult,
  fetchJson,
  type HostLimiter,
  hostLimiter,
  type SafeFetchOptions,
} from '@quipu/fetch';
import type { Runtime } from '../runtime.ts';

/** Politeness towards a catalog: two requests at a time, a quarter second apart, from all workers. */
const HOST_CONCURRENCY = 2;
const HOST_INTERVAL_MS = 250;
/** API pages and catalog documents are parsed in memory; the download cap can be far larger. */
const DOCUMENT_CAP_BYTES = 256 * 1024 * 1024;

export interface CatalogClient {
  getJson(
    url: string,
    extra?: Pick<SafeFetchOptions, 'ifNoneMatch' | 'ifModifiedSince'>,
  ): Promise<FetchJsonResult>;
}

/** Every harvest request: safeFetch with the configured caps, behind the shared host limiter. */
export function catalogClient(runtime: Runtime, signal?: AbortSignal): CatalogClient {
  const caps = runtime.config.fetch;
  const limiter: HostLimiter = hostLimiter(runtime.redis, {
    prefix: `${runtime.queues.prefix}:fetch`,
    maxConcurrent: HOST_CONCURRENCY,
    minIntervalMs: HOST_INTERVAL_MS,
    // A waiter gives up a little after the request itself would have.
    maxWaitMs: caps.timeoutMs * 2,
  });
  return {
    getJson(url, extra = {}) {
      return limiter.run(
        url,
        () =>
          fetchJson(url, {
            allowPrivateNetwork: caps.allowPrivateNetwork,
            maxBytes: Math.min(caps.maxBytes, DOCUMENT_CAP_BYTES),
            timeoutMs: caps.timeoutMs,
            maxRedirects: caps.maxRedirects,
            signal,
            ...extra,
          }),
        signal,
      );
    },
  };
}
