import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, eventStoreKind } from './create-event-store.factory';
import { EsdbEventStore } from './esdb-event-store.adapter';
import { SqliteEventStore } from './sqlite-event-store.adapter';

describe('createEventStore', () => {
  it('names the adapter from the URL', () => {
    expect(eventStoreKind(':memory:')).toBe('sqlite');
    expect(eventStoreKind('sqlite:data/events.db')).toBe('sqlite');
    expect(eventStoreKind('postgres://axis:axis@127.0.0.1:5432/axis')).toBe('postgres');
    expect(eventStoreKind('postgresql://h/db')).toBe('postgres');
    expect(eventStoreKind('esdb://127.0.0.1:2113?tls=false')).toBe('esdb');
    expect(eventStoreKind('esdb+discover://cluster:2113')).toBe('esdb');
    expect(() => eventStoreKind('mysql://nope')).toThrow(TypeError);
  });

  it('opens SQLite stores from :memory: and sqlite:<file>', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'axis-es-factory-'));
    const memory = await createEventStore(':memory:');
    const file = await createEventStore({ url: `sqlite:${join(directory, 'events.db')}`, pollIntervalMs: 10 });
    expect(memory).toBeInstanceOf(SqliteEventStore);
    expect(file).toBeInstanceOf(SqliteEventStore);
    await file.appendToStream('s-1', [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'T', data: {} }]);
    expect(await file.readStream('s-1')).toHaveLength(1);
    await Promise.all([memory.close(), file.close()]);
    rmSync(directory, { recursive: true, force: true });
  });

  it('creates an EventStoreDB adapter without connecting yet', async () => {
    const store = await createEventStore('esdb://127.0.0.1:2113?tls=false');
    expect(store).toBeInstanceOf(EsdbEventStore);
    await store.close();
  });
});
