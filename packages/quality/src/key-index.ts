// Bounded-memory map from a key to the last row number it was seen at, for unique,
// primary-key, uniqueKeys and duplicate-row checks. Keys are never stored: only a 128-bit
// digest (four independent 32-bit multiplicative hashes) and the row number, 20 bytes per
// slot in one Uint32Array with open addressing (load factor ≤ 0.5). A false "duplicate"
// needs a 128-bit collision: about 1.5e-27 for a billion keys.

export class KeyIndex {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.slots = new Uint32Array(cap * 5);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get byteLength(): number {
    return this.slots.byteLength;
  }

  private static f64 = new Float64Array(1);
  private static u32 = new Uint32Array(KeyIndex.f64.buffer);

  /**
   * Records `row` for a number key (faster than a string: hashes the IEEE bits). Keep one
   * index for one kind of key: a number and a string never meet in the same index.
   */
  setNumber(n: number, row: number): number {
    KeyIndex.f64[0] = n === 0 ? 0 : n; // -0 and 0 are equal keys
    const lo = KeyIndex.u32[0] as number;
    const hi = KeyIndex.u32[1] as number;
    const h1 = fmix(lo ^ 0x9e3779b9);
    const h2 = fmix(hi ^ 0x85ebca6b);
    const h3 = fmix(h1 ^ hi);
    const h4 = fmix(h2 ^ lo);
    return this.insert(h1, h2, h3, h4, row);
  }

  /**
   * Records `row` for `key`; returns the row the key was last seen at, or 0 when new.
   * (frictionless-py overwrites the stored row, so a note names the latest earlier row.)
   */
  set(key: string, row: number): number {
    let h1 = 0x811c9dc5 | 0;
    let h2 = 0x9e3779b9 | 0;
    let h3 = 0x85ebca6b | 0;
    let h4 = 0xc2b2ae35 | 0;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h3 = Math.imul(h3 + c, 0x27d4eb2f) ^ (h3 >>> 15);
      h4 = Math.imul(h4 ^ c, 0x165667b1) + (h4 >>> 13);
    }
    h1 = fmix(h1 ^ key.length);
    h2 = fmix(h2 + h1);
    h3 = fmix(h3 ^ h2);
    h4 = fmix(h4 + h3);
    return this.insert(h1, h2, h3, h4, row);
  }

  private insert(h1: number, h2: number, h3: number, h4: number, row: number): number {
    const slots = this.slots;
    let i = (h1 ^ (h3 >>> 7)) & this.mask;
    for (;;) {
      const base = i * 5;
      const stored = slots[base + 4] as number;
      if (stored === 0) {
        slots[base] = h1;
        slots[base + 1] = h2;
        slots[base + 2] = h3;
        slots[base + 3] = h4;
        slots[base + 4] = row;
        this.count++;
        if (this.count * 2 > this.mask + 1) this.grow();
        return 0;
      }
      if (
        slots[base] === h1 >>> 0 &&
        slots[base + 1] === h2 >>> 0 &&
        slots[base + 2] === h3 >>> 0 &&
        slots[base + 3] === h4 >>> 0
      ) {
        slots[base + 4] = row;
        return stored;
      }
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Uint32Array(cap * 5);
    this.mask = cap - 1;
    const slots = this.slots;
    for (let j = 0; j < old.length; j += 5) {
      if (old[j + 4] === 0) continue;
      const h1 = old[j] as number;
      const h3 = old[j + 2] as number;
      let i = (h1 ^ (h3 >>> 7)) & this.mask;
      while (slots[i * 5 + 4] !== 0) i = (i + 1) & this.mask;
      slots.set(old.subarray(j, j + 5), i * 5);
    }
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
