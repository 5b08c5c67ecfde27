import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { bareHostname, forbiddenRange, resolveAll } from '@quipu/fetch';

/** The answer of a webhook endpoint (the body is read only to free the socket, capped). */
export interface WebhookAnswer {
  status: number;
  remoteAddress: string;
}

/** Refused before connecting: not http(s), or an address the portal may not reach. */
export class WebhookTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetError';
  }
}

/**
 * POSTs a JSON body to a webhook URL, SSRF-safe: only http(s); the name is resolved here and
 * refused when any address is private, loopback or link-local (unless `allowPrivateNetwork`);
 * the connection is pinned to the checked address (no DNS rebinding); redirects are not
 * followed (a 3xx is an answer, not a delivery); a total timeout bounds the attempt.
 */
export async function postWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivateNetwork: boolean; timeoutMs?: number },
): Promise<WebhookAnswer> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new WebhookTargetError('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WebhookTargetError('only http and https');
  const host = bareHostname(url);
  const addresses = await resolveAll(host).catch((error: Error) => {
    throw new Error(`cannot resolve ${host}: ${error.message}`);
  });
  if (addresses.length === 0) throw new Error(`no address for ${host}`);
  if (!options.allowPrivateNetwork) {
    const bad = addresses.find((a) => forbiddenRange(a.address));
    if (bad) throw new WebhookTargetError(`${host} resolves to a ${forbiddenRange(bad.address)} address`);
  }
  const pinned = addresses[0]!;
  const lookup: LookupFunction = (_hostname, opts, callback) => {
    if ((opts as { all?: boolean }).all) (callback as (e: null, a: unknown[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return await new Promise<WebhookAnswer>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        lookup,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 64 * 1024) response.destroy();
        });
        const done = () =>
          resolve({
            status: response.statusCode ?? 0,
            remoteAddress: response.socket?.remoteAddress ?? pinned.address,
          });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('timeout', () => request.destroy(new Error(`idle for ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
