import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { EventStore } from './event-store.port';
import { InvalidPositionError } from './positions';
import { commitChannelName, decodeSqlitePosition, encodeSqlitePosition, SqliteEventStore } from './sqlite-event-store.adapter';
import { runEventStoreContract } from './testing';

const directory = mkdtempSync(join(tmpdir(), 'axis-es-sqlite-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let fileCounter = 0;

runEventStoreContract('SQLite (file, WAL)', async () => {
  const filename = join(directory, `store-${(fileCounter += 1)}.db`);
  const opened: EventStore[] = [];
  const open = (commitDelayMs?: number) => {
    const store = SqliteEventStore.open(commitDelayMs ? { filename, commitDelayMs } : { filename });
    opened.push(store);
    return store;
  };
  return {
    store: open(),
    connect: async (options) => open(options?.commitDelayMs),
    dispose: async () => {
      await Promise.all(opened.map((store) => store.close()));
      for (const suffix of ['', '-wal', '-shm']) rmSync(filename + suffix, { force: true });
    },
  };
});

describe('SqliteEventStore', () => {
  it('runs in memory, where every instance is a separate store', async () => {
    const store = SqliteEventStore.open({ filename: ':memory:' });
    await store.appendToStream('s-1', [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'T', data: {} }]);
    expect(await store.headPosition()).toBe(encodeSqlitePosition(1));
    const other = SqliteEventStore.open({ filename: ':memory:' });
    expect(await other.headPosition()).toBeNull();
    await Promise.all([store.close(), other.close()]);
  });

  it('keeps fsync on (synchronous=FULL) and uses WAL', async () => {
    const filename = join(directory, 'pragmas.db');
    const store = SqliteEventStore.open({ filename });
    const writer = (store as unknown as { writer: import('better-sqlite3').Database }).writer;
    expect(writer.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(writer.pragma('synchronous', { simple: true })).toBe(2);
    await store.close();
  });

  it('encodes positions as 20 fixed-width digits', () => {
    expect(encodeSqlitePosition(42)).toBe('00000000000000000042');
    expect(decodeSqlitePosition('00000000000000000042')).toBe(42);
    expect(decodeSqlitePosition('start')).toBe(0);
    expect(() => decodeSqlitePosition('42')).toThrow(InvalidPositionError);
    expect(() => decodeSqlitePosition('00000000000000000000:00000000000000000042')).toThrow(InvalidPositionError);
  });

  it('runs a held commit (test seam) without exposing it to readers', async () => {
    const filename = join(directory, 'held.db');
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const writer = SqliteEventStore.open({
      filename,
      beforeCommit: () => {
        entered();
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    const reader = SqliteEventStore.open({ filename });
    const appending = writer.appendToStream('s-1', [{ eventId: '00000000-0000-4000-8000-000000000002', type: 'T', data: {} }]);
    await inside;
    expect(await reader.readStream('s-1')).toEqual([]);
    expect(await writer.readStream('s-1')).toEqual([]);
    release();
    await appending;
    expect(await reader.readStream('s-1')).toHaveLength(1);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('upgrades a version-1 file: same events and positions, ids indexed on their own, retries still recognised', async () => {
    const filename = join(directory, 'version-1.db');
    const old = new Database(filename);
    old.pragma('journal_mode = WAL');
    old.exec(`CREATE TABLE es_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
      INSERT INTO es_migrations VALUES (1, 'create es_events', '2026-01-01T00:00:00.000Z');
      CREATE TABLE es_events (
        global_position INTEGER PRIMARY KEY, stream_name TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL,
        event_type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at INTEGER NOT NULL,
        UNIQUE (stream_name, revision), UNIQUE (stream_name, event_id));`);
    const insert = old.prepare('INSERT INTO es_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run(7, 's-old', 0, '00000000-0000-4000-8000-000000000010', 'T', '{"n":1}', '{}', 1);
    insert.run(9, 's-old', 1, '00000000-0000-4000-8000-000000000011', 'T', '{"n":2}', '{}', 2);
    old.close();

    const store = SqliteEventStore.open({ filename });
    const stored = await store.readStream('s-old');
    expect(stored.map((event) => [event.position, event.revision, event.eventId, event.data])).toEqual([
      [encodeSqlitePosition(7), 0, '00000000-0000-4000-8000-000000000010', { n: 1 }],
      [encodeSqlitePosition(9), 1, '00000000-0000-4000-8000-000000000011', { n: 2 }],
    ]);
    const writer = (store as unknown as { writer: import('better-sqlite3').Database }).writer;
    const indexes = writer.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'es_events'").pluck().all();
    expect(indexes).toContain('es_events_event_id');
    expect(indexes).toHaveLength(2); // the (stream_name, revision) key and the event ids
    // A retried append of stored events is acknowledged with what the stream holds; a new one goes on.
    const retried = await store.appendToStream('s-old', [{ eventId: '00000000-0000-4000-8000-000000000011', type: 'T', data: { n: 2 } }], {
      expectedRevision: 0,
    });
    expect(retried).toEqual({ nextExpectedRevision: 1, position: encodeSqlitePosition(9) });
    const next = await store.appendToStream('s-old', [{ eventId: '00000000-0000-4000-8000-000000000012', type: 'T', data: { n: 3 } }]);
    expect(next).toEqual({ nextExpectedRevision: 2, position: encodeSqlitePosition(10) });
    await store.close();
  });

  describe('commits of the other threads of the process (the all-in-one runs its consumers on a worker thread)', () => {
    const event = (eventId: string) => ({ eventId, type: 'T', data: {} });

    it('announces each commit, naming its streams and event types, on the file\'s channel', async () => {
      const filename = join(directory, 'announces.db');
      const store = SqliteEventStore.open({ filename });
      const otherThread = new BroadcastChannel(commitChannelName(filename));
      const announced = new Promise<unknown>((resolve) => (otherThread.onmessage = (message) => resolve((message as { data: unknown }).data)));
      await store.appendToStream('s-announced', [event('00000000-0000-4000-8000-000000000003')]);
      expect(await announced).toEqual({ streamNames: ['s-announced'], eventTypes: ['T'] });
      otherThread.close();
      await store.close();
    });

    it('wakes its subscriptions when another thread announces a commit, long before the next poll', async () => {
      const filename = join(directory, 'woken.db');
      const store = SqliteEventStore.open({ filename, pollIntervalMs: 600_000 });
      const received: string[] = [];
      const deliveries: Array<() => void> = [];
      const delivered = (count: number) => new Promise<void>((resolve) => deliveries.push(() => received.length >= count && resolve()));
      const subscription = store.subscribeToAll({ after: 'start' }, async (events) => {
        received.push(...events.map((recorded) => recorded.streamName));
        for (const check of deliveries) check();
      });
      const first = delivered(1);
      await store.appendToStream('s-here', [event('00000000-0000-4000-8000-000000000004')]);
      await first;
      // Let the subscription go back to waiting, so that only a signal can bring it the next event.
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Committed by another connection, as another thread's store would, without this thread's signal.
      const otherConnection = new Database(filename);
      otherConnection
        .prepare('INSERT INTO es_events (stream_name, revision, event_id, event_type, data, metadata, recorded_at) VALUES (?, 0, ?, ?, ?, ?, ?)')
        .run('s-elsewhere', '00000000-0000-4000-8000-000000000005', 'T', '{}', '{}', Date.now());
      otherConnection.close();
      const second = delivered(2);
      const otherThread = new BroadcastChannel(commitChannelName(filename));
      otherThread.postMessage({ streamNames: ['s-elsewhere'], eventTypes: ['T'] });
      await second;
      expect(received).toEqual(['s-here', 's-elsewhere']);
      otherThread.close();
      await subscription.stop();
      await store.close();
    });
  });
});
