import { once } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NotMediaError, SniffGate } from './sniff-gate.js';

class Collect extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void) {
    this.chunks.push(chunk);
    done();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(2000, 7)]);

describe(SniffGate.name, () => {
  it('lets media through whole and in order once its first bytes sniff as a container', async () => {
    const target = new Collect();
    const gate = new SniffGate(target);
    for (let i = 0; i < MP4.length; i += 100) gate.write(MP4.subarray(i, i + 100));
    gate.end();
    await once(gate, 'finish');
    expect(target.bytes).toEqual(MP4);
    expect(gate.accepted).toEqual({ kind: 'video', container: 'mp4' });
  });

  it('decides at the end for a file shorter than the sniff window', async () => {
    const target = new Collect();
    const gate = new SniffGate(target);
    gate.end(MP4.subarray(0, 100));
    await once(gate, 'finish');
    expect(target.bytes).toEqual(MP4.subarray(0, 100));
  });

  it('fails a web page after its first half kilobyte, letting nothing through', async () => {
    const target = new Collect();
    const gate = new SniffGate(target);
    const failed = once(gate, 'error');
    const page = Buffer.from(`<!DOCTYPE html><html>${'<p>text</p>'.repeat(1000)}</html>`);
    for (let i = 0; i < page.length && !gate.destroyed; i += 256) gate.write(page.subarray(i, i + 256));
    const [err] = (await failed) as [NotMediaError];
    expect(err).toBeInstanceOf(NotMediaError);
    expect(err.html).toBe(true);
    expect(target.bytes.length).toBe(0);
  });

  it('fails unknown bytes as not html, and nothing at all as empty', async () => {
    const unknown = new SniffGate(new Collect());
    const e1 = once(unknown, 'error');
    unknown.end(Buffer.alloc(600, 0x41));
    expect((await e1)[0]).toMatchObject({ html: false, empty: false });
    const empty = new SniffGate(new Collect());
    const e2 = once(empty, 'error');
    empty.end();
    expect((await e2)[0]).toMatchObject({ empty: true });
  });
});
