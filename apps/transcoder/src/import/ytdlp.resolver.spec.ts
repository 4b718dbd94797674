import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_SENTENCES, ImportRejectedError } from './import-rejected.error.js';
import { YtDlpResolver, ytDlpVersion } from './ytdlp.resolver.js';

/**
 * A stand-in for yt-dlp: a node script that answers from a fixed table keyed by the page link (its last
 * argument), the way `yt-dlp --dump-single-json` does, and records the arguments it was given.
 */
const FAKE = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
if (args[0] === '--version') { console.log('2026.01.01'); process.exit(0); }
fs.writeFileSync(__filename + '.args.json', JSON.stringify(args));
const link = args[args.length - 1];
const table = {
  'https://video.example/watch?v=1': { url: 'https://cdn.example/v1.mp4', protocol: 'https', is_live: false },
  'https://video.example/watch?v=hls': { url: 'https://cdn.example/v.m3u8', protocol: 'm3u8_native' },
  'https://video.example/live': { url: 'https://cdn.example/live.m3u8', protocol: 'm3u8_native', is_live: true },
};
if (link === 'https://video.example/garbage') { process.stdout.write('not json'); process.exit(0); }
if (!(link in table)) { process.stderr.write('ERROR: Unsupported URL: ' + link); process.exit(1); }
process.stdout.write(JSON.stringify(table[link]));
`;

let bin: string;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rr-ytdlp-'));
  bin = join(dir, 'yt-dlp.cjs');
  await writeFile(bin, FAKE);
  await chmod(bin, 0o755);
});

describe(YtDlpResolver.name, () => {
  it('turns a page into one direct link, passing the link after `--` so it cannot be an option', async () => {
    const links = await new YtDlpResolver({ path: bin }).resolve('https://video.example/watch?v=1');
    expect(links).toEqual([{ url: 'https://cdn.example/v1.mp4', kind: 'file' }]);
    const args = JSON.parse(await readFile(`${bin}.args.json`, 'utf8')) as string[];
    expect(args.slice(-2)).toEqual(['--', 'https://video.example/watch?v=1']);
    expect(args).toContain('--dump-single-json');
  });

  it('marks an HLS answer as hls, so the importer parses it as a playlist', async () => {
    expect(await new YtDlpResolver({ path: bin }).resolve('https://video.example/watch?v=hls')).toEqual([
      { url: 'https://cdn.example/v.m3u8', kind: 'hls' },
    ]);
  });

  it('refuses lives, pages it cannot read and answers that are not JSON, with sentences', async () => {
    const sut = new YtDlpResolver({ path: bin });
    await expect(sut.resolve('https://video.example/live')).rejects.toThrow(new ImportRejectedError(IMPORT_SENTENCES.ytdlpLive));
    await expect(sut.resolve('https://video.example/unknown')).rejects.toThrow(IMPORT_SENTENCES.ytdlpFailed);
    await expect(sut.resolve('https://video.example/garbage')).rejects.toThrow(IMPORT_SENTENCES.ytdlpFailed);
  });

  it('stops at the output cap', async () => {
    const tiny = new YtDlpResolver({ path: bin, maxOutputBytes: 10 });
    await expect(tiny.resolve('https://video.example/watch?v=1')).rejects.toThrow(IMPORT_SENTENCES.ytdlpFailed);
  });

  it('reports the version when the binary answers, null when it is missing', () => {
    expect(ytDlpVersion(bin)).toBe('2026.01.01');
    expect(ytDlpVersion(join(tmpdir(), 'no-such-yt-dlp'))).toBeNull();
  });
});
