import { describe, expect, it } from 'vitest';
import { classifyAddress, type BlockedAddressKind } from './address.policy.js';
import { parseIp } from './ip-address.js';

// Each rule: an address at each edge inside the range, and a neighbour just outside where one exists.
const REFUSED: [string, BlockedAddressKind][] = [
  ['0.0.0.0', 'unspecified'],
  ['0.255.255.255', 'unspecified'],
  ['10.0.0.0', 'private'],
  ['10.255.255.255', 'private'],
  ['100.64.0.0', 'shared'],
  ['100.127.255.255', 'shared'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.0.1', 'link-local'],
  ['169.254.169.254', 'link-local'],
  ['172.16.0.0', 'private'],
  ['172.31.255.255', 'private'],
  ['192.0.0.8', 'reserved'],
  ['192.0.2.1', 'documentation'],
  ['192.88.99.1', 'reserved'],
  ['192.168.0.1', 'private'],
  ['192.168.255.255', 'private'],
  ['198.18.0.1', 'benchmark'],
  ['198.19.255.255', 'benchmark'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.254', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['fe80::1', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['fec0::1', 'reserved'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456:789a::1', 'unique-local'],
  ['ff02::1', 'multicast'],
  ['ff0e::1', 'multicast'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation'],
  ['2001::1', 'reserved'], // Teredo
  ['2001:2::1', 'reserved'], // benchmarking
  ['100::1', 'reserved'], // discard-only
  ['64:ff9b:1::1', 'private'], // local-use NAT64
  ['4000::1', 'reserved'], // outside 2000::/3
  ['::ffff:0:0:1', 'reserved'], // IPv4-translated, outside 2000::/3
  // IPv6 forms that carry an IPv4 address: the IPv4 address decides.
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.1.2.3', 'private'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['::127.0.0.1', 'loopback'], // IPv4-compatible
  ['::10.0.0.1', 'private'],
  ['64:ff9b::127.0.0.1', 'loopback'], // NAT64
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
  ['2002:c0a8:101::1', 'private'], // 6to4 of 192.168.1.1
  ['2002:a9fe:a9fe::', 'link-local'],
];

const ALLOWED = [
  '1.1.1.1',
  '8.8.8.8',
  '9.255.255.255', // just below 10/8
  '11.0.0.0', // just above 10/8
  '100.63.255.255', // just below 100.64/10
  '100.128.0.0', // just above
  '126.255.255.255',
  '128.0.0.0',
  '169.253.255.255',
  '169.255.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '192.167.255.255',
  '192.169.0.0',
  '198.17.255.255',
  '198.20.0.0',
  '223.255.255.255', // just below multicast
  '2606:4700:4700::1111',
  '2a00:1450:4001:80b::200e',
  '2001:200::1', // just above 2001::/23
  '::ffff:8.8.8.8', // mapped public
  '64:ff9b::8.8.8.8', // NAT64 of a public address
  '2002:0808:0808::1', // 6to4 of 8.8.8.8
];

describe('classifyAddress', () => {
  it.each(REFUSED)('refuses %s as %s', (address, kind) => {
    const verdict = classifyAddress(address);
    expect(verdict).toMatchObject({ allowed: false, kind });
  });

  it.each(ALLOWED)('allows the public address %s', (address) => {
    expect(classifyAddress(address)).toEqual({ allowed: true, address });
  });

  it('names the embedded rule for logs', () => {
    expect(classifyAddress('::ffff:169.254.169.254')).toMatchObject({
      range: 'IPv4-mapped ::ffff:0:0/96 -> link-local 169.254.0.0/16 (169.254.169.254)',
    });
  });

  it('refuses what is not an IP address', () => {
    expect(classifyAddress('localhost')).toMatchObject({ allowed: false, kind: 'not-an-ip' });
  });

  it('lets only the exact test addresses through, not their range', () => {
    const allow = [parseIp('127.0.0.1')!];
    expect(classifyAddress('127.0.0.1', allow).allowed).toBe(true);
    expect(classifyAddress('127.0.0.2', allow).allowed).toBe(false);
    expect(classifyAddress('::1', allow).allowed).toBe(false);
  });
});
