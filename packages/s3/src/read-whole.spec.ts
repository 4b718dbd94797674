import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BODY_READ_ATTEMPTS, readWhole } from './read-whole.js';

describe(readWhole.name, () => {
  /** A body that sends its first bytes and then breaks off, as a reset socket does ("aborted"). */
  const cutOff = () =>
    Readable.from(
      (async function* () {
        yield Buffer.from('#EXTM3U\n');
        throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
      })(),
    );
  const whole = (text: string) => Readable.from([Buffer.from(text)]);

  it('opens the object again when its body breaks off, and returns only the whole body', async () => {
    const bodies = [cutOff(), whole('#EXTM3U\n#EXT-X-VERSION:7\n')];
    let opened = 0;
    const text = (await readWhole(async () => bodies[opened++])).toString('utf8');
    expect(text).toBe('#EXTM3U\n#EXT-X-VERSION:7\n');
    expect(opened).toBe(2);
  });

  it(`gives up with the body's error after ${BODY_READ_ATTEMPTS} broken bodies`, async () => {
    let opened = 0;
    await expect(
      readWhole(async () => {
        opened++;
        return cutOff();
      }),
    ).rejects.toThrow('aborted');
    expect(opened).toBe(BODY_READ_ATTEMPTS);
  });

  it('does not retry what opening throws (a 404, a refusal)', async () => {
    let opened = 0;
    const notFound = Object.assign(new Error('no object'), { code: 'ENOENT' });
    await expect(
      readWhole(async () => {
        opened++;
        throw notFound;
      }),
    ).rejects.toBe(notFound);
    expect(opened).toBe(1);
  });
});
