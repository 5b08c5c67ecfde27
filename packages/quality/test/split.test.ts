// A split read (one file validated in byte ranges by worker threads) must give the report a
// single pass gives: same errors in the same order with the same row numbers, warnings,
// stats and summary. Small ranges are forced so that even the small fixtures are split.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCases, repoRoot, validateArguments } from '../conformance/harness.ts';
import { type ValidateOptions, validate } from '../src/index.ts';
import { splitCounters } from '../src/split.ts';
import type { Report } from '../src/types.ts';

const fixtures = path.join(repoRoot, '../shared/datasets/frictionless-fixtures');
const real = path.join(repoRoot, '../shared/datasets/real');

/** The report without what may differ between two runs (timings). */
function comparable(report: Report) {
  return {
    valid: report.valid,
    errors: report.errors,
    tasks: report.tasks.map((t) => {
      const { seconds: _s, ...stats } = t.stats;
      return { ...t, stats };
    }),
  };
}

async function bothModes(source: unknown, options: Record<string, unknown>, chunkSize: number) {
  const single = await validate(source as Parameters<typeof validate>[0], { ...options, threads: 1 });
  const split = await validate(source as Parameters<typeof validate>[0], {
    ...options,
    threads: 2,
    chunkSize,
  });
  return { single: comparable(single), split: comparable(split) };
}

