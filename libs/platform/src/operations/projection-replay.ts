import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventStore, Position } from '@axis/event-store';
import { openReadModel, readModelDialect } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import type { ConsumerDefinition } from '../checkpointed-consumer';
import { checkpointsIn } from '../checkpoints';
import { inReadModelTransaction } from '../read-model-transaction';
import { runSql, setCheckpoint } from './consumer-states';

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

const LOCK_STALE_MS = 60_000;
/** Events per shadow transaction: fewer, larger commits (and checkpoint writes) than the live consumer's batches. */
const DEFAULT_PAGE_SIZE = 5000;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Blue/green rebuild of one projection. The same projection code runs from the start of history
 * against shadow tables — a fresh PostgreSQL schema `<schema>_rebuild_<id>` or a fresh SQLite file
 * beside the live one, both migrated like the live read model — while the live projection keeps
 * serving. Once the shadow has caught up with the head, ONE live transaction swaps the tables
 * (PostgreSQL: `ALTER TABLE … SET SCHEMA`; SQLite: rename the live tables away and copy the shadow
 * rows in) and moves the projection's checkpoint to the shadow's; the live consumer notices the
 * moved checkpoint (or fails its next compare-and-set) and continues from there on the new tables.
 * The replaced tables are dropped after the grace period. One rebuild per projection at a time
 * (a lock row in `projection_rebuilds` with a heartbeat). Reactors are never replayed.
 */
export async function replayProjection(options: ReplayOptions): Promise<ReplayResult> {
  const { projection, readModel, eventStore } = options;
  if (projection.kind !== 'projection') throw new ReplayRefusedError(`${projection.name} is not a projection: reactors are never replayed`);
  for (const table of options.tables) if (!IDENTIFIER.test(table)) throw new ReplayRefusedError(`not a table name: ${table}`);
  const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const owner = `${hostname()}:${process.pid}:${suffix}`;
  await acquireLock(readModel, projection.name, owner, suffix);
  const heartbeat = setInterval(() => {
    runSql(readModel, 'UPDATE projection_rebuilds SET heartbeat_at = ? WHERE projection = ? AND owner = ?', [new Date().toISOString(), projection.name, owner]).catch(
      () => undefined,
    );
  }, 5000);
  heartbeat.unref();
  const postgres = readModelDialect(options.readModelUrl) === 'postgres';
  const liveSchema = options.schema ?? 'public';
  const shadowSchema = `${liveSchema}_rebuild_${suffix}`.slice(0, 63);
  const shadowFile = postgres ? '' : join(dirname(sqliteFileOf(options.readModelUrl)), `${basename(sqliteFileOf(options.readModelUrl))}.rebuild-${suffix}`);
  let shadow: DataSource | null = null;
  const started = Date.now();
  try {
    if (!postgres && sqliteFileOf(options.readModelUrl) === ':memory:') throw new ReplayRefusedError('cannot rebuild an in-memory read model');
    shadow = await openReadModel(postgres ? { url: options.readModelUrl, schema: shadowSchema, poolSize: 2 } : { url: `sqlite:${shadowFile}` });

    // The shadow file is thrown away unless the replay completes, and the switch copies its rows into
    // the live file in one durable transaction: a crash while building it loses nothing, so its own
    // commits need not reach the disk.
    if (!postgres) await shadow.query('PRAGMA synchronous = OFF');

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
        const expected = position;
        await inReadModelTransaction(shadow!, async (manager) => {
          await projection.handle(page, manager);
          await checkpointsIn(manager).compareAndSet(projection.name, expected, next);
        });
        position = next;
        done += page.length;
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
    await shadow.destroy();
    shadow = null;
    const retired = postgres
      ? await switchPostgres(readModel, liveSchema, shadowSchema, `${liveSchema}_retired_${suffix}`.slice(0, 63), options.tables, projection.name, position)
      : switchSqlite(sqliteFileOf(options.readModelUrl), shadowFile, suffix, options.tables, projection.name, position);
    report('switched');
    await dropShadow();
    await releaseLock(readModel, projection.name, owner);
    clearInterval(heartbeat);
    if (options.graceMs > 0) await new Promise((resolve) => setTimeout(resolve, options.graceMs));
    if (postgres) await readModel.query(`DROP SCHEMA IF EXISTS "${retired}" CASCADE`);
    else {
      await inReadModelTransaction(readModel, async (manager) => {
        for (const table of options.tables) await manager.query(`DROP TABLE IF EXISTS "${table}_retired_${suffix}"`);
      });
    }
    return { events: done, position, seconds: (Date.now() - started) / 1000, retired };
  } finally {
    clearInterval(heartbeat);
    if (shadow?.isInitialized) await shadow.destroy().catch(() => undefined);
    await dropShadow().catch(() => undefined);
    await releaseLock(readModel, projection.name, owner).catch(() => undefined);
  }

  async function dropShadow(): Promise<void> {
    if (postgres) await readModel.query(`DROP SCHEMA IF EXISTS "${shadowSchema}" CASCADE`);
    else removeSqliteFiles(shadowFile);
  }
}

async function acquireLock(readModel: DataSource, projection: string, owner: string, suffix: string): Promise<void> {
  const now = new Date().toISOString();
  await inReadModelTransaction(readModel, async (manager) => {
    const [existing] = await runSql(manager, 'SELECT owner, heartbeat_at FROM projection_rebuilds WHERE projection = ?', [projection]);
    if (existing) {
      const age = Date.now() - Date.parse(String(existing['heartbeat_at']));
      if (age < LOCK_STALE_MS) {
        throw new ReplayRefusedError(`a rebuild of ${projection} is already running (${String(existing['owner'])}); one at a time`);
      }
      await runSql(manager, 'DELETE FROM projection_rebuilds WHERE projection = ?', [projection]);
    }
    await runSql(manager, 'INSERT INTO projection_rebuilds (projection, owner, shadow_suffix, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)', [
      projection,
      owner,
      suffix,
      now,
      now,
    ]);
  }).catch((error: unknown) => {
    if (error instanceof ReplayRefusedError) throw error;
    // Two starting at once: the primary key let one in.
    throw new ReplayRefusedError(`a rebuild of ${projection} is already starting: ${error instanceof Error ? error.message : String(error)}`);
  });
}

async function releaseLock(readModel: DataSource, projection: string, owner: string): Promise<void> {
  await runSql(readModel, 'DELETE FROM projection_rebuilds WHERE projection = ? AND owner = ?', [projection, owner]);
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

