import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { type EventStore, type Position, preparePrivateSqliteFile } from '@axis/event-store';
import { analyzeTables, openReadModel, PlannerStatisticsKeeper, readModelDialect } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import type { ConsumerDefinition } from '../checkpointed-consumer';
import { checkpointsIn } from '../checkpoints';
import { inReadModelTransaction } from '../read-model-transaction';
import { runSql, setCheckpoint } from '../consumer-states';

export interface ReplayProgress {
  done: number;
  total: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
  phase: 'counting' | 'rebuilding' | 'switching' | 'switched';
}

export interface ReplayOptions {
  eventStore: EventStore;
  /** The live read model (tables switched in it). */
  readModel: DataSource;
  /** Its URL and PostgreSQL schema (the shadow is built next to it). */
  readModelUrl: string;
  schema?: string;
  /** The projection, run unchanged against the shadow tables. */
  projection: ConsumerDefinition;
  /** The tables the projection owns (switched together). */
  tables: readonly string[];
  /** Keep the replaced tables this long before dropping them (0: drop at once). */
  graceMs: number;
  /**
   * Build the tables' secondary indexes (neither primary nor unique) after the load instead of
   * keeping them up row by row: only for a projection that reads and deletes by primary key alone,
   * since without them any other lookup scans the table.
   */
  indexesAfterLoad?: boolean;
  pageSize?: number;
  onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayResult {
  events: number;
  position: Position | null;
  seconds: number;
  /** Where the replaced tables were kept during the grace period. */
  retired: string;
}

export class ReplayRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayRefusedError';
  }
}

/** Events read per page: fewer, larger reads (and, on SQLite, commits) than the live consumer's batches. */
const DEFAULT_PAGE_SIZE = 5000;
/**
 * At most this many events per shadow transaction on PostgreSQL. While a transaction that wrote
 * holds its id, every subscription in the cluster reads only below it (the xmin rule of the event
 * store), the live projections included, and with them read-your-writes: a 5,000-event page of
 * `replay groups` held them back 3–5 s in the system test. SQLite's shadow is a file of its own.
 */
const POSTGRES_EVENTS_PER_TRANSACTION = 1000;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Blue/green rebuild of one projection. The same projection code runs from the start of history
 * against shadow tables — a fresh PostgreSQL schema `<schema>_rebuild_<id>` or a fresh SQLite file
 * beside the live one, both migrated like the live read model — while the live projection keeps
 * serving. Once the shadow has caught up with the head, ONE live transaction swaps the tables
 * (PostgreSQL: `ALTER TABLE … SET SCHEMA`; SQLite: rename the live tables away and copy the shadow
 * rows in) and moves the projection's checkpoint to the shadow's; the live consumer notices the
 * moved checkpoint (or fails its next compare-and-set) and continues from there on the new tables.
 * The replaced tables are dropped after the grace period. One rebuild per projection at a time,
 * under a lock that dies with its holder (`lockRebuild`): a killed rebuild never blocks the next,
 * which removes the shadow it left (named in `projection_rebuilds`). Reactors are never replayed.
 */
