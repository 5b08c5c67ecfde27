// Opening a source as a stream of bytes: local path, http(s) URL (streamed, with size, time
// and redirect caps and no private addresses unless allowed), a Node stream or in-memory data.
// Bytes are counted and hashed as they pass, before decompression (as frictionless-py does).

import { createHash, type Hash } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { isIP, type LookupFunction } from 'node:net';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import type { Agent, Response as UndiciResponse } from 'undici';
import { ValidationFailure } from './errors.ts';

export type Source = string | URL | NodeJS.ReadableStream | { data: string | Uint8Array; name?: string };

export interface Caps {
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  allowPrivateNetwork?: boolean;
}

export const DEFAULT_CAPS = {
  maxBytes: 2 * 1024 ** 3,
  timeoutMs: 60_000,
  maxRedirects: 5,
  allowPrivateNetwork: false,
};

export interface SourceStats {
  bytes: number;
  md5?: string;
  sha256?: string;
}

export interface OpenedSource {
  name: string;
  place: string;
  format: string | undefined;
  compression: string | undefined;
  totalBytes: number | undefined;
  /** The local file's path (a split read's workers read their ranges from it). */
  file?: string | undefined;
  /** From now on the consumer keeps no piece: a local file's are read into one buffer. */
  recycle: () => void;
  /** Decompressed bytes, as they arrive. */
  chunks: AsyncIterable<Uint8Array>;
  /** Filled while `chunks` is consumed; md5/sha256 set at the end. */
  stats: SourceStats;
  close: () => void;
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^-a-z0-9._/]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const COMPRESSIONS = new Set(['gz', 'zip']);

