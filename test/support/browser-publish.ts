import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { BROWSER_PUBLISH_PATH, type BrowserPublishMessage } from '@reelroom/contracts';
import { FFMPEG_PATH } from './media.js';

/** The publish WebSocket as a page opens it, with what the server said and how it closed. */
export interface PublishConnection {
  ws: WebSocket;
  messages: BrowserPublishMessage[];
  /** Resolves with the close code (or rejects with the HTTP refusal of the upgrade). */
  closed: Promise<number>;
  /** Resolves once the server said `ready`. */
  ready: Promise<void>;
  /** The HTTP status when the upgrade itself was refused. */
  refusedStatus(): number | undefined;
}

export function openPublish(
  baseUrl: string,
  { room, mime, headers = {} }: { room: string; mime: string; headers?: Record<string, string> },
): PublishConnection {
  const url = `${baseUrl.replace(/^http/, 'ws')}${BROWSER_PUBLISH_PATH}?room=${encodeURIComponent(room)}&mime=${encodeURIComponent(mime)}`;
  const ws = new WebSocket(url, { headers });
  const messages: BrowserPublishMessage[] = [];
  let refused: number | undefined;
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const m = JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as BrowserPublishMessage;
    messages.push(m);
    if (m.type === 'ready') onReady();
  });
  ws.on('unexpected-response', (_req, res) => {
    refused = res.statusCode;
    ws.terminate();
  });
  ws.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return { ws, messages, closed, ready, refusedStatus: () => refused };
}

/**
 * A page's MediaRecorder played by ffmpeg: a test picture and a tone at real time, H.264 + Opus in
 * Matroska (what Chromium records as `video/webm;codecs=h264,opus`), written to stdout in pieces.
 */
export function recorder({ seconds = 60, size = '640x360' }: { seconds?: number; size?: string } = {}): ChildProcess {
  return spawn(
    FFMPEG_PATH,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${size}:rate=30`,
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000',
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-g',
      '30',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'libopus',
      '-f',
      'matroska',
      '-live',
      '1',
      'pipe:1',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
}

/** Sends everything the recorder writes over the publish socket, as the page's ondataavailable would. */
export function pipeRecorder(rec: ChildProcess, conn: PublishConnection): void {
  rec.stdout?.on('data', (chunk: Buffer) => {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(chunk, { binary: true });
  });
}