export async function replayProjection(options: ReplayOptions): Promise<ReplayResult> {
  const { projection, readModel, eventStore } = options;
  if (projection.kind !== 'projection') throw new ReplayRefusedError(`${projection.name} is not a projection: reactors are never replayed`);
  for (const table of options.tables) if (!IDENTIFIER.test(table)) throw new ReplayRefusedError(`not a table name: ${table}`);
  const postgres = readModelDialect(options.readModelUrl) === 'postgres';
  const liveSchema = options.schema ?? 'public';
  const liveFile = postgres ? '' : sqliteFileOf(options.readModelUrl);
  if (liveFile === ':memory:') throw new ReplayRefusedError('cannot rebuild an in-memory read model');
  const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const shadowOf = (id: string) => (postgres ? `${liveSchema}_rebuild_${id}`.slice(0, 63) : `${liveFile}.rebuild-${id}`);
  const shadowSchema = postgres ? shadowOf(suffix) : '';
  const shadowFile = postgres ? '' : shadowOf(suffix);
  const lock = await lockRebuild(readModel, postgres ? { schema: liveSchema } : { file: liveFile }, projection.name);
  let shadow: DataSource | null = null;
  let statistics: PlannerStatisticsKeeper | null = null;
  const started = Date.now();
  try {
    // We hold the lock: a row still here is a dead rebuild's, and its shadow is garbage.
    const left = await recordRebuild(readModel, projection.name, `${hostname()}:${process.pid}:${suffix}`, suffix);
    if (left && /^[a-z0-9]+$/.test(left)) await dropShadow(shadowOf(left));
    shadow = await openReadModel(postgres ? { url: options.readModelUrl, schema: shadowSchema, poolSize: 2 } : { url: `sqlite:${shadowFile}` });

    // The shadow file is thrown away unless the replay completes, and the switch copies its rows into
    // the live file in one durable transaction: a crash while building it loses nothing, so its own
    // commits need not reach the disk.
    if (!postgres) {
      await shadow.query('PRAGMA synchronous = OFF');
      // For the same reason no write-ahead log: in WAL mode every page was written twice (log, then
      // checkpoint). A rollback journal in memory still undoes a failed batch (bench:replay on
      // interleaved history: 19,600 → 23,100 events/s at 300,000 events; a larger page cache: none).
      await shadow.query('PRAGMA journal_mode = MEMORY');
    }
    const deferredIndexes = options.indexesAfterLoad ? await dropSecondaryIndexes(shadow, postgres ? shadowSchema : null, options.tables) : [];
    // The shadow's tables fill from empty far faster than autovacuum analyses them (PostgreSQL).
    statistics = new PlannerStatisticsKeeper(shadow);
    statistics.start();

    options.onProgress?.({ done: 0, total: 0, eventsPerSecond: 0, etaSeconds: null, phase: 'counting' });
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const filter = projection.filter;
    let total = await eventStore.countAll({ after: 'start', ...(filter ? { filter } : {}) });

    let done = 0;
    let position: Position | null = null;
    let lastReport = 0;
    const report = (phase: ReplayProgress['phase']) => {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      const eventsPerSecond = done / seconds;
      total = Math.max(total, done);
      options.onProgress?.({ done, total, eventsPerSecond, etaSeconds: eventsPerSecond > 0 ? (total - done) / eventsPerSecond : null, phase });
    };
    const read = (after: Position | null) => eventStore.readAll({ after: after ?? 'start', maxCount: pageSize, ...(filter ? { filter } : {}) });
    const catchUp = async () => {
      // The next page is read while this one is applied (on PostgreSQL the two overlap).
      for (let reading = read(position); ; ) {
        const page = await reading;
        if (page.length === 0) return;
        const next = page[page.length - 1]!.position;
        reading = read(next);
        // A failed apply ends the replay; the read in flight must not become an unhandled rejection.
        reading.catch(() => undefined);
        const perTransaction = postgres ? POSTGRES_EVENTS_PER_TRANSACTION : page.length;
        for (let from = 0; from < page.length; from += perTransaction) {
          const slice = page.slice(from, from + perTransaction);
          const expected = position;
          const sliceEnd = slice[slice.length - 1]!.position;
          await inReadModelTransaction(shadow!, async (manager) => {
            await projection.handle(slice, manager);
            await checkpointsIn(manager).compareAndSet(projection.name, expected, sliceEnd);
          });
          position = sliceEnd;
          done += slice.length;
        }
        if (Date.now() - lastReport >= 250) {
          lastReport = Date.now();
          report('rebuilding');
        }
      }
    };
    await catchUp();
    report('switching');
    // The last events written meanwhile, then the switch (the live consumer applies whatever comes after).
    await catchUp();
    await statistics.stop();
    // One sort per index over the loaded rows costs far less than keeping each index up row by row
    // (a trigram GIN index above all) while every page touches a thousand different members.
    for (const definition of deferredIndexes) await shadow.query(definition);
    // The tables switched in come with statistics: the live side plans for their real size.
    await analyzeTables(shadow, options.tables);
    await shadow.destroy();
    shadow = null;
    const retired = postgres
      ? await switchPostgres(readModel, liveSchema, shadowSchema, `${liveSchema}_retired_${suffix}`.slice(0, 63), options.tables, projection.name, position)
      : switchSqlite(sqliteFileOf(options.readModelUrl), shadowFile, suffix, options.tables, projection.name, position);
    report('switched');
    await dropShadow(postgres ? shadowSchema : shadowFile);
    await runSql(readModel, 'DELETE FROM projection_rebuilds WHERE projection = ? AND shadow_suffix = ?', [projection.name, suffix]);
    await lock.release();
    if (options.graceMs > 0) await new Promise((resolve) => setTimeout(resolve, options.graceMs));
    if (postgres) await readModel.query(`DROP SCHEMA IF EXISTS "${retired}" CASCADE`);
    else {
      await inReadModelTransaction(readModel, async (manager) => {
        for (const table of options.tables) await manager.query(`DROP TABLE IF EXISTS "${table}_retired_${suffix}"`);
      });
    }
    return { events: done, position, seconds: (Date.now() - started) / 1000, retired };
  } finally {
    await statistics?.stop();
    if (shadow?.isInitialized) await shadow.destroy().catch(() => undefined);
    await dropShadow(postgres ? shadowSchema : shadowFile).catch(() => undefined);
    await runSql(readModel, 'DELETE FROM projection_rebuilds WHERE projection = ? AND shadow_suffix = ?', [projection.name, suffix]).catch(() => undefined);
    await lock.release();
  }

  async function dropShadow(shadowName: string): Promise<void> {
    if (postgres) await readModel.query(`DROP SCHEMA IF EXISTS "${shadowName}" CASCADE`);
    else removeSqliteFiles(shadowName);
  }
}

