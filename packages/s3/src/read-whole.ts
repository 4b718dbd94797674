/** Tries at a whole-object read whose body was cut off (BODY_READ_ATTEMPTS in all). */
export const BODY_READ_ATTEMPTS = 3;

/**
 * Reads an object's body whole, opening it again when the body breaks off after the response began (a
 * socket reset, a server that closes early): the SDK retries a request that fails, not a body that stops
 * half-way, and a GET of a whole object (or a fixed range) is safe to repeat. What `open` itself throws
 * (a 404, an access error, the SDK's own retries spent) is thrown at once.
 */
export async function readWhole(open: () => Promise<AsyncIterable<Uint8Array>>): Promise<Buffer> {
  for (let attempt = 1; ; attempt++) {
    const body = await open();
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      return Buffer.concat(chunks);
    } catch (err) {
      if (attempt >= BODY_READ_ATTEMPTS) throw err;
    }
  }
}
