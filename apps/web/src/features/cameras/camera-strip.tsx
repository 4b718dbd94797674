import { useEffect, useRef } from 'react';
import type { CameraPeer } from '@reelroom/contracts';
import type { CameraCall } from './camera-call';
import { initialOf, othersOf, type CameraState, type RemoteMedia } from './camera-store';
import { useDucking } from './use-ducking';

/** A participant's tile: their video, or their initial and name with the microphone only. */
function Tile({
  name,
  stream,
  audio,
  video,
  speaking,
  self,
  connection,
}: {
  name: string;
  stream: MediaStream | null;
  audio: boolean;
  video: boolean;
  speaking: boolean;
  self: boolean;
  connection?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = ref.current;
    if (v && v.srcObject !== stream) v.srcObject = stream;
  }, [stream]);
  const showVideo = video && stream !== null;
  return (
    <figure
      className={`camera-tile${speaking ? ' speaking' : ''}${self ? ' self' : ''}`}
      data-testid="camera-tile"
      data-name={name}
      data-self={self}
      data-audio={audio}
      data-video={video}
      data-speaking={speaking}
      data-connection={connection ?? 'self'}
    >
      {/* My own tile is muted (no echo); others' play their voice. The element stays mounted so audio
          keeps playing while a camera is off. */}
      <video ref={ref} autoPlay playsInline muted={self} hidden={!showVideo} aria-label={`${name}'s camera`} />
      {!showVideo && (
        <div className="camera-avatar" aria-hidden="true">
          {initialOf(name)}
        </div>
      )}
      <figcaption>
        <span className="camera-name">{self ? `${name} (you)` : name}</span>
        {!audio && (
          <span className="camera-muted" data-testid="camera-muted" title="Microphone off">
            muted
          </span>
        )}
        {speaking && <span className="visually-hidden">speaking</span>}
        {connection === 'failed' && <span className="camera-problem">no connection</span>}
      </figcaption>
    </figure>
  );
}

function DevicePicker({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: Array<{ deviceId: string; label: string }>;
  value: string | null;
  onChange: (id: string) => void;
}) {
  if (options.length === 0) return null;
  return (
    <label className="camera-device">
      {label}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.deviceId} value={o.deviceId}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

const remoteOf = (state: CameraState, p: CameraPeer): RemoteMedia =>
  state.remote[p.peerId] ?? { stream: null, speaking: false, connection: 'new' };

/**
 * Cameras and voices beside the player (issue 13): the tiles of everyone in the room's call, and this
 * person's controls (join with camera or microphone, mute, camera off, devices, lower the film while
 * others talk, leave). People not in the call see who is on, and the room's limit.
 */
export function CameraStrip({ state, call, myName }: { state: CameraState; call: CameraCall; myName: string }) {
  useDucking(state);
  if (state.limit === 0) return null;
  const others = othersOf(state);
  const on = state.status === 'on';
  const full = !on && state.roster.length >= state.limit;
  return (
    <section className="camera-strip card" aria-label="Cameras" data-testid="camera-strip" data-status={state.status}>
      <div className="camera-bar">
        <h2>Cameras</h2>
        <span className="muted small" data-testid="camera-count">
          {state.roster.length} of {state.limit} on
        </span>
        {state.status === 'off' && (
          <>
            <button type="button" onClick={() => void call.join({ video: true })}>
              Join with camera
            </button>
            <button type="button" onClick={() => void call.join({ video: false })}>
              Join with microphone
            </button>
          </>
        )}
        {state.status === 'starting' && <span className="muted small">Starting your camera…</span>}
        {on && (
          <>
            <button type="button" aria-pressed={!state.me.audio} onClick={() => void call.setMuted(state.me.audio)}>
              {state.me.audio ? 'Mute' : 'Unmute'}
            </button>
            <button type="button" aria-pressed={!state.me.video} onClick={() => void call.setCamera(!state.me.video)}>
              {state.me.video ? 'Camera off' : 'Camera on'}
            </button>
            <DevicePicker
              label="Camera"
              options={state.devices.cameras}
              value={state.selected.camera}
              onChange={(id) => void call.selectDevice('video', id)}
            />
            <DevicePicker
              label="Microphone"
              options={state.devices.microphones}
              value={state.selected.microphone}
              onChange={(id) => void call.selectDevice('audio', id)}
            />
            <label className="camera-duck">
              <input type="checkbox" checked={state.duck} onChange={(e) => call.setDuck(e.target.checked)} />
              Lower the film while others talk
            </label>
            <button type="button" onClick={() => void call.leave()}>
              Leave cameras
            </button>
          </>
        )}
      </div>
      {state.error && (
        <p className="error small" role="alert" data-testid="camera-error">
          {state.error}
        </p>
      )}
      {!state.error && full && state.status === 'off' && (
        <p className="muted small" role="status">
          The room has {state.limit} cameras on; try again when someone turns theirs off.
        </p>
      )}
      {state.notice && (
        <p className="muted small" role="status">
          {state.notice}
        </p>
      )}
      {on ? (
        <div className="camera-tiles">
          <Tile name={myName} stream={state.me.stream} audio={state.me.audio} video={state.me.video} speaking={state.me.speaking} self />
          {others.map((p) => {
            const r = remoteOf(state, p);
            return (
              <Tile
                key={p.peerId}
                name={p.name}
                stream={r.stream}
                audio={p.audio}
                video={p.video}
                speaking={r.speaking}
                self={false}
                connection={r.connection}
              />
            );
          })}
        </div>
      ) : (
        others.length > 0 && <p className="muted small">On camera: {others.map((p) => p.name).join(', ')}</p>
      )}
    </section>
  );
}
