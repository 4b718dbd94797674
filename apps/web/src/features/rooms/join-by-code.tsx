import { useId, useState, type FormEvent } from 'react';
import { navigate } from '../../router/router';
import { parseRoomCode, roomPath } from './invite-link';
import './invite.css';

export const NOT_A_CODE = 'That is not a room link or code. Paste the whole link (…/r/…) or the 22-character code.';

/** "Join by code": paste a room link (with or without a PIN in it) or the bare code, and go to the room. */
export function JoinByCode() {
  const ids = useId();
  const [error, setError] = useState<string | null>(null);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const value = new FormData(e.currentTarget).get('code');
    const code = typeof value === 'string' ? parseRoomCode(value) : null;
    if (!code) {
      setError(NOT_A_CODE);
      return;
    }
    setError(null);
    // The PIN stays in the fragment of the new address, where the join page reads it.
    navigate(roomPath(code));
  };

  return (
    <section className="card join-code" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>Join by code</h2>
      <form className="form" onSubmit={onSubmit} noValidate aria-describedby={error ? `${ids}-error` : undefined}>
        <label htmlFor={`${ids}-code`}>Room link or code</label>
        <div className="row">
          <input
            id={`${ids}-code`}
            name="code"
            type="text"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://…/r/… or the code"
            required
          />
          <button type="submit" className="primary">
            Join
          </button>
        </div>
        {error && (
          <p className="error" role="alert" id={`${ids}-error`}>
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
