import { Upload, type DetailedError, type HttpResponse } from 'tus-js-client';
import { apiErrorFromBody, ApiError, networkError } from './api-error';

/** Header on the final PATCH: the id of the Media row the upload became (see apps/api/src/uploads). */
const MEDIA_ID_HEADER = 'Reelroom-Media-Id';
const DEFAULT_CHUNK = 8 * 1024 * 1024;

declare global {
  interface Window {
    /** Test hook (e2e only): a smaller tus chunk size so pause/resume can be observed on a small file. */
    __reelroomUploadChunkSize?: number;
  }
}

export interface ResumableProgress {
  sent: number;
  total: number;
}

export interface ResumableCallbacks {
  onProgress(p: ResumableProgress): void;
  /** A previous upload of this file to this room was found: it continues from `offset` bytes. */
  onResume(offset: number): void;
}

/** What the upload resolved to: the media id, or null when the server had finished it before (a reload). */
export interface ResumableResult {
  mediaId: string | null;
}

function toApiError(err: Error | DetailedError): ApiError {
  const res = 'originalResponse' in err ? err.originalResponse : null;
  if (!res) return networkError();
  const status = res.getStatus();
  const text = res.getBody() ?? '';
  let body: unknown = text.trim() ? { message: text.trim() } : undefined;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // tus's own plain-text bodies.
  }
  return apiErrorFromBody(status, body);
}

/**
 * A tus 1.0 upload to /api/uploads (tus-js-client): chunked PATCHes with retries, pause/resume, and
 * resume after a reload through the browser's stored URL for this file in this room.
 */
export class ResumableUpload {
  private readonly upload: Upload;
  private settle!: { resolve(r: ResumableResult): void; reject(e: ApiError): void };
  readonly done: Promise<ResumableResult>;
  private paused = false;

  constructor(
    roomId: string,
    file: File,
    private readonly cb: ResumableCallbacks,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.upload = new Upload(file, {
      endpoint: '/api/uploads',
      chunkSize: window.__reelroomUploadChunkSize ?? DEFAULT_CHUNK,
      retryDelays: [0, 1000, 3000, 5000, 10_000, 20_000],
      metadata: { roomId, filename: file.name, filetype: file.type },
      // The room is part of the fingerprint: the same file sent to another room is another upload.
      fingerprint: (f: File) => Promise.resolve(['reelroom', roomId, f.name, f.type, f.size, f.lastModified].join(':')),
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => cb.onProgress({ sent, total }),
      onAfterResponse: (req, res) => {
        if (req.getMethod() === 'HEAD' && res.getStatus() === 200) cb.onResume(Number(res.getHeader('Upload-Offset') ?? 0));
      },
      onSuccess: ({ lastResponse }: { lastResponse: HttpResponse }) =>
        this.settle.resolve({ mediaId: lastResponse.getHeader(MEDIA_ID_HEADER) ?? null }),
      onError: (err) => this.settle.reject(toApiError(err)),
    });
  }

  /** Starts, continuing a previous upload of the same file to the same room when there is one. */
  async start(): Promise<void> {
    const previous = await this.upload.findPreviousUploads();
    const latest = previous.sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
    if (latest) this.upload.resumeFromPreviousUpload(latest);
    this.upload.start();
  }

  async pause(): Promise<void> {
    this.paused = true;
    await this.upload.abort(false);
  }

  resume(): void {
    this.paused = false;
    this.upload.start();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Stops and deletes the partial upload on the server (frees its share of the quota). */
  async cancel(): Promise<void> {
    await this.upload.abort(true).catch(() => undefined);
    this.settle.reject(new ApiError(0, 'Upload cancelled.'));
  }
}
