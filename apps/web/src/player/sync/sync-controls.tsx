import { MAX_RATE, MIN_RATE } from '@reelroom/sync';
import type { SyncEngine, SyncSnapshot } from './sync-engine';
import { describeDrift, showResync } from './sync-math';

/** The speed menu: quarter steps across the rates the room accepts (0.5x to 2x). */
const SPEEDS = Array.from({ length: (MAX_RATE - MIN_RATE) / 0.25 + 1 }, (_, i) => MIN_RATE + i * 0.25);

/** Speed (shared by the room), Auto-sync and "Don't wait for me" (this viewer only), and Resync. */
export function SyncControls({ engine, snap, canControl }: { engine: SyncEngine; snap: SyncSnapshot; canControl: boolean }) {
  const rate = snap.state?.rate ?? 1;
  return (
    <div className="sync-controls" data-testid="sync-controls">
      <label>
        Speed{' '}
        <select
          aria-label="Playback speed"
          value={String(rate)}
          disabled={!canControl}
          onChange={(e) => engine.setRoomRate(Number(e.target.value))}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={String(s)}>
              {s}x
            </option>
          ))}
        </select>
      </label>
      <label title="Keep my player in step with the room automatically">
        <input type="checkbox" checked={snap.autoSync} onChange={(e) => engine.setAutoSync(e.target.checked)} /> Auto-sync
      </label>
      <label title="My buffering never pauses the room">
        <input type="checkbox" checked={snap.noWait} onChange={(e) => engine.setNoWait(e.target.checked)} /> Don't wait for me
      </label>
      {showResync(snap.driftMs, snap.autoSync) && snap.driftMs !== null && (
        <button type="button" className="resync" data-testid="resync" onClick={() => engine.resync()}>
          {describeDrift(snap.driftMs)} · Resync
        </button>
      )}
      {!canControl && (
        <span className="muted small" data-testid="control-note">
          The host and moderators control playback.
        </span>
      )}
      {snap.lastError && (
        <span className="error small" role="status">
          {snap.lastError}
        </span>
      )}
    </div>
  );
}
