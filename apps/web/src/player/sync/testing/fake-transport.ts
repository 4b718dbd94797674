import type { PlaybackStateView, PlayerStatus } from '@reelroom/contracts';
import type { PlaybackCommand } from '@reelroom/sync';
import type { SyncTransport } from '../sync-types';
import type { FakeScheduler } from './fake-scheduler';

type CommandReply = Awaited<ReturnType<SyncTransport['command']>>;

/** The server, as far as sync sees it: a clock `offsetMs` ahead of ours, and answers a test decides. */
export class FakeTransport implements SyncTransport {
  offsetMs = 0;
  /** Set false to make every ping fail (offline). */
  online = true;
  readonly pings: { t0: number; rttMs: number | null }[] = [];
  readonly commands: PlaybackCommand[] = [];
  readonly statuses: PlayerStatus[] = [];
  /** How the server answers a command; by default it refuses, as a server with control locked would. */
  answer: (cmd: PlaybackCommand) => Promise<CommandReply> = () =>
    Promise.resolve({ ok: false, error: 'Only the host controls playback here.' });

  constructor(private readonly scheduler: FakeScheduler) {}

  ping(t0: number, rttMs: number | null): Promise<{ t0: number; serverTime: number }> {
    this.pings.push({ t0, rttMs });
    if (!this.online) return Promise.reject(new Error('offline'));
    return Promise.resolve({ t0, serverTime: this.scheduler.now() + this.offsetMs });
  }

  command(cmd: PlaybackCommand): Promise<CommandReply> {
    this.commands.push(cmd);
    return this.answer(cmd);
  }

  status(s: PlayerStatus): void {
    this.statuses.push(s);
  }
}

export const roomState = (over: Partial<PlaybackStateView> = {}): PlaybackStateView => ({
  mediaId: 'm1',
  paused: true,
  position: 0,
  rate: 1,
  anchorServerTime: 0,
  seq: 1,
  by: null,
  ...over,
});
