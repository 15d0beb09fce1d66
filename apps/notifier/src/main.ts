import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@axis/config';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { closeOnSignals, createLogger, LOGGER, type Logger, PinoNestLogger, PlatformModule, READ_MODEL, reportStartFailure, startOpsServer } from '@axis/platform';
import type { DataSource } from 'typeorm';
import { NotifierConfig } from './notifier.config';
import { NotifierModule } from './notifier.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(NotifierConfig);

  @Module({ imports: [PlatformModule.forRoot({ service: 'notifier', config }), NotifierModule] })
  class NotifierAppModule {}

  // A failure the reactors did not catch must not take the notifier down: log it, keep running
  // (every reactor resumes from its checkpoint).
  process.on('unhandledRejection', (reason: unknown) => {
    process.stderr.write(
      JSON.stringify({ service: 'notifier', level: 50, msg: 'unhandled rejection', error: reason instanceof Error ? reason.message : String(reason) }) + '\n',
    );
  });

  const app = await NestFactory.createApplicationContext(NotifierAppModule, { logger: new PinoNestLogger(createLogger('notifier', config.LOG_LEVEL)) });
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
  app.get<Logger>(LOGGER).info('notifier running');
}

main().catch((error: unknown) => {
  reportStartFailure('notifier', error);
  process.exit(1);
});
