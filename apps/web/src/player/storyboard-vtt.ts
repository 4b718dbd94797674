/** One storyboard tile: the time range it previews and where it sits in the sprite. */
export interface StoryboardCue {
  start: number;
  end: number;
  /** Absolute sprite URL (resolved against the VTT's URL). */
  url: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** "00:01:05.500" or "01:05.500" -> seconds; NaN when malformed. */
export function parseVttTime(text: string): number {
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})$/.exec(text.trim());
  if (!m) return Number.NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

/**
 * Reads a thumbnail WebVTT (cue payload `sprite.jpg#xywh=x,y,w,h`, the Mux/JW Player convention the
 * transcoder writes). Cues without a usable xywh fragment are skipped; the result is sorted by start.
 */
export function parseStoryboardVtt(text: string, vttUrl: string): StoryboardCue[] {
  if (!text.replace(/^\uFEFF/, '').startsWith('WEBVTT')) return [];
  const cues: StoryboardCue[] = [];
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const timing = lines.findIndex((l) => l.includes('-->'));
    if (timing < 0 || !lines[timing + 1]) continue;
    const [a, b] = lines[timing].split('-->');
    const start = parseVttTime(a ?? '');
    const end = parseVttTime((b ?? '').trim().split(/\s+/)[0] ?? '');
    const payload = lines[timing + 1];
    const hash = payload.indexOf('#xywh=');
    if (hash < 0 || !Number.isFinite(start) || !Number.isFinite(end)) continue;
    const nums = payload
      .slice(hash + '#xywh='.length)
      .split(',')
      .map(Number);
    if (nums.length !== 4 || nums.some((n) => !Number.isFinite(n) || n < 0)) continue;
    const [x, y, w, h] = nums as [number, number, number, number];
    cues.push({ start, end, url: new URL(payload.slice(0, hash), vttUrl).toString(), x, y, w, h });
  }
  return cues.sort((p, q) => p.start - q.start);
}

/** The cue showing `time` (binary search); the last cue for times past the end, undefined when none. */
export function cueAt(cues: readonly StoryboardCue[], time: number): StoryboardCue | undefined {
  if (cues.length === 0 || !Number.isFinite(time)) return undefined;
  let lo = 0;
  let hi = cues.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cues[mid].start <= time) lo = mid;
    else hi = mid - 1;
  }
  return cues[lo];
}
