import { randomBytes } from 'node:crypto';
import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  type NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { from, type Observable, finalize, switchMap } from 'rxjs';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MediaService } from './media.service.js';

/** Room a multipart body may take beyond the file itself: boundaries, part headers, small fields. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** The reservation id a multipart upload request holds, for the handler. */
export type ReservedRequest = AuthedRequest & { uploadReservationId?: string };

/**
 * Pure: the declared length of a multipart upload, or the refusal, before a byte of the body is read.
 * Without Content-Length (chunked) the size cannot be checked up front: 411. Node's HTTP parser never
 * hands on more bytes than Content-Length declares, so the declared length bounds what is written.
 */
export function declaredUploadLength(headers: { 'content-length'?: string }, maxUploadBytes: number): number | HttpException {
  const raw = headers['content-length'];
  if (raw === undefined || !/^\d{1,16}$/.test(raw)) {
    return new HttpException(
      'Send the file with a Content-Length (chunked uploads are not accepted here; use resumable uploads).',
      HttpStatus.LENGTH_REQUIRED,
    );
  }
  const length = Number(raw);
  if (length > maxUploadBytes + MULTIPART_OVERHEAD_BYTES) {
    return new PayloadTooLargeException(`This file is larger than the upload limit (${(maxUploadBytes / 1024 ** 3).toFixed(1)} GB).`);
  }
  return length;
}

/**
 * Runs after the guards (signed in, member of an open room) and before multer reads the body: checks the
 * declared length against MAX_UPLOAD_BYTES and reserves it against the quota (atomically, counting other
 * uploads in flight, multipart and tus), so an over-quota upload is refused before its first byte. The
 * reservation is released when the request ends, whatever happened; by then a created media row counts.
 */
@Injectable()
export class MultipartReservationInterceptor implements NestInterceptor {
  constructor(
    private readonly media: MediaService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'maxUploadBytes'>,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<ReservedRequest>();
    const length = declaredUploadLength(req.headers, this.config.maxUploadBytes);
    if (length instanceof HttpException) throw length;
    const id = randomBytes(16).toString('hex');
    const roomId = String(req.params.id);
    return from(this.media.reserve({ id, userId: req.auth!.user.id, roomId, sizeBytes: length, filename: 'multipart' })).pipe(
      switchMap(() => {
        req.uploadReservationId = id;
        return next.handle().pipe(finalize(() => void this.media.release(id).catch(() => undefined)));
      }),
    );
  }
}
