import { describe, expect, it } from 'vitest';
import { etagOf, hlsReply, parseRange } from './hls-http.js';

const object = { size: 1000, modifiedAt: new Date('2026-01-01T00:00:00Z') };
const etag = etagOf(object);

describe('HLS conditional and range requests', () => {
  it('answers 304 when If-None-Match names the current ETag (weak or in a list, or *), 200 otherwise', () => {
    expect(hlsReply({ 'if-none-match': etag }, object)).toEqual({ status: 304 });
    expect(hlsReply({ 'if-none-match': `"x", W/${etag}` }, object)).toEqual({ status: 304 });
    expect(hlsReply({ 'if-none-match': '*' }, object)).toEqual({ status: 304 });
    expect(hlsReply({ 'if-none-match': '"other"' }, object)).toEqual({ status: 200 });
    expect(etagOf({ ...object, size: 1001 })).not.toBe(etag);
  });

  it('serves one byte range (206), clamps its end, answers 416 past the end and ignores what it cannot serve', () => {
    expect(hlsReply({ range: 'bytes=0-99' }, object)).toEqual({ status: 206, range: { start: 0, end: 99 } });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(hlsReply({ range: 'bytes=1000-' }, object)).toEqual({ status: 416 });
    for (const ignored of ['bytes=0-1,5-6', 'items=0-1', 'bytes=-', 'bytes=9-3']) expect(parseRange(ignored, 1000), ignored).toBeNull();
    expect(hlsReply({ range: 'bytes=0-1,5-6' }, object)).toEqual({ status: 200 });
  });

  it('sends the whole file when If-Range names another version', () => {
    expect(hlsReply({ range: 'bytes=0-9', 'if-range': '"old"' }, object)).toEqual({ status: 200 });
    expect(hlsReply({ range: 'bytes=0-9', 'if-range': etag }, object)).toMatchObject({ status: 206 });
  });
});
