import { useCallback, useId, useState } from 'react';
import type { LibraryItemView, MediaView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';
import { formatDuration } from '../queue/queue-format';
import { libraryChoices } from './library-choices';
import './library.css';

interface Props {
  roomId: string;
  /** The room's new item (the socket tells everyone else). */
  onAdded: (media: MediaView) => void;
}

type Load =
  { status: 'closed' } | { status: 'loading' } | { status: 'loaded'; items: LibraryItemView[] } | { status: 'error'; message: string };

/**
 * "Add from my library" (issue 12): my ready videos from any room, added here without uploading again.
 * The list is read when opened (it changes in other rooms), and an added video leaves it.
 */
export function LibraryPicker({ roomId, onAdded }: Props) {
  const id = useId();
  const [load, setLoad] = useState<Load>({ status: 'closed' });
  const [adding, setAdding] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const open = load.status !== 'closed';

  const fetchLibrary = useCallback(async () => {
    setLoad({ status: 'loading' });
    try {
      setLoad({ status: 'loaded', items: (await api.library.list()).items });
    } catch (err) {
      setLoad({ status: 'error', message: errorMessage(err) });
    }
  }, []);

  const toggle = () => {
    setRefusal(null);
    if (open) setLoad({ status: 'closed' });
    else void fetchLibrary();
  };

  const add = async (item: LibraryItemView) => {
    setAdding(item.mediaId);
    setRefusal(null);
    try {
      const media = await api.library.add(roomId, item.mediaId);
      onAdded(media);
      setLoad((l) =>
        l.status === 'loaded'
          ? {
              ...l,
              items: l.items.map((i) =>
                i.mediaId === item.mediaId ? { ...i, rooms: [...i.rooms, { roomId, roomName: '', mediaId: media.id }] } : i,
              ),
            }
          : l,
      );
    } catch (err) {
      setRefusal(errorMessage(err));
    } finally {
      setAdding(null);
    }
  };

  const choices = load.status === 'loaded' ? libraryChoices(load.items, roomId) : [];
  return (
    <div className="uploader library-picker">
      <button type="button" aria-expanded={open} aria-controls={`${id}-list`} onClick={toggle}>
        Add from my library
      </button>
      {open && (
        <div id={`${id}-list`} className="library-panel" role="region" aria-label="My library">
          {load.status === 'loading' && <p className="muted small">Loading your videos…</p>}
          {load.status === 'error' && (
            <div className="error small" role="alert">
              <p>Could not load your library: {load.message}</p>
              <button type="button" onClick={() => void fetchLibrary()}>
                Try again
              </button>
            </div>
          )}
          {load.status === 'loaded' && load.items.length === 0 && <p className="muted small">Videos you upload to any room appear here.</p>}
          {load.status === 'loaded' && load.items.length > 0 && choices.length === 0 && (
            <p className="muted small">Every ready video of yours is already in this room. Videos you upload to any room appear here.</p>
          )}
          {choices.length > 0 && (
            <ul className="library-list">
              {choices.map((item) => (
                <li key={item.mediaId} className="library-item">
                  {item.posterUrl ? (
                    <img src={item.posterUrl} alt="" loading="lazy" />
                  ) : (
                    <span className="library-poster" aria-hidden="true" />
                  )}
                  <span className="library-text">
                    <span className="library-title">{item.title}</span>
                    <span className="muted small">{formatDuration(item.durationSec)}</span>
                  </span>
                  <button
                    type="button"
                    className="primary"
                    disabled={adding !== null}
                    aria-label={`Add ${item.title} to this room`}
                    onClick={() => void add(item)}
                  >
                    {adding === item.mediaId ? 'Adding…' : 'Add'}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {refusal && (
            <p className="error small" role="alert">
              {refusal}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
