import { describe, expect, test } from 'vitest';
import { createDecoder, detectEncoding } from './encoding.ts';
import { ValidationFailure } from './errors.ts';
import { validate } from './index.ts';
import { decimalKey, pyDecimal, pyRepr } from './py.ts';
import { sniff } from './sniff.ts';

describe('encoding detection', () => {
  test('UTF-8, BOMs, Windows-1252, Greek, binary', () => {
    expect(detectEncoding(Buffer.from('id,name\n1,Año\n'), true)).toBe('utf-8');
    expect(detectEncoding(Buffer.from('\ufeffid\n1\n'), true)).toBe('utf-8-sig');
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x41, 0x00]), true)).toBe('utf-16');
    expect(detectEncoding(Buffer.from('id,name\n1,A\xf1o\n', 'latin1'), true)).toBe('cp1252');
    const greek = Buffer.from([0x69, 0x64, 0x0a, 0xcb, 0xe5, 0xf9, 0xed, 0xe9, 0xe4, 0xe1, 0xf2, 0x0a]);
    expect(detectEncoding(greek, true)).toBe('cp1253');
    // chardet gives up on NUL bytes and frictionless-py falls back to UTF-8
    expect(detectEncoding(Buffer.from([0x41, 0x00, 0xcd, 0x41]), true)).toBe('utf-8');
  });

  test('a truncated UTF-8 sequence at the end of a partial buffer is not a reason to give up UTF-8', () => {
    const bytes = Buffer.from('a,ñ');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1), false)).toBe('utf-8');
  });

  test("decoding errors read like Python's", () => {
    const d = createDecoder('utf-8');
    expect(() => d.write(Buffer.from([0x61, 0xcd, 0x41]))).toThrow(
      "'utf-8' codec can't decode byte 0xcd in position 1: invalid continuation byte",
    );
    const cp = createDecoder('cp1252');
    try {
      cp.write(Buffer.from([0x61, 0x81]));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailure);
      expect((error as ValidationFailure).error.type).toBe('encoding-error');
    }
  });

  test('the detected encoding and dialect are recorded on the task summary', async () => {
    const report = await validate({
      data: Buffer.from('id;nombre\n1;Año\n2;Niño\n', 'latin1'),
      name: 'x.csv',
    });
    expect(report.valid).toBe(true);
    expect(report.tasks[0]?.labels).toEqual(['id', 'nombre']);
    expect(report.tasks[0]?.summary?.encoding).toBe('cp1252');
    expect(report.tasks[0]?.summary?.dialect?.delimiter).toBe(';');
  });

  test('a wrong declared encoding ends as an encoding-error', async () => {
    const report = await validate(
      { data: Buffer.from('id,name\n1,Año\n', 'latin1'), name: 'x.csv' },
      { encoding: 'utf-8' },
    );
    expect(report.tasks[0]?.errors.map((e) => e.type)).toEqual(['encoding-error']);
  });
});

describe('dialect sniffing (csv.Sniffer)', () => {
  test.each([
    ['a,b,c\n1,2,3\n4,5,6\n', ','],
    ['a;b;c\n1;2;3\n4;5;6\n', ';'],
    ['a|b|c\n1|2|3\n4|5|6\n', '|'],
    ['a\tb\tc\n1\t2\t3\n', '\t'],
    ['"a";"b"\n"1";"2"\n', ';'],
  ])('%j → %j', (sample, delimiter) => {
    expect(sniff(sample)?.delimiter).toBe(delimiter);
  });

  test('skipinitialspace is detected', () => {
    expect(sniff('a, b, c\n1, 2, 3\n')).toEqual({ delimiter: ',', quoteChar: '"', skipInitialSpace: true });
  });

  test('a header row after a preamble is found by width', async () => {
    const csv = 'Report title;;;\n;;;\nid;a;b;c\n1;2;3;4\n5;6;7;8\n';
    const report = await validate({ data: csv, name: 'p.csv' });
    expect(report.tasks[0]?.summary?.dialect?.headerRows).toEqual([1]);
  });
});

describe('Python values', () => {
  test("Decimal's str() and equality key", () => {
    expect(pyDecimal('1.50')?.str).toBe('1.50');
    expect(pyDecimal('1e3')?.str).toBe('1E+3');
    expect(pyDecimal('.5')?.str).toBe('0.5');
    expect(pyDecimal('0.0000001')?.str).toBe('1E-7');
    expect(pyDecimal('1,5')).toBeUndefined();
    expect(decimalKey(pyDecimal('1.0')!)).toBe(decimalKey(pyDecimal('1')!));
  });

  test('repr of JSON values', () => {
    expect(pyRepr(['a', 1, true, null, 1.5, { k: "it's" }])).toBe(`['a', 1, True, None, 1.5, {'k': "it's"}]`);
  });
});
