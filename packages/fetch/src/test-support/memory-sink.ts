import { Writable } from 'node:stream';

/** A sink that keeps what it is given; optionally its first write takes `firstWriteDelayMs`, like a busy disk. */
export class MemorySink extends Writable {
  private readonly chunks: Buffer[] = [];

  constructor(private readonly firstWriteDelayMs = 0) {
    super({ highWaterMark: 16 * 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    if (this.chunks.length === 1 && this.firstWriteDelayMs > 0) setTimeout(callback, this.firstWriteDelayMs);
    else callback();
  }

  get bytes(): number {
    return this.chunks.reduce((sum, c) => sum + c.length, 0);
  }

  get content(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
