import { randomUUID } from 'node:crypto';
import { START } from '@eventstore/db-client';
import { decodeEsdbPosition, EsdbEventStore } from './esdb-event-store.adapter';
import { comparePositions, WrongExpectedRevisionError, type EventData, type Position, type RecordedEvent } from './event-store.port';
import { runEventStoreContract } from './testing';
import { ScriptedEsdbClient } from './testing/scripted-esdb-client';

/**
 * The adapter's own logic against a scripted stand-in for @eventstore/db-client (see
 * `testing/scripted-esdb-client.ts`); the contract suite against a real server runs in
 * `esdb-event-store.adapter.int.spec.ts` when EVENTSTORE_CONNECTION_STRING is set.
 */
describe('EsdbEventStore on a scripted @eventstore/db-client stand-in', () => {
  let client: ScriptedEsdbClient;
  let store: EsdbEventStore;

  beforeEach(() => {
    client = new ScriptedEsdbClient();
    store = new EsdbEventStore({ client: client.asClient() });
  });

  afterEach(async () => {
    await client.dispose();
  });

  function events(count: number, type = 'Thing'): EventData[] {
    return Array.from({ length: count }, (_, index) => ({ eventId: randomUUID(), type, data: { index } }));
  }

  /** Appends `count` events over a few streams, one append each, with system events in between. */
  async function appendMany(count: number, prefix = 'user-', systemEvery = 97): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const [event] = events(1, index % 2 === 0 ? 'Even' : 'Odd');
      ids.push(event!.eventId);
      await store.appendToStream(`${prefix}${index % 7}`, [event!]);
      if (index % systemEvery === 0) client.writeSystemEvent();
    }
    return ids;
  }

  function expectNoDuplicates(read: RecordedEvent[]): void {
    expect(new Set(read.map((event) => event.eventId)).size).toBe(read.length);
  }

  describe('readAll paging (each next $all page starts at the last position, inclusive)', () => {
    it('reads more than 500 events with no duplicate and no gap, in append order', async () => {
      const ids = await appendMany(1_234);
      const read = await store.readAll({ maxCount: 5_000 });
      expectNoDuplicates(read);
      expect(read.map((event) => event.eventId)).toEqual(ids);
      expect([...read.map((event) => event.position)].sort(comparePositions)).toEqual(read.map((event) => event.position));
      // The adapter did page: three pages of 500 over 1,234 events plus the system events.
      expect(client.readAllCalls.length).toBeGreaterThanOrEqual(3);
      expect(client.readAllCalls.every((call) => call.maxCount === 500)).toBe(true);
    });

    it('skips the event a page starts on when that event is a system event or filtered out', async () => {
      // Exactly 499 user events then a system event: the second page starts on the system event.
      for (let index = 0; index < 499; index += 1) await store.appendToStream('user-a', events(1));
      client.writeSystemEvent();
      const tail = events(600, 'Tail');
      for (const event of tail) await store.appendToStream('group-a', [event]);
      const filtered = await store.readAll({ maxCount: 5_000, filter: { streamPrefixes: ['group-'] } });
      expect(filtered.map((event) => event.eventId)).toEqual(tail.map((event) => event.eventId));
    });

    it('pages with an exclusive `after`, every event exactly once, across 500-event pages', async () => {
      const ids = await appendMany(1_100);
      const seen: RecordedEvent[] = [];
      for (let cursor: Position | 'start' = 'start'; ; ) {
        const page = await store.readAll({ after: cursor, maxCount: 333 });
        seen.push(...page);
        if (page.length < 333) break;
        cursor = page.at(-1)!.position;
      }
      expectNoDuplicates(seen);
      expect(seen.map((event) => event.eventId)).toEqual(ids);
    });

    it('starts the first page at `after` (inclusive on the server) and drops the event at it', async () => {
      const ids = await appendMany(20);
      const all = await store.readAll();
      const after = all[9]!.position;
      const rest = await store.readAll({ after });
      expect(rest.map((event) => event.eventId)).toEqual(ids.slice(10));
      expect(client.readAllCalls.at(-1)!.fromPosition).toEqual(decodeEsdbPosition(after));
    });

    it('counts more than 500 events once each', async () => {
      await appendMany(1_010);
      expect(await store.countAll()).toBe(1_010);
      expect(await store.countAll({ filter: { eventTypes: ['Even'] } })).toBe(505);
      const all = await store.readAll({ maxCount: 2_000 });
      expect(await store.countAll({ after: all[499]!.position })).toBe(510);
    });
  });

  describe('filters', () => {
    it('filters by stream prefixes, event types and exclusions, never returning system events', async () => {
      await store.appendToStream('user-1', events(2, 'Created'));
      await store.appendToStream('group-1', events(1, 'Created'));
      client.writeSystemEvent('$metadata-user-1', '$metadata');
      await store.appendToStream('user-2', events(1, 'Renamed'));
      await store.appendToStream('reservation-1', events(1, 'Claimed'));
      const names = (read: RecordedEvent[]) => read.map((event) => `${event.streamName}@${event.revision}:${event.type}`);
      expect(names(await store.readAll())).toEqual(['user-1@0:Created', 'user-1@1:Created', 'group-1@0:Created', 'user-2@0:Renamed', 'reservation-1@0:Claimed']);
      expect(names(await store.readAll({ filter: { streamPrefixes: ['user-'] } }))).toEqual(['user-1@0:Created', 'user-1@1:Created', 'user-2@0:Renamed']);
      expect(names(await store.readAll({ filter: { eventTypes: ['Created'] } }))).toEqual(['user-1@0:Created', 'user-1@1:Created', 'group-1@0:Created']);
      expect(names(await store.readAll({ filter: { streamPrefixes: ['user-'], eventTypes: ['Renamed'] } }))).toEqual(['user-2@0:Renamed']);
      expect(names(await store.readAll({ filter: { excludeStreamPrefixes: ['reservation-', 'user-'] } }))).toEqual(['group-1@0:Created']);
      // Prefixes are literal: a dot is not a wildcard.
      expect(await store.readAll({ filter: { streamPrefixes: ['user.'] } })).toEqual([]);
    });

    it('has the last user event as head position, passing over system events', async () => {
      await store.appendToStream('user-1', events(3));
      client.writeSystemEvent();
      const all = await store.readAll();
      expect(await store.headPosition()).toBe(all.at(-1)!.position);
    });
  });

  describe('appendToStream, readStream and expected revisions', () => {
    it('maps every kind of expected revision and reports the actual revision on a conflict', async () => {
      const conflict = async (promise: Promise<unknown>, actual: number) => {
        const error = await promise.then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBe(actual);
      };
      await conflict(store.appendToStream('s', events(1), { expectedRevision: 'stream_exists' }), -1);
      await conflict(store.appendToStream('s', events(1), { expectedRevision: 0 }), -1);
      expect((await store.appendToStream('s', events(2), { expectedRevision: 'no_stream' })).nextExpectedRevision).toBe(1);
      await conflict(store.appendToStream('s', events(1), { expectedRevision: 'no_stream' }), 1);
      await conflict(store.appendToStream('s', events(1), { expectedRevision: 0 }), 1);
      expect((await store.appendToStream('s', events(1), { expectedRevision: 1 })).nextExpectedRevision).toBe(2);
      expect((await store.appendToStream('s', events(1), { expectedRevision: 'stream_exists' })).nextExpectedRevision).toBe(3);
      expect((await store.appendToStream('s', events(1))).nextExpectedRevision).toBe(4);
      expect((await store.readStream('s')).map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
    });

    it('acknowledges a retried append without writing it twice, and refuses a partial overlap', async () => {
      await store.appendToStream('s', events(2), { expectedRevision: 'no_stream' });
      const retried = events(2);
      const first = await store.appendToStream('s', retried, { expectedRevision: 1 });
      expect(await store.appendToStream('s', retried, { expectedRevision: 1 })).toEqual(first);
      await expect(store.appendToStream('s', [retried[1]!, ...events(1)], { expectedRevision: 3 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream('s')).toHaveLength(4);
    });

    it('returns the position of the last appended event, read back from the stream on servers that do not send it', async () => {
      const oldServer = new ScriptedEsdbClient({ omitAppendPosition: true });
      const onOld = new EsdbEventStore({ client: oldServer.asClient() });
      for (const target of [store, onOld]) {
        const result = await target.appendToStream('s', events(3));
        const stored = await target.readStream('s');
        expect(result).toEqual({ nextExpectedRevision: 2, position: stored[2]!.position });
      }
    });

    it('reads a stream from a revision with a maximum count, and [] for a missing stream', async () => {
      const appended = events(5);
      await store.appendToStream('s', appended);
      expect((await store.readStream('s', { fromRevision: 1, maxCount: 2 })).map((event) => event.eventId)).toEqual(
        appended.slice(1, 3).map((event) => event.eventId),
      );
      expect(await store.readStream('missing')).toEqual([]);
    });
  });

  describe('subscribeToAll', () => {
    function collect(after: Position | 'start', filter: { streamPrefixes?: string[]; eventTypes?: string[] }, batchSize = 50) {
      const delivered: RecordedEvent[] = [];
      let last: Position | 'start' = after;
      const subscription = store.subscribeToAll({ after, batchSize, filter }, async (batch) => {
        expect(batch.length).toBeLessThanOrEqual(batchSize);
        delivered.push(...batch);
        last = batch.at(-1)!.position;
      });
      return { delivered, subscription, last: () => last };
    }

    async function until(condition: () => boolean): Promise<void> {
      for (let tries = 0; !condition(); tries += 1) {
        if (tries > 500) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }

    it('delivers history then live events, in batches no larger than batchSize', async () => {
      const history = events(120);
      await store.appendToStream('user-1', history);
      const { delivered, subscription } = collect('start', { streamPrefixes: ['user-'] }, 50);
      await until(() => delivered.length === 120);
      const live = events(3);
      await store.appendToStream('user-2', live);
      await until(() => delivered.length === 123);
      await subscription.stop();
      expect(delivered.map((event) => event.eventId)).toEqual([...history, ...live].map((event) => event.eventId));
    });

    it('resumes from a checkpoint (subscription positions are exclusive) without losing or repeating events', async () => {
      const first = events(30);
      await store.appendToStream('user-1', first);
      const before = collect('start', { streamPrefixes: ['user-'] });
      await until(() => before.delivered.length === 30);
      await before.subscription.stop();
      const checkpoint = before.last();
      const second = events(30);
      await store.appendToStream('user-1', second);
      const after = collect(checkpoint, { streamPrefixes: ['user-'] });
      await until(() => after.delivered.length === 30);
      await after.subscription.stop();
      expect(after.delivered.map((event) => event.eventId)).toEqual(second.map((event) => event.eventId));
    });

    it('applies both filter kinds (types on the client) and never delivers system events', async () => {
      await store.appendToStream('user-1', events(2, 'Created'));
      await store.appendToStream('user-1', events(1, 'Renamed'));
      client.writeSystemEvent();
      await store.appendToStream('group-1', events(1, 'Renamed'));
      const both = collect('start', { streamPrefixes: ['user-'], eventTypes: ['Renamed'] });
      const types = collect('start', { eventTypes: ['Renamed'] });
      const everything = collect('start', {});
      await until(() => both.delivered.length === 1 && types.delivered.length === 2 && everything.delivered.length === 4);
      await Promise.all([both, types, everything].map((collected) => collected.subscription.stop()));
      expect(both.delivered.map((event) => event.streamName)).toEqual(['user-1']);
      expect(types.delivered.map((event) => event.streamName)).toEqual(['user-1', 'group-1']);
      expect(everything.delivered.every((event) => !event.streamName.startsWith('$'))).toBe(true);
    });

    it('ends `done` with the handler error', async () => {
      await store.appendToStream('user-1', events(1));
      const subscription = store.subscribeToAll({ after: 'start' }, async () => {
        throw new Error('handler failed');
      });
      await expect(subscription.done).rejects.toThrow('handler failed');
    });
  });

  it('passes START, not a position, when reading from the start', async () => {
    await store.readAll();
    expect(client.readAllCalls[0]!.fromPosition).toBe(START);
  });
});

// The shared contract, with the adapter on the stand-in: checks the stand-in answers as the
// contract's real-server run expects, and the adapter's logic against every case that applies.
runEventStoreContract(
  'EventStoreDB adapter on the scripted @eventstore/db-client stand-in',
  async () => {
    const client = new ScriptedEsdbClient();
    return {
      store: new EsdbEventStore({ client: client.asClient() }),
      connect: async () => new EsdbEventStore({ client: client.asClient() }),
      dispose: () => client.dispose(),
    };
  },
  { freshStorePerTest: true, atomicMultiStreamAppend: false, tortureWriters: 4, tortureAppendsPerWriter: 50 },
);
