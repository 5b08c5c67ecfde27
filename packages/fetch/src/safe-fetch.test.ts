import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forbiddenRange } from './address.ts';
import { FetchError } from './errors.ts';
import { fetchJson, readBody, safeFetch } from './safe-fetch.ts';

// Every request in this file goes to a server on 127.0.0.1; refusals are checked before
// any connection, so nothing leaves the machine.
let server: http.Server;
let base = '';
let connections = 0;
const seen: Array<{ url: string; headers: http.IncomingHttpHeaders }> = [];

function handler(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://x');
  seen.push({ url: url.pathname, headers: req.headers });
  switch (url.pathname) {
    case '/ok':
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hello: 'world' }));
      return;
    case '/status':
      res.writeHead(Number(url.searchParams.get('code'))).end('nope');
      return;
    case '/big': {
      // Chunked, no content-length: only the streaming cap can stop it.
      res.writeHead(200, { 'content-type': 'text/csv' });
      const chunk = Buffer.alloc(64 * 1024, 97);
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => {
        sent = Number.POSITIVE_INFINITY;
      });
      pump();
      return;
    }
    case '/declared-big':
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write('a');
      return;
    case '/gzip': {
      const body = gzipSync(Buffer.from('x'.repeat(200_000)));
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(body.length) }).end(body);
      return;
    }
    case '/stall-headers':
      return; // never answers
    case '/stall-body':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
      return; // and then silence
    case '/trickle': {
      res.writeHead(200);
      const timer = setInterval(() => res.write('.'), 40);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case '/etag':
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { etag: '"v1"' }).end();
      else res.writeHead(200, { etag: '"v1"' }).end('{"v":1}');
      return;
    case '/redirect': {
      const n = Number(url.searchParams.get('n'));
      res.writeHead(302, { location: n > 0 ? `/redirect?n=${n - 1}` : '/ok' }).end();
      return;
    }
    case '/loop-a':
      res.writeHead(301, { location: '/loop-b' }).end();
      return;
    case '/loop-b':
      res.writeHead(301, { location: `${base}/loop-a` }).end();
      return;
    case '/to-file':
      res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      return;
    case '/to-other-origin':
      // Same server under another name: a different origin, so credentials must be dropped.
      res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/ok` }).end();
      return;
    case '/not-json':
      res.writeHead(200).end('<html>');
      return;
    default:
      res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = http.createServer(handler);
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const local = { allowPrivateNetwork: true, timeoutMs: 5_000 };

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    const value = await promise;
    throw new Error(`expected a FetchError, got ${JSON.stringify(value)}`);
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    return error;
  }
}

describe('forbiddenRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'rfc6052'],
  ])('refuses %s (%s)', (address, range) => {
    expect(forbiddenRange(address)).toBe(range);
  });

  it.each(['8.8.8.8', '200.48.225.130', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'accepts public %s',
    (address) => {
      expect(forbiddenRange(address)).toBeNull();
    },
  );
});

describe('safeFetch', () => {
  it('streams a response and reports where it came from', async () => {
    const response = await safeFetch(`${base}/ok`, local);
    expect(response.status).toBe(200);
    expect(response.finalUrl).toBe(`${base}/ok`);
    expect(response.remoteAddress).toBe('127.0.0.1');
    expect(JSON.parse((await readBody(response)).toString())).toEqual({ hello: 'world' });
  });

  it.each([
    ['http://127.0.0.1:PORT/ok'],
    ['http://10.0.0.1/'],
    ['http://169.254.169.254/latest/meta-data/'],
    ['http://[::1]:PORT/ok'],
    ['http://[::ffff:127.0.0.1]:PORT/ok'],
    ['http://100.64.0.1/'],
    ['http://0.0.0.0:PORT/'],
    ['http://localhost:PORT/ok'],
  ])('refuses %s before connecting when private networks are not allowed', async (template) => {
    const port = String((server.address() as AddressInfo).port);
    const before = connections;
    const error = await failure(safeFetch(template.replace('PORT', port), { timeoutMs: 2_000 }));
    expect(error.code).toBe('private_address');
    expect(connections).toBe(before);
  });

  it.each(['file:///etc/passwd', 'ftp://example.org/x', 'javascript:alert(1)', 'not a url'])(
    'refuses %s by scheme',
    async (url) => {
      expect((await failure(safeFetch(url, local))).code).toBe('scheme');
    },
  );

  it('follows redirects, re-checking each hop, up to the limit', async () => {
    const response = await safeFetch(`${base}/redirect?n=2`, { ...local, maxRedirects: 3 });
    expect(response.status).toBe(200);
    expect(response.redirects).toEqual([`${base}/redirect?n=1`, `${base}/redirect?n=0`, `${base}/ok`]);
    response.body.destroy();
    const error = await failure(safeFetch(`${base}/redirect?n=5`, { ...local, maxRedirects: 3 }));
    expect(error.code).toBe('too_many_redirects');
  });

  it('detects redirect loops and refuses redirects to other schemes', async () => {
    expect((await failure(safeFetch(`${base}/loop-a`, local))).code).toBe('redirect_loop');
    expect((await failure(safeFetch(`${base}/to-file`, local))).code).toBe('scheme');
  });

  it('drops credentials on a redirect to another origin', async () => {
    seen.length = 0;
    const response = await safeFetch(`${base}/to-other-origin`, {
      ...local,
      headers: { authorization: 'Bearer secret', 'x-trace': 't' },
    });
    response.body.destroy();
    expect(seen[0]?.headers.authorization).toBe('Bearer secret');
    expect(seen[1]?.url).toBe('/ok');
    expect(seen[1]?.headers.authorization).toBeUndefined();
    expect(seen[1]?.headers['x-trace']).toBe('t');
  });

  it('caps the streamed body', async () => {
    const response = await safeFetch(`${base}/big`, { ...local, maxBytes: 1024 * 1024 });
    const error = await failure(readBody(response));
    expect(error.code).toBe('too_large');
  });

  it('refuses a declared length above the cap without reading', async () => {
    expect((await failure(safeFetch(`${base}/declared-big`, { ...local, maxBytes: 1024 }))).code).toBe(
      'too_large',
    );
  });

  it('decodes gzip and applies the cap to decoded bytes', async () => {
    const ok = await safeFetch(`${base}/gzip`, local);
    expect((await readBody(ok)).length).toBe(200_000);
    const capped = await safeFetch(`${base}/gzip`, { ...local, maxBytes: 100_000 });
    expect((await failure(readBody(capped))).code).toBe('too_large');
  });

  it('times out when the server never answers', async () => {
    const started = Date.now();
    const error = await failure(safeFetch(`${base}/stall-headers`, { ...local, timeoutMs: 400 }));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('times out when the body stalls (idle) and when it trickles past the total', async () => {
    const stalled = await safeFetch(`${base}/stall-body`, { ...local, timeoutMs: 5_000, idleTimeoutMs: 300 });
    expect((await failure(readBody(stalled))).code).toBe('timeout');
    const trickling = await safeFetch(`${base}/trickle`, { ...local, timeoutMs: 500, idleTimeoutMs: 400 });
    expect((await failure(readBody(trickling))).code).toBe('timeout');
  });

  it('does not take a slow reader for a stalled server', async () => {
    const response = await safeFetch(`${base}/big`, {
      ...local,
      maxBytes: 8 * 1024 * 1024,
      idleTimeoutMs: 150,
    });
    let total = 0;
    let paused = false;
    for await (const chunk of response.body) {
      total += (chunk as Buffer).length;
      if (!paused) {
        paused = true;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    expect(total).toBe(4 * 1024 * 1024);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(
      (await failure(safeFetch(`${base}/stall-headers`, { ...local, signal: controller.signal }))).code,
    ).toBe('aborted');
  });

  it('sends conditional headers and reports 304 as not modified', async () => {
    const first = await fetchJson(`${base}/etag`, local);
    expect(first.json).toEqual({ v: 1 });
    expect(first.headers.etag).toBe('"v1"');
    const second = await fetchJson(`${base}/etag`, { ...local, ifNoneMatch: '"v1"' });
    expect(second.notModified).toBe(true);
    expect(second.json).toBeUndefined();
  });

  it('fetchJson turns statuses and bad JSON into errors', async () => {
    const error = await failure(fetchJson(`${base}/status?code=500`, local));
    expect(error.code).toBe('http_status');
    expect(error.status).toBe(500);
    expect(error.transient).toBe(true);
    const missing = await failure(fetchJson(`${base}/status?code=404`, local));
    expect(missing.transient).toBe(false);
    expect((await failure(fetchJson(`${base}/not-json`, local))).code).toBe('connection');
  });

  it('returns non-2xx statuses to the caller of safeFetch', async () => {
    const response = await safeFetch(`${base}/status?code=503`, local);
    expect(response.status).toBe(503);
    response.body.destroy();
  });

  it('reports refused connections and TLS failures', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect((await failure(safeFetch(`http://127.0.0.1:${port}/`, local))).code).toBe('connection');
    // TLS spoken to a plain HTTP server: the handshake fails.
    expect((await failure(safeFetch(`${base.replace('http:', 'https:')}/ok`, local))).code).toBe('tls');
  });
});
