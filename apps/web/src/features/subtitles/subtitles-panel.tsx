import { useId, useState, type FormEvent } from 'react';
import type { MediaView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';
import { useMediaSubtitles } from './use-media-subtitles';

interface Props {
  roomId: string;
  media: MediaView;
  /** Host or moderator: may set the track the room suggests. */
  canSuggest: boolean;
}

/**
 * "Subtitles" of one video in the videos panel (uploader, host, moderators): the tracks (uploaded and
 * found in the file), upload of an SRT or WebVTT with its label and language, delete, and the room's
 * suggested track. A disclosure, so the list stays short; the tracks load when it is opened.
 */
export function SubtitlesPanel({ roomId, media, canSuggest }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <details className="subtitles-panel" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary aria-label={`Subtitles of ${media.originalName}`}>Subtitles</summary>
      {open && <SubtitlesBody roomId={roomId} media={media} canSuggest={canSuggest} />}
    </details>
  );
}

function SubtitlesBody({ roomId, media, canSuggest }: Props) {
  const id = useId();
  const subs = useMediaSubtitles(roomId, media.id);
  const [file, setFile] = useState<File | null>(null);
  const [label, setLabel] = useState('');
  const [language, setLanguage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      subs.reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return setError('Choose a subtitle file (SRT or WebVTT) to upload.');
    void act(async () => {
      await api.subtitles.upload(media.id, file, label, language);
      setFile(null);
      setLabel('');
      setLanguage('');
      (e.target as HTMLFormElement).reset();
    });
  };

  const tracks = subs.view?.tracks ?? [];
  const suggested = subs.view?.suggestedId ?? null;
  return (
    <div className="subtitles-body">
      {subs.error && (
        <p className="error small" role="alert">
          {subs.error}
        </p>
      )}
      {subs.view && tracks.length === 0 && <p className="muted small">No subtitles yet.</p>}
      {tracks.length > 0 && (
        <ul className="subtitle-tracks" aria-label={`Subtitle tracks of ${media.originalName}`}>
          {tracks.map((t) => (
            <li key={t.id} data-testid="subtitle-track">
              <span>
                {t.label}{' '}
                <span className="muted small">
                  ({t.language}
                  {t.origin === 'embedded' ? ', from the file' : ''})
                </span>
                {suggested === t.id && <span className="badge">suggested</span>}
              </span>
              {canSuggest && suggested !== t.id && (
                <button
                  type="button"
                  className="small-button"
                  disabled={busy}
                  onClick={() => void act(() => api.subtitles.suggest(media.id, t.id))}
                  aria-label={`Suggest ${t.label} to the room`}
                >
                  Suggest
                </button>
              )}
              <button
                type="button"
                className="small-button danger"
                disabled={busy}
                aria-label={`Delete subtitles ${t.label}`}
                onClick={() => window.confirm(`Delete the subtitles "${t.label}"?`) && void act(() => api.subtitles.remove(media.id, t.id))}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      {canSuggest && suggested && (
        <button
          type="button"
          className="small-button"
          disabled={busy}
          onClick={() => void act(() => api.subtitles.suggest(media.id, null))}
        >
          Stop suggesting subtitles
        </button>
      )}
      <form className="subtitle-upload" onSubmit={submit}>
        <label htmlFor={`${id}-file`}>Subtitle file (SRT or WebVTT)</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".srt,.vtt,text/vtt,application/x-subrip"
          required
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
        <label htmlFor={`${id}-label`}>Label</label>
        <input
          id={`${id}-label`}
          value={label}
          required
          maxLength={60}
          placeholder="English"
          onChange={(e) => setLabel(e.currentTarget.value)}
        />
        <label htmlFor={`${id}-lang`}>Language</label>
        <input
          id={`${id}-lang`}
          value={language}
          required
          maxLength={35}
          placeholder="en"
          onChange={(e) => setLanguage(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Uploading…' : 'Add subtitles'}
        </button>
      </form>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
