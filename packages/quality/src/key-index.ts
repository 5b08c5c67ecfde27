// Bounded-memory map from a key to the last row number it was seen at, for unique,
// primary-key, uniqueKeys and duplicate-row checks. Nothing is stored on the JavaScript heap:
// one Uint32Array with linear probing (load factor ≤ 0.75), which the garbage collector never
// walks and whose size does not depend on the keys' length.
// - string keys: a 96-bit digest (three independent 32-bit hashes) + the row: 16 bytes a slot.
//   A false "duplicate" needs a 96-bit collision: about 6e-12 for a billion keys.
// - number keys (integer and number fields): the exact IEEE-754 bits + the row: 12 bytes a
//   slot, no collision possible.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

export class KeyIndex {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  /** Words per slot: 4 for string digests, 3 for numbers; fixed by the first key. */
  private width = 0;
  private initial: number;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap * 3 < initialCapacity * 4) cap *= 2;
    this.initial = cap;
    this.slots = new Uint32Array(0);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count + (this.sibling?.size ?? 0);
  }

  /** Bytes held by the tables. */
  get byteLength(): number {
    return this.slots.byteLength + (this.sibling?.byteLength ?? 0);
  }

  /** Keys of the other kind (a huge integer read as a bigint next to numbers, say). */
  private sibling: KeyIndex | undefined;

  /** False when the keys go to the sibling table. */
  private ensure(width: number): boolean {
    if (this.width === width) return true;
    if (this.width !== 0) return false;
    this.width = width;
    this.slots = new Uint32Array(this.initial * width);
    return true;
  }

  /** Records `row` for a number key; returns the row it was last seen at, or 0 when new. */
  setNumber(n: number, row: number): number {
    if (!this.ensure(3)) {
      this.sibling ??= new KeyIndex();
      return this.sibling.setNumber(n, row);
    }
    f64[0] = n === 0 ? 0 : n; // -0 and 0 are the same key
    const lo = u32[0] as number;
    const hi = u32[1] as number;
    const slots = this.slots;
    let i = fmix(lo ^ fmix(hi ^ 0x9e3779b9)) & this.mask;
    for (;;) {
      const base = i * 3;
      const stored = slots[base + 2] as number;
      if (stored === 0) {
        slots[base] = lo;
        slots[base + 1] = hi;
        slots[base + 2] = row;
        this.added();
        return 0;
      }
      if (slots[base] === lo && slots[base + 1] === hi) {
        slots[base + 2] = row;
        return stored;
      }
      i = (i + 1) & this.mask;
    }
  }

  /**
   * Records `row` for a string key; returns the row the key was last seen at, or 0 when new.
   * (frictionless-py overwrites the stored row, so a note names the latest earlier row.)
   */
  set(key: string, row: number): number {
    if (!this.ensure(4)) {
      this.sibling ??= new KeyIndex();
      return this.sibling.set(key, row);
    }
    let h1 = 0x811c9dc5 | 0;
    let h2 = 0x9e3779b9 | 0;
    let h3 = 0x85ebca6b | 0;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h3 = Math.imul(h3 + c, 0x27d4eb2f) ^ (h3 >>> 15);
    }
    h1 = fmix(h1 ^ key.length) >>> 0;
    h2 = fmix(h2 + h1) >>> 0;
    h3 = fmix(h3 ^ h2) >>> 0;
    const slots = this.slots;
    let i = (h1 ^ (h3 >>> 7)) & this.mask;
    for (;;) {
      const base = i * 4;
      const stored = slots[base + 3] as number;
      if (stored === 0) {
        slots[base] = h1;
        slots[base + 1] = h2;
        slots[base + 2] = h3;
        slots[base + 3] = row;
        this.added();
        return 0;
      }
      if (slots[base] === h1 && slots[base + 1] === h2 && slots[base + 2] === h3) {
        slots[base + 3] = row;
        return stored;
      }
      i = (i + 1) & this.mask;
    }
  }

  private added(): void {
    this.count++;
    if (this.count * 4 > (this.mask + 1) * 3) this.grow();
  }

  private grow(): void {
    const old = this.slots;
    const w = this.width;
    const cap = (this.mask + 1) * 2;
    this.slots = new Uint32Array(cap * w);
    this.mask = cap - 1;
    const slots = this.slots;
    for (let j = 0; j < old.length; j += w) {
      if (old[j + w - 1] === 0) continue;
      const a = old[j] as number;
      const b = old[j + 1] as number;
      let i =
        w === 3
          ? fmix(a ^ fmix(b ^ 0x9e3779b9)) & this.mask
          : (a ^ ((old[j + 2] as number) >>> 7)) & this.mask;
      while (slots[i * w + w - 1] !== 0) i = (i + 1) & this.mask;
      slots.set(old.subarray(j, j + w), i * w);
    }
  }
}