function extOf(path: string): string | undefined {
  const base = path.split(/[?#]/)[0] ?? '';
  const m = /\.([a-zA-Z0-9]+)$/.exec(base);
  return m ? (m[1] ?? '').toLowerCase() : undefined;
}

export function describePath(
  path: string,
  declared?: { format?: string; compression?: string; name?: string },
) {
  const clean = path.split(/[?#]/)[0] ?? path;
  const base = basename(clean);
  let name = slugify(base.replace(/\.[^.]*$/, '')) || 'name';
  let compression = declared?.compression;
  let format = declared?.format;
  const ext = extOf(clean);
  if (ext && COMPRESSIONS.has(ext)) {
    compression ??= ext;
    const inner = clean.slice(0, -(ext.length + 1));
    const innerExt = extOf(inner);
    format ??= innerExt;
    if (innerExt) name = name.replace(/\.[^.]*$/, '');
  } else format ??= ext;
  return { name: declared?.name ?? name, format, compression };
}

function isPrivateAddress(ip: string): boolean {
  if (ip.includes(':')) {
    const v = ip.toLowerCase();
    if (v === '::1' || v === '::') return true;
    if (v.startsWith('fe80') || v.startsWith('fc') || v.startsWith('fd')) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
    return mapped ? isPrivateAddress(mapped[1] ?? '') : false;
  }
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    a >= 224
  );
}

/** An IP literal in the URL is checked here; names are checked when connecting (below). */
function assertPublicLiteral(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isPrivateAddress(host)) {
    throw new ValidationFailure(
      'scheme-error',
      `host "${url.hostname}" is a private, loopback or link-local address`,
    );
  }
}

/**
 * DNS lookup that refuses private, loopback and link-local answers at connection time, so a
 * name cannot resolve to a public address when checked and to an internal one when used.
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as unknown as LookupAddress[];
    const blocked = list.find((a) => isPrivateAddress(a.address));
    if (blocked || !list.length) {
      const refusal = Object.assign(
        new Error(
          `host "${hostname}" resolves to a private, loopback or link-local address${blocked ? ` (${blocked.address})` : ''}`,
        ),
        { code: 'EPRIVATEADDRESS' },
      );
      return callback(refusal, '', 0);
    }
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    const first = list[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
};

let publicAgent: Agent | undefined;
let anyAgent: Agent | undefined;
// undici is loaded with the first remote source: it weighs about 30 MB of memory, which a
// validation of local files (and every split read's peak) does without.
let undici: typeof import('undici') | undefined;
async function agentFor(
  allowPrivate: boolean,
): Promise<{ agent: Agent; fetch: typeof import('undici').fetch }> {
  undici ??= await import('undici');
  if (allowPrivate) {
    anyAgent ??= new undici.Agent();
    return { agent: anyAgent, fetch: undici.fetch };
  }
  publicAgent ??= new undici.Agent({ connect: { lookup: guardedLookup } });
  return { agent: publicAgent, fetch: undici.fetch };
}

/** Counts, hashes and caps the raw bytes. */
async function* measured(
  source: AsyncIterable<Uint8Array>,
  stats: SourceStats,
  maxBytes: number,
  hash: boolean,
): AsyncGenerator<Uint8Array> {
  const md5: Hash | undefined = hash ? createHash('md5') : undefined;
  const sha256: Hash | undefined = hash ? createHash('sha256') : undefined;
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    stats.bytes += buf.length;
    if (stats.bytes > maxBytes)
      throw new ValidationFailure('source-error', `the source is larger than the limit of ${maxBytes} bytes`);
    md5?.update(buf);
    sha256?.update(buf);
    yield buf;
  }
  if (md5 && sha256) {
    stats.md5 = md5.digest('hex');
    stats.sha256 = sha256.digest('hex');
  }
}

async function* gunzip(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  const gz = createGunzip();
  const input = Readable.from(source);
  input.on('error', (e) => gz.destroy(e));
  input.pipe(gz);
  let total = 0;
  try {
    for await (const chunk of gz) {
      total += (chunk as Buffer).length;
      if (total > maxBytes)
        throw new ValidationFailure(
          'compression-error',
          `decompressed data exceeds the limit of ${maxBytes} bytes`,
        );
      yield chunk as Buffer;
    }
  } catch (error) {
    if (error instanceof ValidationFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (
      code.startsWith('Z_') ||
      code.startsWith('ERR_ZLIB') ||
      /incorrect header|unexpected end|invalid/i.test((error as Error).message)
    ) {
      throw new ValidationFailure(
        'compression-error',
        (error as Error).message === 'incorrect header check'
          ? 'Not a gzipped file'
          : (error as Error).message,
      );
    }
    throw error;
  } finally {
    input.destroy();
    gz.destroy();
  }
}

/** Streams the first entry of a zip archive (or `innerpath`) with fflate. */
async function* unzip(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
  onName: (name: string) => void,
  innerpath?: string,
): AsyncGenerator<Uint8Array> {
  const queue: Uint8Array[] = [];
  let failure: unknown;
  let done = false;
  let picked = false;
  let total = 0;
  const unzipper = new Unzip((file) => {
    if (picked || (innerpath && file.name !== innerpath) || file.name.endsWith('/')) return;
    picked = true;
    onName(file.name);
    file.ondata = (err, data, final) => {
      if (err) failure = new ValidationFailure('compression-error', err.message);
      else {
        total += data.length;
        if (total > maxBytes)
          failure = new ValidationFailure(
            'compression-error',
            `decompressed data exceeds the limit of ${maxBytes} bytes`,
          );
        else queue.push(data);
      }
      if (final) done = true;
    };
    file.start();
  });
  unzipper.register(UnzipInflate);
  unzipper.register(UnzipPassThrough);
  let sawSignature = false;
  for await (const chunk of source) {
    if (!sawSignature) {
      if (chunk.length >= 2 && !(chunk[0] === 0x50 && chunk[1] === 0x4b))
        throw new ValidationFailure('compression-error', 'File is not a zip file');
      sawSignature = true;
    }
    if (done) continue;
    try {
      unzipper.push(chunk, false);
    } catch (error) {
      throw new ValidationFailure('compression-error', (error as Error).message);
    }
    if (failure) throw failure;
    while (queue.length) yield queue.shift() as Uint8Array;
    // after the entry ends, the rest is still read so bytes and hashes cover the whole file
  }
  if (!done) {
    try {
      unzipper.push(new Uint8Array(0), true);
    } catch (error) {
      throw new ValidationFailure('compression-error', (error as Error).message);
    }
  }
  if (failure) throw failure;
  while (queue.length) yield queue.shift() as Uint8Array;
  if (!picked)
    throw new ValidationFailure(
      'compression-error',
      sawSignature ? 'the archive is empty' : 'File is not a zip file',
    );
}

async function* fetchBody(
  url: URL,
  caps: Required<Caps>,
  signal: AbortSignal | undefined,
  onLength: (n: number | undefined) => void,
): AsyncGenerator<Uint8Array> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort);
  let timer: NodeJS.Timeout | undefined;
  // The timeout restarts on every chunk: a stalled server is cut off, a slow big download is not.
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        controller.abort(
          new ValidationFailure('scheme-error', `the server did not answer within ${caps.timeoutMs} ms`),
        ),
      caps.timeoutMs,
    );
  };
  try {
    let current = url;
    let response: UndiciResponse | undefined;
    for (let hop = 0; ; hop++) {
      if (current.protocol !== 'http:' && current.protocol !== 'https:') {
        throw new ValidationFailure(
          'scheme-error',
          `scheme "${current.protocol.replace(':', '')}" is not supported`,
        );
      }
      if (!caps.allowPrivateNetwork) assertPublicLiteral(current);
      arm();
      try {
        const { agent, fetch } = await agentFor(caps.allowPrivateNetwork);
        response = await fetch(current, {
          redirect: 'manual',
          signal: controller.signal,
          headers: { 'user-agent': 'quipu-quality' },
          dispatcher: agent,
        });
      } catch (error) {
        throw asFetchFailure(error, controller.signal);
      }
      if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
        await response.body?.cancel();
        if (hop >= caps.maxRedirects)
          throw new ValidationFailure('scheme-error', `too many redirects (more than ${caps.maxRedirects})`);
        current = new URL(response.headers.get('location') as string, current);
        continue;
      }
      break;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ValidationFailure(
        'scheme-error',
        `${response.status} ${response.statusText || 'HTTP error'} for url: ${current.href}`,
      );
    }
    const length = Number(response.headers.get('content-length'));
    onLength(Number.isFinite(length) && length > 0 ? length : undefined);
    if (Number.isFinite(length) && length > caps.maxBytes) {
      await response.body?.cancel();
      throw new ValidationFailure(
        'source-error',
        `the source is larger than the limit of ${caps.maxBytes} bytes`,
      );
    }
    const type = response.headers.get('content-type') ?? '';
    if (/text\/html|application\/xhtml/i.test(type)) {
      await response.body?.cancel();
      throw new ValidationFailure(
        'format-error',
        `the server answered with an HTML page ("${type}"), not a table`,
      );
    }
    if (!response.body) return;
    const reader = response.body.getReader();
    try {
      for (;;) {
        arm();
        let item: { done: boolean; value?: Uint8Array };
        try {
          item = await reader.read();
        } catch (error) {
          throw asFetchFailure(error, controller.signal);
        }
        if (item.done) break;
        if (item.value) yield item.value;
      }
    } finally {
      reader.releaseLock();
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

function asFetchFailure(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted && signal.reason instanceof ValidationFailure) return signal.reason;
  if (error instanceof ValidationFailure) return error;
  if ((error as Error)?.name === 'AbortError') return error;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = cause?.message ?? (error as Error).message;
  return new ValidationFailure('scheme-error', cause?.code ? `${cause.code}: ${message}` : message);
}

