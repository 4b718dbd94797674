import type { HopResponse } from '../net/http-hop.js';

/**
 * The final response of a link (after redirects): its head, and its body as chunks, with the option to
 * look at the first bytes before deciding what the body is (a playlist or a media file) without losing them.
 */
export class OpenedResponse {
  private pending: Buffer[] = [];

  constructor(
    /** The URL that answered, after redirects. */
    readonly url: URL,
    readonly redirects: number,
    readonly contentType: string | null,
    /** As declared by the server; a claim, not a fact. */
    readonly contentLength: number | null,
    private readonly hop: HopResponse,
  ) {}

  /** At least `n` bytes from the start of the body (fewer if it is shorter); they are read again by next(). */
  async peek(n: number): Promise<Buffer> {
    let have = this.pending.reduce((sum, b) => sum + b.length, 0);
    while (have < n) {
      const chunk = await this.hop.read();
      if (chunk === null) break;
      this.pending.push(chunk);
      have += chunk.length;
    }
    return Buffer.concat(this.pending);
  }

  async next(): Promise<Buffer | null> {
    const first = this.pending.shift();
    return first ?? this.hop.read();
  }

  discard(): void {
    this.pending = [];
    this.hop.discard();
  }
}

/** `Content-Length` as a number, or null when absent or not a plain non-negative integer. */
export function parseContentLength(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,16}$/.test(value.trim())) return null;
  return Number(value.trim());
}
