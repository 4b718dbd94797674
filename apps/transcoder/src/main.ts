import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { loadConfigOrExit } from '@reelroom/contracts';
import { BinaryCheckError, checkMediaBinaries } from './binaries/media-binaries.js';
import { loadConfig } from './config/config.js';
import { TranscoderModule } from './transcoder.module.js';
import { OpsServer } from './ops/ops-server.js';
import { currentJobLogFields } from './ops/log-context.js';

/**
 * A Nest standalone context: BullMQ workers that run ffmpeg, plus a small HTTP listener for metrics and
 * probes (OpsServer). Scale by running more copies.
 */
async function bootstrap() {
  const config = loadConfigOrExit(loadConfig, process.env);
  // mixin: every line written while a job runs carries its jobId, queue, name, mediaId and roomId.
  const options = { name: 'transcoder', level: config.logLevel, mixin: currentJobLogFields };
  const logger =
    config.logFormat === 'pretty'
      ? pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,name' } } })
      : // Written synchronously: Nest ends a SIGTERM shutdown by re-raising the signal, which skips pino's
        // flush on exit, and the lines lost would be the shutdown's own (jobs handed back). A few lines a
        // second at most, so blocking writes cost nothing here.
        pino(options, pino.destination({ dest: 1, sync: true }));
  // Before taking any job: a missing or too old ffmpeg stops the start with what to do about it.
  const binaries = await checkMediaBinaries(config, logger);
  const app = await NestFactory.createApplicationContext(TranscoderModule.create(config, logger, binaries), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  const httpPort = await app.get(OpsServer).listen();
  // Parents (the test harness) learn the metrics port from this message when TRANSCODER_HTTP_PORT=0.
  if (process.send) process.send({ type: 'ready', httpPort });
}

bootstrap().catch((err: unknown) => {
  if (err instanceof BinaryCheckError) {
    console.error(err.message);
    process.exit(78); // EX_CONFIG, like a bad environment variable
  }
  console.error(err);
  process.exit(1);
});
