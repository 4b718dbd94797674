import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ProgressParser } from './ffmpeg-progress.js';
import { redactUrls } from './hardened-input.js';
import { markWorkStarted } from '../ops/work-mark.js';

export interface FfmpegRunOptions {
  ffmpegPath: string;
  args: readonly string[];
  /** Wall-clock limit; the process is SIGKILLed when it passes. */
  timeoutMs: number;
  /** Source duration, to turn -progress out_time into a percent. */
  durationSec?: number;
  /** Run under `nice -n <niceness>` when /usr/bin/nice exists (PeerTube: VOD 15, live 5). */
  niceness?: number;
  onProgress?: (percent: number) => void;
  /** Minimum time between onProgress calls (the final 100 is always sent). */
  progressIntervalMs?: number;
  /** ffmpeg's encode speed (x real time) from each -progress block: a live must stay at 1 or above. */
  onSpeed?: (speed: number) => void;
  /** Media seconds written so far (-progress out_time), from each block: a live compares it with the wall clock. */
  onOutTime?: (seconds: number) => void;
  /**
   * Readers of extra output pipes: ffmpeg's `pipe:3` goes to the first, `pipe:4` to the second... (the
   * low-latency live writes one fragmented MP4 per rung). The run ends once ffmpeg and its pipes closed.
   */
  outputPipes?: ReadonlyArray<(stream: Readable) => void>;
  /** Abort: SIGTERM, then SIGKILL after `killGraceMs`. */
  signal?: AbortSignal;
  killGraceMs?: number;
}

export type FfmpegFailure = 'exit' | 'timeout' | 'aborted' | 'spawn';

/** ffmpeg did not finish cleanly. `stderrTail` holds the last ~4 KB ffmpeg wrote, for logs and job errors. */
export class FfmpegError extends Error {
  override name = 'FfmpegError';
  constructor(
    message: string,
    readonly reason: FfmpegFailure,
    readonly stderrTail: string,
    readonly exitCode: number | null = null,
  ) {
    super(message);
  }
}

const NICE_PATH = '/usr/bin/nice';
const SETPRIV_PATH = '/usr/bin/setpriv';
const STDERR_TAIL_BYTES = 4096;

/** Keeps only the last `max` characters written to it. */
export class TailBuffer {
  private text = '';
  constructor(private readonly max: number) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.max * 2) this.text = this.text.slice(-this.max);
  }
  /** With any URL's query removed (redactUrls): ffmpeg's messages name a presigned input. */
  toString(): string {
    return redactUrls(this.text.slice(-this.max));
  }
}

/** What the pipeline needs from a runner: run one ffmpeg to the end, or reject with an FfmpegError. */
export interface FfmpegRun {
  run(opts: FfmpegRunOptions): Promise<void>;
}

/** The one place that spawns ffmpeg: argument array (never a shell), progress, stderr tail, kills. */
export class FfmpegRunner implements FfmpegRun {
  constructor(
    private readonly niceAvailable: boolean = existsSync(NICE_PATH),
    private readonly setprivAvailable: boolean = existsSync(SETPRIV_PATH),
  ) {}

  /**
   * Command actually spawned: [file, ...args], with the nice prefix when enabled and, where util-linux's
   * setpriv exists, `setpriv --pdeathsig KILL` in front: a worker killed with SIGKILL cannot stop its
   * children, and ffmpeg ignores SIGPIPE, so without it an orphaned ffmpeg keeps encoding for minutes
   * while another worker redoes the job (measured: still running 3 s after its parent died). The death
   * signal survives the execs of nice and ffmpeg (prctl(2) PR_SET_PDEATHSIG).
   */
  commandLine(opts: Pick<FfmpegRunOptions, 'ffmpegPath' | 'args' | 'niceness'>): [string, string[]] {
    const niceness = opts.niceness ?? 0;
    const cmd: string[] =
      niceness !== 0 && this.niceAvailable
        ? [NICE_PATH, '-n', String(niceness), opts.ffmpegPath, ...opts.args]
        : [opts.ffmpegPath, ...opts.args];
    if (this.setprivAvailable) cmd.unshift(SETPRIV_PATH, '--pdeathsig', 'KILL', '--');
    return [cmd[0], cmd.slice(1)];
  }

