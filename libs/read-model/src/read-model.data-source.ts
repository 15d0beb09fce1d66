import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { NON_APPENDING_APPLICATION_NAME } from '@axis/event-store';
import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from './entities';
import { READ_MODEL_MIGRATIONS } from './migrations';

export type SqlDialect = 'postgres' | 'sqlite';

export interface ReadModelOptions {
  /** `sqlite:<file>`, `:memory:` or `postgres://…`. */
  url: string;
  /** PostgreSQL schema for the read-model tables. */
  schema?: string;
  poolSize?: number;
}

export function readModelDialect(url: string): SqlDialect {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/** Opens the read-model database and brings its schema up to date by migrations. */
export async function openReadModel(options: ReadModelOptions): Promise<DataSource> {
  const dataSource = createReadModelDataSource(options);
  await dataSource.initialize();
  try {
    if (dataSource.options.type === 'postgres' && options.schema) {
      // Concurrent processes may start together; the lock serialises their migrations.
      await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    }
    await runMigrationsExclusively(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

export function createReadModelDataSource(options: ReadModelOptions): DataSource {
  if (readModelDialect(options.url) === 'postgres') {
    const schema = options.schema ?? 'public';
    return new DataSource({
      type: 'postgres',
      url: options.url,
      schema,
      entities: READ_MODEL_ENTITIES,
      migrations: READ_MODEL_MIGRATIONS,
      migrationsTableName: 'read_model_migrations',
      poolSize: options.poolSize ?? 10,
      // The event store's readers do not wait for transactions of connections of this name (a
      // projection batch can run for seconds): the read model must never append events.
      applicationName: NON_APPENDING_APPLICATION_NAME,
      // Raw SQL (filters compiled by libs/scim) names tables unqualified.
      extra: { options: `-c search_path=${schema}` },
    });
  }
  const file = options.url === ':memory:' ? ':memory:' : options.url.replace(/^sqlite:/, '');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: file,
    entities: READ_MODEL_ENTITIES,
    migrations: READ_MODEL_MIGRATIONS,
    migrationsTableName: 'read_model_migrations',
    enableWAL: true,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
    },
  });
}

async function runMigrationsExclusively(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'all' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', ['axis.read-model.migrations']);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', ['axis.read-model.migrations']).catch(() => undefined);
    await runner.release();
  }
}
