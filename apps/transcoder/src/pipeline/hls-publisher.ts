import { MEDIA_FILES, MEDIA_PLAYLIST_NAME } from '@reelroom/contracts';
import { HLS_SEGMENT_SECONDS } from '../ffmpeg/hls-command.js';
import { readFragments, readInit, childBoxes } from '../ffmpeg/fmp4.js';
import {
  buildIFramePlaylist,
  iframeBandwidth,
  iframeEntries,
  IFRAME_PLAYLIST_NAME,
  type SegmentFragments,
} from '../ffmpeg/iframe-playlist.js';
import {
  FFMPEG_PLAYLIST_NAME,
  hasVideo,
  INIT_NAME,
  needsInitForCodecs,
  playlistUriToKey,
  rungCodecsFrom,
  type RungKind,
  type RungOutput,
} from '../ffmpeg/hls-output.js';
import type { PlannedVariant } from '../ffmpeg/hls-plan.js';
import { buildMasterPlaylist, type MasterAudio, type MasterVariant, type SegmentSize } from '../ffmpeg/master-playlist.js';
import { parseMediaPlaylist, pinTargetDuration, toVodPlaylist } from '../ffmpeg/media-playlist.js';
import { joinKey, type MediaStorage } from '../storage/media-storage.js';

/**
 * The HLS output's files, read and written through the storage: first-segment checks while ffmpeg
 * runs, the early master, and the final VOD playlists and measured master. Every rewrite is atomic
 * (MediaStorage.write), so a player polling a playlist never reads half of one.
 */
export class HlsPublisher {
  /** servePlaylists calls, one after the other: a slower one never writes an older copy over a newer one. */
  private serving: Promise<void> = Promise.resolve();
  /** What servePlaylists last wrote per rung: an unchanged playlist is not rewritten. */
  private readonly served = new Map<string, string>();

  constructor(
    private readonly storage: MediaStorage,
    /** Key of the served output folder: `<mediaId>/hls`. */
    private readonly outKey: string,
  ) {}

  rungKey(variant: Pick<PlannedVariant, 'name'>): string {
    return joinKey(this.outKey, variant.name);
  }

  get masterKey(): string {
    return joinKey(this.outKey, MEDIA_FILES.master);
  }

  /**
   * While ffmpeg runs: each rung's playlist as ffmpeg wrote it (FFMPEG_PLAYLIST_NAME) copied to the served
   * index.m3u8, a video rung's with its target duration pinned to the grid's (pinTargetDuration), so a
   * player sees the same EXT-X-TARGETDURATION at every reload. An audio rung's is copied as it is: its
   * segments all have one length, so ffmpeg's value never changes. Written next to ffmpeg's files
   * (MediaStorage.writeLocalText): on S3 publishLocal uploads it after the segments it lists, as it
   * uploaded ffmpeg's own before. A rung ffmpeg has not written yet is skipped.
   */
  servePlaylists(variants: readonly PlannedVariant[]): Promise<void> {
    const next = this.serving.then(async () => {
      for (const v of variants) await this.serveRung(v);
    });
    this.serving = next.catch(() => undefined);
    return next;
  }

  private async serveRung(variant: PlannedVariant): Promise<void> {
    const rung = this.rungKey(variant);
    const ffmpegText = await this.storage.readLocalText(joinKey(rung, FFMPEG_PLAYLIST_NAME));
    if (ffmpegText === undefined) return;
    const text = hasVideo(variant.kind) ? pinTargetDuration(ffmpegText, HLS_SEGMENT_SECONDS) : ffmpegText;
    if (this.served.get(variant.name) === text) return;
    await this.storage.writeLocalText(joinKey(rung, MEDIA_PLAYLIST_NAME), text);
    this.served.set(variant.name, text);
  }

  /**
   * While ffmpeg runs: true once the rung's playlist lists a segment and both its init segment and that
   * segment exist (with -hls_flags temp_file ffmpeg renames a segment into place before listing it).
   * Files not there yet mean "not yet".
   */
  async hasFirstSegment(variant: PlannedVariant): Promise<boolean> {
    const rung = this.rungKey(variant);
    const playlistKey = joinKey(rung, MEDIA_PLAYLIST_NAME);
    if ((await this.storage.size(playlistKey)) === undefined) return false;
    const playlist = parseMediaPlaylist(await this.storage.readText(playlistKey));
    const first = playlist.segments[0];
    if (!first || !playlist.mapUri) return false;
    const local = this.storage.localPath(rung);
    for (const uri of [playlist.mapUri, first.uri]) {
      if ((await this.storage.size(playlistUriToKey(rung, local, uri))) === undefined) return false;
    }
    return true;
  }

  /**
   * master.m3u8 as soon as every rung (and the audio rendition) has a segment: CODECS from the init
   * segments, BANDWIDTH estimated.
   */
  async publishEarlyMaster(variants: readonly PlannedVariant[]): Promise<void> {
    const out: Array<MasterVariant & { kind: RungKind; track?: PlannedVariant['track'] }> = [];
    for (const v of variants) {
      out.push({
        name: v.name,
        kind: v.kind,
        track: v.track,
        width: v.width,
        height: v.height,
        fps: v.fps,
        codecs: await this.codecs(this.rungKey(v), v.kind),
        bandwidth: v.estimate,
      });
    }
    await this.storage.write(this.masterKey, masterOf(out));
  }

