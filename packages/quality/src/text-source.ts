// The byte stream as csv-parse reads it (undecoded UTF-8 and Latin-1, decoded text otherwise),
// with frictionless-py's encoding-error positions, and Python's csv reader for the quoted field
// left open at the end of the data.

import { isUtf8 } from 'node:buffer';
import { type Options as CsvOptions, Parser } from 'csv-parse';
import {
  BUFFER_SIZE,
  CP1252_UNDEFINED,
  createDecoder,
  incompleteTail,
  normalizeEncoding,
  utf8Check,
  utf8ErrorMessage,
} from './encoding.ts';
import { ValidationFailure } from './errors.ts';
import type { OpenedSource } from './source.ts';

export const SLICE = 8192;

/** csv-parse's parsing API, without its stream: records come synchronously, with their end offset. */
export interface CsvApi {
  info: { bytes: number };
  parse(
    buf: Buffer | undefined,
    end: boolean,
    push: (record: string[]) => void,
    close: () => void,
  ): { code?: string; message?: string } | undefined;
}

/**
 * A csv-parse parser driven by its API: a Transform stream pushes every record through
 * Readable's buffering and an event, a measurable share of a plain read.
 */
export function csvParser(options: CsvOptions): CsvApi {
  return (new Parser(options) as unknown as { api: CsvApi }).api;
}

// Windows-1252 bytes 0x80–0x9F (csv-parse reads the bytes as Latin-1, these are remapped).
const CP1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const C1_RE = /[\u0080-\u009f]/;
const C1_RE_G = /[\u0080-\u009f]/g;

/** Whether the bytes hold any of 0x80–0x9F (native scans: faster than a loop over the bytes). */
export function hasC1(bytes: Buffer): boolean {
  for (let b = 0x80; b <= 0x9f; b++) if (bytes.indexOf(b) !== -1) return true;
  return false;
}

export function remapCp1252(cell: string): string {
  return C1_RE.test(cell) ? cell.replace(C1_RE_G, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] as string) : cell;
}

/**
 * The byte stream turned into what csv-parse reads. UTF-8 and Latin-1/Windows-1252 bytes go
 * to the parser as they are (UTF-8 validated natively; csv-parse decodes fields itself, so its
 * offsets are byte offsets); other encodings are decoded first. An encoding error surfaces the
 * way Python's TextIOWrapper raises it: everything before the 8,192-byte block holding the bad
 * byte is read first, so the same rows are validated.
 */
