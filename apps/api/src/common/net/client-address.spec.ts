import { describe, expect, it } from 'vitest';
import { ClientAddress } from './client-address.js';

const peer = (remoteAddress: string, xff?: string) => ({ remoteAddress, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } });

describe(ClientAddress.name, () => {
  it('ignores X-Forwarded-For unless the peer is a configured proxy', () => {
    const none = new ClientAddress([]);
    expect(none.of(peer('127.0.0.1', '6.6.6.6'))).toBe('127.0.0.1');
    expect(none.of(peer('::ffff:10.0.0.7', '6.6.6.6'))).toBe('10.0.0.7');
  });

  it('walks the forwarded chain only through trusted proxies, from the nearest hop', () => {
    const local = new ClientAddress(['loopback']);
    expect(local.of(peer('127.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
    // A client that sends its own X-Forwarded-For through the proxy: the proxy appends the real peer.
    expect(local.of(peer('127.0.0.1', '6.6.6.6, 203.0.113.9'))).toBe('203.0.113.9');
    // Not from the proxy: the header is the client's own word.
    expect(local.of(peer('198.51.100.4', '6.6.6.6'))).toBe('198.51.100.4');
    const cidr = new ClientAddress(['10.0.0.0/8', '127.0.0.1']);
    expect(cidr.of(peer('127.0.0.1', '6.6.6.6, 203.0.113.9, 10.1.2.3'))).toBe('203.0.113.9');
    expect(cidr.of(peer('127.0.0.1', 'garbage'))).toBe('garbage');
  });
});
