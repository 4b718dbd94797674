import { useState } from 'react';
import type { LiveKeyView, LiveMode, LiveStateView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';
import { CameraGoLive } from './camera-go-live';

interface Props {
  roomId: string;
  live: LiveStateView | null;
  onDone: () => void;
}

/**
 * The host's "Go live" panel: from this browser's camera (CameraGoLive), or from OBS: asks for a stream key
 * (shown once: the server keeps only its hash), shows the OBS settings with copy buttons, rotates the key,
 * ends the live.
 */
export function GoLivePanel({ roomId, live, onDone }: Props) {
  const [key, setKey] = useState<LiveKeyView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [mode, setMode] = useState<LiveMode>(live?.mode ?? 'standard');
  const running = live?.status === 'live' || live?.status === 'starting';

  const act = async (run: () => Promise<LiveKeyView | void>) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await run();
      if (answer) setKey(answer);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const copy = (label: string, text: string) => {
    void navigator.clipboard?.writeText(text).then(
      () => setCopied(label),
      () => setError('Copy failed: select the text and copy it by hand.'),
    );
  };

  return (
    <section className="card go-live" aria-label="Go live">
      <div className="row">
        <h2>Go live</h2>
        <button type="button" className="head-action" onClick={onDone}>
          Close
        </button>
      </div>
      <CameraGoLive roomId={roomId} roomLive={running} roomOnAir={live?.status === 'live'} />
      <h3>From OBS</h3>
      <p className="muted small">
        Stream from OBS (Settings, Stream: Service "Custom…"), with a keyframe interval of 2 s. Everyone in the room sees the live as soon
        as it starts; when you stop, the recording is added to the videos.
      </p>
      {!key && (
        <label className="small">
          <input type="checkbox" checked={mode === 'low'} onChange={(e) => setMode(e.target.checked ? 'low' : 'standard')} /> Low latency
          (LL-HLS: about 1.5 s behind instead of about 3 s)
        </label>
      )}
      {!key && (
        <button type="button" disabled={busy} onClick={() => void act(() => api.live.start(roomId, mode))}>
          {running ? 'Show a new stream key' : 'Get a stream key'}
        </button>
      )}
      {key && (
        <dl className="live-key">
          <dt>Server</dt>
          <dd>
            <code data-testid="rtmp-url">{key.rtmpUrl}</code>
            <button type="button" onClick={() => copy('server', key.rtmpUrl)}>
              {copied === 'server' ? 'Copied' : 'Copy'}
            </button>
          </dd>
          <dt>Stream key</dt>
          <dd>
            <code data-testid="stream-key">{key.streamKey}</code>
            <button type="button" onClick={() => copy('key', key.streamKey)}>
              {copied === 'key' ? 'Copied' : 'Copy'}
            </button>
          </dd>
          {key.whipUrl && (
            <>
              <dt>WHIP URL</dt>
              <dd>
                <code data-testid="whip-url">{key.whipUrl}</code>
                <button type="button" onClick={() => copy('whip', key.whipUrl!)}>
                  {copied === 'whip' ? 'Copied' : 'Copy'}
                </button>
              </dd>
            </>
          )}
        </dl>
      )}
      {key?.whipUrl && (
        <p className="muted small">
          OBS 30 or later can send over WebRTC instead, a little nearer live: Service "WHIP", this URL as the Server, the stream key as the
          Bearer Token.
        </p>
      )}
      {key && <p className="muted small">Keep the key secret: anyone with it can stream into this room. It is shown only now.</p>}
      <div className="row">
        {key && (
          <button type="button" disabled={busy} onClick={() => void act(() => api.live.rotateKey(roomId))}>
            Rotate key
          </button>
        )}
        {(key || running) && (
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                await api.live.end(roomId);
                setKey(null);
              })
            }
          >
            {running ? 'End live' : 'Disable key'}
          </button>
        )}
      </div>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
