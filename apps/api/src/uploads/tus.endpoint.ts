import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The tus protocol engine as the uploads middleware and the expiry sweep use it (TusServer, over
 * @tus/server). A port so their unit specs pass a fake instead of a real tus server.
 */
export abstract class TusEndpoint {
  /** Lets tus answer an admitted request (the full path is in `req.url`). */
  abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Removes an unfinished upload's bytes (its data and info files); nothing happens when there are none. */
  abstract discard(id: string): Promise<void>;
  /** tus's own sweep of uploads whose info file says they expired; returns how many it removed. */
  abstract cleanUpExpiredUploads(): Promise<number>;
}
