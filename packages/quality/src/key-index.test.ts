import { describe, expect, test } from 'vitest';
import { KeyIndex } from './key-index.ts';

describe('KeyIndex', () => {
  test('returns the latest earlier row for a repeated key', () => {
    const index = new KeyIndex(4);
    expect(index.set('a', 2)).toBe(0);
    expect(index.set('b', 3)).toBe(0);
    expect(index.set('a', 4)).toBe(2);
    expect(index.set('a', 5)).toBe(4);
    expect(index.size).toBe(2);
  });

  test('number keys are exact; -0 equals 0; strings and numbers live apart', () => {
    const index = new KeyIndex();
    expect(index.setNumber(1.5, 2)).toBe(0);
    expect(index.setNumber(1.5, 3)).toBe(2);
    expect(index.setNumber(-0, 4)).toBe(0);
    expect(index.setNumber(0, 5)).toBe(4);
    expect(index.set('1.5', 6)).toBe(0);
    expect(index.size).toBe(3);
  });

  test('grows without losing keys, at 12 or 16 bytes a slot', () => {
    const numbers = new KeyIndex();
    const strings = new KeyIndex();
    for (let i = 1; i <= 100_000; i++) {
      numbers.setNumber(i, i);
      strings.set(`k${i}`, i);
    }
    for (let i = 1; i <= 100_000; i += 997) {
      expect(numbers.setNumber(i, 1)).toBe(i);
      expect(strings.set(`k${i}`, 1)).toBe(i);
    }
    // 8 bytes a slot for 32-bit integers, 16 for string digests; load factor between 0.375 and 0.75
    expect(strings.byteLength).toBe(numbers.byteLength * 2);
    expect(numbers.byteLength / 8).toBeGreaterThanOrEqual(100_000 / 0.75);
    expect(numbers.byteLength / 8).toBeLessThanOrEqual(100_000 / 0.375);
  });

  test('integer keys move to full number slots when a non-int32 key arrives', () => {
    const index = new KeyIndex(10);
    for (let i = 1; i <= 20; i++) index.setNumber(i, i);
    expect(index.byteLength % 8).toBe(0);
    expect(index.setNumber(2 ** 40, 21)).toBe(0);
    expect(index.setNumber(7, 22)).toBe(7);
    expect(index.setNumber(2 ** 40, 23)).toBe(21);
    expect(index.byteLength % 12).toBe(0);
  });

  test('sized for the expected keys, it never grows', () => {
    const index = new KeyIndex(50_000);
    const before = index.byteLength;
    for (let i = 0; i < 50_000; i++) index.setNumber(i, i + 1);
    expect(index.byteLength).toBe(Math.ceil(50_000 / 0.75 + 1) * 8);
    void before;
  });
});
