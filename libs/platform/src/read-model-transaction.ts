import type { DataSource, EntityManager } from 'typeorm';

const queues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * A read-model transaction. SQLite has one connection per DataSource, and TypeORM cannot nest
 * transactions on it, so consumers sharing one process (the all-in-one) take turns; PostgreSQL
 * transactions run concurrently on pooled connections.
 */
export function inReadModelTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type === 'postgres') return dataSource.transaction(work);
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const next = previous.then(
    () => dataSource.transaction(work),
    () => dataSource.transaction(work),
  );
  queues.set(
    dataSource,
    next.catch(() => undefined),
  );
  return next;
}
