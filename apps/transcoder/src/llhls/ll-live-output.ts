import type { Readable } from 'node:stream';
import type { LadderRung } from '../ffmpeg/ladder.js';
import { joinKey, type MediaStorage } from '../storage/media-storage.js';
import { partTargetFor } from './ll-playlist.js';
import { AAC_FRAME_SEC, LL_FRAGMENT_SEC, type LlLiveCommand } from './ll-live-command.js';
import { loadHistory } from './ll-history.js';
import { recoverLlState, type LlResumeState } from './ll-resume.js';
import { LlRungPackager } from './ll-rung-packager.js';
import { MEDIA_PLAYLIST_NAME } from '../ffmpeg/hls-output.js';

/** Tells whoever serves the playlists that one was rewritten (the API's blocking reloads). */
export interface PlaylistBell {
  ring(playlistKey: string): void;
}
export const PLAYLIST_BELL = Symbol('PLAYLIST_BELL');

/**
 * A low-latency live's output: one packager per ffmpeg output pipe, all with the same declared timing
 * (PART-TARGET from the slowest frame of any rung or the audio, TARGETDURATION the segment length), so
 * every rung's playlist advances in step.
 */
export class LlLiveOutput {
  private readonly packagers: LlRungPackager[];
  private readonly consumed: Array<Promise<void>> = [];

  constructor(
    storage: MediaStorage,
    outKey: string,
    command: Pick<LlLiveCommand, 'outputs'>,
    ladder: readonly Pick<LadderRung, 'fps'>[],
    segmentSec: number,
    bell: PlaylistBell,
    /** A resume: each output's state recovered from the playlist the run before left (by output name). */
    resumes: ReadonlyMap<string, LlResumeState> = new Map(),
  ) {
    const frames = [...ladder.map((r) => 1 / r.fps), ...(command.outputs.some((o) => o.kind === 'audio-rendition') ? [AAC_FRAME_SEC] : [])];
    const timing = { partTargetSec: partTargetFor(LL_FRAGMENT_SEC, frames), targetDurationSec: Math.max(1, Math.ceil(segmentSec)) };
    this.packagers = command.outputs.map(
      (o) =>
        new LlRungPackager(
          storage,
          joinKey(outKey, o.name),
          { ...timing, segmentSec, onPlaylist: (key) => bell.ring(key) },
          resumes.get(o.name),
        ),
    );
  }

  /**
   * A resume: every output's playlist from the run before, read back as packager state (an output
   * without one starts at msn 0, as a rung whose first run died before its first playlist).
   */
  static async recover(
    storage: MediaStorage,
    outKey: string,
    command: Pick<LlLiveCommand, 'outputs'>,
  ): Promise<Map<string, LlResumeState>> {
    const resumes = new Map<string, LlResumeState>();
    for (const o of command.outputs) {
      const key = joinKey(outKey, o.name, MEDIA_PLAYLIST_NAME);
      if ((await storage.size(key)) === undefined) continue;
      const state = recoverLlState(await storage.readText(key));
      const history = await loadHistory(storage, joinKey(outKey, o.name), state.segments[0]?.msn ?? state.nextMsn);
      resumes.set(o.name, { ...state, history });
    }
    return resumes;
  }

  /** The runner's `outputPipes`: pipe 3 + i feeds packager i. */
  get pipes(): Array<(stream: Readable) => void> {
    return this.packagers.map((p) => (stream: Readable) => {
      this.consumed.push(
        p.consume(stream).catch((err: unknown) => {
          // ffmpeg then fails on its next write to this pipe and the live ends like any broken encode.
          stream.destroy();
          throw err;
        }),
      );
    });
  }

  /** After ffmpeg exited: every pipe read to its end, then each rung's last segment and final playlist. */
  async finish(): Promise<void> {
    const results = await Promise.allSettled(this.consumed);
    for (const p of this.packagers) await p.finish();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
}
