import { Writable } from 'node:stream';
import { looksLikeHtml, sniff, SNIFF_BYTES, type SniffResult } from '@reelroom/contracts';

export type AcceptedKind = Exclude<SniffResult, { kind: 'empty' | 'unknown' }>;

/** The first bytes were not media: the download stops here, not after the whole body. */
export class NotMediaError extends Error {
  constructor(
    readonly html: boolean,
    readonly empty: boolean,
  ) {
    super(html ? 'the link answered with a web page' : empty ? 'the link answered with nothing' : 'the bytes are not a known container');
  }
}

/**
 * A sink in front of the storage write that sniffs the first SNIFF_BYTES (the upload sniffer) before it
 * lets a byte through: a web page or unknown bytes fail the write at once with NotMediaError, so the
 * fetcher stops after half a kilobyte instead of downloading gigabytes of something we would refuse.
 * Backpressure and the target's errors pass through.
 */
export class SniffGate extends Writable {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private verdict: AcceptedKind | null = null;

  constructor(private readonly target: Writable) {
    super();
    target.on('error', (err) => this.destroy(err));
  }

  /** What the bytes sniffed as, once decided. */
  get accepted(): AcceptedKind | null {
    return this.verdict;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.verdict) return this.forward(chunk, done);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes < SNIFF_BYTES) return done();
    this.release(done);
  }

  override _final(done: (err?: Error | null) => void): void {
    const end = (err?: Error | null) => {
      if (err) return done(err);
      this.target.end(() => done());
    };
    if (this.verdict) end();
    else this.release(end);
  }

  private release(done: (err?: Error | null) => void): void {
    const head = Buffer.concat(this.held);
    this.held = [];
    const kind = sniff(head);
    if (kind.kind === 'empty' || kind.kind === 'unknown') return done(new NotMediaError(looksLikeHtml(head), kind.kind === 'empty'));
    this.verdict = kind;
    this.forward(head, done);
  }

  private forward(chunk: Buffer, done: (err?: Error | null) => void): void {
    if (this.target.write(chunk)) done();
    else this.target.once('drain', () => done());
  }
}
