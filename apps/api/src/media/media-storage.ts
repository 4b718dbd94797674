import { mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** Names of files under a media directory that the HLS route may serve: no dots-only, no separators. */
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

/**
 * The one class that touches MEDIA_ROOT. Layout:
 *   MEDIA_ROOT/.incoming/<random>   multipart uploads while they arrive
 *   MEDIA_ROOT/<mediaId>/source     the upload, under a server-generated name
 *   MEDIA_ROOT/<mediaId>/hls/...    renditions and master.m3u8, written by the transcoder
 */
@Injectable()
export class MediaStorage {
  readonly root: string;
  readonly incomingDir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = config.mediaRoot;
    this.incomingDir = join(this.root, '.incoming');
  }

  async ensureDirs(): Promise<void> {
    await mkdir(this.incomingDir, { recursive: true });
  }

  mediaDir(mediaId: string): string {
    return join(this.root, mediaId);
  }

  async readHead(path: string, bytes: number): Promise<Buffer> {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await fh.read(buf, 0, bytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  /** Moves a finished upload into MEDIA_ROOT/<mediaId>/source (same filesystem: an atomic rename). */
  async adoptUpload(tmpPath: string, mediaId: string): Promise<void> {
    const dir = this.mediaDir(mediaId);
    await mkdir(dir, { recursive: true });
    await rename(tmpPath, join(dir, 'source'));
  }

  async removeMedia(mediaId: string): Promise<void> {
    await rm(this.mediaDir(mediaId), { recursive: true, force: true });
  }

  async discard(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  /**
   * Maps `/media/<mediaId>/<segments...>` to a file under MEDIA_ROOT/<mediaId>/hls, or null.
   * Each segment is checked against a strict pattern (no `..`, no separators, no encoded tricks: Express
   * has already decoded them, so `%2e%2e` arrives as `..` and fails), and the resolved path must stay
   * inside the media's hls directory, before and after symlinks are followed.
   */
  async resolveServedFile(mediaId: string, segments: string[]): Promise<string | null> {
    if (segments.length === 0 || segments.length > 3) return null;
    if (!segments.every((s) => SAFE_SEGMENT.test(s) && !/^\.+$/.test(s))) return null;
    const base = resolve(this.mediaDir(mediaId), 'hls');
    const target = resolve(base, ...segments);
    const rel = relative(base, target);
    if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('..')) return null;
    try {
      // A symlink planted in the output must not lead outside either: compare real paths too.
      const [realBase, realTarget] = await Promise.all([realpath(base), realpath(target)]);
      const realRel = relative(realBase, realTarget);
      if (realRel.startsWith('..') || realRel.split(sep).includes('..')) return null;
      const s = await stat(realTarget);
      return s.isFile() ? target : null;
    } catch {
      return null;
    }
  }
}
