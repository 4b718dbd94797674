import { useId, useState, type FormEvent } from 'react';
import type { UpdateRoomBody } from '@reelroom/contracts';
import { errorMessage } from '../../api/client';
import { formText } from '../../forms/form-text';
import type { RoomSettings } from './use-room-settings';
import { PinInput } from './pin-input';

const PIN_RE = /^\d{4,12}$/;

/** Host only: rename, set or remove the PIN, playback lock, wait for everyone; and closing the room. */
export function RoomSettingsPanel({ settings, onDone }: { settings: RoomSettings; onDone: () => void }) {
  const ids = useId();
  const { room } = settings;
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);

  const save = async (body: UpdateRoomBody, what: string) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      await settings.update(body);
      setSaved(what);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = formText(form, 'name').trim();
    const pin = formText(form, 'pin').trim();
    const body: UpdateRoomBody = {};
    if (name && name !== room.name) body.name = name;
    if (pin) {
      if (!PIN_RE.test(pin)) {
        setError('PIN must be 4 to 12 digits');
        return;
      }
      body.pin = pin;
    }
    const controlLocked = form.get('controlLocked') === 'on';
    const waitForEveryone = form.get('waitForEveryone') === 'on';
    if (controlLocked !== room.options.controlLocked) body.controlLocked = controlLocked;
    if (waitForEveryone !== room.options.waitForEveryone) body.waitForEveryone = waitForEveryone;
    const queueOpen = form.get('queueOpen') === 'on';
    const skipVote = form.get('skipVote') === 'on';
    if (queueOpen !== room.options.queueOpen) body.queueOpen = queueOpen;
    if (skipVote !== room.options.skipVote) body.skipVote = skipVote;
    if (Object.keys(body).length === 0) {
      setSaved('Nothing to change.');
      return;
    }
    void save(body, 'Settings saved.').then(() => {
      const input = e.currentTarget?.elements.namedItem('pin');
      if (input instanceof HTMLInputElement) input.value = '';
    });
  };

  const close = async () => {
    setBusy(true);
    setError(null);
    try {
      await settings.close();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <section className="card settings" aria-labelledby={`${ids}-h`}>
      <div className="row spread">
        <h2 id={`${ids}-h`}>Room settings</h2>
        <button type="button" className="link small" onClick={onDone}>
          Hide settings
        </button>
      </div>
      <form className="form settings-form" onSubmit={onSubmit}>
        <label htmlFor={`${ids}-name`}>Room name</label>
        <input id={`${ids}-name`} name="name" type="text" defaultValue={room.name} maxLength={100} required />
        <label htmlFor={`${ids}-pin`}>{room.hasPin ? 'New PIN' : 'PIN'}</label>
        <PinInput
          id={`${ids}-pin`}
          mode="set"
          placeholder={room.hasPin ? 'Leave empty to keep the current PIN' : 'Optional, 4 to 12 digits'}
        />
        <p className="hint">{room.hasPin ? 'This room has a PIN: people need it to join.' : 'No PIN: anyone with the link can join.'}</p>
        <label className="check">
          <input type="checkbox" name="controlLocked" defaultChecked={room.options.controlLocked} />
          Only host and moderators control playback
        </label>
        <label className="check">
          <input type="checkbox" name="waitForEveryone" defaultChecked={room.options.waitForEveryone} />
          Wait for everyone (pause while someone buffers)
        </label>
        <label className="check">
          <input type="checkbox" name="queueOpen" defaultChecked={room.options.queueOpen} />
          Everyone can add to Up next (otherwise host and moderators)
        </label>
        <label className="check">
          <input type="checkbox" name="skipVote" defaultChecked={room.options.skipVote} />
          Skip votes (a majority of those watching skips)
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Save settings
          </button>
          {room.hasPin && (
            <button type="button" disabled={busy} onClick={() => void save({ pin: null }, 'PIN removed.')}>
              Remove PIN
            </button>
          )}
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {saved && (
          <p className="ok small" role="status">
            {saved}
          </p>
        )}
      </form>
      <div className="danger-zone">
        {!confirmClose ? (
          <button type="button" className="danger" onClick={() => setConfirmClose(true)}>
            Close room
          </button>
        ) : (
          <div role="alertdialog" aria-label="Close this room?" className="confirm">
            <p>Close this room for everyone? Everyone is disconnected and the link stops working.</p>
            <div className="row">
              <button type="button" className="danger" disabled={busy} onClick={() => void close()}>
                Close room for everyone
              </button>
              <button type="button" onClick={() => setConfirmClose(false)}>
                Cancel
              </button>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
