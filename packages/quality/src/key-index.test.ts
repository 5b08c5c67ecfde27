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
    // load factor ≤ 0.75 after growth: at most 2^18 slots for 100,000 keys
    expect(numbers.byteLength).toBe(2 ** 18 * 12);
    expect(strings.byteLength).toBe(2 ** 18 * 16);
  });
});
