import type { SyncEngine, SyncSnapshot } from './sync-engine';
import { describeDrift, showResync } from './sync-math';

/** Auto-sync and "Don't wait for me" (this viewer only), and Resync. */
export function SyncControls({ engine, snap, canControl }: { engine: SyncEngine; snap: SyncSnapshot; canControl: boolean }) {
  return (
    <div className="sync-controls" data-testid="sync-controls">
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
