import { randomBytes } from 'node:crypto';
import { createLogger } from '@quipu/api';
import { createRuntime, type QuipuRuntime } from '@quipu/cli/runtime';
import { type Config, loadConfig } from '@quipu/config';
import { afterAll, beforeAll, inject } from 'vitest';

export interface Harness {
  /** Shared server URLs. */
  readonly mongodbUrl: string;
  readonly redisUrl: string;
  /** This file's own database and queue prefix. */
  readonly dbName: string;
  readonly prefix: string;
  /** Configuration for this file (test env, its own prefix, loopback fetches allowed). */
  config(overrides?: Record<string, unknown>): Config;
  /** A runtime (MongoDB + Redis + queues) on this file's database; closed after the file. */
  runtime(options?: { now?: () => Date; config?: Record<string, unknown> }): Promise<QuipuRuntime>;
}

/**
 * Registers beforeAll/afterAll that give the calling test file an isolated database and queue
 * prefix on the shared servers, and drop them afterwards. Nothing is mocked.
 */
export function useHarness(): Harness {
  const id = randomBytes(4).toString('hex');
  const dbName = `t_${id}`;
  const prefix = `t${id}`;
  const runtimes: QuipuRuntime[] = [];
  let mongodbUrl = '';
  let redisUrl = '';

  beforeAll(() => {
    const problems = inject('serverErrors');
    if (problems.length) throw new Error(`test servers unavailable:\n${problems.join('\n')}`);
    mongodbUrl = inject('mongodbUrl');
    redisUrl = inject('redisUrl');
  });

  afterAll(async () => {
    const first = runtimes[0];
    if (first) {
      await first.connection.dropDatabase().catch(() => {});
      const keys = await first.redis.keys(`${prefix}:*`).catch(() => [] as string[]);
      if (keys.length) await first.redis.del(...keys).catch(() => {});
    }
    for (const runtime of runtimes) await runtime.close().catch(() => {});
  });

  const harness: Harness = {
    get mongodbUrl() {
      return mongodbUrl;
    },
    get redisUrl() {
      return redisUrl;
    },
    dbName,
    prefix,
    config(overrides = {}) {
      return loadConfig({
        env: {
          NODE_ENV: 'test',
          MONGODB_URL: mongodbUrl,
          REDIS_URL: redisUrl,
          QUIPU_QUEUE_PREFIX: prefix,
          LOG_LEVEL: 'silent',
        },
        // Tests sign in many times a minute; the login brake has its own test.
        overrides: {
          auth: { loginAttemptsPerMinute: 1000, loginAttemptsPerAddressPerMinute: 1000 },
          ...overrides,
          fetch: { allowPrivateNetwork: true, ...((overrides.fetch as object) ?? {}) },
        },
      });
    },
    async runtime(options = {}) {
      const config = harness.config(options.config ?? {});
      const runtime = await createRuntime(config, {
        logger: createLogger('silent'),
        dbName,
        ...(options.now ? { now: options.now } : {}),
      });
      runtimes.push(runtime);
      return runtime;
    },
  };
  return harness;
}

/**
 * Asks `probe` every 100 ms until it answers something truthy, and returns that answer: for
 * what a worker does in its own time (a queued job's result, a ticket it opens).
 */
export async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
