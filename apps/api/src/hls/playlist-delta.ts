/**
 * LL-HLS playlist delta updates (RFC 8216bis 6.2.5.1, 4.4.5.2), the pure half: a player that already holds
 * the playlist asks `_HLS_skip=YES` (or `v2`) and gets it with the segments older than the Skip Boundary
 * replaced by one EXT-X-SKIP tag. The packager offers it (CAN-SKIP-UNTIL in EXT-X-SERVER-CONTROL).
 */

/** Pure: the request's `_HLS_skip`; false when absent, 'bad' for anything but YES or v2 (given once). */
export function parseSkipQuery(query: Record<string, unknown>): boolean | 'bad' {
  const skip = query._HLS_skip;
  if (skip === undefined) return false;
  return skip === 'YES' || skip === 'v2' ? true : 'bad';
}

/**
 * Pure: the delta update of a media playlist. Segments whose start lies more than CAN-SKIP-UNTIL seconds
 * before the end of the playlist are skipped (as many as are consecutive from the first; skipping stops
 * at a segment after a discontinuity, so the player still sees every gap). A playlist that does not offer
 * skipping, or is too short to skip anything, comes back as it is (RFC 8216bis: the server may always
 * answer with the full playlist).
 */
export function deltaPlaylist(text: string): string {
  const lines = text.split('\n');
  const control = lines.find((l) => l.startsWith('#EXT-X-SERVER-CONTROL:')) ?? '';
  const skipUntil = Number.parseFloat(/CAN-SKIP-UNTIL=([\d.]+)/.exec(control)?.[1] ?? '');
  if (!(skipUntil > 0) || lines.includes('#EXT-X-ENDLIST')) return text;
  // Each segment: where its lines start (its first tag after the previous URI), its duration, its tags.
  const segments: Array<{ from: number; to: number; durationSec: number; discontinuity: boolean }> = [];
  let from = -1;
  let duration = 0;
  let discontinuity = false;
  lines.forEach((line, i) => {
    if (line === '#EXT-X-DISCONTINUITY' || line.startsWith('#EXT-X-PART:') || line.startsWith('#EXTINF:')) {
      if (from < 0) from = i;
      if (line === '#EXT-X-DISCONTINUITY') discontinuity = true;
      if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    } else if (from >= 0 && line !== '' && !line.startsWith('#')) {
      segments.push({ from, to: i, durationSec: duration, discontinuity });
      from = -1;
      discontinuity = false;
    }
  });
  const total = segments.reduce((sum, s) => sum + s.durationSec, 0);
  let skipped = 0;
  for (let start = 0; skipped < segments.length; skipped++) {
    const s = segments[skipped];
    if (s.discontinuity || total - start <= skipUntil) break;
    start += s.durationSec;
  }
  if (skipped === 0) return text;
  return [
    ...lines.slice(0, segments[0].from),
    `#EXT-X-SKIP:SKIPPED-SEGMENTS=${skipped}`,
    ...lines.slice(segments[skipped - 1].to + 1),
  ].join('\n');
}
