import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { redactRelayKeys } from './relay-command.js';

/** The relay's ffmpeg as the publish session drives it (a fake in unit specs). */
export interface RelayProcess {
  /** Feeds one recorder chunk to ffmpeg's stdin. */
  write(chunk: Buffer): void;
  /** Bytes written but not yet read by ffmpeg: grows when ffmpeg (or the RTMP side) falls behind. */
  readonly pendingBytes: number;
  /** The page stopped: close stdin, so ffmpeg finishes its output and unpublishes cleanly. */
  end(): void;
  /** Stops ffmpeg now (the publisher is dropped). */
  kill(): void;
  /** Settles when ffmpeg has exited, with its exit code and the tail of what it printed (no stream key in it). */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

/** Starts a relay ffmpeg (a factory, so the publish server can be given another one in tests). */
export type RelayStarter = (ffmpegPath: string, args: string[]) => RelayProcess;

/** RelayProcess over a real ffmpeg child process. */
export class FfmpegRelay implements RelayProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';
  readonly exited: Promise<{ code: number | null; stderr: string }>;

  constructor(ffmpegPath: string, args: string[]) {
    this.child = spawn(ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.resume();
    this.child.stderr.on('data', (d: Buffer) => {
      // Only the tail matters (the reason it stopped); never let a chatty ffmpeg grow memory. The key is
      // hidden before the cut, so no piece of it is left at the tail's start.
      this.stderr = redactRelayKeys(this.stderr + d.toString('utf8'), args).slice(-2000);
    });
    // Writing after ffmpeg exited gives EPIPE on stdin: the exit itself is what the session acts on.
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => resolve({ code: null, stderr: redactRelayKeys(err.message, args) }));
      this.child.once('close', (code) => resolve({ code, stderr: this.stderr }));
    });
  }

  get pendingBytes(): number {
    return this.child.stdin.writableLength;
  }

  write(chunk: Buffer): void {
    if (this.child.stdin.writable) this.child.stdin.write(chunk);
  }

  end(): void {
    if (this.child.stdin.writable) this.child.stdin.end();
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** SIGINT: ffmpeg finishes its output and unpublishes (a relay whose input never ends, as WHIP's RTP). */
  interrupt(): void {
    if (this.child.exitCode === null) this.child.kill('SIGINT');
  }
}

export const startFfmpegRelay: RelayStarter = (ffmpegPath, args) => new FfmpegRelay(ffmpegPath, args);
