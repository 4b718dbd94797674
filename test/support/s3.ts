import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash, randomBytes } from 'node:crypto';
import S3rver from 's3rver';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  S3Client,
} from '@aws-sdk/client-s3';

/** s3rver's fixed credentials (it checks signatures against them). */
export const S3_TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * A real S3-protocol server on loopback for the integration tests (s3rver: S3's REST API in Node, objects
 * on disk, signatures checked). Started once per test project by global-setup.ts, so `npm test` and
 * `.ci/run` need nothing installed beyond npm's packages; each stack gets its own bucket.
 */
export async function startS3Server(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 'reelroom-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  addMultipartListing(server);
  atomicOverwrites(server);
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

type KoaContext = {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  status: number;
  body: unknown;
  type: string;
};
type KoaApp = { middleware: Array<(ctx: KoaContext, next: () => Promise<void>) => Promise<void>>; store: unknown };

/**
 * s3rver 3.7 lacks two multipart calls that @tus/s3-store makes: ListParts (`GET /<bucket>/<key>?uploadId=`,
 * how it learns a resumed upload's offset) and AbortMultipartUpload (`DELETE ...?uploadId=`, a tus
 * termination). Both are answered here from s3rver's own upload folder (`<bucket>/.../uploads/<id>/<n>`),
 * ahead of its router; everything else is s3rver's.
 */
function addMultipartListing(server: S3rver): void {
  const app = server as unknown as KoaApp;
  const store = app.store as { getResourcePath(bucket: string, key: undefined, resource: string): string };
  app.middleware.unshift(async (ctx, next) => {
    const uploadId = ctx.query.uploadId;
    if (!uploadId || !/^[0-9a-f]+$/.test(uploadId) || (ctx.method !== 'GET' && ctx.method !== 'DELETE')) return next();
    const bucket = ctx.path.split('/')[1];
    const dir = join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
    if (ctx.method === 'DELETE') {
      await rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    const names = await readdir(dir).catch(() => null);
    if (!names) {
      ctx.status = 404;
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>no such upload</Message></Error>';
      return;
    }
    const numbers = names
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
    const parts = await Promise.all(
      numbers.map(async (n) => {
        const [{ size, mtime }, md5] = await Promise.all([stat(join(dir, String(n))), readFile(join(dir, `${n}.md5`), 'utf8')]);
        return `<Part><PartNumber>${n}</PartNumber><LastModified>${mtime.toISOString()}</LastModified><ETag>"${md5}"</ETag><Size>${size}</Size></Part>`;
      }),
    );
    const key = ctx.path.split('/').slice(2).join('/');
    ctx.status = 200;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${uploadId}</UploadId><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`;
  });
}

interface S3rverObject {
  bucket: string;
  key: string;
  content: Readable | Buffer | null;
  metadata: Record<string, string>;
  readonly size: number;
}
interface S3rverStore {
  getObject(bucket: string, key: string, options?: unknown): Promise<S3rverObject | null>;
  putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
}

/** A larger object (a big upload source) streams as s3rver sends it, not read whole within its key's turn. */
const ATOMIC_READ_MAX_BYTES = 32 * 1024 * 1024;

/**
 * s3rver 3.7 overwrites an object in place (truncate, then write) and answers a GET from a size it read
 * before opening the file, so a GET during an overwrite gets a short body or a reset connection. Real S3
 * never does that: an overwrite is atomic, a read sees the old object or the new one. The low-latency
 * packager rewrites each playlist three times a second, so without this the tests measure s3rver's race
 * (100 GETs of a 200 kB object rewritten in a loop: 79 short bodies, 12 resets). Here:
 * - a PUT's body is received whole first (a client that gives up mid-upload fails only its own PUT),
 *   then written to a temporary file that is renamed over the object, then its metadata, in the key's turn;
 * - a GET's body is read whole in the key's turn, so no write starts while it is read.
 */
function atomicOverwrites(server: S3rver): void {
  const store = (server as unknown as KoaApp).store as S3rverStore;
  const tails = new Map<string, Promise<unknown>>();
  const inTurn = <T>(bucket: string, key: string, op: () => Promise<T>): Promise<T> => {
    const id = `${bucket}/${key}`;
    const run = (tails.get(id) ?? Promise.resolve()).then(op);
    const tail = run.catch(() => undefined);
    tails.set(id, tail);
    void tail.then(() => tails.get(id) === tail && tails.delete(id));
    return run;
  };
  const whole = async (stream: Readable): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const get = store.getObject.bind(store);
  store.getObject = (bucket, key, options) =>
    inTurn(bucket, key, async () => {
      const object = await get(bucket, key, options);
      if (object?.content instanceof Readable && object.size <= ATOMIC_READ_MAX_BYTES) {
        object.content = Readable.from([await whole(object.content)]);
      }
      return object;
    });
  store.putObject = async (object) => {
    const bytes = Buffer.isBuffer(object.content) ? object.content : object.content ? await whole(object.content) : Buffer.alloc(0);
    return inTurn(object.bucket, object.key, async () => {
      const path = store.getResourcePath(object.bucket, object.key, 'object');
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, path);
      const md5 = createHash('md5').update(bytes).digest('hex');
      await store.putMetadata(object.bucket, object.key, object.metadata, md5);
      return { size: bytes.length, md5 };
    });
  };
}

export function testS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3_TEST_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A new empty bucket with a random name. */
export async function createTestBucket(client: S3Client): Promise<string> {
  const bucket = `rr-${randomBytes(6).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** The environment that points an app at `bucket` on the test server. */
export function s3Env(endpoint: string, bucket: string): Record<string, string> {
  return {
    STORAGE: 's3',
    S3_ENDPOINT: endpoint,
    S3_BUCKET: bucket,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  };
}

/** The bucket CORS rules docs/OPERATIONS.md gives for MEDIA_DELIVERY=signed, put on a test bucket. */
export async function applyDocumentedCors(client: S3Client, bucket: string): Promise<void> {
  await client.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: ['*'],
            AllowedMethods: ['GET', 'HEAD'],
            AllowedHeaders: ['Range', 'If-None-Match', 'If-Range'],
            ExposeHeaders: ['Content-Length', 'Content-Range', 'Accept-Ranges', 'ETag'],
            MaxAgeSeconds: 3600,
          },
        ],
      },
    }),
  );
}

/** Read-only view of a bucket for assertions. */
export class BucketProbe {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch {
      return false;
    }
  }

  async read(key: string): Promise<Buffer> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  }

  /** Every key under `prefix` (all of them when empty), sorted. */
  async keys(prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
