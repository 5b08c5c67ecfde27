import { startRedis } from '@quipu/embedded';
import { createRedis } from '@quipu/queue';
import { useHarness } from '@quipu/test/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServer, startHttpServer } from '../../index.ts';
import { createLogger } from '../../logger.ts';

const harness = useHarness();
let http: HttpServer;

beforeAll(async () => {
  const runtime = await harness.runtime();
  http = await startHttpServer(runtime, [], 0);
});
afterAll(async () => {
  await http?.close();
});

describe('health routes', () => {
  it('answers liveness and readiness', async () => {
    expect((await fetch(`${http.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${http.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await ready.json()) as Record<string, unknown>).toEqual({
      status: 'ready',
      checks: { mongodb: 'up', redis: 'up' },
    });
  });

  it('serves Prometheus metrics, never cached as a page', async () => {
    await fetch(`${http.url}/health/live`);
    const response = await fetch(`${http.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('quipu_http_request_duration_seconds');
    expect((await fetch(`${http.url}/health/ready`)).headers.get('cache-control')).toBe('no-store');
  });

  it('has no other health path', async () => {
    expect((await fetch(`${http.url}/health/nothing`)).status).toBe(404);
  });
});

describe('readiness follows Redis', () => {
  it('answers 503 while Redis is down and recovers by itself', async () => {
    const own = await startRedis();
    const port = Number(new URL(own.url).port);
    const base = await harness.runtime();
    const redis = createRedis(own.url, 'producer');
    redis.on('error', () => {});
    await new Promise((r) => redis.once('ready', r));
    const server = await startHttpServer({ ...base, redis, logger: createLogger('silent') }, [], 0);
    try {
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
      await own.stop();
      await new Promise((r) => setTimeout(r, 300));
      const down = await fetch(`${server.url}/health/ready`);
      expect(down.status).toBe(503);
      expect(((await down.json()) as { checks: unknown }).checks).toEqual({ mongodb: 'up', redis: 'down' });
      const back = await startRedis({ port });
      const deadline = Date.now() + 15_000;
      let status = 503;
      while (Date.now() < deadline && status !== 200) {
        await new Promise((r) => setTimeout(r, 250));
        status = (await fetch(`${server.url}/health/ready`)).status;
      }
      expect(status).toBe(200);
      await back.stop();
    } finally {
      await server.close();
      redis.disconnect();
    }
  });
});
