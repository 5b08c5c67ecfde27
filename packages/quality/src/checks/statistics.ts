// Python's statistics module (stdev, mean, median, mode) over typed columns, for the
// deviated-value and deviated-cell checks.

export function stdev(values: ArrayLike<number>): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s / values.length;
}

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function mode(values: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  let best = values[0] as number;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > max) {
      max = c;
      best = v;
    }
  }
  // Python's mode returns the first value reaching the highest count.
  for (let i = 0; i < values.length; i++)
    if (counts.get(values[i] as number) === max) return values[i] as number;
  return best;
}

/** Growable column of numbers with row numbers. */
export class NumberColumn {
  values = new Float64Array(1024);
  rows = new Uint32Array(1024);
  length = 0;
  push(v: number, row: number) {
    if (this.length === this.values.length) {
      const nv = new Float64Array(this.length * 2);
      nv.set(this.values);
      this.values = nv;
      const nr = new Uint32Array(this.length * 2);
      nr.set(this.rows);
      this.rows = nr;
    }
    this.values[this.length] = v;
    this.rows[this.length] = row;
    this.length++;
  }
  view(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}
