import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

export interface HostLimiterOptions {
  /** Key prefix (the queue prefix, so tests and deployments stay apart). */
  prefix: string;
  /** Requests to one host at the same time, across every process. Default 2. */
  maxConcurrent?: number;
  /** Least time between the starts of two requests to one host. Default 500 ms. */
  minIntervalMs?: number;
  /**
   * How long a slot outlives a process that died holding it. Renewed while held, so a long
   * download keeps its slot. Default 60 s.
   */
  leaseMs?: number;
  /** Pause between attempts when the host is busy (jittered). Default 100 ms. */
  retryDelayMs?: number;
  /** Give up after waiting this long. Default 120 s. */
  maxWaitMs?: number;
}

export interface HostLease {
  readonly host: string;
  release(): Promise<void>;
}

export interface HostLimiter {
  /** Waits for a slot on the URL's host (or a bare host) and for the politeness interval. */
  acquire(urlOrHost: string, signal?: AbortSignal): Promise<HostLease>;
  /** acquire → fn → release, whatever fn does. */
  run<T>(urlOrHost: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/** No slot came free within `maxWaitMs`. */
export class HostBusyError extends Error {
  readonly code = 'host_busy';
  readonly host: string;
  constructor(host: string, waitedMs: number) {
    super(`${host} stayed busy for ${waitedMs} ms (politeness limit)`);
    this.name = 'HostBusyError';
    this.host = host;
  }
}

// Compare-and-delete / compare-and-extend: a lease that expired and was taken by another
// process must not be released or extended by its former holder.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export function hostKey(urlOrHost: string): string {
  try {
    return new URL(urlOrHost).host.toLowerCase();
  } catch {
    return urlOrHost.toLowerCase();
  }
}

/**
 * Per-host politeness shared by every worker process (ARCHITECTURE.md: no in-process shared
 * state): `maxConcurrent` slot keys taken with SET NX PX, plus one "next start" key that
 * spaces request starts by `minIntervalMs`. Plain keys and retries rather than a queue: a
 * waiter that dies leaves nothing behind, and a holder that dies frees its slot at expiry.
 */
export function hostLimiter(redis: Redis, options: HostLimiterOptions): HostLimiter {
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 2);
  const minIntervalMs = Math.max(0, options.minIntervalMs ?? 500);
  const leaseMs = Math.max(1_000, options.leaseMs ?? 60_000);
  const retryDelayMs = Math.max(10, options.retryDelayMs ?? 100);
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const base = (host: string) => `${options.prefix}:host:${host}`;

  const pause = (ms: number, signal?: AbortSignal) =>
    sleep(Math.max(10, Math.round(ms * (0.75 + Math.random() * 0.5))), undefined, signal ? { signal } : {});

  async function takeSlot(host: string, token: string): Promise<string | null> {
    for (let i = 0; i < maxConcurrent; i++) {
      const key = `${base(host)}:slot:${i}`;
      if ((await redis.set(key, token, 'PX', leaseMs, 'NX')) === 'OK') return key;
    }
    return null;
  }

  async function acquire(urlOrHost: string, signal?: AbortSignal): Promise<HostLease> {
    const host = hostKey(urlOrHost);
    const token = randomUUID();
    const started = Date.now();
    const overdue = () => Date.now() - started > maxWaitMs;
    let slot = await takeSlot(host, token);
    while (slot === null) {
      if (overdue()) throw new HostBusyError(host, Date.now() - started);
      await pause(retryDelayMs, signal);
      slot = await takeSlot(host, token);
    }
    try {
      if (minIntervalMs > 0) {
        const next = `${base(host)}:next`;
        while ((await redis.set(next, token, 'PX', minIntervalMs, 'NX')) !== 'OK') {
          if (overdue()) throw new HostBusyError(host, Date.now() - started);
          const left = await redis.pttl(next);
          await pause(left > 0 ? Math.min(left, minIntervalMs) : retryDelayMs, signal);
        }
      }
    } catch (error) {
      await redis.eval(RELEASE, 1, slot, token).catch(() => {});
      throw error;
    }
    const held = slot;
    const renew = setInterval(
      () => {
        void redis.eval(EXTEND, 1, held, token, String(leaseMs)).catch(() => {});
      },
      Math.floor(leaseMs / 3),
    );
    renew.unref();
    let released = false;
    return {
      host,
      async release() {
        if (released) return;
        released = true;
        clearInterval(renew);
        await redis.eval(RELEASE, 1, held, token);
      },
    };
  }

  return {
    acquire,
    async run(urlOrHost, fn, signal) {
      const lease = await acquire(urlOrHost, signal);
      try {
        return await fn();
      } finally {
        await lease.release().catch(() => {});
      }
    },
  };
}
