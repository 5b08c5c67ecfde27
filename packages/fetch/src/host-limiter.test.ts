import { setTimeout as sleep } from 'node:timers/promises';
import { useHarness } from '@quipu/test/harness';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostBusyError, hostKey, hostLimiter } from './host-limiter.ts';

const harness = useHarness();
// Two connections stand for two worker processes sharing one Redis.
let first: Redis;
let second: Redis;

beforeAll(async () => {
  first = new Redis(harness.redisUrl);
  second = new Redis(harness.redisUrl);
});

afterAll(async () => {
  const keys = await first.keys(`${harness.prefix}:*`);
  if (keys.length) await first.del(...keys);
  first.disconnect();
  second.disconnect();
});

describe('hostLimiter', () => {
  it('keys by host, whatever the path', () => {
    expect(hostKey('https://Datos.Gob.pe/api/3/action/x?y=1')).toBe('datos.gob.pe');
    expect(hostKey('http://127.0.0.1:8080/a')).toBe('127.0.0.1:8080');
    expect(hostKey('Datos.gob.pe')).toBe('datos.gob.pe');
  });

  it('never lets more than maxConcurrent requests run on one host across processes', async () => {
    const options = { prefix: `${harness.prefix}:c`, maxConcurrent: 2, minIntervalMs: 0, retryDelayMs: 10 };
    const limiters = [hostLimiter(first, options), hostLimiter(second, options)];
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(60);
      running -= 1;
    };
    await Promise.all(Array.from({ length: 6 }, (_, i) => limiters[i % 2]!.run('https://a.example/x', task)));
    expect(peak).toBe(2);
    // Another host is not held up by the first.
    const other = await limiters[0]!.acquire('https://b.example/');
    await other.release();
  });

  it('spaces request starts by minIntervalMs', async () => {
    const options = { prefix: `${harness.prefix}:i`, maxConcurrent: 5, minIntervalMs: 150, retryDelayMs: 10 };
    const limiters = [hostLimiter(first, options), hostLimiter(second, options)];
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        limiters[i % 2]!.run('a.example', async () => {
          starts.push(Date.now());
        }),
      ),
    );
    starts.sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(140);
  });

  it('releases the slot when the work throws', async () => {
    const limiter = hostLimiter(first, {
      prefix: `${harness.prefix}:t`,
      maxConcurrent: 1,
      minIntervalMs: 0,
      maxWaitMs: 500,
    });
    await expect(limiter.run('a.example', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    const lease = await limiter.acquire('a.example');
    await lease.release();
  });

  it('frees a slot left by a dead process at lease expiry, and gives up with HostBusyError', async () => {
    const prefix = `${harness.prefix}:d`;
    // A process that died holding the only slot.
    await first.set(`${prefix}:host:a.example:slot:0`, 'dead-token', 'PX', 400);
    const limiter = hostLimiter(second, {
      prefix,
      maxConcurrent: 1,
      minIntervalMs: 0,
      retryDelayMs: 20,
      maxWaitMs: 100,
    });
    await expect(limiter.acquire('a.example')).rejects.toBeInstanceOf(HostBusyError);
    const patient = hostLimiter(second, {
      prefix,
      maxConcurrent: 1,
      minIntervalMs: 0,
      retryDelayMs: 20,
      maxWaitMs: 3_000,
    });
    const started = Date.now();
    const lease = await patient.acquire('a.example');
    expect(Date.now() - started).toBeLessThan(1_500);
    // Releasing twice, or after another holder took over, never deletes someone else's slot.
    await lease.release();
    await first.set(`${prefix}:host:a.example:slot:0`, 'someone-else', 'PX', 5_000);
    await lease.release();
    expect(await first.get(`${prefix}:host:a.example:slot:0`)).toBe('someone-else');
  });
});
