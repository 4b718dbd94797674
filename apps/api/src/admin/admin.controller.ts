import { Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  adminResetLinkBodySchema,
  type AdminResetLinkView,
  adminJobIdParamSchema,
  adminJobsQuerySchema,
  adminQueueParamSchema,
  adminWorkerParamSchema,
  LIVE_QUEUE,
  type AdminJobsQuery,
  type AdminJobView,
  type AdminQueueName,
  type AdminQueueView,
  type AdminWorkerView,
} from '@reelroom/contracts';
import { z } from 'zod';
import { ZodPipe } from '../common/zod-body.pipe.js';
import { Auth } from '../auth/auth.guard.js';
import { AdminGuard } from '../auth/admin.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { MediaService } from '../media/media.service.js';
import { QueueAdmin } from '../queue/queue-admin.js';
import { PasswordResets } from '../auth/account/password-resets.service.js';

/** Admin actions take no body; anything sent is refused rather than ignored. */
const emptyBody = z.union([z.undefined(), z.object({}).strict()], { error: 'This action takes no body.' });

/**
 * The admin console's API (issue 10), administrators only (AdminGuard: 401 / 403): the queues with their
 * counts, pause and resume, jobs by state (failed ones with their reasons, running ones with progress),
 * retry of a failed job, cancel of a running one, the workers connected, drain and resume of a worker.
 */
@Controller('api/admin')
@UseGuards(AdminGuard)
export class AdminController {
  constructor(
    private readonly queues: QueueAdmin,
    private readonly media: MediaService,
    private readonly resets: PasswordResets,
  ) {}

  /**
   * A password reset link for an account (issue 12), for servers that send no mail: the administrator
   * hands it over. Only the newest link of an account works.
   */
  @Post('password-reset-links')
  @HttpCode(201)
  resetLink(@Auth() ctx: AuthContext, @Body(new ZodPipe(adminResetLinkBodySchema)) body: { email: string }): Promise<AdminResetLinkView> {
    return this.resets.issueByAdmin(ctx.user.id, body.email);
  }

  @Get('queues')
  overview(): Promise<AdminQueueView[]> {
    return this.queues.overview();
  }

  @Post('queues/:queue/pause')
  @HttpCode(204)
  async pause(@Param('queue', new ZodPipe(adminQueueParamSchema)) queue: AdminQueueName, @Body(new ZodPipe(emptyBody)) _body: unknown) {
    await this.queues.pause(queue);
  }

  @Post('queues/:queue/resume')
  @HttpCode(204)
  async resume(@Param('queue', new ZodPipe(adminQueueParamSchema)) queue: AdminQueueName, @Body(new ZodPipe(emptyBody)) _body: unknown) {
    await this.queues.resume(queue);
  }

  @Get('queues/:queue/jobs')
  jobs(
    @Param('queue', new ZodPipe(adminQueueParamSchema)) queue: AdminQueueName,
    @Query(new ZodPipe(adminJobsQuerySchema)) query: AdminJobsQuery,
  ): Promise<AdminJobView[]> {
    return this.queues.jobs(queue, query);
  }

  /**
   * Transcodes and imports are retried through the media (the row back to queued, then the job), exactly
   * like the uploader's retry: a bare BullMQ retry would meet a failed row and do nothing. Lives run once:
   * the streamer publishes again instead.
   */
  @Post('queues/:queue/jobs/:id/retry')
  @HttpCode(204)
  async retry(
    @Auth() ctx: AuthContext,
    @Param('queue', new ZodPipe(adminQueueParamSchema)) queue: AdminQueueName,
    @Param('id', new ZodPipe(adminJobIdParamSchema)) id: string,
    @Body(new ZodPipe(emptyBody)) _body: unknown,
  ): Promise<void> {
    if (queue === LIVE_QUEUE) throw new ConflictException('A live cannot be retried; the streamer starts it again by publishing.');
    const found = await this.queues.find(queue, id);
    if (!found) throw new NotFoundException(`No job ${id} in the ${queue} queue.`);
    if (found.state !== 'failed') throw new ConflictException(`Job ${id} is ${found.state}; only a failed job can be retried.`);
    await this.media.retryAsAdmin(ctx.user.id, found.job.mediaId ?? id);
  }

  /**
   * Stops a waiting or running transcode or import through its media (the row ends failed, ffmpeg is
   * killed on whichever worker runs it), like the uploader's cancel. A live ends when its streamer stops.
   */
  @Post('queues/:queue/jobs/:id/cancel')
  @HttpCode(204)
  async cancel(
    @Auth() ctx: AuthContext,
    @Param('queue', new ZodPipe(adminQueueParamSchema)) queue: AdminQueueName,
    @Param('id', new ZodPipe(adminJobIdParamSchema)) id: string,
    @Body(new ZodPipe(emptyBody)) _body: unknown,
  ): Promise<void> {
    if (queue === LIVE_QUEUE) throw new ConflictException('A live cannot be cancelled here; it ends when the streamer stops publishing.');
    const found = await this.queues.find(queue, id);
    if (!found) throw new NotFoundException(`No job ${id} in the ${queue} queue.`);
    if (!['active', 'waiting', 'prioritized', 'delayed'].includes(found.state)) {
      throw new ConflictException(`Job ${id} is ${found.state}; only a waiting or running job can be cancelled.`);
    }
    await this.media.cancelAsAdmin(ctx.user.id, found.job.mediaId ?? id);
  }

  @Get('workers')
  workers(): Promise<AdminWorkerView[]> {
    return this.queues.workers();
  }

  /** Drain: the transcoder process takes no new job; the running ones finish. For a deploy or a host to retire. */
  @Post('workers/:worker/drain')
  @HttpCode(204)
  async drain(@Param('worker', new ZodPipe(adminWorkerParamSchema)) worker: string, @Body(new ZodPipe(emptyBody)) _body: unknown) {
    if (!(await this.queues.setDraining(worker, true))) throw new NotFoundException(`No worker ${worker} is connected.`);
  }

  /** Undoes a drain: the process takes jobs again. */
  @Post('workers/:worker/resume')
  @HttpCode(204)
  async resumeWorker(@Param('worker', new ZodPipe(adminWorkerParamSchema)) worker: string, @Body(new ZodPipe(emptyBody)) _body: unknown) {
    await this.queues.setDraining(worker, false);
  }
}
