import { useId, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';
import { navigate } from '../../router/router';

export function CreateRoomForm() {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get('name') ?? '').trim();
    if (!name) {
      setError('Give the room a name.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const room = await api.rooms.create(name);
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
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
