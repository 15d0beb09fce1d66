import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit, type StorageConfig } from '@axis/config';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import type { DataSource } from 'typeorm';
import { createLogger, type Logger } from './logger';
import { startOpsServer } from './metrics/ops-server';
import { PinoNestLogger, reportStartFailure } from './nest-logger';
import { PlatformModule } from './platform.module';
import { closeOnSignals } from './shutdown';
import { LOGGER, READ_MODEL } from './tokens';

export interface ConsumerProcessOptions<C extends StorageConfig> {
  /** `projector`, `notifier`: the logs' `service` and the start/failure lines. */
  service: string;
  configClass: new () => C;
  /** The app's consumers (a module providing a `ConsumerHost`) and whatever runs beside them. */
  module: Type<unknown>;
  /**
   * Log an unhandled rejection and keep running instead of exiting: for a process whose consumers
   * each resume from their checkpoint after any failure (the notifier's reactors).
   */
  surviveUnhandledRejections?: boolean;
}

/**
 * The whole `main` of a process that only runs consumers (projector, notifier): its config, the
 * platform (stores, logger) with its module, clean shutdown on SIGINT/SIGTERM, and the ops server
 * (`/metrics`, `/healthz`, `/readyz`) when `METRICS_PORT` is set. Exits 1 when it cannot start.
 */
export function runConsumerProcess<C extends StorageConfig>(options: ConsumerProcessOptions<C>): void {
  start(options).catch((error: unknown) => {
    reportStartFailure(options.service, error);
    process.exit(1);
  });
}

async function start<C extends StorageConfig>(options: ConsumerProcessOptions<C>): Promise<void> {
  const { service } = options;
  const config = loadConfigOrExit(options.configClass);

  @Module({ imports: [PlatformModule.forRoot({ service, config }), options.module] })
  class ConsumerProcessModule {}

  if (options.surviveUnhandledRejections) {
    process.on('unhandledRejection', (reason: unknown) => {
      process.stderr.write(
        JSON.stringify({ service, level: 50, msg: 'unhandled rejection', error: reason instanceof Error ? reason.message : String(reason) }) + '\n',
      );
    });
  }

  const app = await NestFactory.createApplicationContext(ConsumerProcessModule, { logger: new PinoNestLogger(createLogger(service, config.LOG_LEVEL)) });
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
  app.get<Logger>(LOGGER).info(`${service} running`);
}
