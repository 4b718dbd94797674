import { describe, expect, it } from 'vitest';
import { cidrContains, formatIpv4, parseCidr, parseIp, sameIp } from './ip-address.js';

describe('parseIp', () => {
  it.each([
    ['0.0.0.0', 4, 0n],
    ['127.0.0.1', 4, 0x7f000001n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['[::1]', 6, 1n],
    ['fe80::1%eth0', 6, (0xfe80n << 112n) | 1n],
    ['::ffff:127.0.0.1', 6, (0xffffn << 32n) | 0x7f000001n],
    ['::ffff:7f00:1', 6, (0xffffn << 32n) | 0x7f000001n],
    ['2001:db8::8:800:200c:417a', 6, 0x20010db8000000000008_0800200c417an],
    ['1:2:3:4:5:6:7:8', 6, 0x00010002000300040005000600070008n],
    ['1::', 6, 1n << 112n],
  ])('reads %s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });

  it.each(['', 'localhost', '1.2.3', '256.1.1.1', '1.2.3.4.5', '::g', '1:2:3:4:5:6:7:8:9', '0x7f.1', '2130706433'])(
    'refuses %j',
    (text) => {
      expect(parseIp(text)).toBeNull();
    },
  );
});

describe('CIDR', () => {
  it('matches the first and last address of a range and nothing outside', () => {
    const c = parseCidr('172.16.0.0/12');
    expect(cidrContains(c, parseIp('172.16.0.0')!)).toBe(true);
    expect(cidrContains(c, parseIp('172.31.255.255')!)).toBe(true);
    expect(cidrContains(c, parseIp('172.15.255.255')!)).toBe(false);
    expect(cidrContains(c, parseIp('172.32.0.0')!)).toBe(false);
  });

  it('handles /0 and /32 and /128 and never mixes families', () => {
    expect(cidrContains(parseCidr('0.0.0.0/0'), parseIp('8.8.8.8')!)).toBe(true);
    expect(cidrContains(parseCidr('8.8.8.8/32'), parseIp('8.8.8.9')!)).toBe(false);
    expect(cidrContains(parseCidr('::1/128'), parseIp('::1')!)).toBe(true);
    expect(cidrContains(parseCidr('::/0'), parseIp('1.2.3.4')!)).toBe(false);
  });

  it('refuses malformed range literals', () => {
    expect(() => parseCidr('10.0.0.0/33')).toThrow();
    expect(() => parseCidr('nope/8')).toThrow();
  });

  it('formats IPv4 and compares addresses', () => {
    expect(formatIpv4(0xa9fea9fen)).toBe('169.254.169.254');
    expect(sameIp(parseIp('::ffff:1.2.3.4')!, parseIp('::ffff:102:304')!)).toBe(true);
    expect(sameIp(parseIp('1.2.3.4')!, parseIp('::ffff:1.2.3.4')!)).toBe(false);
  });
});