/** A caller's stream: its failures (a reset, a destroy) become source-errors; abort ends it. */
async function* fromNodeStream(
  stream: NodeJS.ReadableStream,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const destroyable = stream as NodeJS.ReadableStream & { destroy?: (error?: Error) => void };
  const onAbort = () =>
    destroyable.destroy?.(new ValidationFailure('source-error', 'validation was aborted'));
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>)
      yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  } catch (error) {
    if (error instanceof ValidationFailure) throw error;
    throw new ValidationFailure('source-error', (error as Error)?.message ?? String(error));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

const FILE_CHUNK = 256 * 1024;

/**
 * A local file in pieces. Once `recycling.on`, each piece is read into the buffer of the one
 * before (the consumer keeps none, as a split read's cutting): a file read through leaves no
 * piece-sized garbage, which would otherwise pile up as external memory until a collection.
 */
async function* fromFile(path: string, recycling: { on: boolean }): AsyncGenerator<Uint8Array> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    let last: Buffer | undefined;
    for (;;) {
      const buffer = recycling.on && last ? last : Buffer.allocUnsafeSlow(FILE_CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, FILE_CHUNK, null);
      if (bytesRead === 0) break;
      last = buffer;
      yield buffer.subarray(0, bytesRead);
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT')
      throw new ValidationFailure('scheme-error', `[Errno 2] No such file or directory: '${path}'`);
    if (e.code === 'EISDIR')
      throw new ValidationFailure('scheme-error', `[Errno 21] Is a directory: '${path}'`);
    if (e.code === 'EACCES')
      throw new ValidationFailure('scheme-error', `[Errno 13] Permission denied: '${path}'`);
    throw new ValidationFailure('scheme-error', e.message);
  } finally {
    await handle?.close();
  }
}

