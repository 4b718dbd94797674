import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a number: 32 bits for IPv4, 128 bits for IPv6. */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface Cidr {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/**
 * Parses the textual forms DNS answers and node's URL parser produce: dotted-quad IPv4 (the URL parser
 * has already turned `2130706433`, `0x7f.1` and `0177.0.0.1` into `127.0.0.1`) and every IPv6 form,
 * including `::` compression, an embedded dotted quad (`::ffff:1.2.3.4`), brackets and a zone id
 * (`fe80::1%eth0`). Returns null for anything else.
 */
export function parseIp(text: string): IpAddress | null {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIPv4(s)) return { family: 4, value: parseIpv4(s) };
  if (isIPv6(s)) return { family: 6, value: parseIpv6(s) };
  return null;
}

function parseIpv4(s: string): bigint {
  return s.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(s: string): bigint {
  // An embedded dotted quad at the end stands for the last two groups.
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  let text = s;
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    text = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const missing = 8 - left.length - right.length;
  const all = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...right];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
}

/** `"10.0.0.0/8"` or `"fc00::/7"`; throws on a malformed literal (the tables are code, not input). */
export function parseCidr(text: string): Cidr {
  const [addr, bits] = text.split('/');
  const ip = addr === undefined ? null : parseIp(addr);
  const prefix = Number(bits);
  if (!ip || !Number.isInteger(prefix) || prefix < 0 || prefix > BITS[ip.family]) throw new Error(`Bad CIDR literal: ${text}`);
  return { family: ip.family, base: ip.value, prefix };
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  const hostBits = BigInt(BITS[cidr.family] - cidr.prefix);
  return ip.value >> hostBits === cidr.base >> hostBits;
}

export function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.value === b.value;
}
