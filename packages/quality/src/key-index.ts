// Bounded-memory map from a key to the last row number it was seen at, for unique,
// primary-key, uniqueKeys and duplicate-row checks. Nothing is stored on the JavaScript heap:
// one Uint32Array with linear probing (load factor ≤ 0.75), which the garbage collector never
// walks and whose size does not depend on the keys' length. Slots:
// - 32-bit integer keys (the usual ids): the key + the row, 8 bytes;
// - other number keys: the exact IEEE-754 bits + the row, 12 bytes (exact, no collisions);
// - string keys: a 96-bit digest (three independent 32-bit hashes) + the row, 16 bytes.
//   A false "duplicate" needs a 96-bit collision: about 6e-12 for a billion keys.
// Given an expected number of keys (the validator estimates rows from the file size), the
// table is allocated once at that size, so no doubling (old + new table) happens at the peak.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LOAD = 0.75;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

type Kind = 'none' | 'int' | 'number' | 'string';
const WIDTH: Record<Kind, number> = { none: 0, int: 2, number: 3, string: 4 };

export class KeyIndex {
  private slots = new Uint32Array(0);
  private capacity: number;
  private count = 0;
  private kind: Kind = 'none';
  private width = 0;
  /** Keys of the other family (strings next to numbers), in their own table. */
  private sibling: KeyIndex | undefined;
  /** The first row of each slot's key (a split read's chunk: where a repeat from an earlier range is reported). */
  private firsts: Uint32Array | undefined;
  private readonly trackFirst: boolean;
  /** The slot of the last new key (while first rows are tracked). */
  private at = 0;

  /** Where the tables come from (zero-filled): a split read's worker reuses returned ones. */
  private readonly alloc: (length: number) => Uint32Array<ArrayBuffer>;

  constructor(
    expectedKeys = 1024,
    trackFirst = false,
    alloc: (length: number) => Uint32Array<ArrayBuffer> = (n) => new Uint32Array(n),
  ) {
    this.capacity = Math.max(16, Math.ceil(expectedKeys / LOAD) + 1);
    this.trackFirst = trackFirst;
    this.alloc = alloc;
  }

  get size(): number {
    return this.count + (this.sibling?.size ?? 0);
  }

  /** Bytes held by the tables. */
  get byteLength(): number {
    return this.slots.byteLength + (this.sibling?.byteLength ?? 0);
  }

  // Maps a 32-bit hash onto [0, capacity) without a power-of-two size (Lemire's reduction).
  private home(h: number): number {
    return Math.floor(((h >>> 0) * this.capacity) / 4294967296);
  }

  /** Records `row` for a number key; returns the row it was last seen at, or 0 when new. */
  setNumber(n: number, row: number): number {
    if (this.kind === 'string') {
      this.sibling ??= new KeyIndex();
      return this.sibling.setNumber(n, row);
    }
    if (this.kind === 'none') this.start((n | 0) === n ? 'int' : 'number');
    if (this.kind === 'int') {
      if ((n | 0) === n) return this.insertInt(n | 0, row);
      this.convert('number');
    }
    f64[0] = n === 0 ? 0 : n; // -0 and 0 are the same key
    return this.insertBits(u32[0] as number, u32[1] as number, row);
  }

  /**
   * Records `row` for a string key; returns the row the key was last seen at, or 0 when new.
   * (frictionless-py overwrites the stored row, so a note names the latest earlier row.)
   */
  set(key: string, row: number): number {
    if (this.kind === 'int' || this.kind === 'number') {
      this.sibling ??= new KeyIndex();
      return this.sibling.set(key, row);
    }
    if (this.kind === 'none') this.start('string');
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
    return this.insertDigest(h1, h2, h3, row);
  }

  /** A string key by its digest (keys merged from another index). */
  private setDigest(h1: number, h2: number, h3: number, row: number): number {
    if (this.kind === 'int' || this.kind === 'number') {
      this.sibling ??= new KeyIndex();
      return this.sibling.setDigest(h1, h2, h3, row);
    }
    if (this.kind === 'none') this.start('string');
    return this.insertDigest(h1, h2, h3, row);
  }

  /** The table as plain data, to be merged elsewhere with absorb(). */
  export(): KeyIndexData {
    return {
      kind: this.kind,
      slots: this.slots,
      firsts: this.firsts ?? new Uint32Array(0),
      sibling: this.sibling?.export(),
    };
  }

