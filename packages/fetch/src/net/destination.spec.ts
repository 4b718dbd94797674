import { describe, expect, it } from 'vitest';
import { parseIp } from '../policy/ip-address.js';
import { FakeResolver } from '../test-support/fake-resolver.js';
import { fetchErrorOf as refusal } from '../test-support/fetch-error-of.js';
import { resolveDestination } from './destination.js';
import type { HostResolver } from './host.resolver.js';

describe('resolveDestination', () => {
  it('resolves once and pins the first checked address', async () => {
    const dns = new FakeResolver({ 'cdn.example': [['93.184.216.34', '2606:2800:220:1::1']] });
    const d = await resolveDestination(new URL('https://cdn.example/f.mp4'), dns, []);
    expect(d).toMatchObject({ hostname: 'cdn.example', port: 443, address: '93.184.216.34', family: 4 });
    expect(dns.calls).toEqual(['cdn.example']);
  });

  it('refuses when any one of the addresses is private, whatever its position', async () => {
    for (const answer of [
      ['93.184.216.34', '10.0.0.5'],
      ['fd00::1', '93.184.216.34'],
      ['93.184.216.34', '::ffff:127.0.0.1'],
    ]) {
      const e = await refusal(resolveDestination(new URL('http://mixed.example/'), new FakeResolver({ 'mixed.example': [answer] }), []));
      expect(e.code).toBe('forbidden-address');
      expect(e.userMessage).toBe('That address is on a private network.');
    }
  });

  it('checks IP literals without asking DNS', async () => {
    const dns = new FakeResolver({});
    const e = await refusal(resolveDestination(new URL('http://169.254.169.254/latest/meta-data/'), dns, []));
    expect(e.code).toBe('forbidden-address');
    expect(e.detail).toContain('link-local 169.254.0.0/16');
    await expect(resolveDestination(new URL('http://[2606:4700::1111]/'), dns, [])).resolves.toMatchObject({
      address: '2606:4700::1111',
      family: 6,
      hostname: '2606:4700::1111',
    });
    expect(dns.calls).toEqual([]);
  });

  it('says the name was not found when DNS fails or has no answer', async () => {
    const dns = new FakeResolver({ 'empty.example': [[]] });
    expect((await refusal(resolveDestination(new URL('http://nowhere.example/'), dns, []))).userMessage).toBe(
      'That server name could not be found.',
    );
    expect((await refusal(resolveDestination(new URL('http://empty.example/'), dns, []))).code).toBe('host-not-found');
  });

  it('gives up on a look-up that does not answer in time', async () => {
    const hanging = { resolve: () => new Promise<never>(() => {}) } satisfies HostResolver;
    const e = await refusal(resolveDestination(new URL('http://slow.example/'), hanging, [], 20));
    expect(e).toMatchObject({ code: 'host-not-found', detail: 'slow.example: no answer within 20 ms' });
  });

  it('lets an exact test address through and nothing else', async () => {
    const dns = new FakeResolver({ 'local.test': [['127.0.0.1']], 'other.test': [['127.0.0.2']] });
    const allow = [parseIp('127.0.0.1')!];
    await expect(resolveDestination(new URL('http://local.test:8080/'), dns, allow)).resolves.toMatchObject({
      address: '127.0.0.1',
      port: 8080,
    });
    expect((await refusal(resolveDestination(new URL('http://other.test/'), dns, allow))).code).toBe('forbidden-address');
  });
});
