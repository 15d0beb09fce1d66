import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { loadConfigOrExit } from '@axis/config';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { closeOnSignals, createLogger, LOGGER, type Logger, PinoNestLogger, PlatformModule, READ_MODEL, reportStartFailure, startOpsServer } from '@axis/platform';
import type { DataSource } from 'typeorm';
import { ProjectorConfig } from './projector.config';
import { ProjectorModule } from './projector.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(ProjectorConfig);

  @Module({ imports: [PlatformModule.forRoot({ service: 'projector', config }), ProjectorModule] })
  class ProjectorAppModule {}

  const app = await NestFactory.createApplicationContext(ProjectorAppModule, { logger: new PinoNestLogger(createLogger('projector', config.LOG_LEVEL)) });
  closeOnSignals(app);
  if (config.METRICS_PORT > 0) {
    await startOpsServer({
      port: config.METRICS_PORT,
      host: config.METRICS_HOST,
      eventStore: app.get<EventStore>(EVENT_STORE),
      readModel: app.get<DataSource>(READ_MODEL),
      logger: app.get<Logger>(LOGGER),
    });
  }
  app.get<Logger>(LOGGER).info('projector running');
}

main().catch((error: unknown) => {
  reportStartFailure('projector', error);
  process.exit(1);
});
