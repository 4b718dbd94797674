import { IFRAME_PLAYLIST_NAME } from './iframe-playlist.js';
/**
 * Master playlist written by us, not ffmpeg: ffmpeg 5.1's -master_pl_name has no AVERAGE-BANDWIDTH or
 * FRAME-RATE and puts a configured (not measured) BANDWIDTH (reference/transcoding.md §5). Apple's HLS
 * authoring spec 9.1/9.2/9.13/9.14/9.15 needs CODECS, RESOLUTION, peak BANDWIDTH, AVERAGE-BANDWIDTH,
 * FRAME-RATE; 9.11 recommends EXT-X-INDEPENDENT-SEGMENTS.
 */
export interface SegmentSize {
  durationSec: number;
  bytes: number;
}

export interface MasterVariant {
  name: string;
  /** Absent for an audio-only variant: no RESOLUTION or FRAME-RATE is written. */
  width?: number;
  height?: number;
  fps?: number;
  /** e.g. "avc1.64001f,mp4a.40.2" */
  codecs: string;
  /** Measured sizes, once the rung is complete. */
  segments?: readonly SegmentSize[];
  /** Used instead of `segments` while encoding, when nothing can be measured yet (see estimateBandwidth). */
  bandwidth?: Bandwidth;
  /** Measured rate of the rung's I-frame playlist (`<name>/iframes.m3u8`), once written. */
  iframes?: Bandwidth;
}

export interface Bandwidth {
  /** Highest per-segment bit rate (bits/s): HLS BANDWIDTH. */
  peak: number;
  /** Total bits / total duration: HLS AVERAGE-BANDWIDTH. */
  average: number;
}

export function measureBandwidth(segments: readonly SegmentSize[]): Bandwidth {
  const usable = segments.filter((s) => s.durationSec > 0);
  if (usable.length === 0) throw new Error('cannot measure bandwidth without segments');
  let peak = 0;
  let bits = 0;
  let duration = 0;
  for (const s of usable) {
    peak = Math.max(peak, (s.bytes * 8) / s.durationSec);
    bits += s.bytes * 8;
    duration += s.durationSec;
  }
  // Round up: a player must never find a segment above the advertised rate.
  return { peak: Math.ceil(peak), average: Math.ceil(bits / duration) };
}

/**
 * What a rung will use at most, before any segment can be measured: the VBV ceiling (-maxrate) plus the
 * audio bitrate, with 10 % for fMP4 overhead (ffmpeg's own master uses the same x1.1). The published
 * playlist carries this until the rung is complete and `measureBandwidth` replaces it.
 */
export function estimateBandwidth(videoMaxrate: number, audioBitrate: number): Bandwidth {
  const peak = Math.ceil(((videoMaxrate + audioBitrate) * 11) / 10);
  return { peak, average: peak };
}

/**
 * An audio rendition every video variant plays with (issue 11: audio encoded once, not per rung); a source
 * with several audio tracks has one per track in the same group (issue 12), each person picking their own.
 */
export interface MasterAudio {
  name: string;
  /** "mp4a.40.2" */
  codecs: string;
  segments?: readonly SegmentSize[];
  bandwidth?: Bandwidth;
  /** NAME; default "Main". Must differ between the renditions of the group (audio-tracks.ts makes it so). */
  label?: string;
  /** BCP 47 LANGUAGE; absent or "und": not written. */
  language?: string;
  /** DEFAULT=YES,AUTOSELECT=YES; when no rendition says so, the first one is the default. */
  isDefault?: boolean;
  /** CHANNELS; default 2 (every track is encoded as stereo). */
  channels?: number;
}

/** GROUP-ID of the shared audio rendition. */
export const AUDIO_GROUP_ID = 'aud';

function bandwidthOf(v: { name: string; segments?: readonly SegmentSize[]; bandwidth?: Bandwidth }): Bandwidth {
  if (v.segments) return measureBandwidth(v.segments);
  if (v.bandwidth) return v.bandwidth;
  throw new Error(`variant ${v.name} has neither segments nor an estimated bandwidth`);
}

