/** m:ss (or h:mm:ss): a position or length as players show it. */
export function clock(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * While a video still converts, the browser's seek bar only knows the converted part (the EVENT playlist
 * grows). This strip shows the full length from the probe from the start, with the part converted so far
 * filled and the rest marked as not ready yet.
 */
export function ConversionStrip({ durationSec, percent }: { durationSec: number; percent: number }) {
  const done = Math.min(100, Math.max(0, percent));
  const convertedSec = (durationSec * done) / 100;
  return (
    <div
      className="conversion"
      data-testid="conversion-strip"
      data-duration={Math.round(durationSec)}
      data-converted={Math.floor(convertedSec)}
    >
      <div
        className="conversion-bar"
        role="progressbar"
        aria-label="Converted so far"
        aria-valuemin={0}
        aria-valuemax={Math.round(durationSec)}
        aria-valuenow={Math.floor(convertedSec)}
        aria-valuetext={`${clock(convertedSec)} of ${clock(durationSec)} converted`}
      >
        <div className="conversion-done" style={{ width: `${done}%` }} />
      </div>
      <span className="muted small" data-testid="player-length">
        {clock(convertedSec)} of {clock(durationSec)} ready · the rest is still converting
      </span>
    </div>
  );
}
