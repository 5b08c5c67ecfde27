// Human ticket references: `Q-<year>-<seq>`, the sequence zero-padded to six digits and
// growing past them when a year needs more. The database allocates `seq` (claims beside the
// counter named by `refCounterKey`, packages/db refs repository); this module only owns the format.

const REF_PREFIX = 'Q';
const SEQ_MIN_DIGITS = 6;
const CANONICAL = /^Q-(\d{4})-(\d{6,})$/;
// Reporters type refs from e-mails and phones: any case, spaces, a missing padding.
const LENIENT = /^\s*q\s*-?\s*(\d{4})\s*-\s*(\d{1,16})\s*$/i;

export interface ParsedRef {
  year: number;
  seq: number;
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`ticket ref year must be a four-digit integer, got ${year}`);
  }
}

function assertSeq(seq: number): void {
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new RangeError(`ticket ref sequence must be a positive integer, got ${seq}`);
  }
}

export function formatRef(year: number, seq: number): string {
  assertYear(year);
  assertSeq(seq);
  return `${REF_PREFIX}-${year}-${String(seq).padStart(SEQ_MIN_DIGITS, '0')}`;
}

/** Parses a canonical ref only (exactly what `formatRef` produces); null otherwise. */
export function parseRef(ref: string): ParsedRef | null {
  const match = CANONICAL.exec(ref);
  if (!match) return null;
  const year = Number(match[1]);
  const seq = Number(match[2]);
  if (year < 1000 || !Number.isSafeInteger(seq) || seq < 1) return null;
  // Rejects non-canonical padding such as Q-2026-0000123, so one ticket has one spelling.
  if (formatRef(year, seq) !== ref) return null;
  return { year, seq };
}

/** Turns what a person typed (`q-2026-123`, ` Q 2026-000123 `) into the canonical ref, or null. */
export function normaliseRef(input: string): string | null {
  const match = LENIENT.exec(input);
  if (!match) return null;
  const year = Number(match[1]);
  const seq = Number(match[2]);
  if (year < 1000 || !Number.isSafeInteger(seq) || seq < 1) return null;
  return formatRef(year, seq);
}

export function isRef(value: unknown): value is string {
  return typeof value === 'string' && parseRef(value) !== null;
}

/** Name of the per-year counter document under which the database claims each `seq`. */
export function refCounterKey(year: number): string {
  assertYear(year);
  return `ticket-ref:${year}`;
}