  /**
   * After ffmpeg, once servePlaylists has served its last playlists: every rung's playlist (the audio
   * rendition's too) rewritten as VOD, ffmpeg's own removed, then the master with measured bandwidth.
   * Returns every rung, the audio rendition included.
   */
  async publishVod(
    variants: readonly PlannedVariant[],
  ): Promise<Array<MasterVariant & RungOutput & { kind: RungKind; track?: PlannedVariant['track'] }>> {
    const finished: Array<MasterVariant & RungOutput & { kind: RungKind; track?: PlannedVariant['track'] }> = [];
    for (const v of variants) {
      const out = await this.finaliseRung(this.rungKey(v), v.kind);
      finished.push({ name: v.name, kind: v.kind, track: v.track, width: v.width, height: v.height, fps: v.fps, ...out });
    }
    await this.storage.write(this.masterKey, masterOf(finished));
    return finished;
  }

  /**
   * Rewrites the rung's EVENT playlist as VOD with ENDLIST and `EXT-X-MAP:URI="init.mp4"`, then measures
   * the segments and reads CODECS. The init segment already has its final name (initFilenameFor in
   * hls-command.ts); an `init_<n>.mp4` from another ffmpeg version, or an absolute EXT-X-MAP URI, is
   * still moved into place.
   */
  private async finaliseRung(rung: string, kind: RungKind): Promise<RungOutput> {
    const playlistKey = joinKey(rung, MEDIA_PLAYLIST_NAME);
    const text = await this.storage.readText(playlistKey);
    const playlist = parseMediaPlaylist(text);
    if (!playlist.mapUri) throw new Error(`${playlistKey} has no EXT-X-MAP`);
    if (playlist.segments.length === 0) throw new Error(`${playlistKey} has no segments`);
    const local = this.storage.localPath(rung);
    const initKey = joinKey(rung, INIT_NAME);
    const currentInit = playlistUriToKey(rung, local, playlist.mapUri);
    if (currentInit !== initKey) await this.storage.rename(currentInit, initKey);
    await this.storage.write(playlistKey, toVodPlaylist(text, INIT_NAME));
    await this.storage.delete(joinKey(rung, FFMPEG_PLAYLIST_NAME));
    const segments: SegmentSize[] = [];
    for (const seg of playlist.segments) {
      const key = playlistUriToKey(rung, local, seg.uri);
      const bytes = await this.storage.size(key);
      if (bytes === undefined) throw new Error(`${playlistKey} lists ${seg.uri}, which does not exist`);
      segments.push({ durationSec: seg.durationSec, bytes });
    }
    const out: RungOutput = { codecs: await this.codecs(rung, kind), segments };
    if (hasVideo(kind))
      out.iframes = await this.writeIFramePlaylist(
        rung,
        playlist.segments.map((s) => s.uri),
      );
    return out;
  }

  /**
   * `<rung>/iframes.m3u8`: byte ranges of every sync sample in the rung's segments, found by reading each
   * segment's moof (the head of the file, not its media data).
   */
  private async writeIFramePlaylist(rung: string, uris: readonly string[]) {
    const local = this.storage.localPath(rung);
    const defaults = readInit(await this.storage.read(joinKey(rung, INIT_NAME)));
    const segments: SegmentFragments[] = [];
    for (const uri of uris) {
      const key = playlistUriToKey(rung, local, uri);
      let head = await this.storage.readHead(key, SEGMENT_HEAD_BYTES);
      // A moof larger than the head (thousands of samples): read up to its end.
      const moof = childBoxes(head).find((b) => b.type === 'moof');
      if (moof && moof.end > head.length) head = await this.storage.readHead(key, moof.end);
      segments.push({ uri, fragments: readFragments(head, defaults) });
    }
    const entries = iframeEntries(segments, defaults.timescale);
    await this.storage.write(joinKey(rung, IFRAME_PLAYLIST_NAME), buildIFramePlaylist(entries, INIT_NAME));
    return iframeBandwidth(entries);
  }

  private async codecs(rung: string, kind: RungKind): Promise<string> {
    return rungCodecsFrom(kind, needsInitForCodecs(kind) ? await this.storage.read(joinKey(rung, INIT_NAME)) : undefined);
  }
}

/** Enough for the moof of a 2 s segment at 60 fps (about 2 kB) many times over. */
const SEGMENT_HEAD_BYTES = 64 * 1024;

/** The audio renditions (if any) go into the master as EXT-X-MEDIA, one per track; every other rung as a variant. */
function masterOf(rungs: ReadonlyArray<MasterVariant & { kind: RungKind; track?: PlannedVariant['track'] }>): string {
  const audio: MasterAudio[] = rungs
    .filter((r) => r.kind === 'audio-rendition')
    .map((r) => ({ name: r.name, codecs: r.codecs, segments: r.segments, bandwidth: r.bandwidth, ...r.track }));
  return buildMasterPlaylist(
    rungs.filter((r) => r.kind !== 'audio-rendition'),
    audio.length > 0 ? audio : undefined,
  );
}
