import { MEDIA_PLAYLIST_NAME } from '@reelroom/contracts';
import type { Readable } from 'node:stream';
import type { LadderRung } from '../ffmpeg/ladder.js';
import { joinKey, type MediaStorage } from '../storage/media-storage.js';
import { partTargetFor } from './ll-playlist.js';
import { AAC_FRAME_SEC, LL_FRAGMENT_SEC, type LlLiveCommand } from './ll-live-command.js';
import { loadHistory } from './ll-history.js';
import { recoverLlState, type LlResumeState } from './ll-resume.js';
import { LlRungPackager } from './ll-rung-packager.js';
import { INIT_NAME } from '../ffmpeg/hls-output.js';

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
      const priorBytes = await estimatePriorBytes(storage, joinKey(outKey, o.name), state.segments, state.nextMsn);
      resumes.set(o.name, { ...state, history, priorBytes });
    }
    return resumes;
  }

  /** Bytes of the init segments and segments every output holds (LIVE_MAX_DISK_MB; parts are not counted). */
  get mediaBytes(): number {
    return this.packagers.reduce((sum, p) => sum + p.mediaBytes, 0);
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

/** Segments whose sizes are read to estimate what a resumed output already holds. */
const SIZE_SAMPLE = 5;

/**
 * What the runs before wrote of one output, for the disk bound: its init segment, plus its segment count
 * (`segments`: the next msn, as msn counts every segment from 0) times the mean size of the last few listed
 * segments. An estimate on purpose: a long live has thousands of segments, and a resume must be quick (a
 * HEAD request each on object storage); a bitrate that changed much just before the resume skews it.
 */
async function estimatePriorBytes(
  storage: MediaStorage,
  rungKey: string,
  listed: readonly { uri: string }[],
  segments: number,
): Promise<number> {
  const sample = await Promise.all(listed.slice(-SIZE_SAMPLE).map((s) => storage.size(joinKey(rungKey, s.uri))));
  const sizes = sample.filter((n): n is number => n !== undefined);
  const mean = sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : 0;
  const init = (await storage.size(joinKey(rungKey, INIT_NAME))) ?? 0;
  return init + Math.round(mean * segments);
}
