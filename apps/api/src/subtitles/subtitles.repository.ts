export interface SubtitleRecord {
  id: string;
  mediaId: string;
  label: string;
  language: string;
  origin: 'upload' | 'embedded';
  cueCount: number;
  endSec: number;
  createdAt: Date;
}

export type NewUploadedSubtitle = Pick<SubtitleRecord, 'id' | 'mediaId' | 'label' | 'language' | 'cueCount' | 'endSec'>;

/** Subtitle rows and the rooms' suggestions (PrismaSubtitlesRepository in production). */
export abstract class SubtitlesRepository {
  /** Oldest first: embedded tracks (added at transcode) before later uploads. */
  abstract listByMedia(mediaId: string): Promise<SubtitleRecord[]>;
  abstract findById(id: string): Promise<SubtitleRecord | null>;
  /**
   * Inserts an uploaded track unless the media already has `maxTracks`: counted and inserted under a lock
   * on the media's row, so parallel uploads cannot pass the limit. null when full (or the media is gone).
   */
  abstract createUpload(data: NewUploadedSubtitle, maxTracks: number): Promise<SubtitleRecord | null>;
  /** false when there was no such row. Suggestions of it go with it (cascade). */
  abstract delete(id: string): Promise<boolean>;
  abstract suggestion(roomId: string, mediaId: string): Promise<string | null>;
  abstract setSuggestion(roomId: string, mediaId: string, subtitleId: string | null): Promise<void>;
}
