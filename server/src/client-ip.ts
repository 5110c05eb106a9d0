// Which client a request comes from, for per-IP rate limits.
//
// By default the socket's peer address is the client: X-Forwarded-For is
// written by whoever sends the request, so trusting it lets anyone pick a fresh
// "IP" per request. Behind N reverse proxies that each append the address they
// saw (load balancers, CDNs, serverless front doors), the client is the N-th
// address from the right of X-Forwarded-For; everything left of it is
// client-supplied and ignored.
import { isIP } from 'node:net';

/** Connection facts a runtime adapter knows and a Request does not. */
export interface ClientInfo {
  /** Peer address of the TCP connection (node:http `socket.remoteAddress`). */
  remoteAddress?: string | undefined;
}

/** `::ffff:192.0.2.1` → `192.0.2.1`; strips brackets and an IPv6 zone; undefined when not an IP. */
export function normaliseIp(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let value = raw.trim();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  const zone = value.indexOf('%');
  if (zone !== -1) value = value.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value);
  if (mapped?.[1]) value = mapped[1];
  const version = isIP(value);
  if (version === 0) return undefined;
  return version === 6 ? value.toLowerCase() : value;
}

/**
 * The client address: the socket peer when `trustedHops` is 0; otherwise the
 * address `trustedHops` steps back through X-Forwarded-For (the socket peer
 * being the nearest proxy). With fewer entries than hops, the leftmost one.
 * Stops at the first malformed entry and uses the last good address before it.
 */
export function clientIp(headers: Headers, info: ClientInfo | undefined, trustedHops: number): string | undefined {
  let address = normaliseIp(info?.remoteAddress);
  if (trustedHops <= 0) return address;
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (let hop = 1; hop <= trustedHops && forwarded.length > 0; hop++) {
    const next = normaliseIp(forwarded.pop());
    if (next === undefined) break;
    address = next;
  }
  return address;
}

/**
 * Rate-limit key of an address. An IPv6 client usually owns a whole /64 and can
 * rotate through it at will, so IPv6 addresses are limited per /64 prefix.
 */
export function rateLimitKeyOf(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  // An embedded IPv4 tail (64:ff9b::192.0.2.1) is two groups.
  const expanded = ip.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    [((Number(a) << 8) | Number(b)).toString(16), ((Number(c) << 8) | Number(d)).toString(16)].join(':'),
  );
  const [head = '', tail] = expanded.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  const prefix = groups.slice(0, 4).map((group) => (parseInt(group, 16) || 0).toString(16));
  return `${prefix.join(':')}::/64`;
}
