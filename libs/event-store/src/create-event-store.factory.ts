import { EsdbEventStore } from './esdb-event-store.adapter';
import type { EventStore } from './event-store.port';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.adapter';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store.adapter';

export interface EventStoreConfig {
  /**
   * Chooses the adapter: `:memory:` or `sqlite::memory:`, `sqlite:<file>`, `postgres://…` /
   * `postgresql://…`, `esdb://…` / `esdb+discover://…`.
   */
  url: string;
  /** PostgreSQL only: schema of the store's tables. Default `event_store`. */
  schema?: string;
  /** SQLite and PostgreSQL: subscription poll interval, in ms. */
  pollIntervalMs?: number;
  /** PostgreSQL only: pool size. */
  poolSize?: number;
}

export type EventStoreKind = 'sqlite' | 'postgres' | 'esdb';

export function eventStoreKind(url: string): EventStoreKind {
  if (url === ':memory:' || url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (/^esdb(\+discover)?:\/\//.test(url)) return 'esdb';
  throw new TypeError(`unknown event store URL (expected sqlite:<file>, :memory:, postgres://… or esdb://…): ${url}`);
}

/** Opens the adapter the URL names, with its schema migrated and ready for use. */
export async function createEventStore(config: string | EventStoreConfig): Promise<EventStore> {
  const { url, ...options } = typeof config === 'string' ? { url: config } : config;
  switch (eventStoreKind(url)) {
    case 'sqlite': {
      const filename = url === ':memory:' ? url : url.slice('sqlite:'.length);
      if (filename.length === 0) throw new TypeError(`sqlite URL without a file: ${url}`);
      const sqliteOptions: SqliteEventStoreOptions = { filename };
      if (options.pollIntervalMs !== undefined) sqliteOptions.pollIntervalMs = options.pollIntervalMs;
      return SqliteEventStore.open(sqliteOptions);
    }
    case 'postgres': {
      const postgresOptions: PostgresEventStoreOptions = { connectionString: url };
      if (options.schema !== undefined) postgresOptions.schema = options.schema;
      if (options.pollIntervalMs !== undefined) postgresOptions.pollIntervalMs = options.pollIntervalMs;
      if (options.poolSize !== undefined) postgresOptions.poolSize = options.poolSize;
      return PostgresEventStore.open(postgresOptions);
    }
    case 'esdb':
      return new EsdbEventStore({ connectionString: url });
  }
}
