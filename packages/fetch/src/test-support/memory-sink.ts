import { Writable } from 'node:stream';

/** A sink that keeps what it is given, optionally slow (each write waits `delayMs`), like a busy disk. */
export class MemorySink extends Writable {
  private readonly chunks: Buffer[] = [];

  constructor(private readonly delayMs = 0) {
    super({ highWaterMark: 16 * 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    if (this.delayMs > 0) setTimeout(callback, this.delayMs);
    else callback();
  }

  get bytes(): number {
    return this.chunks.reduce((sum, c) => sum + c.length, 0);
  }

  get content(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
