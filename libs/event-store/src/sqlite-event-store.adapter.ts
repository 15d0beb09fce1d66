import Database from 'better-sqlite3';
import * as path from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { assertValidAppend, assertValidMultiAppend, decideAppend, NO_STREAM_REVISION, type StoredDuplicate } from './append-rules';
import { AsyncMutex, sleep } from './async-mutex';
import { isEmptyFilter } from './event-filter';
import { preparePrivateSqliteFile } from './private-files';
import type {
  AppendResult,
  BatchHandler,
  EventData,
  EventFilter,
  EventStore,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from './event-store.port';
import { ChangeNotifier, changeOf, startPollingSubscription, type AppendedChange, type BatchSource, type ScannedBatch } from './polling-subscription';
import { decodePositionFields, encodePositionFields } from './positions';

export interface SqliteEventStoreOptions {
  /** A database file, or ':memory:' for a private in-memory store. */
  filename: string;
  /** How often subscriptions look for appends made by other processes. Default 25 ms. */
  pollIntervalMs?: number;
  /** How long a write waits for another process's write lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Test seam: hold every append transaction open this long before COMMIT. */
  commitDelayMs?: number;
  /** Test seam: awaited inside every append transaction, after the events are written, before COMMIT. */
  beforeCommit?: () => Promise<void>;
}

interface EventRow {
  global_position: number;
  stream_name: string;
  revision: number;
  event_id: string;
  event_type: string;
  data: string;
  metadata: string;
  recorded_at: number;
}

const DEFAULT_READ_ALL_COUNT = 500;
const SQLITE_STORE = 'SQLite event store';

/**
 * Schema versions, applied in order inside one write transaction each; `es_migrations` records them.
 * `global_position` is the rowid: SQLite has a single writer, so allocation order is commit order and
 * the sequence has no gaps a reader could overtake.
 */
const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'create es_events',
    sql: `
      CREATE TABLE es_events (
        global_position INTEGER PRIMARY KEY,
        stream_name TEXT NOT NULL,
        revision INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        UNIQUE (stream_name, revision),
        UNIQUE (stream_name, event_id)
      );`,
  },
  {
    // The (stream_name, event_id) key put every event in a random place of a second index (stream
    // names are random), which doubled the pages each commit wrote and fsynced. Event ids are
    // time-ordered now (newEventId), so an index on the id alone grows at its end. An id stays unique
    // within its stream: appends are judged and written in one write transaction (appendInTransaction).
    // SQLite cannot drop a table constraint: the table is rebuilt, positions and all.
    version: 2,
    name: 'index event ids on their own',
    sql: `
      CREATE TABLE es_events_v2 (
        global_position INTEGER PRIMARY KEY,
        stream_name TEXT NOT NULL,
        revision INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        UNIQUE (stream_name, revision)
      );
      INSERT INTO es_events_v2 (global_position, stream_name, revision, event_id, event_type, data, metadata, recorded_at)
        SELECT global_position, stream_name, revision, event_id, event_type, data, metadata, recorded_at FROM es_events ORDER BY global_position;
      DROP TABLE es_events;
      ALTER TABLE es_events_v2 RENAME TO es_events;
      CREATE INDEX es_events_event_id ON es_events (event_id);`,
  },
];