  /**
   * Merges another index's keys, their rows offset by `base`: each key is recorded at its last
   * row there; `repeat` is called with its first row there and the row it was last seen at
   * here, for keys this index already holds.
   */
  absorb(data: KeyIndexData, base: number, repeat: (firstRow: number, seenAt: number) => void): void {
    const w = WIDTH[data.kind];
    const { slots, firsts } = data;
    for (let j = 0, s = 0; w && j < slots.length; j += w, s++) {
      const row = slots[j + w - 1] as number;
      if (row === 0) continue;
      let seen: number;
      if (data.kind === 'int') seen = this.setNumber((slots[j] as number) | 0, row + base);
      else if (data.kind === 'number') {
        u32[0] = slots[j] as number;
        u32[1] = slots[j + 1] as number;
        seen = this.setNumber(f64[0] as number, row + base);
      } else
        seen = this.setDigest(slots[j] as number, slots[j + 1] as number, slots[j + 2] as number, row + base);
      if (seen) repeat((firsts[s] as number) + base, seen);
    }
    if (data.sibling) this.absorb(data.sibling, base, repeat);
  }

  private start(kind: Kind): void {
    this.kind = kind;
    this.width = WIDTH[kind];
    this.slots = this.alloc(this.capacity * this.width);
    if (this.trackFirst) this.firsts = this.alloc(this.capacity);
  }

  private insertInt(k: number, row: number): number {
    const slots = this.slots;
    const cap = this.capacity;
    let i = this.home(fmix(k ^ 0x9e3779b9));
    const key = k >>> 0;
    for (;;) {
      const base = i * 2;
      const stored = slots[base + 1] as number;
      if (stored === 0) {
        slots[base] = key;
        slots[base + 1] = row;
        if (this.firsts) {
          this.firsts[i] = row;
          this.at = i;
        }
        this.added();
        return 0;
      }
      if (slots[base] === key) {
        slots[base + 1] = row;
        return stored;
      }
      i = i + 1 === cap ? 0 : i + 1;
    }
  }

  private insertBits(lo: number, hi: number, row: number): number {
    const slots = this.slots;
    const cap = this.capacity;
    let i = this.home(fmix(lo ^ fmix(hi ^ 0x9e3779b9)));
    for (;;) {
      const base = i * 3;
      const stored = slots[base + 2] as number;
      if (stored === 0) {
        slots[base] = lo;
        slots[base + 1] = hi;
        slots[base + 2] = row;
        if (this.firsts) {
          this.firsts[i] = row;
          this.at = i;
        }
        this.added();
        return 0;
      }
      if (slots[base] === lo && slots[base + 1] === hi) {
        slots[base + 2] = row;
        return stored;
      }
      i = i + 1 === cap ? 0 : i + 1;
    }
  }

  private insertDigest(h1: number, h2: number, h3: number, row: number): number {
    const slots = this.slots;
    const cap = this.capacity;
    let i = this.home(h1 ^ (h3 >>> 7));
    for (;;) {
      const base = i * 4;
      const stored = slots[base + 3] as number;
      if (stored === 0) {
        slots[base] = h1;
        slots[base + 1] = h2;
        slots[base + 2] = h3;
        slots[base + 3] = row;
        if (this.firsts) {
          this.firsts[i] = row;
          this.at = i;
        }
        this.added();
        return 0;
      }
      if (slots[base] === h1 && slots[base + 1] === h2 && slots[base + 2] === h3) {
        slots[base + 3] = row;
        return stored;
      }
      i = i + 1 === cap ? 0 : i + 1;
    }
  }

  private added(): void {
    this.count++;
    if (this.count > this.capacity * LOAD) this.rebuild(this.kind, this.capacity * 2);
  }

  /** From 32-bit integer slots to full number slots, when a key outside int32 arrives. */
  private convert(kind: Kind): void {
    this.rebuild(kind, this.capacity);
  }

  private rebuild(kind: Kind, capacity: number): void {
    const old = this.slots;
    const oldFirsts = this.firsts;
    const oldKind = this.kind;
    const w = this.width;
    this.kind = kind;
    this.width = WIDTH[kind];
    this.capacity = capacity;
    this.slots = this.alloc(capacity * this.width);
    if (oldFirsts) this.firsts = this.alloc(capacity);
    this.count = 0;
    for (let j = 0, s = 0; j < old.length; j += w, s++) {
      const row = old[j + w - 1] as number;
      if (row === 0) continue;
      // re-inserted at its last row; the first row follows it to the new slot
      const first = oldFirsts ? (oldFirsts[s] as number) : 0;
      if (oldKind === 'int') {
        const k = (old[j] as number) | 0;
        if (kind === 'int') this.insertInt(k, row);
        else {
          f64[0] = k;
          this.insertBits(u32[0] as number, u32[1] as number, row);
        }
      } else if (oldKind === 'number') this.insertBits(old[j] as number, old[j + 1] as number, row);
      else this.insertDigest(old[j] as number, old[j + 1] as number, old[j + 2] as number, row);
      if (this.firsts) this.firsts[this.at] = first;
    }
  }
}

export interface KeyIndexData {
  kind: 'none' | 'int' | 'number' | 'string';
  slots: Uint32Array;
  firsts: Uint32Array;
  sibling: KeyIndexData | undefined;
}
