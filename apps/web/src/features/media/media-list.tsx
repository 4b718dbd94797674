import type { ReactNode } from 'react';
import type { MediaView } from '@reelroom/contracts';

const STATUS_LABEL: Record<MediaView['status'], string> = {
  importing: 'importing',
  queued: 'queued',
  processing: 'processing',
  ready: 'ready',
  failed: 'failed',
};

function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function formatDuration(sec: number): string {
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

function MediaDetails({ media }: { media: MediaView }) {
  // While importing, sizeBytes is the quota reserved for the fetch, not the file: the progress line says the size.
  const parts = media.status === 'importing' ? [] : [formatSize(media.sizeBytes)];
  if (media.durationSec !== null) parts.push(formatDuration(media.durationSec));
  if (media.height !== null) parts.push(`${media.height}p source`);
  if (parts.length === 0) return null;
  return <span className="muted small">{parts.join(' · ')}</span>;
}

/** Fetching a link: bytes so far, a bar when the server said how big the file is (like an upload). */
function ImportProgress({ media }: { media: MediaView }) {
  const bytes = media.importedBytes ?? 0;
  const total = media.importTotalBytes;
  const percent = Math.round(media.progress);
  return (
    <span className="media-progress">
      {total !== null ? (
        <progress max={100} value={percent} aria-label={`Importing ${media.originalName}`} />
      ) : (
        <progress aria-label={`Importing ${media.originalName}`} />
      )}
      <span className="small" data-testid="media-import-text">
        {total !== null
          ? `Fetching ${percent}% (${formatSize(bytes)} of ${formatSize(total)})`
          : bytes > 0
            ? `Fetching · ${formatSize(bytes)} so far`
            : 'Fetching the link…'}
      </span>
    </span>
  );
}

/** "about 3 min left", "about 40 s left": rounded the way people say it (to 5 s under a minute). */
export function formatEta(sec: number): string {
  if (sec < 60) return `about ${Math.max(5, Math.ceil(sec / 5) * 5)} s left`;
  if (sec < 3600) return `about ${Math.round(sec / 60)} min left`;
  const h = Math.floor(sec / 3600);
  const m = Math.round((sec % 3600) / 60);
  return `about ${h} h ${m} min left`;
}

export interface MediaActions {
  /** Whether the signed-in person may retry, cancel or delete this item (uploader, host, moderator). */
  canManage: (media: MediaView) => boolean;
  retry: (media: MediaView) => void;
  cancel: (media: MediaView) => void;
  remove: (media: MediaView) => void;
}

function ManageButtons({ media, actions }: { media: MediaView; actions: MediaActions }) {
  if (!actions.canManage(media)) return null;
  const name = media.originalName;
  return (
    <div className="media-actions">
      {media.status === 'failed' && (
        <button type="button" className="small-button" onClick={() => actions.retry(media)} aria-label={`Retry ${name}`}>
          Retry
        </button>
      )}
      {(media.status === 'importing' || media.status === 'queued' || media.status === 'processing') && (
        <button type="button" className="small-button" onClick={() => actions.cancel(media)} aria-label={`Cancel ${name}`}>
          Cancel
        </button>
      )}
      <button
        type="button"
        className="small-button danger"
        aria-label={`Delete ${name}`}
        onClick={() => {
          if (window.confirm(`Delete "${name}" and all its files?`)) actions.remove(media);
        }}
      >
        Delete
      </button>
    </div>
  );
}

interface Props {
  items: MediaView[];
  selectedId: string | null;
  onPlay: (media: MediaView) => void;
  actions?: MediaActions;
  /** Extra controls under an item (the subtitles of a video, for those who manage it). */
  extra?: (media: MediaView) => ReactNode;
}

export function MediaList({ items, selectedId, onPlay, actions, extra }: Props) {
  return (
    <ul className="media-list" aria-label="Videos in this room">
      {items.map((m) => {
        const percent = Math.round(m.progress);
        const body = (
          <>
            <span className="media-name">{m.originalName}</span>
            <span className={`badge status-${m.status}`} data-testid="media-status">
              {STATUS_LABEL[m.status]}
            </span>
            <MediaDetails media={m} />
            {m.status === 'importing' && <ImportProgress media={m} />}
            {m.status === 'processing' && (
              <span className="media-progress">
                <progress max={100} value={percent} aria-label={`Transcoding ${m.originalName}`} />
                <span className="small" data-testid="media-progress-text">
                  Transcoding {percent}%{m.etaSec !== null ? ` · ${formatEta(m.etaSec)}` : ''}
                </span>
              </span>
            )}
            {m.playable && (
              <span className="play-hint">
                {selectedId === m.id ? 'Now playing' : m.status === 'ready' ? '▶ Play' : '▶ Play while converting'}
              </span>
            )}
            {m.status === 'queued' && (
              <span className="muted small" data-testid="media-queue">
                {m.queuePosition === null
                  ? 'Waiting for a transcoder…'
                  : m.queuePosition === 1
                    ? 'Next in line'
                    : `Queued · #${m.queuePosition} in line`}
              </span>
            )}
            {m.status === 'failed' && (
              <span className="error small" role="status">
                {m.error ?? 'Transcoding failed.'}
              </span>
            )}
          </>
        );
        return (
          <li
            key={m.id}
            data-testid="media-item"
            data-status={m.status}
            data-media-id={m.id}
            className={m.id === selectedId ? 'selected' : undefined}
          >
            {/* Ready, or still converting but already playable from the start. */}
            {m.playable && (m.status === 'ready' || m.status === 'processing') ? (
              <button
                type="button"
                className="media-row playable"
                onClick={() => onPlay(m)}
                aria-pressed={m.id === selectedId}
                title={`Play ${m.originalName}`}
              >
                {body}
              </button>
            ) : (
              <div className="media-row">{body}</div>
            )}
            {actions && <ManageButtons media={m} actions={actions} />}
            {extra?.(m)}
          </li>
        );
      })}
    </ul>
  );
}
