import { HttpException, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { addLogContext } from '../common/log-context.js';
import { tokenFromRequest } from '../auth/auth.guard.js';
import { GUEST_UPLOAD_REFUSED } from '../rooms/room-member.guard.js';
import { UploadContexts, type UploadContext } from './upload-context.js';
import { httpMessage, jsonError } from './upload-errors.js';
import { isUploadId } from './upload-id.js';
import { UploadsService } from './uploads.service.js';
import { TusEndpoint } from './tus.endpoint.js';
import { effectiveMethod, finishedUploadAnswer, protocolRefusal, TUS_VERSION, type TusAnswer } from './tus-protocol.js';

/** The parts of an express request the middleware reads (a plain object in unit specs). */
export type UploadRequest = Pick<Request, 'method' | 'path' | 'headers' | 'cookies' | 'originalUrl' | 'url'>;

/** A refusal; `discard` names an upload to remove with it (its uploader lost the right to the room). */
export type Refusal = { status: number; message: string; discard?: string };

/** Let through to tus with this context, or answered at once. */
export type Admission = { context: UploadContext } | { refuse: Refusal };

/**
 * Everything under /api/uploads, mounted as plain express middleware ahead of the JSON body parser so
 * tus reads the raw request stream (main.ts). Before tus touches anything it checks the tus protocol
 * headers (tus-protocol.ts), authenticates the caller (cookie or Bearer, like every route), refuses guests,
 * allows POST only on the collection, and on an upload URL requires a 32-hex id whose Upload row belongs to
 * the caller: anything else is 404, so an id reveals nothing. A PATCH re-checks that the uploader may still
 * take part in the room (a ban, kick or close ends the upload and removes its bytes); a finished upload is
 * answered here, from its row. Creation rules, completion and quota live in UploadsService; tus in TusServer.
 */
@Injectable()
export class UploadsMiddleware {
  constructor(
    private readonly uploads: UploadsService,
    private readonly tus: TusEndpoint,
    private readonly contexts: UploadContexts,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The express handler. */
  readonly handle = async (req: Request, res: Response): Promise<void> => {
    const answer = (a: TusAnswer) => {
      res.status(a.status).set({ 'Tus-Resumable': TUS_VERSION, 'Cache-Control': 'no-store', ...a.headers });
      if (a.message === undefined || req.method === 'HEAD') return void res.end();
      res.set('Content-Type', 'application/json; charset=utf-8').send(jsonError(a.status, a.message));
    };
    try {
      const method = effectiveMethod(req.method, req.headers);
      if (method === null) return answer({ status: 400, message: 'X-HTTP-Method-Override may name PATCH, HEAD or DELETE only.' });
      // tus reads the method from the request: the override becomes the method.
      req.method = method;
      const protocol = protocolRefusal(method, req.headers);
      if (protocol) return answer(protocol);
      if (method !== 'OPTIONS') {
        const decision = await this.admit(req);
        if ('refuse' in decision) {
          if (decision.refuse.discard) await this.discard(decision.refuse.discard);
          return answer(decision.refuse);
        }
        const { upload } = decision.context;
        if (upload?.mediaId) return answer(finishedUploadAnswer(method, req.headers, upload));
        this.contexts.set(req, decision.context);
      }
      // tus takes the upload id from the URL: give it the full path, not the mount-relative one.
      req.url = req.originalUrl;
      await this.tus.handle(req, res);
    } catch (err) {
      this.logger.error({ err, method: req.method }, 'upload request failed');
      if (!res.headersSent) answer({ status: 500, message: 'The server had a problem with this upload. Please try again.' });
      else res.destroy();
    }
  };

  /** Who is asking, for what: the context tus's hooks will see, or the refusal to answer at once. */
  async admit(req: UploadRequest): Promise<Admission> {
    const auth = await this.uploads.authenticate(tokenFromRequest(req.headers, req.cookies as Record<string, string> | undefined));
    if (!auth) return { refuse: { status: 401, message: 'Sign in to continue.' } };
    addLogContext({ userId: auth.user.id });
    // Guests can watch and chat; uploading needs an account (issue 3).
    if (auth.user.isGuest) return { refuse: { status: 403, message: GUEST_UPLOAD_REFUSED } };
    // req.path is relative to the mount point and not percent-decoded: `%2e%2e%2f` fails the id pattern.
    if (req.path === '/') {
      return req.method === 'POST' ? { context: { auth, upload: null } } : { refuse: { status: 404, message: 'Not found.' } };
    }
    const id = req.path.slice(1);
    const missing = { refuse: { status: 404, message: 'This upload does not exist.' } };
    if (!isUploadId(id) || !['HEAD', 'PATCH', 'DELETE'].includes(req.method)) return missing;
    const upload = await this.uploads.findOwned(auth.user.id, id);
    // Someone else's upload answers exactly like a missing one.
    if (!upload) return missing;
    addLogContext({ roomId: upload.roomId, mediaId: upload.mediaId ?? undefined });
    if (req.method === 'PATCH' && !upload.mediaId) {
      try {
        await this.uploads.assertMayContinue(upload);
      } catch (err) {
        if (!(err instanceof HttpException)) throw err;
        this.logger.info({ uploadId: id, userId: auth.user.id, status: err.getStatus() }, 'upload refused: no longer in the room');
        return { refuse: { status: err.getStatus(), message: httpMessage(err), discard: id } };
      }
    }
    return { context: { auth, upload } };
  }

  /** Removes an upload refused half-way: its bytes (tus's files) and its row, which frees its quota. */
  private async discard(id: string): Promise<void> {
    await this.tus.discard(id);
    await this.uploads.discard(id);
  }
}
