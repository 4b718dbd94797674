import { useEffect, useRef, useSyncExternalStore } from 'react';
import { browserLiveOf } from './browser-live';
import { goLiveStatus } from './browser-live-core';

/**
 * "Use my camera" in the Go live panel: a preview with camera and microphone pickers and mute, then
 * Go live / Stop. The state lives in BrowserLive, so closing the panel keeps a running live going.
 * `roomLive`: the room has a live starting or on air; `roomOnAir`: the room's live is on air (what the
 * status line waits for before it says "You are live").
 */
export function CameraGoLive({ roomId, roomLive, roomOnAir }: { roomId: string; roomLive: boolean; roomOnAir: boolean }) {
  const live = browserLiveOf(roomId);
  const s = useSyncExternalStore(live.subscribe, live.get);
  const preview = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (preview.current && preview.current.srcObject !== s.stream) preview.current.srcObject = s.stream;
  }, [s.stream]);

  const sending = s.status === 'live' || s.status === 'connecting';
  return (
    <div className="camera-go-live" aria-label="Go live from this browser" role="group">
      <h3>From this browser</h3>
      {s.status === 'off' || s.status === 'opening' ? (
        <button type="button" disabled={s.status === 'opening'} onClick={() => void live.open()}>
          {s.status === 'opening' ? 'Opening camera…' : 'Use my camera'}
        </button>
      ) : (
        <>
          <video ref={preview} className="camera-go-live-preview" muted playsInline autoPlay aria-label="Your camera preview" />
          <div className="row wrap">
            <label>
              Camera{' '}
              <select value={s.camera ?? ''} disabled={sending} onChange={(e) => void live.choose('camera', e.target.value)}>
                {s.cameras.map((d) => (
                  <option key={d.deviceId} value={d.deviceId}>
                    {d.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Microphone{' '}
              <select value={s.microphone ?? ''} disabled={sending} onChange={(e) => void live.choose('microphone', e.target.value)}>
                {s.microphones.map((d) => (
                  <option key={d.deviceId} value={d.deviceId}>
                    {d.label}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" aria-pressed={s.muted} onClick={() => live.toggleMute()}>
              {s.muted ? 'Unmute' : 'Mute'}
            </button>
          </div>
          <div className="row">
            {sending ? (
              <button type="button" className="danger" onClick={() => live.stop()}>
                Stop live
              </button>
            ) : (
              <button type="button" className="primary" disabled={roomLive} onClick={() => live.goLive()}>
                Go live
              </button>
            )}
            {!sending && (
              <button type="button" onClick={() => live.close()}>
                Turn camera off
              </button>
            )}
          </div>
          <p className="muted small" role="status" data-transport={s.transport ?? undefined}>
            {goLiveStatus(s.status, { roomLive, roomOnAir })}
          </p>
        </>
      )}
      {s.error && (
        <p className="error small" role="alert">
          {s.error}
        </p>
      )}
    </div>
  );
}
