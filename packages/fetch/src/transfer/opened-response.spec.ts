import { describe, expect, it } from 'vitest';
import type { HopResponse } from '../net/http-hop.js';
import { OpenedResponse, parseContentLength } from './opened-response.js';

class FakeHop implements HopResponse {
  status = 200;
  headers = {};
  discarded = false;
  constructor(private readonly chunks: Buffer[]) {}
  async read(): Promise<Buffer | null> {
    return this.chunks.shift() ?? null;
  }
  discard(): void {
    this.discarded = true;
  }
}

describe('OpenedResponse', () => {
  it('peeks at the first bytes and still yields every byte in order', async () => {
    const res = new OpenedResponse(
      new URL('http://a/'),
      0,
      null,
      null,
      new FakeHop([Buffer.from('#EX'), Buffer.from('TM3U\n'), Buffer.from('rest')]),
    );
    expect((await res.peek(6)).toString()).toBe('#EXTM3U\n');
    const out: string[] = [];
    for (let c = await res.next(); c !== null; c = await res.next()) out.push(c.toString());
    expect(out.join('')).toBe('#EXTM3U\nrest');
  });

  it('peeks at fewer bytes when the body is shorter', async () => {
    const res = new OpenedResponse(new URL('http://a/'), 0, null, null, new FakeHop([Buffer.from('ab')]));
    expect((await res.peek(64)).toString()).toBe('ab');
  });
});

describe('parseContentLength', () => {
  it.each([
    ['10', 10],
    [' 4294967296 ', 4294967296],
    [undefined, null],
    ['', null],
    ['-1', null],
    ['1e9', null],
    ['10, 10', null],
    ['12345678901234567', null],
  ])('%j -> %j', (value, expected) => {
    expect(parseContentLength(value)).toBe(expected);
  });
});