interface RebuildLock {
  /** Idempotent. */
  release(): Promise<void>;
}

/**
 * One rebuild per projection at a time, under a lock that dies with its holder, so a killed or
 * crashed rebuild never blocks the next one. PostgreSQL: a session-level advisory lock, on a
 * connection held for the rebuild (the server drops it with the session). SQLite: an exclusive
 * transaction on a lock file beside the read model (the OS drops the file lock with the process).
 */
async function lockRebuild(readModel: DataSource, scope: { schema: string } | { file: string }, projection: string): Promise<RebuildLock> {
  if ('schema' in scope) {
    const key = ['axis.projection-replay', `${scope.schema}.${projection}`];
    const session = readModel.createQueryRunner();
    await session.connect();
    try {
      const [row] = (await session.query('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked', key)) as Array<{ locked: boolean }>;
      if (row?.locked !== true) throw await refusal(readModel, projection);
    } catch (error) {
      await session.release();
      throw error;
    }
    let released = false;
    return {
      async release() {
        if (released) return;
        released = true;
        await session.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', key).catch(() => undefined);
        await session.release();
      },
    };
  }
  if (!/^[a-z0-9-]+$/.test(projection)) throw new ReplayRefusedError(`not a projection name: ${projection}`);
  // Never deleted: a process could be locking it at that moment, and a new file would admit a second rebuild.
  const lockFile = `${scope.file}.rebuild-lock-${projection}`;
  preparePrivateSqliteFile(lockFile);
  const file = new Database(lockFile, { timeout: 0 });
  try {
    file.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    file.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') throw await refusal(readModel, projection);
    throw error;
  }
  return {
    async release() {
      if (!file.open) return;
      file.exec('ROLLBACK');
      file.close();
    },
  };
}

async function refusal(readModel: DataSource, projection: string): Promise<ReplayRefusedError> {
  const [row] = await runSql(readModel, 'SELECT owner, started_at FROM projection_rebuilds WHERE projection = ?', [projection]).catch(() => []);
  const holder = row ? `${String(row['owner'])}, since ${String(row['started_at'])}` : 'starting';
  return new ReplayRefusedError(`a rebuild of ${projection} is already running (${holder}); one at a time`);
}

/**
 * Drops the secondary indexes (neither primary nor unique) of `tables` and answers the statements
 * that create them again. `schema`: the PostgreSQL schema; null on SQLite.
 */
