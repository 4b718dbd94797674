import type { Readable } from 'node:stream';
import { llPartUri, LL_WINDOW_SEGMENTS, MEDIA_PLAYLIST_NAME } from '@reelroom/contracts';
import { INIT_NAME } from '../ffmpeg/hls-output.js';
import { joinKey, type MediaStorage } from '../storage/media-storage.js';
import { Fmp4Splitter } from './fmp4-splitter.js';
import { completedChunk, historyKey, HISTORY_CHUNK_SEGMENTS, type HistorySegment } from './ll-history.js';
import { buildFinalPlaylist, buildLlPlaylist, type LlTiming } from './ll-playlist.js';
import type { LlResumeState } from './ll-resume.js';
import { PartCutter, type CutEvent, type LlSegment } from './part-cutter.js';

/** Segments before the open one whose parts are still listed (RFC 8216bis: at least 3 target durations). */
export const LL_PART_SEGMENTS = 3;
/**
 * Part files are removed this many segments after they leave the playlist: a player that read the
 * playlist just before may still ask for them (the segments themselves stay: they become the replay).
 */
const PART_FILES_KEPT_SEGMENTS = 3;

export interface LlRungOptions extends LlTiming {
  /** Nominal segment length (keyframes are forced at this interval). */
  segmentSec: number;
  /** Told after every playlist write, with the playlist's storage key (the API's blocking reloads wait on it). */
  onPlaylist: (playlistKey: string) => void;
}

/**
 * The I/O shell around the pure LL-HLS core for one rung: reads ffmpeg's fragmented MP4 from its pipe,
 * writes the init segment, each part, each segment and the playlist through the storage (atomic writes:
 * media before the playlist that lists it), and rings `onPlaylist` after each playlist. Backpressure is
 * the pipe's: the next chunk is read once the previous writes are done.
 */
export class LlRungPackager {
  private readonly splitter = new Fmp4Splitter();
  private readonly cutter: PartCutter;
  private readonly segments: LlSegment[];
  /** A resumed live's segments before `segments` (ll-history.ts): the replay lists them first. */
  private readonly history: readonly HistorySegment[];
  private hasInit = false;
  /** Discontinuities before `segments[0]` (a resumed live's earlier gaps that had slid out). */
  private readonly baseDiscontinuities: number;
  /** The open segment is the first after a resume's gap. */
  private openDiscontinuity: boolean;
  /** Parts of the dead worker's unfinished segment, dropped before this run writes its own. */
  private staleParts: string[];
  /** Segments (from the first) whose part files are already removed. */
  private partsCleared = 0;
  private readonly playlistKey: string;
  /** Bytes of the init segment and the segments this live holds (parts are transient copies: not counted). */
  private bytes: number;

  constructor(
    private readonly storage: MediaStorage,
    /** `<liveId>/hls/<rung>`. */
    private readonly rungKey: string,
    private readonly options: LlRungOptions,
    /** A resumed live: what the run before left (its playlist), continued after its last complete segment. */
    resume?: LlResumeState,
  ) {
    this.cutter = new PartCutter(options.segmentSec, options.partTargetSec, resume?.nextMsn ?? 0);
    this.playlistKey = joinKey(rungKey, MEDIA_PLAYLIST_NAME);
    this.segments = [...(resume?.segments ?? [])];
    this.history = resume?.history ?? [];
    this.baseDiscontinuities = resume?.discontinuitySequence ?? 0;
    this.openDiscontinuity = this.segments.length > 0;
    this.staleParts = resume?.staleParts ?? [];
    // The init segment of the run before is on storage: a resume may rewrite its playlist before ours comes.
    this.hasInit = resume !== undefined;
    this.bytes = resume?.priorBytes ?? 0;
  }

  /** What this output holds on storage for the replay: its init segment and every segment (LIVE_MAX_DISK_MB). */
  get mediaBytes(): number {
    return this.bytes;
  }

  /** Every segment written so far. */
  get written(): readonly LlSegment[] {
    return this.segments;
  }

