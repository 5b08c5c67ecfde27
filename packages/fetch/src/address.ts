import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Why an address may not be fetched, or null when it is public unicast. Only ipaddr.js's
 * `unicast` range passes: private, loopback, link-local, CGNAT, multicast, unspecified,
 * documentation, unique-local, NAT64 / 6to4 / Teredo (which embed an IPv4 address we could
 * not vouch for) are all refused. IPv4-mapped IPv6 is judged as the IPv4 address it carries.
 */
export function forbiddenRange(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'unparseable';
  }
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

/** The host part of a URL without IPv6 brackets. */
export function bareHostname(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Every address the name resolves to (or the literal itself), in the resolver's order. */
export async function resolveAll(hostname: string): Promise<ResolvedAddress[]> {
  const literal = isIP(hostname);
  if (literal) return [{ address: hostname, family: literal as 4 | 6 }];
  const found = await lookup(hostname, { all: true, order: 'verbatim' });
  return found.map((entry) => ({ address: entry.address, family: entry.family as 4 | 6 }));
}
