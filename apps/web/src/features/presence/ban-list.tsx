import { useEffect, useState } from 'react';
import type { BanView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';

/**
 * The room's banned people, for the host and moderators, each with Unban. Reloaded when `version`
 * changes (after a ban from the people list).
 */
export function BanList({ roomId, version }: { roomId: string; version: number }) {
  const [bans, setBans] = useState<BanView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api.rooms.bans(roomId).then(
      (b) => !cancelled && setBans(b),
      (err: unknown) => !cancelled && setError(errorMessage(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [roomId, version, reload]);

  const unban = async (b: BanView) => {
    setError(null);
    try {
      await api.rooms.unban(roomId, b.userId);
      setReload((n) => n + 1);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  if (!error && (bans === null || bans.length === 0)) return null;
  return (
    <div className="ban-list" data-testid="ban-list">
      <h3 className="small">Banned</h3>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <ul className="people-list">
        {(bans ?? []).map((b) => (
          <li key={b.userId} data-testid="banned-person">
            <div className="person-line">
              <span className="person-name">{b.name}</span>
              <button type="button" className="link small" aria-label={`Unban ${b.name}`} onClick={() => void unban(b)}>
                Unban
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
