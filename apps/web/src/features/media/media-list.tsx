import type { MediaView } from '@reelroom/contracts';

const STATUS_LABEL: Record<MediaView['status'], string> = {
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
  const parts = [formatSize(media.sizeBytes)];
  if (media.durationSec !== null) parts.push(formatDuration(media.durationSec));
  if (media.height !== null) parts.push(`${media.height}p source`);
  return <span className="muted small">{parts.join(' · ')}</span>;
}

interface Props {
  items: MediaView[];
  selectedId: string | null;
  onPlay(media: MediaView): void;
}

export function MediaList({ items, selectedId, onPlay }: Props) {
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
            {m.status === 'processing' && (
              <span className="media-progress">
                <progress max={100} value={percent} aria-label={`Transcoding ${m.originalName}`} />
                <span className="small">Transcoding {percent}%</span>
              </span>
            )}
            {m.status === 'ready' && <span className="play-hint">{selectedId === m.id ? 'Now playing' : '▶ Play'}</span>}
            {m.status === 'queued' && <span className="muted small">Waiting for a transcoder…</span>}
            {m.status === 'failed' && (
              <span className="error small" role="status">
                {m.error ?? 'Transcoding failed.'}
              </span>
            )}
          </>
        );
        return (
          <li key={m.id} data-testid="media-item" data-status={m.status} data-media-id={m.id} className={m.id === selectedId ? 'selected' : undefined}>
            {m.status === 'ready' ? (
              <button type="button" className="media-row playable" onClick={() => onPlay(m)} aria-pressed={m.id === selectedId} title={`Play ${m.originalName}`}>
                {body}
              </button>
            ) : (
              <div className="media-row">{body}</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
