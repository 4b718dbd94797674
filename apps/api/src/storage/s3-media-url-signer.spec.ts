import { describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { s3ClientConfig } from '@reelroom/s3/client';
import { S3MediaUrlSigner } from './s3-media-url-signer.js';

// Presigning is local (an HMAC over the request): a real client, no server.
const client = (endpoint?: string) =>
  new S3Client(
    s3ClientConfig({
      bucket: 'media',
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      forcePathStyle: endpoint !== undefined,
    }),
  );
const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const key = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11/hls/720p/seg_00001.m4s';

describe(S3MediaUrlSigner.name, () => {
  it('signs a GET of the key for the TTL, dated at the window start, answered with the given type and a cache lifetime no longer than the URL', async () => {
    let now = t0 + 12_345;
    const signer = await S3MediaUrlSigner.create(
      client('http://127.0.0.1:9000'),
      { bucket: 'media', ttlSec: 600, publicBaseUrl: undefined },
      () => now,
    );
    expect(signer.origin).toBe('http://127.0.0.1:9000');
    const url = new URL(await signer.signedGet(key, 'video/iso.segment'));
    expect(url.pathname).toBe(`/media/${key}`);
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261206T090000Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('response-content-type')).toBe('video/iso.segment');
    expect(url.searchParams.get('response-cache-control')).toBe('public, max-age=600, immutable');

    // One URL per object within a window (a CDN can cache it); a new one in the next window.
    now = t0 + 299_000;
    expect(await signer.signedGet(key, 'video/iso.segment')).toBe(url.href);
    now = t0 + 300_000;
    const next = new URL(await signer.signedGet(key, 'video/iso.segment'));
    expect(next.searchParams.get('X-Amz-Date')).toBe('20261206T090500Z');
    expect(next.searchParams.get('X-Amz-Signature')).not.toBe(url.searchParams.get('X-Amz-Signature'));
  });

  it('points the URLs at the public base when a CDN fronts the bucket, signed as for the endpoint', async () => {
    const direct = await S3MediaUrlSigner.create(
      client('http://10.0.0.5:9000'),
      { bucket: 'media', ttlSec: 600, publicBaseUrl: undefined },
      () => t0,
    );
    const viaCdn = await S3MediaUrlSigner.create(
      client('http://10.0.0.5:9000'),
      { bucket: 'media', ttlSec: 600, publicBaseUrl: 'https://cdn.example' },
      () => t0,
    );
    expect(viaCdn.origin).toBe('https://cdn.example');
    const a = new URL(await direct.signedGet(key, 'image/jpeg'));
    const b = new URL(await viaCdn.signedGet(key, 'image/jpeg'));
    expect(b.origin).toBe('https://cdn.example');
    expect(b.pathname + b.search).toBe(a.pathname + a.search);
  });

  it("uses AWS's own virtual-hosted endpoint when no S3_ENDPOINT is set", async () => {
    const signer = await S3MediaUrlSigner.create(client(), { bucket: 'media', ttlSec: 600, publicBaseUrl: undefined }, () => t0);
    expect(signer.origin).toBe('https://media.s3.eu-west-1.amazonaws.com');
  });
});
