import { describe, expect, it } from 'vitest';
import { noteworthyLines } from './log-lines.js';

describe(noteworthyLines.name, () => {
  it('keeps warnings, errors and 5xx answers, the newest ones, and skips the rest', () => {
    const log = [
      '{"level":30,"msg":"Reelroom is up"}',
      '{"level":40,"msg":"web app not built"}',
      '{"level":30,"status":200,"msg":"request"}',
      '{"level":30,"status":500,"route":"/api/rooms/:id","msg":"request"}',
      'not json: ffmpeg said something',
      '{"level":50,"msg":"could not open the room"',
      '{"level":50,"msg":"boom"}',
      '',
    ].join('\n');
    expect(noteworthyLines(log)).toEqual([
      '{"level":40,"msg":"web app not built"}',
      '{"level":30,"status":500,"route":"/api/rooms/:id","msg":"request"}',
      '{"level":50,"msg":"boom"}',
    ]);
    expect(noteworthyLines(log, 1)).toEqual(['{"level":50,"msg":"boom"}']);
    expect(noteworthyLines(`{"level":60,"msg":"${'x'.repeat(900)}"}`)[0]).toHaveLength(500);
  });
});
