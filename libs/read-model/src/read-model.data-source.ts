import 'reflect-metadata';
import { NON_APPENDING_APPLICATION_NAME, preparePrivateSqliteFile } from '@axis/event-store';
import { DataSource, MigrationExecutor } from 'typeorm';
import { READ_MODEL_ENTITIES } from './entities';
import { READ_MODEL_MIGRATIONS } from './migrations';

export type SqlDialect = 'postgres' | 'sqlite';

export interface ReadModelOptions {
  /** `sqlite:<file>`, `:memory:` or `postgres://…`. */
  url: string;
  /** PostgreSQL schema for the read-model tables. */
  schema?: string;
  poolSize?: number;
  /**
   * PostgreSQL `statement_timeout` of every connection (ms; 0 or absent: none). For request-serving
   * readers only; migrations run without it.
   */
  statementTimeoutMs?: number;
}

export function readModelDialect(url: string): SqlDialect {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/** Opens the read-model database and brings its schema up to date by migrations. */
export async function openReadModel(options: ReadModelOptions): Promise<DataSource> {
  const dataSource = createReadModelDataSource(options);
  await dataSource.initialize();
  try {
    await runMigrationsExclusively(dataSource, options.schema);
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
      // Raw SQL (filters compiled by libs/scim) names tables unqualified. No JIT: the read model
      // answers short requests, and a plan that crosses jit_above_cost (a member search with a
      // correlated subquery is estimated at ~860,000) spent 500 ms compiling a 200-ms scan
      // (EXPLAIN ANALYZE at 100,000 members: 959 ms with JIT, 196 ms without).
      extra: { options: `-c search_path=${schema} -c jit=off${options.statementTimeoutMs ? ` -c statement_timeout=${Math.trunc(options.statementTimeoutMs)}` : ''}` },
    });
  }
  const file = options.url === ':memory:' ? ':memory:' : options.url.replace(/^sqlite:/, '');
  // Created 0600 before SQLite opens it (its -wal and -shm files then get the same mode).
  if (file !== ':memory:') preparePrivateSqliteFile(file);
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

/**
 * Gateway, projector and notifier start together on one schema. The lock serialises creating the
 * schema too: CREATE SCHEMA IF NOT EXISTS fails on pg_namespace's unique index when another session
 * creates the same schema at that moment. The migrations run on the connection that holds the lock,
 * so even a pool of one connection cannot wait on itself.
 */
async function runMigrationsExclusively(dataSource: DataSource, schema: string | undefined): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'all' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // A gateway's connections carry a statement_timeout: waiting for another process's migrations,
    // or a migration itself, must not be cancelled by it.
    await runner.query('SET statement_timeout = 0');
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', ['axis.read-model.migrations']);
    if (schema) await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const migrations = new MigrationExecutor(dataSource, runner);
    migrations.transaction = 'all';
    await migrations.executePendingMigrations();
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', ['axis.read-model.migrations']).catch(() => undefined);
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.release();
  }
}
