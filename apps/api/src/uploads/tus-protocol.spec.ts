import { describe, expect, it } from 'vitest';
import type { UploadRecord } from './uploads.repository.js';
import { effectiveMethod, finishedUploadAnswer, protocolRefusal } from './tus-protocol.js';

const TUS = { 'tus-resumable': '1.0.0' };

describe('tus protocol checks', () => {
  it('honours X-HTTP-Method-Override on POST for the upload methods only', () => {
    expect(effectiveMethod('POST', { 'x-http-method-override': 'patch' })).toBe('PATCH');
    expect(effectiveMethod('POST', {})).toBe('POST');
    expect(effectiveMethod('GET', { 'x-http-method-override': 'PATCH' })).toBe('GET');
    expect(effectiveMethod('POST', { 'x-http-method-override': 'GET' })).toBeNull();
  });

  it('answers an unsupported Tus-Resumable with 412 and Tus-Version, a wrong PATCH type with 415', () => {
    expect(protocolRefusal('HEAD', { 'tus-resumable': '0.2.2' })).toMatchObject({ status: 412, headers: { 'Tus-Version': '1.0.0' } });
    expect(protocolRefusal('HEAD', {})).toMatchObject({ status: 412 });
    expect(protocolRefusal('OPTIONS', {})).toBeNull();
    expect(protocolRefusal('PATCH', { ...TUS, 'content-type': 'text/plain' })).toMatchObject({ status: 415 });
    expect(protocolRefusal('PATCH', { ...TUS, 'content-type': 'application/offset+octet-stream' })).toBeNull();
  });

  it('refuses creation-with-upload and a deferred length, which are not advertised', () => {
    expect(protocolRefusal('POST', { ...TUS, 'content-type': 'application/offset+octet-stream' })).toMatchObject({ status: 400 });
    expect(protocolRefusal('POST', { ...TUS, 'content-length': '10' })).toMatchObject({ status: 400 });
    expect(protocolRefusal('POST', { ...TUS, 'upload-defer-length': '1' })).toMatchObject({ status: 400, message: /Upload-Length/ });
    expect(protocolRefusal('POST', { ...TUS, 'upload-length': '10', 'content-length': '0' })).toBeNull();
  });

  it('answers a finished upload from its row: HEAD the full offset and media, a PATCH at the end 204, others 409', () => {
    const row: UploadRecord = {
      id: 'a'.repeat(32),
      userId: 'u',
      roomId: 'r',
      sizeBytes: 10n,
      filename: 'f',
      createdAt: new Date(),
      expiresAt: new Date(),
      mediaId: 'm',
      finishedAt: new Date(),
    };
    expect(finishedUploadAnswer('HEAD', {}, row)).toEqual({
      status: 200,
      headers: { 'Upload-Offset': '10', 'Upload-Length': '10', 'Reelroom-Media-Id': 'm' },
    });
    expect(finishedUploadAnswer('PATCH', { 'upload-offset': '10' }, row).status).toBe(204);
    expect(finishedUploadAnswer('PATCH', { 'upload-offset': '0' }, row).status).toBe(409);
    expect(finishedUploadAnswer('DELETE', {}, row).status).toBe(400);
  });
});
