import { createHash, createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

// scrypt (RFC 7914) with N=2^15, r=8, p=1: ~100 ms and 32 MiB per hash on this machine's kind,
// the OWASP baseline; parameters are stored with the hash so they can be raised later.
const N = 2 ** 15;
const R = 8;
const P = 1;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Spend the same time when the user does not exist, so timing does not reveal accounts.
    await scrypt(password, randomBytes(16), 32, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
    return false;
  }
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 128 * 1024 * 1024,
  });
  return timingSafeEqual(expected, actual);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Link tokens (tracking, subscriptions) are derived, not stored: HMAC(secret, purpose:id:version).
 * Only their sha256 is kept for lookup, and any worker holding the secret can rebuild the link
 * for an e-mail without the token ever travelling through a queue.
 */
export function linkToken(
  secret: string,
  purpose: 'tracking' | 'verification' | 'subscription',
  id: string,
  version = 0,
): string {
  return createHmac('sha256', secret).update(`${purpose}:${id}:${version}`).digest('base64url');
}

/** Lower-cased, trimmed e-mail hashed for uniqueness checks without exposing the address. */
export function emailHash(email: string): string {
  return sha256(email.trim().toLowerCase());
}