/** An append (of one or several streams) waiting for the next group commit. */
interface PendingAppend {
  appends: StreamAppend[];
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

/** Shared by every store instance of this thread that opens the same database file. */
interface DatabaseFileState {
  writeLock: AsyncMutex;
  notifier: ChangeNotifier;
  /** Signals a commit to this thread's subscriptions and to those of the process's other threads. */
  committed(change: AppendedChange): void;
}
const openFiles = new Map<string, DatabaseFileState>();

/** The BroadcastChannel on which a process's threads announce their commits to this database file. */
export function commitChannelName(filename: string): string {
  return `axis-sqlite-event-store:${path.resolve(filename)}`;
}

/**
 * Subscriptions on other threads of this process (the all-in-one runs its consumers on a worker
 * thread) hear of a commit on a BroadcastChannel named after the file, so they wake at once rather
 * than at their next poll. Other processes are still found by polling.
 */
function fileState(filename: string): DatabaseFileState {
  if (filename === ':memory:') {
    const notifier = new ChangeNotifier();
    return { writeLock: new AsyncMutex(), notifier, committed: (change) => notifier.notify(undefined, change) };
  }
  const key = path.resolve(filename);
  let state = openFiles.get(key);
  if (!state) {
    const notifier = new ChangeNotifier();
    const otherThreads = new BroadcastChannel(commitChannelName(key));
    otherThreads.unref();
    otherThreads.onmessage = (message) => notifier.notify(undefined, (message as { data: AppendedChange }).data);
    state = {
      writeLock: new AsyncMutex(),
      notifier,
      committed: (change) => {
        notifier.notify(undefined, change);
        otherThreads.postMessage(change);
      },
    };
    openFiles.set(key, state);
  }
  return state;
}

export function encodeSqlitePosition(globalPosition: number | bigint): Position {
  return encodePositionFields(globalPosition);
}

export function decodeSqlitePosition(position: Position | 'start'): number {
  return position === 'start' ? 0 : Number(decodePositionFields(position, 1, SQLITE_STORE)[0]);
}

export class SqliteEventStore implements EventStore {
  private readonly writer: Database.Database;
  /** Separate connection for file databases so that readers only ever see committed transactions. */
  private readonly reader: Database.Database;
  private readonly file: DatabaseFileState;
  private readonly pollIntervalMs: number;
  private readonly subscriptions = new Set<Subscription>();
  private readonly filteredReads = new Map<string, Database.Statement>();
  private readonly filteredCounts = new Map<string, Database.Statement>();
  private readonly statements: {
    currentRevision: Database.Statement<[string], { revision: number | null }>;
    duplicates: Database.Statement<[string, string], { event_id: string; revision: number }>;
    positionOfRevision: Database.Statement<[string, number], { global_position: number }>;
    insert: Database.Statement<[string, number, string, string, string, string, number]>;
    readStream: Database.Statement<[string, number, number], EventRow>;
    head: Database.Statement<[], { head: number | null }>;
  };
  private closed = false;
  private pendingAppends: PendingAppend[] = [];