  /** Packages the stream until it ends. */
  async consume(stream: Readable): Promise<void> {
    if (this.staleParts.length > 0) await this.dropStaleParts();
    for await (const chunk of stream) {
      for (const event of this.splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array))) {
        if (event.type === 'init') {
          await this.storage.write(joinKey(this.rungKey, INIT_NAME), event.bytes);
          // A resume rewrites the init segment the run before wrote (and counted).
          if (!this.hasInit) this.bytes += event.bytes.length;
          this.hasInit = true;
          continue;
        }
        await this.apply(this.cutter.add(event));
      }
    }
  }

  /**
   * The live is over: the open segment is written, the playlist becomes the full list of segments without
   * LL tags (the replay step makes it VOD): a resumed live's history first, so its replay starts where the
   * live did. The part files go (they were copies of the segments' bytes), and so do the history chunks.
   */
  async finish(): Promise<void> {
    const last = this.cutter.end();
    if (last?.type === 'segment') await this.writeSegment(last.segment, last.bytes);
    if (!this.hasInit) return;
    // The stored sequence counted the gaps that slid out of the window; those in the history are listed again.
    const listedGaps = this.history.filter((s) => s.discontinuity).length;
    const all = [...this.history, ...this.segments];
    await this.storage.write(
      this.playlistKey,
      buildFinalPlaylist(this.options, all, INIT_NAME, Math.max(0, this.baseDiscontinuities - listedGaps)),
    );
    this.options.onPlaylist(this.playlistKey);
    await this.clearParts(this.segments.length);
    // Every chunk this live can have written (this run's and the runs' before); a missing one is no error.
    const chunks = Math.floor(((all.at(-1)?.msn ?? -1) + 1) / HISTORY_CHUNK_SEGMENTS);
    for (let chunk = 0; chunk < chunks; chunk++) await this.storage.delete(historyKey(this.rungKey, chunk));
  }

  private async apply(events: CutEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'segment') await this.writeSegment(event.segment, event.bytes);
      else await this.storage.write(joinKey(this.rungKey, event.part.uri), event.bytes);
    }
    await this.writePlaylist();
  }

  private async writePlaylist(): Promise<void> {
    const next = this.cutter.next;
    const slid = this.segments.slice(0, Math.max(0, this.segments.length - LL_WINDOW_SEGMENTS));
    const text = buildLlPlaylist({
      ...this.options,
      segments: this.segments.slice(-LL_WINDOW_SEGMENTS),
      openParts: this.cutter.openParts,
      openDiscontinuity: this.openDiscontinuity,
      discontinuitySequence: this.baseDiscontinuities + slid.filter((s) => s.discontinuity).length,
      next: { ...next, uri: llPartUri(next.msn, next.index) },
      initUri: INIT_NAME,
      partSegments: LL_PART_SEGMENTS,
    });
    await this.storage.write(this.playlistKey, text);
    this.options.onPlaylist(this.playlistKey);
  }

  /**
   * A resume: the playlist stops listing the dead worker's unfinished parts (the gap is marked, the hint
   * names this run's first part, the same msn), then their files go. Blocking reloads waiting on that msn
   * are answered by this run's parts of it.
   */
  private async dropStaleParts(): Promise<void> {
    await this.writePlaylist();
    for (const uri of this.staleParts) await this.storage.delete(joinKey(this.rungKey, uri));
    this.staleParts = [];
  }

  private async writeSegment(cut: LlSegment, bytes: Buffer): Promise<void> {
    const segment = this.openDiscontinuity ? { ...cut, discontinuity: true } : cut;
    this.openDiscontinuity = false;
    await this.storage.write(joinKey(this.rungKey, segment.uri), bytes);
    this.bytes += bytes.length;
    this.segments.push(segment);
    // The history chunk this segment completes (a resume's first chunk may start in the history read back).
    const recent = [...this.history.slice(-HISTORY_CHUNK_SEGMENTS), ...this.segments.slice(-HISTORY_CHUNK_SEGMENTS)];
    const chunk = completedChunk(segment.msn, recent);
    if (chunk) await this.storage.write(historyKey(this.rungKey, chunk.chunk), JSON.stringify(chunk.segments));
    await this.clearParts(this.segments.length - LL_PART_SEGMENTS - PART_FILES_KEPT_SEGMENTS);
  }

  /** Removes the part files of the segments before `upTo` (once each). */
  private async clearParts(upTo: number): Promise<void> {
    for (; this.partsCleared < upTo; this.partsCleared++)
      for (const p of this.segments[this.partsCleared].parts) await this.storage.delete(joinKey(this.rungKey, p.uri));
  }
}
