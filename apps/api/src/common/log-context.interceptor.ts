import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { addLogContext, type LogFields } from './log-context.js';

/**
 * What the route's `:id` names, by route template prefix; `:mediaId` is always a media. Kept next to the
 * controllers' paths it mirrors: a new controller with an `:id` of another kind adds its row.
 */
const ID_KINDS: [prefix: string, field: keyof LogFields][] = [
  ['/api/rooms/:id', 'roomId'],
  ['/api/admin/queues/:queue/jobs/:id', 'jobId'],
];

/** The ids a route's parameters name, for the request's log lines (LogFields). */
export function routeLogFields(template: string | undefined, params: Record<string, string | undefined>): LogFields {
  const fields: LogFields = {};
  if (params.mediaId) fields.mediaId = params.mediaId;
  if (template && params.id) {
    const kind = ID_KINDS.find(([prefix]) => template === prefix || template.startsWith(`${prefix}/`));
    if (kind) fields[kind[1]] = params.id;
  }
  return fields;
}

/**
 * Runs after the guards: adds the signed-in user (req.auth, set by AuthGuard; typed here by shape, since
 * common/ imports no feature) and the route's ids to the request's log context, so
 * every line the handler writes carries them.
 */
@Injectable()
export class LogContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request & { auth?: { user: { id: string } } }>();
      const template = (req.route as { path?: unknown } | undefined)?.path;
      addLogContext({
        userId: req.auth?.user.id,
        ...routeLogFields(typeof template === 'string' ? template : undefined, req.params as Record<string, string | undefined>),
      });
    }
    return next.handle();
  }
}
