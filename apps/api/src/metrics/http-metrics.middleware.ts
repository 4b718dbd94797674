import type { NextFunction, Request, Response } from 'express';
import type { ApiMetrics } from './api-metrics.js';
import { routeLabel, statusClass } from './route-label.js';

/** Times every HTTP request; mounted first in main.ts so it sees all of them. */
export function httpMetricsMiddleware(metrics: ApiMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const stop = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      // req.route is the layer Express matched: a Nest handler, whose path is the whole template.
      const template = (req.route as { path?: unknown } | undefined)?.path;
      const matched = typeof template === 'string' ? template : undefined;
      stop({ method: req.method, route: routeLabel(matched, req.originalUrl.split('?')[0] ?? '/'), status: statusClass(res.statusCode) });
    });
    next();
  };
}