export class TextSource {
  private iterator: AsyncIterator<Uint8Array>;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private rawDone = false;
  private pending: Uint8Array = new Uint8Array(0);
  private pendingError: ValidationFailure | undefined;
  /** A stream failure met while reading ahead: thrown once the bytes before it are read. */
  private deferred: unknown;
  private decoder: ReturnType<typeof createDecoder> | undefined;
  private mode: 'utf8' | 'latin1' | 'text' = 'utf8';
  private cp1252 = false;
  private bomSkip = 0;
  /** A Windows-1252 byte in 0x80–0x9F was seen: fields need remapping from Latin-1. */
  c1Seen = false;
  /** No more data will come. */
  done = false;
  /** Raw bytes taken from the stream. */
  fed = 0;
  /** Bytes before the parser's first byte (a BOM). */
  offsetBase = 0;
  readonly opened: OpenedSource;
  constructor(opened: OpenedSource) {
    this.opened = opened;
    this.iterator = opened.chunks[Symbol.asyncIterator]();
  }
  private async pull(): Promise<boolean> {
    if (this.deferred) {
      const e = this.deferred;
      this.deferred = undefined;
      throw e;
    }
    if (this.rawDone) return false;
    const next = await this.iterator.next();
    if (next.done) {
      this.rawDone = true;
      return false;
    }
    if (next.value.length) {
      this.queue.push(next.value);
      this.queued += next.value.length;
    }
    return true;
  }
  /** The first bytes (up to BUFFER_SIZE) for detection; they stay queued. */
  async readBuffer(): Promise<{ buffer: Uint8Array; complete: boolean }> {
    while (this.queued < BUFFER_SIZE && (await this.pull())) {}
    if (this.queue.length > 1) this.queue = [Buffer.concat(this.queue)];
    const all = this.queue[0] ?? new Uint8Array(0);
    return { buffer: all.subarray(0, BUFFER_SIZE), complete: this.rawDone };
  }
  /** A text preview of the first bytes (sniffing), without consuming them. */
  preview(encoding: string, maxBytes: number): string {
    const head = (this.queue[0] ?? new Uint8Array(0)).subarray(this.bomSkipFor(encoding), maxBytes);
    const enc = normalizeEncoding(encoding);
    if (enc === 'utf-8' || enc === 'utf-8-sig') return new TextDecoder('utf-8').decode(head);
    try {
      return createDecoder(enc).write(head);
    } catch {
      return new TextDecoder('latin1').decode(head);
    }
  }
  private bomSkipFor(encoding: string): number {
    const head = this.queue[0];
    return encoding === 'utf-8-sig' && head && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
      ? 3
      : 0;
  }
  setEncoding(encoding: string) {
    const enc = normalizeEncoding(encoding);
    this.bomSkip = this.bomSkipFor(enc);
    this.offsetBase = this.bomSkip;
    if (enc === 'utf-8' || enc === 'utf-8-sig') this.mode = 'utf8';
    else if (enc === 'cp1252' || enc === 'iso8859-1') {
      this.mode = 'latin1';
      this.cp1252 = enc === 'cp1252';
    } else {
      this.mode = 'text';
      this.decoder = createDecoder(enc);
    }
  }
  get parserEncoding(): 'utf8' | 'latin1' | undefined {
    return this.mode === 'utf8' ? 'utf8' : this.mode === 'latin1' ? 'latin1' : undefined;
  }
  /** Parser offsets are bytes, except for decoded text (UTF-8 bytes of the decoded string). */
  get exactOffsets(): boolean {
    return this.mode !== 'text';
  }
  /** Turns bytes fed to the parser back into text (for the unclosed-quote tail). */
  decode(bytes: Uint8Array): string {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(
      this.mode === 'latin1' ? 'latin1' : 'utf8',
    );
  }
  /** The next piece for the parser (Buffer or decoded text); undefined at the end. */
  async next(): Promise<Buffer | string | undefined> {
    if (this.pendingError) {
      const e = this.pendingError;
      this.pendingError = undefined;
      this.done = true;
      throw e;
    }
    if (this.done) return undefined;
    while (!this.queued && (await this.pull())) {}
    if (!this.queued) {
      this.done = true;
      if (this.mode === 'utf8' && this.pending.length) {
        const abs = this.fed - this.pending.length;
        const r = utf8Check(this.pending, true);
        throw new ValidationFailure(
          'encoding-error',
          utf8ErrorMessage(this.pending, r.pos, r.end, r.reason, abs % SLICE),
          abs,
        );
      }
      if (this.mode === 'text') return this.decoder?.end() ?? '';
      return undefined;
    }
    let chunk = this.queue.shift() as Uint8Array;
    this.queued -= chunk.length;
    const start = this.fed;
    this.fed += chunk.length;
    if (this.bomSkip) {
      chunk = chunk.subarray(this.bomSkip);
      this.bomSkip = 0;
    }
    const chunkStart = this.fed - chunk.length;
    if (this.mode === 'latin1') {
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      if (this.cp1252) {
        let bad = -1;
        for (const b of CP1252_UNDEFINED) {
          const at = buf.indexOf(b);
          if (at !== -1 && (bad === -1 || at < bad)) bad = at;
        }
        if (!this.c1Seen) this.c1Seen = hasC1(buf);
        if (bad !== -1) {
          const abs = chunkStart + bad;
          this.pendingError = new ValidationFailure(
            'encoding-error',
            `'charmap' codec can't decode byte 0x${(buf[bad] as number).toString(16)} in position ${abs % SLICE}: character maps to <undefined>`,
            abs,
          );
          return buf.subarray(0, Math.max(0, abs - (abs % SLICE) - chunkStart));
        }
      }
      return buf;
    }
    if (this.mode === 'text') {
      try {
        return (this.decoder as ReturnType<typeof createDecoder>).write(chunk);
      } catch (error) {
        if (!(error instanceof ValidationFailure) || error.bytePosition === undefined) throw error;
        const cut = Math.max(0, error.bytePosition - (error.bytePosition % SLICE) - start);
        this.pendingError = error;
        const d = createDecoder((this.decoder as ReturnType<typeof createDecoder>).encoding);
        return cut > 0 ? d.write(chunk.subarray(0, cut)) : '';
      }
    }
    const joined = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const tail = incompleteTail(joined);
    const complete = joined.subarray(0, joined.length - tail);
    this.pending = tail ? Buffer.from(joined.subarray(joined.length - tail)) : new Uint8Array(0);
    if (isUtf8(complete)) return Buffer.from(complete.buffer, complete.byteOffset, complete.length);
    const r = utf8Check(complete, false);
    const completeStart = this.fed - joined.length;
    const abs = completeStart + r.pos;
    this.pendingError = new ValidationFailure(
      'encoding-error',
      utf8ErrorMessage(complete, r.pos, r.end, r.reason || 'invalid start byte', (abs % SLICE) - r.pos),
      abs,
    );
    const cut = Math.max(0, abs - (abs % SLICE) - completeStart);
    this.pending = new Uint8Array(0);
    return Buffer.from(complete.buffer, complete.byteOffset, cut);
  }
  /**
   * Raw bytes taken from the stream so far, after pulling more (kept queued for next() or
   * takeRaw()) until at least `total` were taken or the stream ended. A source of unknown
   * length (a remote file without Content-Length, a caller's stream) is measured this way.
   */
  async lookAhead(total: number): Promise<{ taken: number; ended: boolean }> {
    try {
      while (this.fed + this.queued < total && (await this.pull())) {}
    } catch (error) {
      this.deferred = error;
      return { taken: this.fed + this.queued, ended: true };
    }
    return { taken: this.fed + this.queued, ended: this.rawDone };
  }
  /** A split read can take over: bytes reach the parser as they are, nothing held back with an error. */
  get splittable(): boolean {
    return this.mode !== 'text' && !this.pendingError && !this.done;
  }
  /** Whether bytes 0x80–0x9F are Windows-1252 characters to remap (not Latin-1 controls). */
  get remapsC1(): boolean {
    return this.mode === 'latin1' && this.cp1252;
  }
  /**
   * Hands over the bytes taken from the stream but not given to the parser (an incomplete
   * UTF-8 sequence, queued chunks); the rest then comes from nextRaw().
   */
  takeRaw(): Uint8Array[] {
    const out = this.pending.length ? [this.pending, ...this.queue] : this.queue.slice();
    this.pending = new Uint8Array(0);
    this.fed += this.queued;
    this.queue = [];
    this.queued = 0;
    return out;
  }
  /** The stream's next raw chunk (undefined at its end). */
  async nextRaw(): Promise<Uint8Array | undefined> {
    if (this.deferred) {
      const e = this.deferred;
      this.deferred = undefined;
      throw e;
    }
    const next = await this.iterator.next();
    if (next.done) {
      this.rawDone = true;
      this.done = true;
      return undefined;
    }
    this.fed += next.value.length;
    return next.value;
  }
  close() {
    void this.iterator.return?.();
  }
}