describe('split reads agree with single-threaded ones', () => {
  test('every conformance case, in ranges of 64 bytes', async () => {
    const before = splitCounters.ranges;
    for (const c of loadCases()) {
      const { source, options } = validateArguments(c);
      const { single, split } = await bothModes(source, options, 64);
      expect(split, c.id).toEqual(single);
    }
    expect(splitCounters.ranges - before).toBeGreaterThan(1000);
  }, 600_000);

  test('every fixture, schema inferred, in ranges of 100 bytes', async () => {
    const files = readdirSync(fixtures).filter((f) => /\.(csv|tsv|txt)$/.test(f));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const { single, split } = await bothModes(path.join(fixtures, f), {}, 100);
      expect(split, f).toEqual(single);
    }
  }, 300_000);

  test("every case of Quipu's own fixtures (test/fixtures/cases.json), with its schema, in ranges of 16 bytes", async () => {
    const ours = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
    const { cases } = JSON.parse(readFileSync(path.join(ours, 'cases.json'), 'utf8')) as {
      cases: Array<{ id: string; source: string; schema: unknown }>;
    };
    expect(cases.length).toBeGreaterThan(20);
    const before = splitCounters.ranges;
    for (const c of cases) {
      const schema = typeof c.schema === 'string' ? path.join(ours, c.schema) : c.schema;
      const { single, split } = await bothModes(path.join(ours, c.source), { schema }, 16);
      expect(split, c.id).toEqual(single);
    }
    expect(splitCounters.ranges - before).toBeGreaterThan(20);
  }, 300_000);

  test('the real portal files (semicolons, pipes, Windows-1252, quoted newlines), in ranges of 16 KiB', async () => {
    const files = readdirSync(real).filter((f) => f.endsWith('.csv'));
    for (const f of files) {
      const { single, split } = await bothModes(path.join(real, f), { limitErrors: 100_000 }, 16 * 1024);
      expect(split, f).toEqual(single);
    }
  }, 300_000);

  describe('generated files', () => {
    const dir = tmpdir();
    const write = (name: string, text: string | Buffer) => {
      const file = path.join(dir, `quipu-split-${process.pid}-${name}`);
      writeFileSync(file, text);
      return file;
    };
    const schema = {
      fields: [
        { name: 'id', type: 'integer', constraints: { unique: true } },
        { name: 'note', type: 'string' },
        { name: 'amount', type: 'integer', constraints: { minimum: 0 } },
        { name: 'code', type: 'string' },
      ],
      primaryKey: ['code'],
    };
    let text = 'id,note,amount,code\n';
    for (let i = 1; i <= 4000; i++) {
      const id = i % 997 === 0 ? 5 : i; // repeats across ranges
      const note = i % 3 === 0 ? `"line one\nline ""two"" ${i}"` : `plain ${i}`; // quoted newlines everywhere
      const amount = i % 611 === 0 ? 'x' : i % 449 === 0 ? '-3' : String(i);
      const code = i % 1201 === 0 ? 'c7' : `c${i}`;
      text += `${id},${note},${amount},${code}\n`;
    }
    const file = write('keys.csv', text);

    test.each([
      ['no limits', {}],
      ['limitErrors 5', { limitErrors: 5 }],
      ['limitRows 2500', { limitRows: 2500 }],
      ['pick type errors', { pickErrors: ['type-error'] }],
      ['skip #cell', { skipErrors: ['#cell'] }],
      [
        'row checks',
        { checks: [{ type: 'row-constraint', formula: 'amount > 10' }, { type: 'ascii-value' }] },
      ],
      ['table-dimensions', { checks: [{ type: 'table-dimensions', maxRows: 100 }] }],
      ['a stateful check (single-threaded)', { checks: [{ type: 'duplicate-row' }] }],
    ] as [string, ValidateOptions][])(
      'unique, primary key, quoted newlines across ranges: %s',
      async (_t, o) => {
        for (const chunkSize of [97, 1000, 20_000]) {
          const { single, split } = await bothModes(file, { schema, ...o }, chunkSize);
          expect(split).toEqual(single);
        }
      },
    );

    test('a stray quote in an unquoted field: the ranges are re-cut where the parse says', async () => {
      let t = 'a,b\n1,5"10 tall\n';
      for (let i = 0; i < 2000; i++) t += i % 5 ? `${i},x\n` : `${i},"q\nq"\n`;
      const f = write('stray.csv', t);
      for (const chunkSize of [50, 700]) {
        const { single, split } = await bothModes(f, {}, chunkSize);
        expect(split).toEqual(single);
      }
    });

    test('an encoding error after many ranges ends the read where a single pass ends it', async () => {
      const good = Buffer.from('a,b\n'.concat('1,ñandú\n'.repeat(5000)));
      const f = write('bad-utf8.csv', Buffer.concat([good, Buffer.from([0x31, 0x2c, 0xff, 0x0a]), good]));
      const { single, split } = await bothModes(f, { encoding: 'utf-8' }, 333);
      expect(single.tasks[0]?.errors.at(-1)?.type).toBe('encoding-error');
      expect(split).toEqual(single);
      const cp = write('cp1252.csv', Buffer.from(`a;b\n${'1;caf\xe9 \x80\n'.repeat(4000)}`, 'latin1'));
      const both = await bothModes(cp, { encoding: 'cp1252' }, 500);
      expect(both.split).toEqual(both.single);
    });

    test('an unclosed quote at the end is read as Python does, in the last range', async () => {
      const f = write('open.csv', `a,b\n${'1,2\n'.repeat(3000)}3,"never closed\n4,5\n`);
      const { single, split } = await bothModes(f, {}, 128);
      expect(split).toEqual(single);
    });
  });

  describe('remote files stream into the same split read', () => {
    const caps = { allowPrivateNetwork: true, timeoutMs: 10_000 };
    const schema = {
      fields: [
        { name: 'id', type: 'integer', constraints: { required: true, unique: true } },
        { name: 'nombre', type: 'string' },
        { name: 'monto', type: 'number', constraints: { minimum: 0 } },
      ],
    };
    /** Rows with a repeated id, a type error and a negative amount now and then, far apart. */
    const body = (rows: number) => {
      const lines = ['id;nombre;monto'];
      for (let i = 1; i <= rows; i++) {
        const id = i % 40_009 === 0 ? 7 : i;
        const monto = i % 30_011 === 0 ? 'n/a' : i % 25_013 === 0 ? '-1.5' : `${i % 1000}.25`;
        lines.push(`${id};"Municipalidad ""${i % 97}"" de Lima";${monto}`);
      }
      return Buffer.from(`${lines.join('\n')}\n`);
    };
    const small = body(60_000); // about 2.5 MB
    const large = body(420_000); // past two default ranges (16 MiB)
    let server: Server;
    let base: string;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const data = url.pathname.startsWith('/large') ? large : small;
        if (url.pathname.endsWith('/length.csv')) {
          res.writeHead(200, { 'content-type': 'text/csv', 'content-length': data.length }).end(data);
          return;
        }
        // no Content-Length: chunked transfer, in pieces as a slow portal sends them
        res.writeHead(200, { 'content-type': 'text/csv' });
        const cutOff = url.pathname.endsWith('/cut.csv') ? 1_000_000 : data.length;
        let at = 0;
        const send = () => {
          while (at < cutOff) {
            const piece = data.subarray(at, Math.min(cutOff, at + 65_536));
            at += piece.length;
            if (!res.write(piece)) return void res.once('drain', send);
          }
          if (cutOff < data.length) res.socket?.destroy();
          else res.end();
        };
        send();
      });
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    });

    test.each([
      ['with Content-Length', '/small/length.csv'],
      ['chunked, no Content-Length', '/small/chunked.csv'],
    ])(
      '%s, in ranges of 64 KiB',
      async (_t, route) => {
        const before = splitCounters.reads;
        const { single, split } = await bothModes(`${base}${route}`, { schema, caps }, 64 * 1024);
        expect(splitCounters.reads - before).toBe(1);
        expect(single.valid).toBe(false);
        expect(single.tasks[0]?.errors.map((e) => e.type)).toEqual(
          expect.arrayContaining(['unique-error', 'type-error', 'constraint-error']),
        );
        expect(split).toEqual(single);
      },
      120_000,
    );

    test('chunked and larger than two default ranges: measured by reading ahead, then split', async () => {
      const before = splitCounters.reads;
      const single = comparable(await validate(`${base}/large/chunked.csv`, { schema, caps, threads: 1 }));
      const split = comparable(await validate(`${base}/large/chunked.csv`, { schema, caps, threads: 2 }));
      expect(splitCounters.reads - before).toBe(1);
      expect(single.tasks[0]?.stats.rows).toBe(420_000);
      expect(split).toEqual(single);
    }, 300_000);

    test('a download cut off while reading ahead fails where a single pass fails', async () => {
      const before = splitCounters.reads;
      const single = comparable(await validate(`${base}/large/cut.csv`, { schema, caps, threads: 1 }));
      const split = comparable(await validate(`${base}/large/cut.csv`, { schema, caps, threads: 2 }));
      expect(splitCounters.reads - before).toBe(0); // too small once cut: single-threaded
      expect(single.tasks[0]?.errors.at(-1)?.type).toBe('scheme-error');
      expect(split).toEqual(single);
    }, 120_000);
  });
});
