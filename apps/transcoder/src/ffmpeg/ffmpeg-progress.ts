/**
 * Parses ffmpeg's `-progress pipe:1` stream: blocks of key=value lines, each block ending with
 * `progress=continue` or `progress=end` (https://ffmpeg.org/ffmpeg.html#Advanced-options, -progress).
 * Chunks from the pipe can split lines anywhere, so partial lines are buffered.
 */
export class ProgressParser {
  private buffer = '';
  private lastPercent = 0;

  /** @param durationSec known source duration; percent is out_time / duration. */
  constructor(private readonly durationSec: number) {}

  /** Feeds a chunk; returns the percents (0..100, never decreasing) reached by complete lines in it. */
  push(chunk: string): number[] {
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    const out: number[] = [];
    for (const line of lines) {
      const percent = this.lineToPercent(line.trim());
      if (percent === undefined) continue;
      this.lastPercent = Math.max(this.lastPercent, percent);
      out.push(this.lastPercent);
    }
    return out;
  }

  private lineToPercent(line: string): number | undefined {
    const eq = line.indexOf('=');
    if (eq < 0) return undefined;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'progress' && value === 'end') return 100;
    // out_time_ms is NOT milliseconds: fftools/ffmpeg.c print_report() writes the same microsecond value
    // under both keys (kept for compatibility), so both are read as microseconds. Early blocks say "N/A".
    if (key !== 'out_time_us' && key !== 'out_time_ms') return undefined;
    const us = Number(value);
    if (!Number.isFinite(us) || us < 0 || !(this.durationSec > 0)) return undefined;
    return Math.min(100, (us / 1e6 / this.durationSec) * 100);
  }
}
