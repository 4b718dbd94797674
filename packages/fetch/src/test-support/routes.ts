import type { ServerResponse } from 'node:http';
import type { Route } from './test-http-server.js';

/** Bytes 0..255 repeated: any misplaced or missing chunk changes the content. */
export function pattern(size: number, seed = 0): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i + seed) & 0xff;
  return b;
}

export const serve =
  (body: Buffer | string, headers: Record<string, string> = {}): Route =>
  (_req, res) => {
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(200, { 'content-length': String(data.length), 'content-type': 'application/octet-stream', ...headers }).end(data);
  };

export const redirect =
  (location: string, status = 302): Route =>
  (_req, res) => {
    res.writeHead(status, { location }).end();
  };

/** Writes `total` bytes in 64 KiB chunks with backpressure, with no Content-Length (chunked). */
export const streamChunked =
  (total: number): Route =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4' });
    writeWithBackpressure(res, total);
  };

export function writeWithBackpressure(res: ServerResponse | NodeJS.WritableStream, total: number, end = true): void {
  const chunk = pattern(64 * 1024);
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
      sent += part.length;
      if (!res.write(part)) return void res.once('drain', pump);
    }
    if (end) res.end();
  };
  pump();
}

/** Takes over the socket and writes a raw HTTP response head followed by `bodyBytes` bytes. */
export const raw =
  (head: string, bodyBytes: number): Route =>
  (req) => {
    const socket = req.socket;
    socket.on('error', () => {}); // the client hangs up mid-way on purpose
    socket.write(head);
    writeWithBackpressure(socket, bodyBytes);
  };
