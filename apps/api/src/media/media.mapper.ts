import { MEDIA_FILES, mediaFileUrl, mediaPlaybackPath, renditionSchema, type MediaView, type Rendition } from '@reelroom/contracts';
import type { MediaRecord } from './media.repository.js';

const renditionsOf = (value: unknown): Rendition[] => {
  const parsed = renditionSchema.array().safeParse(value);
  return parsed.success ? parsed.data : [];
};

/** `queuePosition` is not stored: the caller passes it when it asked the queue. */
export function toMediaView(m: MediaRecord, queuePosition: number | null = null): MediaView {
  const playable = m.status === 'ready' || (m.status === 'processing' && m.playable);
  return {
    id: m.id,
    roomId: m.roomId,
    uploaderId: m.uploaderId,
    originalName: m.originalName,
    sizeBytes: Number(m.sizeBytes),
    status: m.status,
    kind: m.kind,
    progress: m.progress,
    sourceUrl: m.sourceUrl,
    importedBytes: m.status === 'importing' && m.importedBytes !== null ? Number(m.importedBytes) : null,
    importTotalBytes: m.status === 'importing' && m.importTotalBytes !== null ? Number(m.importTotalBytes) : null,
    etaSec: m.status === 'processing' ? m.etaSec : null,
    queuePosition: m.status === 'queued' ? queuePosition : null,
    playable,
    error: m.status === 'failed' ? (m.error ?? 'Transcoding failed.') : null,
    durationSec: m.durationSec,
    width: m.width,
    height: m.height,
    renditions: renditionsOf(m.renditions),
    playbackUrl: playable ? mediaPlaybackPath(m.id) : null,
    posterUrl: m.hasPoster ? mediaFileUrl(m.id, MEDIA_FILES.poster) : null,
    storyboardUrl: m.hasStoryboard ? mediaFileUrl(m.id, MEDIA_FILES.storyboardVtt) : null,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

/**
 * The original file name is metadata only (it is never used as a path): strip control and bidi
 * characters, keep the last path component, cap the length.
 */
export function cleanOriginalName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- removing control characters is what this does
  const cleaned = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return (cleaned || 'upload').slice(0, 255);
}
