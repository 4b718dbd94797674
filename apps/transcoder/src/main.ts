import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { loadConfigOrExit } from '@reelroom/contracts';
import { loadConfig } from './config/config.js';
import { TranscoderModule } from './transcoder.module.js';

/** A Nest standalone context (no HTTP): BullMQ workers that run ffmpeg. Scale by running more copies. */
async function bootstrap() {
  const config = loadConfigOrExit(loadConfig, process.env);
  const logger = pino({
    name: 'transcoder',
    level: config.logLevel,
    ...(config.logFormat === 'pretty' ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,name' } } } : {}),
  });
  const app = await NestFactory.createApplicationContext(TranscoderModule.create(config, logger), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  if (process.send) process.send({ type: 'ready' });
}

bootstrap().catch((err) => {
  console.error(err);
  process.exit(1);
});