/**
 * Python's csv reader (non-strict) over a piece of text that starts at a record boundary:
 * used for what csv-parse refuses, a quoted field left open at the end of the data.
 */
export function pythonCsvRecords(
  text: string,
  d: {
    delimiter: string;
    quoteChar: string;
    escapeChar?: string | undefined;
    doubleQuote: boolean;
    skipInitialSpace: boolean;
  },
): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let state: 'record' | 'field-start' | 'field' | 'quoted' | 'quote-in-quoted' | 'escape' | 'escape-quoted' =
    'record';
  const endRecord = () => {
    records.push(fields);
    fields = [];
    state = 'record';
  };
  const save = () => {
    fields.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const eol = c === '\n' || c === '\r';
    if (eol && c === '\r' && text[i + 1] === '\n' && state !== 'quoted' && state !== 'escape-quoted') i++;
    switch (state) {
      case 'record':
        if (eol) {
          records.push([]);
          break;
        }
        state = 'field-start';
        i--;
        break;
      case 'field-start':
        if (eol) {
          save();
          endRecord();
        } else if (c === d.quoteChar) state = 'quoted';
        else if (c === d.escapeChar) state = 'escape';
        else if (c === ' ' && d.skipInitialSpace) {
        } else if (c === d.delimiter) save();
        else {
          field += c;
          state = 'field';
        }
        break;
      case 'field':
        if (eol) {
          save();
          endRecord();
        } else if (c === d.escapeChar) state = 'escape';
        else if (c === d.delimiter) {
          save();
          state = 'field-start';
        } else field += c;
        break;
      case 'escape':
        field += c;
        state = 'field';
        break;
      case 'quoted':
        if (c === d.escapeChar) state = 'escape-quoted';
        else if (c === d.quoteChar) state = d.doubleQuote ? 'quote-in-quoted' : 'field';
        else field += c;
        break;
      case 'escape-quoted':
        field += c;
        state = 'quoted';
        break;
      case 'quote-in-quoted':
        if (c === d.quoteChar) {
          field += c;
          state = 'quoted';
        } else if (c === d.delimiter) {
          save();
          state = 'field-start';
        } else if (eol) {
          save();
          endRecord();
        } else {
          field += c;
          state = 'field';
        }
        break;
    }
  }
  if (state !== 'record') {
    save();
    records.push(fields);
  }
  return records;
}
