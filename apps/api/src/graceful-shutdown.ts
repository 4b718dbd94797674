import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import { ShutdownState } from './health/shutdown-state.js';
import { SocketEvacuation } from './realtime/socket-evacuation.js';

/**
 * SIGTERM / SIGINT for the API (issue 10), in the order a load balancer needs:
 * 1. readiness answers 503 (ShutdownState) for `delayMs`, while everything still works, so Kubernetes
 *    (or a health-checking proxy) takes the process out of rotation;
 * 2. the listener closes: no new connection (nginx then sends reconnects to another upstream);
 * 3. the sockets' transports close, so clients reconnect elsewhere and rejoin their rooms;
 * 4. Nest closes the rest (queues, Redis, database) through its shutdown hooks.
 * A second signal while this runs is ignored; the orchestrator's kill after its grace period still works.
 */
export function handleShutdownSignals(app: INestApplication, logger: Logger, delayMs: number): void {
  let started = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    app.get(ShutdownState).begin();
    logger.info({ signal, delayMs }, 'shutting down: readiness answers 503, sockets move to another process after the delay');
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const http = app.getHttpServer() as Server;
    http.close();
    const moved = app.get(SocketEvacuation).evacuate();
    http.closeIdleConnections();
    logger.info({ sockets: moved }, 'listener closed; sockets told to reconnect elsewhere');
    await app.close();
    logger.info('shut down');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(
      signal,
      () =>
        void shutdown(signal).catch((err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        }),
    );
  }
}
