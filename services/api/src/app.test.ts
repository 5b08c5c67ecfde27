import { useHarness } from '@quipu/test/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServer, startHttpServer } from './index.ts';

const harness = useHarness();
let http: HttpServer;

beforeAll(async () => {
  const runtime = await harness.runtime();
  http = await startHttpServer(runtime, [], 0);
});
afterAll(async () => {
  await http?.close();
});

describe('HTTP foundation', () => {
  it('turns unknown routes into problem+json with a request id', async () => {
    const response = await fetch(`${http.url}/api/v1/nothing-here`, {
      headers: { 'X-Request-Id': 'abc-123' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 404, code: 'not_found', requestId: 'abc-123' });
  });

  it('rejects malformed JSON, non-JSON bodies and oversized bodies', async () => {
    const malformed = await fetch(`${http.url}/api/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('malformed_body');
    const text = await fetch(`${http.url}/api/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    const huge = await fetch(`${http.url}/api/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'x'.repeat(400 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { code: string }).code).toBe('payload_too_large');
  });

  it('sets security headers and serves metrics and the OpenAPI document', async () => {
    const response = await fetch(`${http.url}/health/live`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const metrics = await (await fetch(`${http.url}/metrics`)).text();
    expect(metrics).toContain('quipu_http_request_duration_seconds');
    const openapi = (await (await fetch(`${http.url}/api/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: object;
    };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toContain('/health/ready');
  });
});

describe('compression', () => {
  it('compresses answers above 1 KB with brotli or gzip, as the client accepts', async () => {
    const { request } = await import('node:http');
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
    const raw = (encoding: string) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        request(`${http.url}/api/v1/openapi.json`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
    const plain = await raw('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await raw('br, gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.length).toBeLessThan(plain.body.length / 4);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gzip = await raw('gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(String(gzip.headers.vary)).toContain('Accept-Encoding');
    // Small answers are not worth it.
    const small = await fetch(`${http.url}/health/live`, { headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers.get('content-encoding')).toBeNull();
  });
});
