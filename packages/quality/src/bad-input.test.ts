// Bad inputs end as the right report error, within caps: never a crash, never unbounded
// memory. Remote cases use a local server on 127.0.0.1; files are generated in os.tmpdir().

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validate } from './index.ts';
import type { Report } from './types.ts';

const types = (r: Report) => [...r.errors, ...r.tasks.flatMap((t) => t.errors)].map((e) => e.type);
const local = { allowPrivateNetwork: true, timeoutMs: 2000 };

let dir: string;
let server: Server;
let base: string;
const sockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'quipu-quality-'));
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/ok.csv':
        res.writeHead(200, { 'content-type': 'text/csv' }).end('id,name\n1,a\n');
        return;
      case '/404.csv':
        res.writeHead(404).end('not here');
        return;
      case '/500.csv':
        res.writeHead(500).end('boom');
        return;
      case '/loop':
        res.writeHead(302, { location: '/loop' }).end();
        return;
      case '/redirect':
        res.writeHead(301, { location: '/ok.csv' }).end();
        return;
      case '/html-as-csv.csv':
        res
          .writeHead(200, { 'content-type': 'text/csv' })
          .end('\n<!DOCTYPE html>\n<html><body>Mantenimiento</body></html>');
        return;
      case '/html.csv':
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<!doctype html><html><body>Error</body></html>');
        return;
      case '/stall.csv':
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.write('id,name\n1,a\n'); // then nothing
        return;
      case '/big.csv': {
        res.writeHead(200, { 'content-type': 'text/csv' });
        const line = `${'x'.repeat(1023)}\n`;
        let sent = 0;
        const pump = () => {
          while (sent < 4096) {
            sent++;
            if (!res.write(line)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
      default:
        res.writeHead(404).end();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('remote sources', () => {
  test('a CSV over http is streamed and validated', async () => {
    const r = await validate(`${base}/ok.csv`, { caps: local });
    expect(r.valid).toBe(true);
    expect(r.tasks[0]?.stats.rows).toBe(1);
    const redirected = await validate(`${base}/redirect`, { caps: local });
    expect(redirected.valid).toBe(true);
  });

  test('private and loopback addresses are refused unless allowed, names checked when connecting', async () => {
    expect(types(await validate(`${base}/ok.csv`))).toEqual(['scheme-error']);
    const byName = await validate(`${base.replace('127.0.0.1', 'localhost')}/ok.csv`);
    expect(types(byName)).toEqual(['scheme-error']);
    expect(byName.tasks[0]?.errors[0]?.note).toMatch(/private, loopback or link-local/);
  });

  test.each([
    ['/404.csv', 'scheme-error', /404/],
    ['/500.csv', 'scheme-error', /500/],
    ['/loop', 'scheme-error', /too many redirects/],
    ['/html.csv', 'format-error', /HTML page/],
    ['/html-as-csv.csv', 'format-error', /HTML page/],
  ])('%s → %s', async (route, type, note) => {
    const r = await validate(`${base}${route}`, { caps: local });
    expect(types(r)).toEqual([type]);
    expect(r.tasks[0]?.errors[0]?.note).toMatch(note);
  });

  test('a server that stalls is cut off by the timeout', async () => {
    const started = performance.now();
    const r = await validate(`${base}/stall.csv`, { caps: { ...local, timeoutMs: 300 } });
    expect(types(r)).toContain('scheme-error');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test('a source larger than maxBytes stops with a source-error', async () => {
    const r = await validate(`${base}/big.csv`, { caps: { ...local, maxBytes: 1_000_000 } });
    expect(types(r)).toEqual(['source-error']);
  });

  test('TLS errors (https to a plain http port) are scheme-errors', async () => {
    const r = await validate(base.replace('http:', 'https:') + '/ok.csv', { caps: local });
    expect(types(r)).toEqual(['scheme-error']);
  });

  test('unsupported schemes', async () => {
    expect(types(await validate('ftp://example.org/x.csv'))).toEqual(['scheme-error']);
  });
});

describe('bad files', () => {
  const file = (name: string, data: string | Uint8Array) => {
    const p = path.join(dir, name);
    writeFileSync(p, data);
    return p;
  };

  test('empty file', async () => {
    expect(types(await validate(file('empty.csv', '')))).toEqual(['source-error']);
  });

  test('binary file', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    expect(types(await validate(file('binary.csv', bytes)))).toEqual(['encoding-error']);
  });

  test('HTML error page saved as CSV reads as a table with structure errors, never a crash', async () => {
    const r = await validate(
      file('page.csv', '<html>\n<body>\n<h1>500, Internal Error</h1>\n</body>\n</html>\n'),
    );
    expect(r.valid).toBe(false);
  });

  test('a single huge line is capped', async () => {
    const p = path.join(dir, 'line.csv');
    writeFileSync(p, `a,b\n${'x'.repeat(40 * 1024 * 1024)}\n`);
    const r = await validate(p);
    expect(types(r)).toEqual(['source-error']);
    expect(r.tasks[0]?.errors[0]?.note).toMatch(/field larger than field limit/);
  }, 60_000);

  test('ragged rows and an unterminated quote', async () => {
    const r = await validate(file('ragged.csv', 'a,b,c\n1,2\n1,2,3,4\n5,"unterminated\n'));
    // as Python's csv reads it: the open quote runs to the end of the data
    expect(types(r)).toEqual(['missing-cell', 'extra-cell', 'missing-cell']);
    expect(r.tasks[0]?.errors.at(-1)?.cells).toEqual(['5', 'unterminated\n']);
  });

  test('corrupt gzip and zip', async () => {
    expect(types(await validate(file('bad.csv.gz', 'not gzip at all')))).toEqual(['compression-error']);
    expect(types(await validate(file('bad.csv.zip', 'not zip at all')))).toEqual(['compression-error']);
  });

  test('compression bombs stop at the decompressed cap', async () => {
    const huge = Buffer.alloc(64 * 1024 * 1024, 0x61);
    const gz = file('bomb.csv.gz', gzipSync(Buffer.concat([Buffer.from('a\n'), huge])));
    const zip = file(
      'bomb.csv.zip',
      zipSync({ 'bomb.csv': new Uint8Array(Buffer.concat([Buffer.from('a\n'), huge])) }),
    );
    const caps = { maxBytes: 8 * 1024 * 1024 };
    expect(types(await validate(gz, { caps }))).toEqual(['compression-error']);
    expect(types(await validate(zip, { caps }))).toEqual(['compression-error']);
  }, 60_000);

  test('gzip and zip that are fine', async () => {
    expect((await validate(file('ok.csv.gz', gzipSync('id\n1\n')))).valid).toBe(true);
    const zipped = await validate(
      file('ok.csv.zip', zipSync({ 'inner.csv': new TextEncoder().encode('id\n1\n') })),
    );
    expect(zipped.valid).toBe(true);
    expect(zipped.tasks[0]?.place).toMatch(/ok\.csv\.zip -> inner\.csv$/);
  });

  test('a caller stream that breaks or stalls ends as a source-error', async () => {
    const { PassThrough } = await import('node:stream');
    const broken = new PassThrough();
    broken.write('id,name\n1,a\n');
    setTimeout(() => broken.destroy(new Error('socket hang up')), 20);
    const r = await validate(broken);
    expect(types(r)).toEqual(['source-error']);
    expect(r.tasks[0]?.errors[0]?.note).toBe('socket hang up');
    const stalled = new PassThrough();
    stalled.write('id,name\n1,a\n');
    const r2 = await validate(stalled, { signal: AbortSignal.timeout(100) });
    expect(types(r2)).toEqual(['source-error']);
  });

  test('an aborted validation ends with a source-error', async () => {
    const controller = new AbortController();
    controller.abort();
    const p = file('many.csv', `id\n${Array.from({ length: 200_000 }, (_, i) => i).join('\n')}\n`);
    const r = await validate(p, { signal: controller.signal });
    expect(types(r)).toContain('source-error');
  });
});
