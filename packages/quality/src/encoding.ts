// Encoding detection on the first 100,000 bytes and streaming decoding with Python's error
// messages ("'utf-8' codec can't decode byte 0xcd in position 94: invalid continuation byte").

import iconv from 'iconv-lite';
import { ValidationFailure } from './errors.ts';

export const BUFFER_SIZE = 100_000;

/** Python codec names, as frictionless-py reports them. */
const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'utf-8': 'utf-8',
  'utf-8-sig': 'utf-8-sig',
  utf_8_sig: 'utf-8-sig',
  latin1: 'iso8859-1',
  'latin-1': 'iso8859-1',
  'iso-8859-1': 'iso8859-1',
  iso8859_1: 'iso8859-1',
  'iso8859-1': 'iso8859-1',
  windows1252: 'cp1252',
  'windows-1252': 'cp1252',
  cp1252: 'cp1252',
  'windows-1253': 'cp1253',
  cp1253: 'cp1253',
  'iso-8859-7': 'iso8859-7',
  'windows-1251': 'cp1251',
  cp1251: 'cp1251',
  'utf-16': 'utf-16',
  'utf-16le': 'utf-16-le',
  'utf-16be': 'utf-16-be',
  ascii: 'utf-8',
  'us-ascii': 'utf-8',
};

export function normalizeEncoding(name: string): string {
  const key = name.trim().toLowerCase().replace(/_/g, '-');
  return ALIASES[key] ?? ALIASES[key.replace(/-/g, '')] ?? key;
}

/** Length of the valid UTF-8 prefix; `complete` false when only a truncated tail is invalid. */
export function utf8Check(
  buf: Uint8Array,
  atEnd: boolean,
): { ok: boolean; pos: number; end: number; reason: string } {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return { ok: false, pos: i, end: i, reason: 'invalid start byte' };
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) {
        if (atEnd) return { ok: false, pos: i, end: n - 1, reason: 'unexpected end of data' };
        return { ok: true, pos: i, end: i, reason: '' }; // truncated tail: decided by the next chunk
      }
      const c = buf[i + k] as number;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max)
        return { ok: false, pos: i, end: i + k - 1, reason: 'invalid continuation byte' };
    }
    i += need + 1;
  }
  return { ok: true, pos: n, end: n, reason: '' };
}

export function utf8ErrorMessage(
  buf: Uint8Array,
  pos: number,
  end: number,
  reason: string,
  offset = 0,
): string {
  if (end > pos)
    return `'utf-8' codec can't decode bytes in position ${pos + offset}-${end + offset}: ${reason}`;
  return `'utf-8' codec can't decode byte 0x${(buf[pos] ?? 0).toString(16).padStart(2, '0')} in position ${pos + offset}: ${reason}`;
}

/**
 * frictionless-py: chardet over the buffer, then "utf-8" when chardet is unsure and the bytes
 * decode. Here: BOMs, then UTF-8 when the bytes decode, then a single-byte code page chosen
 * from the script of the high bytes (Windows-1252 for Latin text, the usual case).
 */
export function detectEncoding(buffer: Uint8Array, complete: boolean): string {
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return 'utf-8-sig';
  if ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff))
    return 'utf-16';
  if (utf8Check(buffer, complete).ok) return 'utf-8';
  // chardet gives up on binary content (NUL bytes) and frictionless-py falls back to UTF-8,
  // which then fails with an encoding-error: the right outcome for a binary file.
  if (buffer.includes(0)) return 'utf-8';
  // Non-Latin scripts write whole words in high bytes; Latin text has isolated accented letters.
  let high = 0;
  let highRuns = 0;
  let run = 0;
  let finalSigma = 0;
  for (let i = 0; i < buffer.length; i++) {
    const b = buffer[i] as number;
    if (b >= 0xc0) {
      high++;
      run++;
      if (run === 3) highRuns++;
      if (b === 0xf2 && !((buffer[i + 1] ?? 0) >= 0xc0)) finalSigma++;
    } else run = 0;
  }
  if (high > 0 && highRuns * 4 >= high / 3) return finalSigma > 0 ? 'cp1253' : 'cp1251';
  return 'cp1252';
}

/** Bytes Windows-1252 leaves undefined (Python's cp1252 codec refuses them). */
export const CP1252_UNDEFINED = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

export interface Decoder {
  encoding: string;
  write: (chunk: Uint8Array) => string;
  end: () => string;
}

/** A streaming decoder that throws encoding-error like Python's strict codecs. */
export function createDecoder(encoding: string): Decoder {
  const enc = normalizeEncoding(encoding);
  if (enc === 'utf-8' || enc === 'utf-8-sig') {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: enc !== 'utf-8-sig' });
    let offset = 0;
    let pending: Uint8Array = new Uint8Array(0);
    const fail = (chunk: Uint8Array, atEnd: boolean): never => {
      const joined = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const r = utf8Check(joined, atEnd);
      // TextIOWrapper decodes 8192-byte chunks: positions count from the chunk's start.
      const abs = offset - pending.length + r.pos;
      const chunkStart = abs - (abs % 8192);
      const rel = abs - chunkStart;
      throw new ValidationFailure(
        'encoding-error',
        utf8ErrorMessage(joined, r.pos, r.end, r.reason || 'invalid start byte', rel - r.pos),
        abs,
      );
    };
    return {
      encoding: enc,
      write(chunk) {
        try {
          const out = decoder.decode(chunk, { stream: true });
          const tail = incompleteTail(chunk);
          pending = tail ? chunk.subarray(chunk.length - tail) : new Uint8Array(0);
          offset += chunk.length;
          return out;
        } catch {
          return fail(chunk, false);
        }
      },
      end() {
        try {
          return decoder.decode();
        } catch {
          return fail(new Uint8Array(0), true);
        }
      },
    };
  }
  if (!iconv.encodingExists(enc))
    throw new ValidationFailure('encoding-error', `unknown encoding: ${encoding}`);
  const decoder = iconv.getDecoder(enc);
  const strictCp1252 = enc === 'cp1252';
  let offset = 0;
  return {
    encoding: enc,
    write(chunk) {
      if (strictCp1252) {
        for (let i = 0; i < chunk.length; i++) {
          const b = chunk[i] as number;
          if (b >= 0x80 && b <= 0x9d && CP1252_UNDEFINED.includes(b)) {
            const abs = offset + i;
            throw new ValidationFailure(
              'encoding-error',
              `'charmap' codec can't decode byte 0x${b.toString(16)} in position ${abs % 8192}: character maps to <undefined>`,
              abs,
            );
          }
        }
      }
      offset += chunk.length;
      return decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    },
    end() {
      return decoder.end() ?? '';
    },
  };
}

/** Bytes at the end that start a UTF-8 sequence not yet complete. */
export function incompleteTail(chunk: Uint8Array): number {
  // Bytes at the end that start a multi-byte sequence not yet complete.
  const n = chunk.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const b = chunk[n - k] as number;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > k ? k : 0;
    }
    if (b < 0x80) return 0;
  }
  return 0;
}