  constructor(private readonly options: SqliteEventStoreOptions) {
    const inMemory = options.filename === ':memory:';
    this.file = fileState(options.filename);
    this.pollIntervalMs = options.pollIntervalMs ?? 25;
    this.writer = openConnection(options.filename, options.busyTimeoutMs ?? 5000);
    if (!inMemory) this.writer.pragma('journal_mode = WAL');
    // FULL: every commit is fsynced, so an acknowledged append survives power loss, not just a crash.
    this.writer.pragma('synchronous = FULL');
    migrate(this.writer);
    this.reader = inMemory ? this.writer : openConnection(options.filename, options.busyTimeoutMs ?? 5000);
    this.statements = {
      currentRevision: this.writer.prepare('SELECT max(revision) AS revision FROM es_events WHERE stream_name = ?'),
      // By id, not by stream: left to choose, SQLite scans the whole stream, and group streams grow long.
      duplicates: this.writer.prepare(
        'SELECT event_id, revision FROM es_events INDEXED BY es_events_event_id WHERE event_id IN (SELECT value FROM json_each(?)) AND stream_name = ?',
      ),
      positionOfRevision: this.writer.prepare('SELECT global_position FROM es_events WHERE stream_name = ? AND revision = ?'),
      insert: this.writer.prepare(
        `INSERT INTO es_events (stream_name, revision, event_id, event_type, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      // No LIMIT: binding one tripled the cost of this read (21 µs against 9 µs for a one-event
      // stream), which every decision makes. A stream's revisions are contiguous from 0, so the
      // upper bound on the revision takes exactly `maxCount` events.
      readStream: this.reader.prepare('SELECT * FROM es_events WHERE stream_name = ? AND revision >= ? AND revision < ? ORDER BY revision'),
      head: this.reader.prepare('SELECT max(global_position) AS head FROM es_events'),
    };
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    return new SqliteEventStore(options);
  }

  async appendToStream(
    streamName: string,
    events: EventData[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult> {
    const expected = options?.expectedRevision ?? 'any';
    assertValidAppend(streamName, events, expected);
    return (await this.appendAll([{ streamName, events, expectedRevision: expected }]))[0]!;
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    assertValidMultiAppend(appends);
    return this.appendAll(appends);
  }

  private async appendAll(appends: StreamAppend[]): Promise<AppendResult[]> {
    this.assertOpen();
    const holdsCommit = this.options.commitDelayMs !== undefined || this.options.beforeCommit !== undefined;
    if (!holdsCommit) return this.appendInNextGroupCommit(appends);
    const results = await this.file.writeLock.run(async () => {
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        const appended = this.appendInTransaction(appends);
        if (this.options.commitDelayMs) await sleep(this.options.commitDelayMs);
        await this.options.beforeCommit?.();
        this.writer.exec('COMMIT');
        return appended;
      } catch (error) {
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        throw error;
      }
    });
    this.file.committed(changeOf(appends));
    return results;
  }

  /**
   * Group commit: appends that arrive while the event loop is busy share one transaction, hence one
   * fsync. Each append runs in its own savepoint, so one append's conflict rolls back only that
   * append; appends to the same stream see each other in call order, exactly as if committed alone.
   * better-sqlite3 blocks the event loop during the fsync, so without this every request would pay
   * for a whole commit on the one thread that serves all of them.
   */
  private appendInNextGroupCommit(appends: StreamAppend[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.pendingAppends.push({ appends, resolve, reject });
      if (this.pendingAppends.length === 1) setImmediate(() => void this.commitPendingAppends());
    });
  }

  private async commitPendingAppends(): Promise<void> {
    const batch = this.pendingAppends;
    this.pendingAppends = [];
    await this.file.writeLock.run(() => {
      const outcomes: Array<{ ok: true; results: AppendResult[] } | { ok: false; error: unknown }> = [];
      try {
        this.writer.exec('BEGIN IMMEDIATE');
        for (const append of batch) {
          this.writer.exec('SAVEPOINT append');
          try {
            outcomes.push({ ok: true, results: this.appendInTransaction(append.appends) });
            this.writer.exec('RELEASE append');
          } catch (error) {
            this.writer.exec('ROLLBACK TO append');
            this.writer.exec('RELEASE append');
            outcomes.push({ ok: false, error });
          }
        }
        this.writer.exec('COMMIT');
      } catch (error) {
        if (this.writer.open && this.writer.inTransaction) this.writer.exec('ROLLBACK');
        for (const append of batch) append.reject(error);
        return;
      }
      batch.forEach((append, index) => {
        const outcome = outcomes[index]!;
        if (outcome.ok) append.resolve(outcome.results);
        else append.reject(outcome.error);
      });
    });
    this.file.committed(changeOf(batch.flatMap((append) => append.appends)));
  }

  /** Judges every stream before writing any, so that one refusal leaves all of them untouched. */
  private appendInTransaction(appends: StreamAppend[]): AppendResult[] {
    const judged = appends.map(({ streamName, events, expectedRevision }) => {
      const expected = expectedRevision ?? 'any';
      const actual = this.statements.currentRevision.get(streamName)?.revision ?? NO_STREAM_REVISION;
      const eventIds = events.map((event) => event.eventId.toLowerCase());
      // A stream that does not exist holds no event to be a duplicate of (every create's case).
      const duplicates: StoredDuplicate[] =
        actual === NO_STREAM_REVISION
          ? []
          : this.statements.duplicates.all(JSON.stringify(eventIds), streamName).map((row) => ({ eventId: row.event_id, revision: row.revision }));
      return { streamName, events, eventIds, actual, decision: decideAppend(streamName, eventIds, expected, actual, duplicates) };
    });
    for (const { decision } of judged) if (decision.kind === 'reject') throw decision.error;
    const recordedAt = Date.now();
    return judged.map(({ streamName, events, eventIds, actual, decision }) => {
      if (decision.kind === 'already-stored') {
        const stored = this.statements.positionOfRevision.get(streamName, decision.lastRevision)!;
        return { nextExpectedRevision: decision.lastRevision, position: encodeSqlitePosition(stored.global_position) };
      }
      let lastPosition: number | bigint = 0;
      events.forEach((event, index) => {
        lastPosition = this.statements.insert.run(
          streamName,
          actual + 1 + index,
          eventIds[index]!,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata ?? {}),
          recordedAt,
        ).lastInsertRowid;
      });
      return { nextExpectedRevision: actual + events.length, position: encodeSqlitePosition(lastPosition) };
    });
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const fromRevision = options?.fromRevision ?? 0;
    const beforeRevision = options?.maxCount === undefined ? Number.MAX_SAFE_INTEGER : fromRevision + options.maxCount;
    return this.read(() => this.statements.readStream.all(streamName, fromRevision, beforeRevision).map(toRecordedEvent));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const batch = await this.readBatch(options?.after ?? 'start', options?.maxCount ?? DEFAULT_READ_ALL_COUNT, options?.filter);
    return batch.events;
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription {
    this.assertOpen();
    const source: BatchSource = {
      readBatch: (after, maxCount, filter) => this.readBatch(after, maxCount, filter),
      changeCounter: (filter) => this.file.notifier.changeCounter(filter),
      waitForChange: (timeoutMs, signal, filter) => this.file.notifier.waitForChange(timeoutMs, signal, filter),
      signalledPosition: () => this.file.notifier.signalledPosition(),
      // Every thread of this process signals its appends after their commit: what it signals is readable.
      signalMayPrecedeVisibility: false,
    };
    const subscription = startPollingSubscription(source, options, handler, this.pollIntervalMs);
    this.subscriptions.add(subscription);
    subscription.done.then(
      () => this.subscriptions.delete(subscription),
      () => this.subscriptions.delete(subscription),
    );
    return subscription;
  }

  async headPosition(): Promise<Position | null> {
    return this.read(() => {
      const head = this.statements.head.get()?.head ?? null;
      return head === null ? null : encodeSqlitePosition(head);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.file.writeLock.run(() => undefined);
    if (this.reader !== this.writer) this.reader.close();
    this.writer.close();
  }

  private async readBatch(after: Position | 'start', maxCount: number, filter: EventFilter | undefined): Promise<ScannedBatch> {
    const afterPosition = decodeSqlitePosition(after);
    const { statement, filterParams } = this.filteredRead(filter);
    return this.read(() =>
      // One read transaction, so the head we report as scanned belongs to the snapshot we read.
      this.reader.transaction((): ScannedBatch => {
        const events = statement.all(afterPosition, ...filterParams, maxCount).map(toRecordedEvent);
        if (events.length === maxCount) return { events, scannedTo: events[events.length - 1].position };
        const head = this.statements.head.get()?.head ?? null;
        return { events, scannedTo: head === null ? null : encodeSqlitePosition(head) };
      })(),
    );
  }

  async countAll(options?: Omit<ReadAllOptions, 'maxCount'>): Promise<number> {
    const afterPosition = decodeSqlitePosition(options?.after ?? 'start');
    const { where, filterParams } = filterOf(options?.filter);
    let statement = this.filteredCounts.get(where);
    if (!statement) {
      statement = this.reader.prepare(`SELECT count(*) AS n FROM es_events WHERE ${where}`);
      this.filteredCounts.set(where, statement);
    }
    const counted = statement as Database.Statement<unknown[], { n: number }>;
    return this.read(() => counted.get(afterPosition, ...filterParams)?.n ?? 0);
  }

  private filteredRead(filter: EventFilter | undefined): { statement: Database.Statement<unknown[], EventRow>; filterParams: string[] } {
    const { where, filterParams } = filterOf(filter);
    let statement = this.filteredReads.get(where);
    if (!statement) {
      statement = this.reader.prepare(`SELECT * FROM es_events WHERE ${where} ORDER BY global_position LIMIT ?`);
      this.filteredReads.set(where, statement);
    }
    return { statement: statement as Database.Statement<unknown[], EventRow>, filterParams };
  }

  /** A :memory: store reads through its only connection, which may hold an open append transaction. */
  private read<T>(read: () => T): Promise<T> {
    this.assertOpen();
    if (this.reader !== this.writer) return Promise.resolve().then(read);
    return this.file.writeLock.run(read);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteEventStore is closed');
  }
}

function openConnection(filename: string, busyTimeoutMs: number): Database.Database {
  if (filename !== ':memory:' && filename !== '') preparePrivateSqliteFile(filename);
  const db = new Database(filename);
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  return db;
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS es_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  db.transaction(() => {
    const applied = new Set(db.prepare('SELECT version FROM es_migrations').pluck().all() as number[]);
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      db.prepare('INSERT INTO es_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }
  }).immediate();
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.event_type,
    streamName: row.stream_name,
    revision: row.revision,
    position: encodeSqlitePosition(row.global_position),
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    recordedAt: new Date(row.recorded_at),
  };
}

/** The WHERE clause of a read after a position with a filter (its shape depends only on the filter's sizes), and its parameters after the position. */
function filterOf(filter: EventFilter | undefined): { where: string; filterParams: string[] } {
  const prefixes = isEmptyFilter(filter) ? [] : (filter?.streamPrefixes ?? []);
  const types = isEmptyFilter(filter) ? [] : (filter?.eventTypes ?? []);
  const excluded = isEmptyFilter(filter) ? [] : (filter?.excludeStreamPrefixes ?? []);
  const startsWithAny = (count: number) => `(${Array.from({ length: count }, () => 'substr(stream_name, 1, length(?)) = ?').join(' OR ')})`;
  const conditions = ['global_position > ?'];
  if (prefixes.length > 0) conditions.push(startsWithAny(prefixes.length));
  if (types.length > 0) conditions.push(`event_type IN (${types.map(() => '?').join(', ')})`);
  if (excluded.length > 0) conditions.push(`NOT ${startsWithAny(excluded.length)}`);
  return {
    where: conditions.join(' AND '),
    filterParams: [...prefixes.flatMap((p) => [p, p]), ...types, ...excluded.flatMap((p) => [p, p])],
  };
}
