import { useId, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';
import { formText } from '../../forms/form-text';
import { navigate } from '../../router/router';
import { PinInput } from './pin-input';

export function CreateRoomForm() {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = formText(form, 'name').trim();
    const pin = formText(form, 'pin').trim();
    if (!name) {
      setError('Give the room a name.');
      return;
    }
    if (pin && !/^\d{4,12}$/.test(pin)) {
      setError('PIN must be 4 to 12 digits');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const room = await api.rooms.create(name, pin || undefined);
      navigate(`/r/${room.id}`);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Create room</h2>
      <form className="inline-form" onSubmit={onSubmit}>
        <label htmlFor={`${id}-name`}>Room name</label>
        <div className="row">
          <input id={`${id}-name`} name="name" type="text" required maxLength={100} placeholder="Friday movie night" />
          <button type="submit" className="primary" disabled={busy}>
            Create room
          </button>
        </div>
        <label htmlFor={`${id}-pin`}>PIN (optional)</label>
        <PinInput id={`${id}-pin`} mode="set" placeholder="4 to 12 digits" describedBy={`${id}-pin-hint`} />
        <p className="hint" id={`${id}-pin-hint`}>
          With a PIN, people need the link and the PIN to join.
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
