import { Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, LOGGER, type Logger, READ_MODEL } from '@axis/platform';
import { searchOnReaderThreads, SqliteReaderPool } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../gateway.config';

/**
 * On a SQLite read model in a file (the embedded default), SCIM searches run on reader threads
 * within `SCIM_READ_TIMEOUT_MS` (libs/read-model's `SqliteReaderPool`): the thread that serves
 * every request never runs a client's filter. PostgreSQL runs statements in its own processes.
 */
@Injectable()
export class ReaderThreads implements OnModuleInit, OnApplicationShutdown {
  private pool?: SqliteReaderPool;

  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const { type, database } = this.readModel.options;
    const threads = this.config.SQLITE_READER_THREADS;
    if (type !== 'better-sqlite3' || typeof database !== 'string' || database === ':memory:' || threads === 0) return;
    const pool = new SqliteReaderPool({ file: database, threads, budgetMs: this.config.SCIM_READ_TIMEOUT_MS });
    try {
      await pool.ready();
    } catch (error) {
      await pool.close();
      throw error;
    }
    this.pool = pool;
    searchOnReaderThreads(this.readModel, pool);
    this.logger.info({ threads, budgetMs: this.config.SCIM_READ_TIMEOUT_MS }, 'SCIM searches run on SQLite reader threads');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.close();
  }
}

@Module({ providers: [ReaderThreads] })
export class ReaderThreadsModule {}
