import type { Position } from './event-store.port';

/**
 * Where subscribers keep the position of the last event they handled. Stored next to the read model,
 * so that a projection can write its rows and its checkpoint in ONE transaction: a crash then either
 * keeps both or neither, and redelivery after a restart has no double effect.
 */
export interface CheckpointStore {
  /** The stored position, or null when the subscriber never stored one. */
  load(subscriberId: string): Promise<Position | null>;
  /**
   * Stores `next` if the stored position is still `expected` (null: none stored yet), otherwise throws
   * CheckpointConflictError: another instance of the subscriber has moved it, the batch must be
   * rolled back. Storing the position already stored (expected === next) succeeds.
   */
  compareAndSet(subscriberId: string, expected: Position | null, next: Position): Promise<void>;
}

export class CheckpointConflictError extends Error {
  constructor(
    readonly subscriberId: string,
    readonly expected: Position | null,
    readonly actual: Position | null,
  ) {
    super(`Checkpoint of ${subscriberId} moved: expected ${expected ?? 'none'}, found ${actual ?? 'none'}`);
    this.name = 'CheckpointConflictError';
  }
}

/**
 * The least a SQL connection must offer: a TypeORM `EntityManager` / `QueryRunner` (rows), a raw
 * node-postgres `Pool` / `PoolClient` (a result with `rows`) or `sqliteExecutor(db)` all fit.
 * Placeholders follow the dialect: `$1, $2…` on PostgreSQL, `?` on SQLite.
 */
export interface SqlExecutor {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export type SqlDialect = 'postgres' | 'sqlite';

export const DEFAULT_CHECKPOINT_TABLE = 'projection_checkpoints';

export interface SqlCheckpointStoreOptions {
  dialect: SqlDialect;
  /** Table name, optionally schema-qualified on PostgreSQL. Default `projection_checkpoints`. */
  table?: string;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** The migration SQL, for callers that manage their schema themselves (e.g. a TypeORM migration). */
export function checkpointTableSql(dialect: SqlDialect, table: string = DEFAULT_CHECKPOINT_TABLE): string {
  assertTableName(table);
  const timestamp = dialect === 'postgres' ? 'timestamptz NOT NULL DEFAULT now()' : 'TEXT NOT NULL';
  return `CREATE TABLE IF NOT EXISTS ${table} (
    subscriber_id text PRIMARY KEY,
    position text NOT NULL,
    updated_at ${timestamp}
  )`;
}

export async function ensureCheckpointTable(
  executor: SqlExecutor,
  dialect: SqlDialect,
  table: string = DEFAULT_CHECKPOINT_TABLE,
): Promise<void> {
  await executor.query(checkpointTableSql(dialect, table), []);
}

/**
 * Compare-and-set checkpoints in a SQL table. Give it the executor of the caller's transaction
 * (`inTransaction(tx)`) to store the checkpoint atomically with the projection's own writes.
 * Every statement returns its rows through a SELECT or RETURNING, because that is the one result
 * shape TypeORM, node-postgres and better-sqlite3 agree on.
 */
export class SqlCheckpointStore implements CheckpointStore {
  private readonly table: string;
  private readonly sql: { load: string; insert: string; update: string };

  constructor(
    private readonly executor: SqlExecutor,
    private readonly options: SqlCheckpointStoreOptions,
  ) {
    this.table = options.table ?? DEFAULT_CHECKPOINT_TABLE;
    assertTableName(this.table);
    const t = this.table;
    this.sql =
      options.dialect === 'postgres'
        ? {
            load: `SELECT position FROM ${t} WHERE subscriber_id = $1`,
            insert: `WITH inserted AS (
                INSERT INTO ${t} (subscriber_id, position, updated_at) VALUES ($1, $2, now())
                ON CONFLICT (subscriber_id) DO NOTHING RETURNING position)
              SELECT position FROM inserted`,
            update: `WITH updated AS (
                UPDATE ${t} SET position = $3, updated_at = now() WHERE subscriber_id = $1 AND position = $2
                RETURNING position)
              SELECT position FROM updated`,
          }
        : {
            load: `SELECT position FROM ${t} WHERE subscriber_id = ?`,
            insert: `INSERT INTO ${t} (subscriber_id, position, updated_at) VALUES (?, ?, ?)
              ON CONFLICT (subscriber_id) DO NOTHING RETURNING position`,
            update: `UPDATE ${t} SET position = ?, updated_at = ? WHERE subscriber_id = ? AND position = ? RETURNING position`,
          };
  }

  /** The same store bound to another executor, typically the caller's open transaction. */
  inTransaction(executor: SqlExecutor): SqlCheckpointStore {
    return new SqlCheckpointStore(executor, this.options);
  }

  async load(subscriberId: string): Promise<Position | null> {
    const [row] = rowsOf(await this.executor.query(this.sql.load, [subscriberId]));
    return row ? String(row.position) : null;
  }

  async compareAndSet(subscriberId: string, expected: Position | null, next: Position): Promise<void> {
    if (expected !== null && next < expected) {
      throw new RangeError(`checkpoint of ${subscriberId} cannot move backwards: ${expected} -> ${next}`);
    }
    const now = new Date().toISOString();
    const params =
      this.options.dialect === 'postgres'
        ? expected === null
          ? [subscriberId, next]
          : [subscriberId, expected, next]
        : expected === null
          ? [subscriberId, next, now]
          : [next, now, subscriberId, expected];
    const changed = rowsOf(await this.executor.query(expected === null ? this.sql.insert : this.sql.update, params));
    if (changed.length === 1) return;
    throw new CheckpointConflictError(subscriberId, expected, await this.load(subscriberId));
  }
}

/** For tests and single-process tools: a checkpoint store that forgets everything on exit. */
export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly positions = new Map<string, Position>();

  async load(subscriberId: string): Promise<Position | null> {
    return this.positions.get(subscriberId) ?? null;
  }

  async compareAndSet(subscriberId: string, expected: Position | null, next: Position): Promise<void> {
    const actual = this.positions.get(subscriberId) ?? null;
    if (actual !== expected) throw new CheckpointConflictError(subscriberId, expected, actual);
    if (expected !== null && next < expected) {
      throw new RangeError(`checkpoint of ${subscriberId} cannot move backwards: ${expected} -> ${next}`);
    }
    this.positions.set(subscriberId, next);
  }
}

/** The part of a better-sqlite3 `Database` the executor needs. */
export interface SqliteDatabaseLike {
  prepare(sql: string): { reader: boolean; all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown };
}

/** Wraps a better-sqlite3 database (in or out of its own transaction) as a SqlExecutor. */
export function sqliteExecutor(db: SqliteDatabaseLike): SqlExecutor {
  return {
    async query(sql, params = []) {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all(...params);
      statement.run(...params);
      return [];
    },
  };
}

function rowsOf(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result)) return result as Array<Record<string, unknown>>;
  const rows = (result as { rows?: unknown } | null)?.rows;
  if (Array.isArray(rows)) return rows as Array<Record<string, unknown>>;
  throw new TypeError('SqlExecutor.query returned neither rows nor a result with rows');
}

function assertTableName(table: string): void {
  if (!TABLE_NAME.test(table)) throw new TypeError(`not a plain table name: ${table}`);
}