/**
 * Master playlist text, highest variant first; URIs are `<name>/index.m3u8`. With `audio`, each audio track
 * is an `EXT-X-MEDIA:TYPE=AUDIO` rendition in group "aud" that every variant names (AUDIO="aud"); a
 * variant's CODECS lists its video and the audio codec, and its BANDWIDTH / AVERAGE-BANDWIDTH include the
 * largest audio rendition's (RFC 8216 4.3.4.2: BANDWIDTH bounds every rendition combination that can play).
 */
export function buildMasterPlaylist(variants: readonly MasterVariant[], audio?: MasterAudio | readonly MasterAudio[]): string {
  if (variants.length === 0) throw new Error('a master playlist needs at least one variant');
  const renditions: readonly MasterAudio[] = audio === undefined ? [] : isAudioList(audio) ? audio : [audio];
  const audioBws = renditions.map(bandwidthOf);
  const audioBw = {
    peak: Math.max(0, ...audioBws.map((b) => b.peak)),
    average: Math.max(0, ...audioBws.map((b) => b.average)),
  };
  const audioCodecs = renditions[0]?.codecs;
  const defaultAt = Math.max(
    0,
    renditions.findIndex((r) => r.isDefault),
  );
  const measured = variants.map((v) => ({ v, bw: bandwidthOf(v) }));
  const area = (v: MasterVariant) => (v.width ?? 0) * (v.height ?? 0);
  measured.sort((a, b) => area(b.v) - area(a.v) || b.bw.peak - a.bw.peak);
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  renditions.forEach((r, i) => {
    // Only the source's default track is DEFAULT and AUTOSELECT: every player starts on the track the
    // source meant (not a commentary that happens to match the device language), and people pick the others.
    const yes = i === defaultAt ? 'YES' : 'NO';
    const language = r.language && r.language !== 'und' ? `,LANGUAGE="${r.language}"` : '';
    lines.push(
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${AUDIO_GROUP_ID}",NAME="${r.label ?? 'Main'}"${language},DEFAULT=${yes},AUTOSELECT=${yes},` +
        `CHANNELS="${r.channels ?? 2}",URI="${r.name}/index.m3u8"`,
    );
  });
  for (const { v, bw } of measured) {
    const codecs = audioCodecs ? `${v.codecs},${audioCodecs}` : v.codecs;
    let attrs = `BANDWIDTH=${bw.peak + audioBw.peak},AVERAGE-BANDWIDTH=${bw.average + audioBw.average},CODECS="${codecs}"`;
    if (v.width !== undefined && v.height !== undefined) attrs += `,RESOLUTION=${v.width}x${v.height}`;
    if (v.fps !== undefined) attrs += `,FRAME-RATE=${v.fps.toFixed(3)}`;
    if (audioCodecs) attrs += `,AUDIO="${AUDIO_GROUP_ID}"`;
    lines.push(`#EXT-X-STREAM-INF:${attrs}`, `${v.name}/index.m3u8`);
  }
  // Trick play and scrubbing (authoring spec 6.1): one I-frame playlist per video rung, video CODECS only.
  for (const { v } of measured) {
    if (!v.iframes) continue;
    let attrs = `BANDWIDTH=${v.iframes.peak},AVERAGE-BANDWIDTH=${v.iframes.average},CODECS="${v.codecs}"`;
    if (v.width !== undefined && v.height !== undefined) attrs += `,RESOLUTION=${v.width}x${v.height}`;
    lines.push(`#EXT-X-I-FRAME-STREAM-INF:${attrs},URI="${v.name}/${IFRAME_PLAYLIST_NAME}"`);
  }
  return `${lines.join('\n')}\n`;
}

function isAudioList(audio: MasterAudio | readonly MasterAudio[]): audio is readonly MasterAudio[] {
  return Array.isArray(audio);
}
