import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express from 'express';
import { AppModule } from './app.module.js';
import { loadConfigOrExit, WHIP_OFFER_MAX_BYTES } from '@reelroom/contracts';
import { loadConfig } from './config/config.js';
import { createLogger, PinoNestLogger } from './common/logger.js';
import { requestContextMiddleware, restoreRequestContext } from './common/log-context.js';
import { accessLogMiddleware } from './common/access-log.middleware.js';
import { handleShutdownSignals } from './graceful-shutdown.js';
import { UPLOADS_PATH } from './uploads/tus.server.js';
import { UploadsMiddleware } from './uploads/uploads.middleware.js';
import { originGuard } from './http-security/origin.middleware.js';
import { securityHeadersMiddleware } from './http-security/security-headers.js';
import { MediaUrlSigner } from './storage/media-url-signer.js';
import { ClientAddress } from './common/net/client-address.js';
import { ApiMetrics } from './metrics/api-metrics.js';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware.js';
import { BULL_BOARD_PATH, bullBoardRouter } from './admin/bull-board.js';
import { adminCaller } from './auth/admin.guard.js';
import { AdminPolicy } from './auth/admin-policy.js';
import { AuthService } from './auth/auth.service.js';
import { BullQueueAdmin } from './queue/bull-queue-admin.js';

async function bootstrap() {
  const config = loadConfigOrExit(loadConfig, process.env);
  const logger = createLogger(config.logLevel, 'api', config.logFormat);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.create(config, logger), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  app.disable('x-powered-by');
  // Only configured proxies (TRUST_PROXY) may speak for the client: req.ip and req.protocol follow the
  // same rule as ClientAddress, which every limit and ban uses.
  app.set('trust proxy', app.get(ClientAddress).expressTrust);
  // First of all: the request's id and log context (every later line of the request carries its ids),
  // and its one access-log line when it ends.
  app.use(requestContextMiddleware(), accessLogMiddleware(logger));
  // Then, so every request is timed (by route template; GET /metrics itself is a Nest route).
  app.use(httpMetricsMiddleware(app.get(ApiMetrics)));
  // With MEDIA_DELIVERY=signed the player also fetches from the bucket's (or CDN's) origin.
  app.use(securityHeadersMiddleware(config.cookieSecure, app.get(MediaUrlSigner).origin));
  app.use(cookieParser());
  // Cross-site writes with the session cookie are refused before any route (uploads included) runs.
  app.use(originGuard(config.allowedOrigins));
  // tus (resumable uploads) reads the raw request stream, so it is mounted as plain middleware before any
  // body parser, and outside Nest's router: it answers every method itself (POST/HEAD/PATCH/DELETE/OPTIONS).
  app.use(UPLOADS_PATH, app.get(UploadsMiddleware).handle);
  // WHIP offers (application/sdp) are text; every other body is JSON.
  app.use(
    '/api',
    express.json({ limit: '64kb' }),
    express.text({ type: 'application/sdp', limit: WHIP_OFFER_MAX_BYTES }),
    restoreRequestContext(),
  );
  // Bull Board for administrators only (issue 10); it brings its own router, assets and body parser.
  const [auth, admins] = [app.get(AuthService), app.get(AdminPolicy)];
  app.use(BULL_BOARD_PATH, ...bullBoardRouter([...app.get(BullQueueAdmin).queues.values()], (req) => adminCaller(auth, admins, req)));

  // The built web app, from the same origin as the API: static files, then index.html for client routes.
  if (existsSync(join(config.webDist, 'index.html'))) {
    // Source maps (if a build made them) are for developers, not for every visitor of a public instance.
    if (config.env !== 'development') {
      app.use((req: express.Request, res: express.Response, next: express.NextFunction) =>
        req.path.endsWith('.map') ? void res.status(404).end() : next(),
      );
    }
    app.use(
      express.static(config.webDist, {
        index: false,
        maxAge: '1h',
        setHeaders: (res, path) => {
          if (path.includes('/assets/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        },
      }),
    );
    app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
      const isAppRoute = req.method === 'GET' && !/^\/(api|media|socket\.io|metrics)(\/|$)/.test(req.path);
      if (!isAppRoute) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(config.webDist, 'index.html'));
    });
  } else {
    logger.warn({ webDist: config.webDist }, 'web app not built: only the API is served');
  }

  // Not enableShutdownHooks(): SIGTERM first takes the process out of rotation, then moves its sockets.
  handleShutdownSignals(app, logger, config.shutdownDelayMs);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port }, `Reelroom is up at ${config.publicUrl ?? `http://localhost:${port}`}`);
  // Parents (test harness, scripts/up) read this line to learn the port when PORT=0.
  if (process.send) process.send({ type: 'listening', port });
}

bootstrap().catch((err) => {
  console.error(err);
  process.exit(1);
});
