import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StorageConfig } from '@axis/config';
import { createEventStore, EVENT_STORE, type EventStore } from '@axis/event-store';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { createLogger, type Logger } from './logger';
import { APP_CONFIG, LOGGER, READ_MODEL } from './tokens';

export interface PlatformOptions {
  service: string;
  config: StorageConfig;
  /**
   * PostgreSQL `statement_timeout` (ms) of the read-model connections: for a process that only
   * serves requests from them (the gateway). Never for one running projections: a batch may be long.
   */
  readTimeoutMs?: number;
}

/** Closes the stores last: consumers stop in `beforeApplicationShutdown`, before this runs. */
class StoreCloser implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.eventStore.close();
    if (this.readModel.isInitialized) await this.readModel.destroy();
    this.logger.info('stores closed');
  }
}

/**
 * What every app gets: its validated config, a logger, the event store and the read-model
 * database. The all-in-one process imports it once, so the three apps share one of each.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config } = options;
    return {
      module: PlatformModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: createLogger(options.service, config.LOG_LEVEL) },
        {
          provide: EVENT_STORE,
          useFactory: () => {
            const url = config.eventStoreUrl();
            if (url.startsWith('sqlite:') && url !== 'sqlite::memory:') mkdirSync(dirname(url.slice(7)), { recursive: true });
            return createEventStore({ url, schema: config.EVENT_STORE_SCHEMA, pollIntervalMs: config.EVENT_STORE_POLL_INTERVAL_MS });
          },
        },
        {
          provide: READ_MODEL,
          useFactory: () =>
            openReadModel({ url: config.readModelUrl(), schema: config.READ_MODEL_SCHEMA, ...(options.readTimeoutMs ? { statementTimeoutMs: options.readTimeoutMs } : {}) }),
        },
        StoreCloser,
      ],
      exports: [APP_CONFIG, LOGGER, EVENT_STORE, READ_MODEL],
    };
  }
}
