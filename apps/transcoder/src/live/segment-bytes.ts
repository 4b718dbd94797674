import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Bytes of the media files (segments and init segments) under a live's output folder on this machine,
 * counted incrementally: a segment never changes once ffmpeg renamed it into place, so each is stat'ed
 * once and a poll costs one readdir per rung. Playlists and `.tmp` files (a segment being written) are
 * not counted.
 */
export class SegmentBytes {
  private readonly sizes = new Map<string, number>();
  private total = 0;

  constructor(private readonly dir: string) {}

  async measure(): Promise<number> {
    const rungs = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    for (const rung of rungs) {
      if (!rung.isDirectory()) continue;
      const names = await readdir(join(this.dir, rung.name)).catch(() => [] as string[]);
      for (const name of names) {
        if (!name.endsWith('.m4s') && !name.endsWith('.mp4')) continue;
        const path = join(rung.name, name);
        if (this.sizes.has(path)) continue;
        const size = (await stat(join(this.dir, path)).catch(() => undefined))?.size;
        if (size === undefined) continue;
        this.sizes.set(path, size);
        this.total += size;
      }
    }
    return this.total;
  }
}
