export { bareHostname, forbiddenRange, type ResolvedAddress, resolveAll } from './address.ts';
export { FetchError, type FetchErrorCode, isFetchError } from './errors.ts';
export {
  HostBusyError,
  type HostLease,
  type HostLimiter,
  type HostLimiterOptions,
  hostKey,
  hostLimiter,
} from './host-limiter.ts';
export {
  type FetchJsonResult,
  fetchJson,
  readBody,
  type SafeFetchOptions,
  type SafeResponse,
  safeFetch,
  USER_AGENT,
} from './safe-fetch.ts';