async function dropSecondaryIndexes(db: DataSource, schema: string | null, tables: readonly string[]): Promise<string[]> {
  const definitions: string[] = [];
  for (const table of tables) {
    const indexes = (await (schema === null
      ? db.query(`SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'`, [table])
      : db.query(
          `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = $1 AND t.relname = $2 AND NOT i.indisunique AND NOT i.indisprimary`,
          [schema, table],
        ))) as Array<{ name: string; definition: string }>;
    for (const index of indexes) {
      definitions.push(index.definition);
      await db.query(schema === null ? `DROP INDEX "${index.name}"` : `DROP INDEX "${schema}"."${index.name}"`);
    }
  }
  return definitions;
}

/** Records the rebuild (who, which shadow, since when); returns the shadow suffix of a dead one's row it replaced. */
async function recordRebuild(readModel: DataSource, projection: string, owner: string, suffix: string): Promise<string | null> {
  const now = new Date().toISOString();
  return inReadModelTransaction(readModel, async (manager) => {
    const [left] = await runSql(manager, 'SELECT shadow_suffix FROM projection_rebuilds WHERE projection = ?', [projection]);
    await runSql(manager, 'DELETE FROM projection_rebuilds WHERE projection = ?', [projection]);
    // heartbeat_at: the start too; the lock, not this row, says whether a rebuild runs.
    await runSql(manager, 'INSERT INTO projection_rebuilds (projection, owner, shadow_suffix, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)', [
      projection,
      owner,
      suffix,
      now,
      now,
    ]);
    return left ? String(left['shadow_suffix']) : null;
  });
}

async function switchPostgres(
  readModel: DataSource,
  liveSchema: string,
  shadowSchema: string,
  retiredSchema: string,
  tables: readonly string[],
  projection: string,
  position: Position | null,
): Promise<string> {
  await readModel.transaction(async (manager) => {
    await manager.query(`CREATE SCHEMA "${retiredSchema}"`);
    for (const table of tables) {
      await manager.query(`ALTER TABLE "${liveSchema}"."${table}" SET SCHEMA "${retiredSchema}"`);
      await manager.query(`ALTER TABLE "${shadowSchema}"."${table}" SET SCHEMA "${liveSchema}"`);
    }
    if (position) await setCheckpoint(manager, projection, position);
    else await manager.query(`DELETE FROM "${liveSchema}".projection_checkpoints WHERE subscriber_id = $1`, [projection]);
  });
  return retiredSchema;
}

function switchSqlite(
  liveFile: string,
  shadowFile: string,
  suffix: string,
  tables: readonly string[],
  projection: string,
  position: Position | null,
): string {
  const db = new Database(liveFile);
  try {
    db.pragma('busy_timeout = 10000');
    db.prepare('ATTACH DATABASE ? AS rebuild').run(shadowFile);
    const swap = db.transaction(() => {
      for (const table of tables) {
        const retired = `${table}_retired_${suffix}`;
        const indexes = db.prepare(`SELECT name FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(table) as Array<{ name: string }>;
        db.exec(`ALTER TABLE main."${table}" RENAME TO "${retired}"`);
        for (const index of indexes) db.exec(`DROP INDEX main."${index.name}"`);
        const ddl = db
          .prepare(`SELECT type, sql FROM rebuild.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END`)
          .all(table) as Array<{ type: string; sql: string }>;
        for (const statement of ddl) db.exec(statement.sql);
        db.exec(`INSERT INTO main."${table}" SELECT * FROM rebuild."${table}"`);
      }
      const now = new Date().toISOString();
      if (position) {
        db.prepare(
          `INSERT INTO main.projection_checkpoints (subscriber_id, position, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (subscriber_id) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
        ).run(projection, position, now);
      } else {
        db.prepare('DELETE FROM main.projection_checkpoints WHERE subscriber_id = ?').run(projection);
      }
    });
    swap.immediate();
    db.exec('DETACH DATABASE rebuild');
  } finally {
    db.close();
  }
  return `${tables.map((table) => `${table}_retired_${suffix}`).join(', ')}`;
}

function sqliteFileOf(url: string): string {
  return url === ':memory:' ? ':memory:' : url.replace(/^sqlite:/, '');
}

function removeSqliteFiles(file: string): void {
  for (const candidate of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(candidate)) rmSync(candidate, { force: true });
}

