// An RTMP publisher like OBS whose camera is this process: it makes 720p30 frames at real time, burns
// the wall clock of the moment each frame is made into it (clock-pattern.mjs), and pipes them into ffmpeg,
// which encodes as OBS would (x264 veryfast + zerolatency, 2 s keyframes, AAC tone) and publishes FLV over
// RTMP. The frames' own timestamps are the wall clock at which ffmpeg read them
// (-use_wallclock_as_timestamps), so a slow moment on a loaded machine delays frames instead of
// compressing time. Under the band the picture moves (a looped second of testsrc2), so the encoders have
// real work. Glass to glass starts at the moment a frame is made, as with a camera: the publisher's own
// encode and send count.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { clock } from './clock-pattern.mjs';

const run = promisify(execFile);
const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

/** One second of moving picture (raw yuv420p frames) to loop under the clock. */
export async function backgroundFrames({ width = 1280, height = 720, fps = 30 } = {}) {
  const frameBytes = (width * height * 3) / 2;
  const { stdout } = await run(
    FFMPEG,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${width}x${height}:rate=${fps}`,
      '-frames:v',
      String(fps),
      '-pix_fmt',
      'yuv420p',
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: frameBytes * fps + 1024 },
  );
  return Array.from({ length: fps }, (_, i) => stdout.subarray(i * frameBytes, (i + 1) * frameBytes));
}

/**
 * Starts publishing to `url` (rtmp://host:port/live/<key>). Resolves at once with
 * `{ process, frames(), stderr(), stop() }`: stop() ends the picture and lets ffmpeg finish the stream
 * (a clean unpublish, as OBS's Stop Streaming), resolving with ffmpeg's exit code.
 */
export function publishClock(url, background, { width = 1280, height = 720, fps = 30 } = {}) {
  const ff = spawn(
    FFMPEG,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-use_wallclock_as_timestamps',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'yuv420p',
      '-video_size',
      `${width}x${height}`,
      '-framerate',
      String(fps),
      '-i',
      'pipe:0',
      '-re',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000',
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-fps_mode',
      'passthrough',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-tune',
      'zerolatency',
      '-g',
      String(2 * fps),
      '-pix_fmt',
      'yuv420p',
      '-b:v',
      '2500k',
      '-maxrate',
      '2500k',
      '-bufsize',
      '2500k',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      // The tone never ends by itself: the stream ends with the picture.
      '-shortest',
      '-f',
      'flv',
      url,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let err = '';
  ff.stderr.setEncoding('utf8');
  ff.stderr.on('data', (c) => (err = (err + c).slice(-4000)));
  ff.stdin.on('error', () => undefined); // ffmpeg gone: exited tells why
  let stopping = false;
  // Gone (exited, refused, or killed: a kill leaves exitCode null and sets signalCode): stop making frames.
  const exited = new Promise((resolve) =>
    ff.once('exit', (code) => {
      stopping = true;
      resolve(code);
    }),
  );
  let made = 0;
  const frameMs = 1000 / fps;
  const loop = (async () => {
    const start = Date.now();
    for (let n = 0; !stopping; n++) {
      const due = start + n * frameMs;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const frame = Buffer.from(background[n % background.length]);
      // Stamped the moment it is made, after any wait: that is when this "camera" captured it.
      clock.paintLuma(frame, width, height, Date.now());
      made++;
      // once() rejects when the pipe breaks (EPIPE: ffmpeg died while this waited); exited then says why.
      if (!ff.stdin.write(frame)) await Promise.race([once(ff.stdin, 'drain').catch(() => undefined), exited]);
    }
    ff.stdin.end();
  })();
  return {
    process: ff,
    frames: () => made,
    stderr: () => err,
    async stop() {
      stopping = true;
      await loop;
      return exited;
    },
  };
}