export interface OpenOptions {
  caps?: Caps;
  signal?: AbortSignal;
  format?: string;
  compression?: string;
  innerpath?: string;
  name?: string;
  hash?: boolean;
}

export async function openSource(source: Source, options: OpenOptions = {}): Promise<OpenedSource> {
  const caps = { ...DEFAULT_CAPS, ...options.caps };
  const stats: SourceStats = { bytes: 0 };
  let raw: AsyncIterable<Uint8Array>;
  let place: string;
  let info: { name: string; format: string | undefined; compression: string | undefined };
  let totalBytes: number | undefined;
  let file: string | undefined;
  const recycling = { on: false };
  const isUrl =
    source instanceof URL || (typeof source === 'string' && /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(source));
  if (isUrl) {
    const url = source instanceof URL ? source : new URL(source);
    place = url.href === String(source) ? url.href : String(source);
    info = describePath(url.pathname, {
      format: options.format,
      compression: options.compression,
      name: options.name,
    });
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ValidationFailure(
        'scheme-error',
        `scheme "${url.protocol.replace(':', '')}" is not supported`,
      );
    }
    raw = fetchBody(url, caps, options.signal, (n) => {
      totalBytes = n;
      opened.totalBytes = n;
    });
  } else if (typeof source === 'string') {
    place = source;
    info = describePath(source, {
      format: options.format,
      compression: options.compression,
      name: options.name,
    });
    try {
      const st = await stat(source);
      totalBytes = st.size;
      if (st.isDirectory())
        throw new ValidationFailure('scheme-error', `[Errno 21] Is a directory: '${source}'`);
    } catch (error) {
      if (error instanceof ValidationFailure) throw error;
      throw new ValidationFailure('scheme-error', `[Errno 2] No such file or directory: '${source}'`);
    }
    raw = fromFile(source, recycling);
    file = source;
  } else if (
    typeof (source as NodeJS.ReadableStream).pipe === 'function' ||
    Symbol.asyncIterator in (source as object)
  ) {
    place = '<stream>';
    info = { name: options.name ?? 'stream', format: options.format, compression: options.compression };
    raw = fromNodeStream(source as NodeJS.ReadableStream, options.signal);
  } else {
    const data = (source as { data: string | Uint8Array; name?: string }).data;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const name = (source as { name?: string }).name;
    place = name ?? '<memory>';
    info = name
      ? describePath(name, { format: options.format, compression: options.compression, name: options.name })
      : { name: options.name ?? 'memory', format: options.format, compression: options.compression };
    totalBytes = bytes.length;
    raw = (async function* () {
      for (let i = 0; i < bytes.length; i += 256 * 1024) yield bytes.subarray(i, i + 256 * 1024);
    })();
  }
  let chunks = measured(raw, stats, caps.maxBytes, options.hash !== false);
  const compression = info.compression;
  if (compression === 'gz') chunks = gunzip(chunks, caps.maxBytes);
  else if (compression === 'zip') {
    chunks = unzip(
      chunks,
      caps.maxBytes,
      (inner) => {
        opened.place = `${place} -> ${inner}`;
      },
      options.innerpath,
    );
  } else if (compression)
    throw new ValidationFailure('compression-error', `compression "${compression}" is not supported`);
  const opened: OpenedSource = {
    name: info.name,
    place,
    format: info.format,
    compression,
    totalBytes,
    file,
    recycle: () => {
      recycling.on = true;
    },
    chunks,
    stats,
    close: () => {
      void chunks.return?.(undefined);
    },
  };
  return opened;
}