  async run(opts: FfmpegRunOptions): Promise<void> {
    // From here the job's file is read: its worker stores that before ffmpeg could crash it (work-mark.ts).
    await markWorkStarted();
    return this.spawnToEnd(opts);
  }

  private spawnToEnd(opts: FfmpegRunOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new FfmpegError('ffmpeg was cancelled before it started', 'aborted', ''));
        return;
      }
      const [file, args] = this.commandLine(opts);
      const pipes = opts.outputPipes ?? [];
      // Typed as the three-stream spawn: stdout and stderr are pipes whatever follows them.
      const child = spawn(file, args, {
        stdio: ['ignore', 'pipe', 'pipe', ...pipes.map(() => 'pipe' as const)],
        windowsHide: true,
      }) as ChildProcessByStdio<null, Readable, Readable>;
      pipes.forEach((read, i) => read(child.stdio[3 + i] as Readable));
      const stderr = new TailBuffer(STDERR_TAIL_BYTES);
      const progress = new ProgressParser(opts.durationSec ?? 0);
      const interval = opts.progressIntervalMs ?? 500;
      let lastSent = -Infinity;
      let lastPercent = -1;
      let failure: FfmpegFailure | undefined;
      let spawnError: Error | undefined;
      let graceTimer: NodeJS.Timeout | undefined;

      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        if (opts.onSpeed) for (const m of chunk.matchAll(/^speed=\s*([\d.]+)x/gm)) opts.onSpeed(Number(m[1]));
        // out_time_us is microseconds (see ProgressParser); early blocks say N/A and do not match.
        if (opts.onOutTime) for (const m of chunk.matchAll(/^out_time_us=(\d+)$/gm)) opts.onOutTime(Number(m[1]) / 1e6);
        for (const percent of progress.push(chunk)) {
          const now = Date.now();
          if (percent === lastPercent) continue;
          if (percent < 100 && now - lastSent < interval) continue;
          lastSent = now;
          lastPercent = percent;
          opts.onProgress?.(Math.round(percent * 10) / 10);
        }
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => stderr.push(chunk));

      const timeout = setTimeout(() => {
        failure ??= 'timeout';
        child.kill('SIGKILL');
      }, opts.timeoutMs);
      const onAbort = () => {
        failure ??= 'aborted';
        child.kill('SIGTERM');
        // ffmpeg finishes the current packet on SIGTERM; a stuck demuxer may never get there.
        graceTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 3000);
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });

      child.on('error', (err) => {
        failure ??= 'spawn';
        spawnError = err;
      });
      child.on('close', (code, sig) => {
        clearTimeout(timeout);
        if (graceTimer) clearTimeout(graceTimer);
        opts.signal?.removeEventListener('abort', onAbort);
        const tail = stderr.toString().trim();
        if (failure === 'timeout') {
          reject(new FfmpegError(`ffmpeg ran longer than ${Math.round(opts.timeoutMs / 1000)} s and was stopped`, 'timeout', tail, code));
        } else if (failure === 'aborted') {
          reject(new FfmpegError('ffmpeg was cancelled', 'aborted', tail, code));
        } else if (failure === 'spawn') {
          reject(new FfmpegError(`ffmpeg could not start: ${spawnError?.message ?? 'unknown error'}`, 'spawn', tail, code));
        } else if (code === 127 && file !== opts.ffmpegPath) {
          // nice/setpriv exit 127 when they cannot exec ffmpeg: the same failure as spawn's ENOENT.
          reject(new FfmpegError(`ffmpeg could not start: ${tail.split('\n').pop() ?? 'not found'}`, 'spawn', tail, code));
        } else if (code !== 0) {
          const last = tail.split('\n').pop() ?? '';
          reject(new FfmpegError(`ffmpeg exited with ${code ?? sig}: ${last}`, 'exit', tail, code));
        } else {
          resolve();
        }
      });
    });
  }
}
