import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { HttpException } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Bull Board (@bull-board/express) at /admin/queues, behind `gate` (adminCaller: 401 without a session,
 * 403 for anyone but an administrator), answered as JSON like every API error. Its own static assets are
 * served under the same path, so they are gated too; its CSP is relaxed on that path only (security-headers.ts).
 */
export function bullBoardRouter(queues: Queue[], gate: (req: Request) => Promise<unknown>): RequestHandler[] {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Reelroom queues' } },
  });
  const guard = (req: Request, res: Response, next: NextFunction) => {
    gate(req).then(
      () => next(),
      (err: unknown) => {
        if (err instanceof HttpException) res.status(err.getStatus()).json({ statusCode: err.getStatus(), message: err.message });
        else next(err);
      },
    );
  };
  return [guard, serverAdapter.getRouter() as RequestHandler];
}
