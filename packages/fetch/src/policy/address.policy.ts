import { cidrContains, formatIpv4, parseCidr, parseIp, sameIp, type Cidr, type IpAddress } from './ip-address.js';

/** Why an address is not on the public internet. All kinds give the same sentence to the person. */
export type BlockedAddressKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'benchmark'
  | 'documentation'
  | 'not-an-ip';

export type AddressVerdict =
  | { allowed: true; address: string }
  /** `range` names the rule for logs, e.g. "loopback 127.0.0.0/8" or "IPv4-mapped ::ffff:0:0/96 -> private 10.0.0.0/8". */
  | { allowed: false; address: string; kind: BlockedAddressKind; range: string };

interface Rule {
  cidr: Cidr;
  text: string;
  kind: BlockedAddressKind;
}

const rule = (text: string, kind: BlockedAddressKind): Rule => ({ cidr: parseCidr(text), text, kind });

/** IPv4 ranges that are not public unicast (IANA special-purpose registry, RFC 6890 and successors). */
const IPV4_RULES: readonly Rule[] = [
  rule('0.0.0.0/8', 'unspecified'), // "this network"; 0.0.0.0 reaches the local host on Linux
  rule('10.0.0.0/8', 'private'),
  rule('100.64.0.0/10', 'shared'), // carrier-grade NAT
  rule('127.0.0.0/8', 'loopback'),
  rule('169.254.0.0/16', 'link-local'), // includes the cloud metadata service 169.254.169.254
  rule('172.16.0.0/12', 'private'),
  rule('192.0.0.0/24', 'reserved'), // IETF protocol assignments
  rule('192.0.2.0/24', 'documentation'),
  rule('192.88.99.0/24', 'reserved'), // deprecated 6to4 relay anycast
  rule('192.168.0.0/16', 'private'),
  rule('198.18.0.0/15', 'benchmark'),
  rule('198.51.100.0/24', 'documentation'),
  rule('203.0.113.0/24', 'documentation'),
  rule('224.0.0.0/4', 'multicast'),
  rule('255.255.255.255/32', 'broadcast'),
  rule('240.0.0.0/4', 'reserved'),
];

/** IPv6 ranges that carry an IPv4 address; the embedded address decides. */
const IPV6_EMBEDDING: readonly { cidr: Cidr; text: string; name: string; extract: (v: bigint) => bigint }[] = [
  { cidr: parseCidr('::ffff:0:0/96'), text: '::ffff:0:0/96', name: 'IPv4-mapped', extract: (v) => v & 0xffffffffn },
  { cidr: parseCidr('::/96'), text: '::/96', name: 'IPv4-compatible', extract: (v) => v & 0xffffffffn },
  { cidr: parseCidr('64:ff9b::/96'), text: '64:ff9b::/96', name: 'NAT64', extract: (v) => v & 0xffffffffn },
  // 2002:AABB:CCDD::/48 carries A.B.C.D in bits 16..47.
  { cidr: parseCidr('2002::/16'), text: '2002::/16', name: '6to4', extract: (v) => (v >> 80n) & 0xffffffffn },
];

const IPV6_RULES: readonly Rule[] = [
  rule('::/128', 'unspecified'),
  rule('::1/128', 'loopback'),
  rule('64:ff9b:1::/48', 'private'), // local-use NAT64
  rule('100::/64', 'reserved'), // discard-only
  rule('2001:db8::/32', 'documentation'),
  rule('2001::/23', 'reserved'), // IETF protocol assignments: Teredo, ORCHID, benchmarking
  rule('3fff::/20', 'documentation'),
  rule('fc00::/7', 'unique-local'),
  rule('fe80::/10', 'link-local'),
  rule('fec0::/10', 'reserved'), // deprecated site-local
  rule('ff00::/8', 'multicast'),
];

/** Only 2000::/3 is allocated as global unicast; everything outside it is refused. */
const IPV6_GLOBAL_UNICAST = parseCidr('2000::/3');

function classifyIpv4(value: bigint): { kind: BlockedAddressKind; range: string } | null {
  const ip: IpAddress = { family: 4, value };
  const hit = IPV4_RULES.find((r) => cidrContains(r.cidr, ip));
  return hit ? { kind: hit.kind, range: `${hit.kind} ${hit.text}` } : null;
}

function classifyIpv6(ip: IpAddress): { kind: BlockedAddressKind; range: string } | null {
  // :: and ::1 sit inside ::/96 (IPv4-compatible), so the exact rules come first.
  for (const r of IPV6_RULES.slice(0, 2)) if (cidrContains(r.cidr, ip)) return { kind: r.kind, range: `${r.kind} ${r.text}` };
  for (const e of IPV6_EMBEDDING) {
    if (!cidrContains(e.cidr, ip)) continue;
    const v4 = e.extract(ip.value);
    const inner = classifyIpv4(v4);
    return inner ? { kind: inner.kind, range: `${e.name} ${e.text} -> ${inner.range} (${formatIpv4(v4)})` } : null;
  }
  const hit = IPV6_RULES.find((r) => cidrContains(r.cidr, ip));
  if (hit) return { kind: hit.kind, range: `${hit.kind} ${hit.text}` };
  if (!cidrContains(IPV6_GLOBAL_UNICAST, ip)) return { kind: 'reserved', range: 'reserved (outside 2000::/3)' };
  return null;
}

/**
 * Is this address on the public internet? Pure. `allowForTests` lists exact addresses that pass anyway:
 * it exists only so tests can reach a server they start on loopback, and is empty in production.
 */
export function classifyAddress(address: string, allowForTests: readonly IpAddress[] = []): AddressVerdict {
  const ip = parseIp(address);
  if (!ip) return { allowed: false, address, kind: 'not-an-ip', range: 'not an IP address' };
  if (allowForTests.some((a) => sameIp(a, ip))) return { allowed: true, address };
  const blocked = ip.family === 4 ? classifyIpv4(ip.value) : classifyIpv6(ip);
  return blocked ? { allowed: false, address, ...blocked } : { allowed: true, address };
}
