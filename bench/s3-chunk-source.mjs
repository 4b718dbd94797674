#!/usr/bin/env node
// Chunked encoding on S3 (issues 10, 11): how a chunk worker reads the source. Baseline: download the whole
// object to scratch (fetchLocal) and encode from the file; measured: ffmpeg reads a presigned GET URL with
// range requests (MediaStorage.inputFor, what TranscodeChunkHandler does). Same chunk, same run, same
// s3rver on loopback; prints the bytes the bucket sent and the wall time of each way, and their ratios.
//
//   npm run build && node bench/s3-chunk-source.mjs [--seconds=240] [--height=720] [--chunk=40] [--reps=2]
//
// The source is written without +faststart (the index at the end, as most cameras and phones write it):
// the URL way then also pays the seek to the end for the index. Bytes are counted on the server's sockets
// (what was really sent, not the Content-Length of a range ffmpeg abandoned on a seek). The middle chunk is
// encoded (neither the first nor the last), with the real chunk command at TRANSCODE_THREADS=1.
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { f, log, median, numberArg } from './lib/measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../apps/transcoder/dist');
if (!existsSync(join(dist, 'storage/s3.storage.js'))) {
  console.error('apps/transcoder/dist is missing: run `npm run build` first.');
  process.exit(1);
}
const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';
const FFPROBE = process.env.FFPROBE_PATH ?? '/usr/bin/ffprobe';
const LIMITS = { maxDurationSec: 86_400, maxWidth: 4096, maxHeight: 4096, maxFps: 120, maxStreams: 8, timeoutMs: 3_600_000 };
/** The transcoder's default first segment (FIRST_SEGMENT_SEC, apps/transcoder/src/ffmpeg/segment-grid.ts). */
const FIRST_SEGMENT_SEC = 1;
const seconds = numberArg('seconds', 240);
const height = numberArg('height', 720);
const chunkSec = numberArg('chunk', 40);
const reps = numberArg('reps', 2);
const width = Math.round((height * 16) / 9 / 2) * 2;

const work = await mkdtemp(join(tmpdir(), 'reelroom-s3-chunk-bench-'));
// Synchronous: an 'exit' listener cannot wait for a promise.
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const source = join(work, 'source.mp4');
await promisify(execFile)(FFMPEG, [
  ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'],
  ...['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
  ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-c:a', 'aac', source],
]);
const sourceBytes = statSync(source).size;

// s3rver in this process; every byte it sends is counted on its sockets.
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(work, 's3') });
const { port } = await server.run();
let closedBytes = 0;
const open = new Set();
server.httpServer.on('connection', (socket) => {
  open.add(socket);
  socket.on('close', () => {
    closedBytes += socket.bytesWritten;
    open.delete(socket);
  });
});
const sentBytes = () => closedBytes + [...open].reduce((t, s) => t + s.bytesWritten, 0);

const client = new S3Client({
  endpoint: `http://127.0.0.1:${port}`,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
const bucket = 'bench-media';
await client.send(new CreateBucketCommand({ Bucket: bucket }));
await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'm/source', Body: createReadStream(source), ContentLength: sourceBytes }));

const { S3Storage } = await import(join(dist, 'storage/s3.storage.js'));
const { ChunkedTranscoder } = await import(join(dist, 'pipeline/chunked-transcode.js'));
const { InProcessLock } = await import(join(dist, 'pipeline/publish-lock.js'));
const { FfmpegRunner } = await import(join(dist, 'ffmpeg/ffmpeg-runner.js'));
const { probeMedia } = await import(join(dist, 'ffmpeg/probe.js'));
const { chunkSpans } = await import(join(dist, 'ffmpeg/chunking.js'));
const { pino } = await import('pino');
const storage = new S3Storage(client, bucket, join(work, 'scratch'));
const chunked = new ChunkedTranscoder({
  storage,
  runner: new FfmpegRunner(),
  probe: probeMedia,
  ffmpegPath: FFMPEG,
  ffprobePath: FFPROBE,
  lock: new InProcessLock(),
  logger: pino({ level: 'warn' }),
});
const spans = chunkSpans(seconds, chunkSec, FIRST_SEGMENT_SEC);
const part = spans[Math.floor(spans.length / 2)].index;

/** One chunk encode reading the source one way: bytes the bucket sent, seconds, both measured around it. */
async function encodeChunk(way, rep) {
  const ws = storage.workspace(`bench-${way}-${rep}`);
  const bytes0 = sentBytes();
  const t0 = performance.now();
  const sourcePath = way === 'download' ? await ws.fetchLocal('m/source') : await ws.inputFor('m/source', 3600);
  await chunked.encodePart({
    storage: ws,
    sourcePath,
    outKey: 'm/hls',
    part,
    maxHeight: height,
    chunkSec,
    firstSegmentSec: FIRST_SEGMENT_SEC,
    limits: LIMITS,
    threads: 1,
    niceness: 0,
    publishPollMs: 5_000,
  });
  const result = { bytes: sentBytes() - bytes0, sec: (performance.now() - t0) / 1000 };
  await ws.releaseLocal('m');
  return result;
}

log(
  `source: ${seconds} s ${width}x${height}p30 + AAC, ${f(sourceBytes / 2 ** 20)} MiB, index at the end; chunk ${part} of ${spans.length} (${chunkSec} s)`,
);
const results = { download: [], url: [] };
for (let rep = 0; rep < reps; rep++) {
  // Alternating order, so neither way always runs on the warmer (or busier) machine.
  for (const way of rep % 2 === 0 ? ['download', 'url'] : ['url', 'download']) {
    const r = await encodeChunk(way, rep);
    results[way].push(r);
    log(`${way.padEnd(8)} rep ${rep}: ${f(r.bytes / 2 ** 20)} MiB from the bucket, ${f(r.sec)} s`);
  }
}
const d = { bytes: median(results.download.map((r) => r.bytes)), sec: median(results.download.map((r) => r.sec)) };
const u = { bytes: median(results.url.map((r) => r.bytes)), sec: median(results.url.map((r) => r.sec)) };
console.log('');
// Each rep's two ways ran back to back: their ratio is the least disturbed by a busy machine.
const pairs = results.url.map((r, i) => (r.sec / results.download[i].sec).toFixed(2));
console.log(`wall time ratio URL/download per rep: ${pairs.join(', ')}`);
console.log(
  `bytes from the bucket per chunk: download ${f(d.bytes / 2 ** 20)} MiB, URL ${f(u.bytes / 2 ** 20)} MiB: ratio URL/download ${(u.bytes / d.bytes).toFixed(3)}`,
);
console.log(`wall time per chunk (median):    download ${f(d.sec)} s, URL ${f(u.sec)} s: ratio URL/download ${(u.sec / d.sec).toFixed(2)}`);
console.log(
  `whole video (${spans.length} chunks): download ${f((d.bytes * spans.length) / 2 ** 20)} MiB, URL about ${f((u.bytes * spans.length) / 2 ** 20)} MiB (source ${f(sourceBytes / 2 ** 20)} MiB)`,
);
await server.close();
