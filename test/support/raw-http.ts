import { request, type IncomingHttpHeaders } from 'node:http';

/** A response read in full. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request with exactly the headers given (Host, Origin, Content-Length included, which fetch
 * will not let a caller set), sent as the body arrives: `write` and `end` let a test send part of a body,
 * act, then send the rest, the way a slow or hostile client does. `response` settles when the server
 * answers, which may be before the body is complete (a refusal up front).
 */
export function openRequest(url: string, method: string, headers: Record<string, string>) {
  const req = request(url, { method, headers });
  const response = new Promise<RawResponse>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer and close while we still send: that is the refusal, not a failure.
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
  });
  return {
    response,
    write: (chunk: Buffer | string) => new Promise<void>((resolve, reject) => req.write(chunk, (err) => (err ? reject(err) : resolve()))),
    end: (chunk?: Buffer | string) => new Promise<void>((resolve) => req.end(chunk ?? '', () => resolve())),
    destroy: () => req.destroy(),
  };
}

/** A whole request at once. */
export async function rawRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<RawResponse> {
  const r = openRequest(url, method, body === undefined ? headers : { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  await r.end(body);
  return r.response;
}

/** A multipart/form-data body with one file field, and its Content-Type. */
export function multipartBody(
  field: string,
  filename: string,
  data: Buffer,
): { contentType: string; head: Buffer; tail: Buffer; length: number } {
  const boundary = `----reelroom${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, head, tail, length: head.length + data.length + tail.length };
}
