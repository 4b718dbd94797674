import { describe, expect, it } from 'vitest';
import { FETCH_MESSAGES } from './fetch-messages.js';
import { formatBytes } from './format-bytes.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1 KiB'],
    [1536 * 1024, '1.5 MiB'],
    [4 * 1024 ** 3, '4 GiB'],
    [Math.round(1.25 * 1024 ** 3), '1.3 GiB'],
    [3 * 1024 ** 4, '3 TiB'],
  ])('%d -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('FETCH_MESSAGES', () => {
  it('names the limit that was hit', () => {
    expect(FETCH_MESSAGES.tooLarge(4 * 1024 ** 3, 'upload-limit')).toBe('The file is larger than 4 GiB, the upload limit.');
    expect(FETCH_MESSAGES.tooLarge(512 * 1024 ** 2, 'quota')).toBe(
      'The file is larger than 512 MiB, the space left in your storage quota.',
    );
  });

  it('lists the allowed ports', () => {
    expect(FETCH_MESSAGES.portNotAllowed([443])).toBe('Only links on the usual web ports can be added (port 443).');
    expect(FETCH_MESSAGES.portNotAllowed([80, 443, 8080])).toBe('Only links on the usual web ports can be added (ports 80, 443 and 8080).');
  });

  it('says the total time in a unit people read', () => {
    expect(FETCH_MESSAGES.totalTimeout(2 * 60 * 60_000)).toBe('The download took too long (more than 2 h).');
    expect(FETCH_MESSAGES.totalTimeout(90 * 60_000)).toBe('The download took too long (more than 90 min).');
    expect(FETCH_MESSAGES.totalTimeout(30_000)).toBe('The download took too long (more than 30 s).');
    expect(FETCH_MESSAGES.totalTimeout(50)).toBe('The download took too long (more than 1 s).');
  });
});
