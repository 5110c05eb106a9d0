import { describe, expect, it } from 'vitest';
import { clientIp, normaliseIp, rateLimitKeyOf } from './client-ip.ts';

const xff = (value?: string) => new Headers(value === undefined ? {} : { 'x-forwarded-for': value });

describe('normaliseIp', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:192.0.2.1', '192.0.2.1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    [' 198.51.100.7 ', '198.51.100.7'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseIp(raw)).toBe(expected);
  });

  it.each(['', 'unknown', '192.0.2.1:8080', '999.1.1.1', 'example.com', undefined])('%j is not an IP', (raw) => {
    expect(normaliseIp(raw)).toBeUndefined();
  });
});

describe('clientIp', () => {
  it('uses the socket address and ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(clientIp(xff('203.0.113.9'), { remoteAddress: '::ffff:10.0.0.5' }, 0)).toBe('10.0.0.5');
  });

  it('takes the rightmost X-Forwarded-For entry behind one proxy; client-written entries on the left are ignored', () => {
    expect(clientIp(xff('1.1.1.1, 203.0.113.9'), { remoteAddress: '10.0.0.5' }, 1)).toBe('203.0.113.9');
  });

  it('walks back one entry per trusted hop', () => {
    const headers = xff('6.6.6.6, 203.0.113.9, 10.0.0.7');
    expect(clientIp(headers, { remoteAddress: '10.0.0.5' }, 2)).toBe('203.0.113.9');
  });

  it('joins several X-Forwarded-For headers in order', () => {
    const headers = new Headers();
    headers.append('x-forwarded-for', '6.6.6.6');
    headers.append('x-forwarded-for', '203.0.113.9');
    expect(clientIp(headers, { remoteAddress: '10.0.0.5' }, 1)).toBe('203.0.113.9');
  });

  it('uses the leftmost entry when there are fewer entries than trusted hops', () => {
    expect(clientIp(xff('203.0.113.9'), { remoteAddress: '10.0.0.5' }, 3)).toBe('203.0.113.9');
  });

  it('falls back to the socket address without X-Forwarded-For', () => {
    expect(clientIp(xff(), { remoteAddress: '10.0.0.5' }, 1)).toBe('10.0.0.5');
  });

  it('stops at a malformed entry and keeps the last good address', () => {
    expect(clientIp(xff('203.0.113.9, garbage'), { remoteAddress: '10.0.0.5' }, 2)).toBe('10.0.0.5');
    expect(clientIp(xff('garbage, 203.0.113.9'), { remoteAddress: '10.0.0.5' }, 2)).toBe('203.0.113.9');
  });

  it('works without a socket address (serverless) when a proxy is trusted, and is unknown otherwise', () => {
    expect(clientIp(xff('203.0.113.9'), undefined, 1)).toBe('203.0.113.9');
    expect(clientIp(xff('203.0.113.9'), undefined, 0)).toBeUndefined();
    expect(clientIp(xff(), {}, 1)).toBeUndefined();
  });
});

describe('rateLimitKeyOf', () => {
  it('keeps IPv4 addresses whole', () => {
    expect(rateLimitKeyOf('203.0.113.9')).toBe('203.0.113.9');
  });

  it.each([
    ['2001:db8:aaaa:bbbb:1:2:3:4', '2001:db8:aaaa:bbbb::/64'],
    ['2001:db8:aaaa:bbbb::ffff', '2001:db8:aaaa:bbbb::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0000:0001::9', '2001:db8:0:1::/64'],
    ['::1', '0:0:0:0::/64'],
    ['1::2:3:4:5:192.0.2.1', '1:0:2:3::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
  ])('groups IPv6 %s into %s', (ip, key) => {
    expect(rateLimitKeyOf(ip)).toBe(key);
  });

  it('puts two addresses of one /64 under one key and neighbouring /64s under different keys', () => {
    expect(rateLimitKeyOf('2001:db8:1:2::a')).toBe(rateLimitKeyOf('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(rateLimitKeyOf('2001:db8:1:2::a')).not.toBe(rateLimitKeyOf('2001:db8:1:3::a'));
  });
});
