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

  it('keeps metrics from clients that are not on this machine (behind a proxy) when no token is set', async () => {
    const proxied = await fetch(`${http.url}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    expect(proxied.status).toBe(404);
    expect(proxied.headers.get('content-type')).toContain('application/problem+json');
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

describe('metrics behind a token or on their own listener', () => {
  const token = 'scrape-token-0123456789';

  it('answers 401 without the metrics token and the Prometheus text with it', async () => {
    const runtime = await harness.runtime({ config: { metrics: { token } } });
    const server = await startHttpServer(runtime, [], 0);
    try {
      for (const headers of [{}, { Authorization: 'Bearer wrong-token-0123456789' }]) {
        const refused = await fetch(`${server.url}/metrics`, { headers });
        expect(refused.status).toBe(401);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
        expect(await refused.text()).not.toContain('quipu_http_request_duration_seconds');
      }
      // From a proxy too: the token, not the address, is what counts.
      const scraped = await fetch(`${server.url}/metrics`, {
        headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': '203.0.113.7' },
      });
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get('content-type')).toContain('text/plain');
      expect(await scraped.text()).toContain('quipu_http_request_duration_seconds');
    } finally {
      await server.close();
    }
  });

  it('serves metrics on metrics.port only, still asking for the token when one is set', async () => {
    const runtime = await harness.runtime({ config: { metrics: { port: 0, token } } });
    const server = await startHttpServer(runtime, [], 0);
    try {
      expect(server.metricsUrl).toBeDefined();
      expect(server.metricsUrl).not.toBe(server.url);
      const main = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
      expect(main.status).toBe(404);
      expect((await fetch(`${server.metricsUrl}/metrics`)).status).toBe(401);
      const scraped = await fetch(`${server.metricsUrl}/metrics`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('quipu_http_request_duration_seconds');
      expect((await fetch(`${server.metricsUrl}/health/live`)).status).toBe(404);
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
