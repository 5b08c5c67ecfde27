import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from './cli.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'quipu-cli-'));
  writeFileSync(path.join(dir, 'ok.csv'), 'id,name\n1,a\n2,b\n');
  writeFileSync(path.join(dir, 'bad.csv'), 'id,name\n1,a\nx,b\n1,a\n');
  writeFileSync(
    path.join(dir, 'schema.json'),
    JSON.stringify({ fields: [{ name: 'id', type: 'integer' }, { name: 'name' }] }),
  );
  writeFileSync(
    path.join(dir, 'es.csv'),
    'id;activo;monto;fecha\n1;SI;1.234,50;22/05/2020\n2;NO;10,00;01/06/2020\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      isTTY,
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('quipu validate (CLI)', () => {
  test('exit 0 when valid, with a readable summary and no progress when piped', async () => {
    const t = io(false);
    expect(await main(['validate', path.join(dir, 'ok.csv')], t.io)).toBe(0);
    expect(t.out()).toContain('# valid:');
    expect(t.err()).toBe('');
  });

  test('exit 1 when invalid; --json prints the v5 report', async () => {
    const t = io();
    const code = await main(
      [
        'validate',
        path.join(dir, 'bad.csv'),
        '--schema',
        path.join(dir, 'schema.json'),
        '--checks',
        'duplicate-row',
        '--json',
      ],
      t.io,
    );
    expect(code).toBe(1);
    const report = JSON.parse(t.out());
    expect(report.tasks[0].errors.map((e: { type: string }) => e.type)).toEqual([
      'type-error',
      'duplicate-row',
    ]);
  });

  test('grouped summary counts errors by type', async () => {
    const t = io();
    await main(['validate', path.join(dir, 'bad.csv'), '--schema', path.join(dir, 'schema.json')], t.io);
    expect(t.out()).toMatch(/type-error\s+1/);
  });

  test('exit 2 when the source cannot be read, or on bad usage', async () => {
    expect(await main(['validate', path.join(dir, 'missing.csv')], io().io)).toBe(2);
    expect(await main(['validate'], io().io)).toBe(2);
    expect(await main(['validate', 'x.csv', '--checks', 'no-such-check'], io().io)).toBe(2);
    expect(await main(['validate', 'x.csv', '--limit-errors', 'many'], io().io)).toBe(2);
  });

  test('a progress line on a TTY', async () => {
    const big = path.join(dir, 'big.csv');
    writeFileSync(big, `id\n${Array.from({ length: 300_000 }, (_, i) => i).join('\n')}\n`);
    const t = io(true);
    expect(await main(['validate', big], t.io)).toBe(0);
    expect(t.err()).toMatch(/rows\/s/);
  });

  test('--infer-schema writes the suggested schema', async () => {
    const out = path.join(dir, 'inferred.json');
    const t = io();
    expect(await main(['validate', path.join(dir, 'es.csv'), '--infer-schema', out], t.io)).toBe(0);
    const schema = JSON.parse(readFileSync(out, 'utf8'));
    expect(schema.fields.map((f: { type: string }) => f.type)).toEqual([
      'integer',
      'boolean',
      'number',
      'date',
    ]);
    expect(schema.fields[2]).toMatchObject({ decimalChar: ',', groupChar: '.' });
    expect(schema.fields[3]).toMatchObject({ format: '%d/%m/%Y' });
  });
});
