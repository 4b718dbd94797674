import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { ServerOptions } from '@tus/server';
import type { AuthContext } from '../auth/auth.types.js';
import type { UploadRecord } from './uploads.repository.js';

/** What the uploads middleware learned about a request before tus sees it. */
export interface UploadContext {
  auth: AuthContext;
  /** The caller's own upload on an upload URL (HEAD/PATCH/DELETE); null on the collection (POST). */
  upload: UploadRecord | null;
}

/** The request tus hands its hooks: a web Request that keeps the node request at runtime.node.req. */
export type TusRequest = Parameters<NonNullable<ServerOptions['onUploadCreate']>>[0];

/**
 * Carries an UploadContext from the middleware to tus's hooks, which only get tus's own request object.
 * Keyed weakly by the node request: nothing is added to it, and nothing outlives it.
 */
@Injectable()
export class UploadContexts {
  private readonly contexts = new WeakMap<object, UploadContext>();

  set(req: IncomingMessage, ctx: UploadContext): void {
    this.contexts.set(req, ctx);
  }

  of(req: TusRequest): UploadContext {
    const node = req.runtime?.node?.req;
    if (!node) throw new Error('tus request without its node request');
    const ctx = this.contexts.get(node);
    if (!ctx) throw new Error('tus request reached a hook without passing the uploads middleware');
    return ctx;
  }
}
