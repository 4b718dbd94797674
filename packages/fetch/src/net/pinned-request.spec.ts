import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { describe, expect, it } from 'vitest';
import type { Destination } from './destination.js';
import { pinnedLookup, pinnedRequestOptions } from './pinned-request.js';

const dest = (url: string, address: string, family: 4 | 6 = 4): Destination => {
  const u = new URL(url);
  return {
    url: u,
    hostname: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
    address,
    family,
  };
};

describe('pinnedLookup', () => {
  it('answers every lookup with the checked address, whatever the name', () => {
    const lookup = pinnedLookup('93.184.216.34', 4);
    const single: unknown[] = [];
    lookup('rebind.example', {}, (...args) => single.push(args));
    const all: unknown[] = [];
    lookup('something-else.example', { all: true }, (...args) => all.push(args));
    expect(single).toEqual([[null, '93.184.216.34', 4]]);
    expect(all).toEqual([[null, [{ address: '93.184.216.34', family: 4 }]]]);
  });
});

describe('pinnedRequestOptions', () => {
  it('keeps the host name for Host, SNI and the certificate check, and verifies certificates', () => {
    const o = pinnedRequestOptions(dest('https://cdn.example/v/f.mp4?sig=1', '93.184.216.34'), { headers: {}, agent: new HttpsAgent() });
    expect(o).toMatchObject({
      host: 'cdn.example',
      port: 443,
      path: '/v/f.mp4?sig=1',
      method: 'GET',
      servername: 'cdn.example',
      rejectUnauthorized: true,
    });
    expect(o.ca).toBeUndefined();
    expect(typeof o.lookup).toBe('function');
  });

  it('sets no servername for an IP literal (SNI does not carry addresses) and none for plain http', () => {
    const tlsIp = pinnedRequestOptions(dest('https://[2606:4700::1111]/f', '2606:4700::1111', 6), { headers: {}, agent: new HttpsAgent() });
    expect(tlsIp.servername).toBeUndefined();
    expect(tlsIp.rejectUnauthorized).toBe(true);
    const plain = pinnedRequestOptions(dest('http://cdn.example/f', '93.184.216.34'), { headers: {}, agent: new HttpAgent() });
    expect(plain).not.toHaveProperty('servername');
    expect(plain).not.toHaveProperty('rejectUnauthorized');
  });

  it('adds a test CA only when given one', () => {
    const o = pinnedRequestOptions(dest('https://media.test/f', '127.0.0.1'), { headers: {}, agent: new HttpsAgent(), trustedCa: 'PEM' });
    expect(o.ca).toBe('PEM');
  });
});
