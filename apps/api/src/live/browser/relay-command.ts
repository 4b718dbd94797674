/** What the browser relay's ffmpeg needs to know. */
export interface RelayCommandInput {
  /** The recorder's mimeType as the page reported it (validated by browserPublishQuerySchema). */
  mime: string;
  /** Where to publish: this API process's own RTMP ingest, with a one-time key. */
  rtmpUrl: string;
}

/** H.264 from the recorder (Chromium's `video/webm;codecs=h264`, Safari's MP4) is copied, not re-encoded. */
export const recorderSendsH264 = (mime: string): boolean => /avc1|h264/i.test(mime);

/**
 * Pure: ffmpeg arguments that turn the page's MediaRecorder stream (WebM/Matroska or fragmented MP4 on
 * stdin) into RTMP for our own ingest. The live ladder re-encodes anyway (its keyframes come from its own
 * encode), so H.264 video is copied and only Opus audio becomes AAC (FLV carries no Opus); VP8/VP9 video
 * (Firefox) is encoded once, fast, here. Probing is kept short: the default 5 s analysis would add 5 s of
 * latency before the first packet leaves.
 */
export function relayArgs({ mime, rtmpUrl }: RelayCommandInput): string[] {
  const video = recorderSendsH264(mime)
    ? ['-c:v', 'copy']
    : ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-g', '30', '-b:v', '2500k'];
  return ['-hide_banner', '-loglevel', 'error', ...RELAY_PROBE_ARGS, '-i', 'pipe:0', ...relayOutputArgs(video, rtmpUrl)];
}

/** Both relays' input probing: short, since the default 5 s analysis would add 5 s before the first packet leaves. */
export const RELAY_PROBE_ARGS: readonly string[] = ['-fflags', '+genpts+nobuffer', '-analyzeduration', '1000000', '-probesize', '1000000'];

/** Pure: both relays' output: the first video and audio (if any), Opus or AAC to AAC, FLV to our own ingest. */
export function relayOutputArgs(video: readonly string[], rtmpUrl: string): string[] {
  return ['-map', '0:v:0', '-map', '0:a:0?', ...video, '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-f', 'flv', rtmpUrl];
}

/**
 * Pure: `text` (what the relay's ffmpeg printed) with the one-time stream key of every RTMP URL in `args`
 * hidden. ffmpeg names its output in its errors ("Error writing trailer of rtmp://.../live/<key>"), and
 * whatever the relay printed is logged: a key must never be (issue 8).
 */
export function redactRelayKeys(text: string, args: readonly string[]): string {
  let out = text;
  for (const arg of args) {
    if (!/^rtmps?:\/\//i.test(arg)) continue;
    const key = arg.slice(arg.lastIndexOf('/') + 1);
    if (key.length > 0) out = out.split(key).join('[key]');
  }
  return out;
}
