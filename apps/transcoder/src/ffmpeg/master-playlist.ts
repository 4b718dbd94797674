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
  width: number;
  height: number;
  fps: number;
  /** e.g. "avc1.64001f,mp4a.40.2" */
  codecs: string;
  segments: readonly SegmentSize[];
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

/** Master playlist text, highest variant first; URIs are `<name>/index.m3u8`. */
export function buildMasterPlaylist(variants: readonly MasterVariant[]): string {
  if (variants.length === 0) throw new Error('a master playlist needs at least one variant');
  const measured = variants.map((v) => ({ v, bw: measureBandwidth(v.segments) }));
  measured.sort((a, b) => b.v.height * b.v.width - a.v.height * a.v.width || b.bw.peak - a.bw.peak);
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const { v, bw } of measured) {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${bw.peak},AVERAGE-BANDWIDTH=${bw.average},CODECS="${v.codecs}",` +
        `RESOLUTION=${v.width}x${v.height},FRAME-RATE=${v.fps.toFixed(3)}`,
      `${v.name}/index.m3u8`,
    );
  }
  return `${lines.join('\n')}\n`;
}
