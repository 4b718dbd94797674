import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withWorkMark } from '../ops/work-mark.js';
import { FfmpegError, FfmpegRunner, TailBuffer } from './ffmpeg-runner.js';

// The runner is exercised with `node -e <script>` standing in for ffmpeg: same spawn, pipes and signals,
// no media needed.
const fake = (script: string) => ({ ffmpegPath: process.execPath, args: ['-e', script] });

describe(FfmpegRunner.name, () => {
  it("stores its job's work mark before it spawns (a file that kills the worker at once leaves it), once per run", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rr-work-mark-'));
    const spawned = join(dir, 'spawned');
    const seenBySpawn: boolean[] = [];
    try {
      await withWorkMark(
        async () => {
          await new Promise((r) => setTimeout(r, 50));
          seenBySpawn.push(existsSync(spawned));
        },
        async () => {
          const runner = new FfmpegRunner(false, false);
          await runner.run({ ...fake(`require('fs').writeFileSync(${JSON.stringify(spawned)}, '')`), timeoutMs: 5000 });
          await runner.run({ ...fake(''), timeoutMs: 5000 });
        },
      );
      expect(seenBySpawn).toEqual([false]);
      expect(existsSync(spawned)).toBe(true);
      // Outside a job (benches, tools) there is nothing to mark, and the run goes on.
      await new FfmpegRunner(false, false).run({ ...fake(''), timeoutMs: 5000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports throttled progress from the -progress pipe and resolves on exit 0', async () => {
    const seen: number[] = [];
    await new FfmpegRunner(false, false).run({
      ...fake(`for (const t of [1e6, 2e6, 3e6]) process.stdout.write('out_time_us=' + t + '\\nprogress=continue\\n');
               setTimeout(() => process.stdout.write('out_time_us=4000000\\nprogress=end\\n'), 50);`),
      timeoutMs: 5000,
      durationSec: 4,
      progressIntervalMs: 10_000,
      onProgress: (p) => seen.push(p),
    });
    // 25 passes, 50 and 75 fall inside the throttle window, the end is always sent.
    expect(seen).toEqual([25, 100]);
  });

  it('reports every out_time in seconds, unthrottled, and skips the N/A of early blocks', async () => {
    const seen: number[] = [];
    await new FfmpegRunner(false, false).run({
      ...fake(
        `process.stdout.write('out_time_us=N/A\\nprogress=continue\\nout_time_us=1500000\\nprogress=continue\\nout_time_us=2000000\\nprogress=end\\n');`,
      ),
      timeoutMs: 5000,
      onOutTime: (s) => seen.push(s),
    });
    expect(seen).toEqual([1.5, 2]);
  });

  it('hands extra output pipes (fd 3, 4...) to their readers, as ffmpeg pipe:3 writes them', async () => {
    const read: string[] = ['', ''];
    await new FfmpegRunner(false, false).run({
      ...fake(`require('fs').writeSync(3, 'high'); require('fs').writeSync(4, 'audio');`),
      timeoutMs: 5000,
      outputPipes: [0, 1].map((i) => (stream) => stream.on('data', (c: Buffer) => (read[i] += c.toString()))),
    });
    expect(read).toEqual(['high', 'audio']);
  });

  it('rejects with the stderr tail on a non-zero exit', async () => {
    const run = new FfmpegRunner(false, false).run({
      ...fake(`process.stderr.write('x'.repeat(10000) + '\\nError opening input: Invalid data found\\n'); process.exit(1);`),
      timeoutMs: 5000,
    });
    const err = (await run.catch((e: unknown) => e)) as FfmpegError;
    expect(err).toBeInstanceOf(FfmpegError);
    expect(err.reason).toBe('exit');
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain('Invalid data found');
    expect(err.stderrTail.endsWith('Invalid data found')).toBe(true);
    expect(err.stderrTail.length).toBeLessThanOrEqual(4096);
  });

  it('kills a process that runs past the wall-clock limit', async () => {
    const started = Date.now();
    const err = (await new FfmpegRunner(false, false)
      .run({ ...fake('setInterval(() => {}, 1000)'), timeoutMs: 300 })
      .catch((e: unknown) => e)) as FfmpegError;
    expect(err.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('on abort sends SIGTERM, then SIGKILL when the process ignores it', async () => {
    const controller = new AbortController();
    const run = new FfmpegRunner(false, false).run({
      // The fake reports progress only once its SIGTERM handler is installed; that report triggers the abort.
      ...fake(
        `process.on('SIGTERM', () => process.stderr.write('ignoring SIGTERM\\n')); setInterval(() => {}, 1000); process.stdout.write('out_time_us=1000000\\nprogress=continue\\n');`,
      ),
      timeoutMs: 10_000,
      durationSec: 10,
      onProgress: () => controller.abort(),
      signal: controller.signal,
      killGraceMs: 200,
    });
    const err = (await run.catch((e: unknown) => e)) as FfmpegError;
    expect(err.reason).toBe('aborted');
    expect(err.stderrTail).toContain('ignoring SIGTERM');
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = (await new FfmpegRunner(false, false)
      .run({ ...fake('process.exit(0)'), timeoutMs: 1000, signal: controller.signal })
      .catch((e: unknown) => e)) as FfmpegError;
    expect(err.reason).toBe('aborted');
  });

  it('reports a missing binary', async () => {
    const err = (await new FfmpegRunner(false, false)
      .run({ ffmpegPath: '/nonexistent/ffmpeg', args: [], timeoutMs: 1000 })
      .catch((e: unknown) => e)) as FfmpegError;
    expect(err.reason).toBe('spawn');
    expect(err.message).toMatch(/ENOENT/);
  });

  it('prefixes nice -n only when nice is available and a niceness is set', () => {
    expect(new FfmpegRunner(true, false).commandLine({ ffmpegPath: '/usr/bin/ffmpeg', args: ['-i', 'x'], niceness: 10 })).toEqual([
      '/usr/bin/nice',
      ['-n', '10', '/usr/bin/ffmpeg', '-i', 'x'],
    ]);
    expect(new FfmpegRunner(false, false).commandLine({ ffmpegPath: '/usr/bin/ffmpeg', args: ['-i', 'x'], niceness: 10 })).toEqual([
      '/usr/bin/ffmpeg',
      ['-i', 'x'],
    ]);
    expect(new FfmpegRunner(true, false).commandLine({ ffmpegPath: '/usr/bin/ffmpeg', args: [], niceness: 0 })[0]).toBe('/usr/bin/ffmpeg');
  });

  it('makes ffmpeg die with the worker through setpriv --pdeathsig when available', () => {
    expect(new FfmpegRunner(true, true).commandLine({ ffmpegPath: '/usr/bin/ffmpeg', args: ['-i', 'x'], niceness: 10 })).toEqual([
      '/usr/bin/setpriv',
      ['--pdeathsig', 'KILL', '--', '/usr/bin/nice', '-n', '10', '/usr/bin/ffmpeg', '-i', 'x'],
    ]);
  });

  it.runIf(existsSync('/usr/bin/setpriv'))('reports a missing ffmpeg behind the setpriv/nice wrappers as a spawn failure', async () => {
    const err = (await new FfmpegRunner(true, true)
      .run({ ffmpegPath: '/nonexistent/ffmpeg', args: [], niceness: 5, timeoutMs: 5000 })
      .catch((e: unknown) => e)) as FfmpegError;
    expect(err.reason).toBe('spawn');
  });
});

describe(TailBuffer.name, () => {
  it('keeps only the last characters', () => {
    const t = new TailBuffer(5);
    for (const c of 'abcdefghijklmnop') t.push(c);
    expect(t.toString()).toBe('lmnop');
  });
});
