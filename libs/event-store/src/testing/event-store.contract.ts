import { randomUUID } from 'node:crypto';
import { sleep } from '../async-mutex';
import {
  comparePositions,
  WrongExpectedRevisionError,
  type EventData,
  type EventFilter,
  type EventStore,
  type ExpectedRevision,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '../event-store.port';
import { checkDelivery, type CommittedEvent } from './delivery-checker';

export interface EventStoreContractFixture {
  store: EventStore;
  /**
   * Another store instance on the same underlying database, with its own connections.
   * `commitDelayMs` holds each of its append transactions open that long before committing
   * (adapters without that seam may ignore it).
   */
  connect(options?: { commitDelayMs?: number }): Promise<EventStore>;
  /** Closes every instance and throws the data away. */
  dispose(): Promise<void>;
}

export interface EventStoreContractOptions {
  /** Each test gets an empty store (SQL adapters). False for a shared server (EventStoreDB). */
  freshStorePerTest: boolean;
  /** False for an adapter whose multi-stream append is not atomic (EventStoreDB). Default true. */
  atomicMultiStreamAppend?: boolean;
  tortureWriters?: number;
  tortureAppendsPerWriter?: number;
}

const TORTURE_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 30_000;

function event(type = 'Thing', data: Record<string, unknown> = {}, metadata?: Record<string, unknown>): EventData {
  return metadata ? { eventId: randomUUID(), type, data, metadata } : { eventId: randomUUID(), type, data };
}

function events(count: number, type = 'Thing'): EventData[] {
  return Array.from({ length: count }, (_, index) => event(type, { index }));
}

async function expectWrongRevision(promise: Promise<unknown>, actual: number): Promise<WrongExpectedRevisionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  expect((error as WrongExpectedRevisionError).actual).toBe(actual);
  return error as WrongExpectedRevisionError;
}

/** Reads every event after `after` whose stream starts with `prefix`, in pages of `pageSize`. */
async function readAllPaged(store: EventStore, after: Position | 'start', prefix: string, pageSize: number): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.readAll({ after: cursor, maxCount: pageSize, filter: { streamPrefixes: [prefix] } });
    all.push(...page);
    if (page.length < pageSize) return all;
    cursor = page[page.length - 1].position;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Collects what a subscription delivers and remembers the last position it handled. */
function collect(store: EventStore, after: Position | 'start', prefix: string, batchSize = 50) {
  const delivered: RecordedEvent[] = [];
  const batchSizes: number[] = [];
  let last: Position | 'start' = after;
  const subscription: Subscription = store.subscribeToAll(
    { after, batchSize, filter: { streamPrefixes: [prefix] } },
    async (batch) => {
      batchSizes.push(batch.length);
      delivered.push(...batch);
      last = batch[batch.length - 1].position;
    },
  );
  return { delivered, batchSizes, subscription, lastPosition: () => last };
}

/**
 * The behaviour every EventStore adapter must show. Call inside a test file; `factory` returns a
 * fixture per test.
 */
export function runEventStoreContract(
  name: string,
  factory: () => Promise<EventStoreContractFixture>,
  options: EventStoreContractOptions = { freshStorePerTest: true },
): void {
  describe(`EventStore contract: ${name}`, () => {
    jest.setTimeout(TEST_TIMEOUT_MS);
    let fixture: EventStoreContractFixture;
    let store: EventStore;
    /** Unique per test, so that tests can share a server. */
    let prefix: string;
    let startedAt: Position | 'start';

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
      prefix = `c${randomUUID().slice(0, 8)}-`;
      startedAt = (await store.headPosition()) ?? 'start';
    });

    afterEach(async () => {
      await fixture.dispose();
    });

    describe('appendToStream and readStream', () => {
      it('creates a stream at revision 0 and reads it back in order', async () => {
        const stream = `${prefix}user-1`;
        const appended = [event('Created', { name: 'Ada' }, { actor: 'tok-1' }), event('Renamed', { name: 'Ada L.' })];
        const result = await store.appendToStream(stream, appended, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1);

        const read = await store.readStream(stream);
        expect(read.map((e) => [e.eventId, e.type, e.revision, e.streamName])).toEqual([
          [appended[0].eventId, 'Created', 0, stream],
          [appended[1].eventId, 'Renamed', 1, stream],
        ]);
        expect(read[0].data).toEqual({ name: 'Ada' });
        expect(read[0].metadata).toEqual({ actor: 'tok-1' });
        expect(read[1].metadata).toEqual({});
        expect(read[1].position).toBe(result.position);
        expect(read[0].recordedAt).toBeInstanceOf(Date);
        expect(Math.abs(read[0].recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
      });

      it('reads from a revision, with a maximum count, and [] for a missing stream', async () => {
        const stream = `${prefix}s`;
        await store.appendToStream(stream, events(5));
        expect((await store.readStream(stream, { fromRevision: 2 })).map((e) => e.revision)).toEqual([2, 3, 4]);
        expect((await store.readStream(stream, { fromRevision: 1, maxCount: 2 })).map((e) => e.revision)).toEqual([1, 2]);
        expect(await store.readStream(stream, { fromRevision: 5 })).toEqual([]);
        expect(await store.readStream(`${prefix}missing`)).toEqual([]);
      });

      it('checks every kind of expected revision', async () => {
        const stream = `${prefix}s`;
        await expectWrongRevision(store.appendToStream(stream, events(1), { expectedRevision: 'stream_exists' }), -1);
        await expectWrongRevision(store.appendToStream(stream, events(1), { expectedRevision: 0 }), -1);
        expect((await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' })).nextExpectedRevision).toBe(1);
        const error = await expectWrongRevision(store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' }), 1);
        expect(error.streamName).toBe(stream);
        expect(error.expected).toBe('no_stream');
        await expectWrongRevision(store.appendToStream(stream, events(1), { expectedRevision: 0 }), 1);
        await expectWrongRevision(store.appendToStream(stream, events(1), { expectedRevision: 2 }), 1);
        expect((await store.appendToStream(stream, events(1), { expectedRevision: 1 })).nextExpectedRevision).toBe(2);
        expect((await store.appendToStream(stream, events(1), { expectedRevision: 'stream_exists' })).nextExpectedRevision).toBe(3);
        expect((await store.appendToStream(stream, events(1), { expectedRevision: 'any' })).nextExpectedRevision).toBe(4);
        expect((await store.appendToStream(stream, events(1))).nextExpectedRevision).toBe(5);
        expect((await store.appendToStream(`${prefix}other`, events(1), { expectedRevision: 'any' })).nextExpectedRevision).toBe(0);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
      });

      it('lets exactly one of two racing appends with the same expected revision win', async () => {
        const stream = `${prefix}race`;
        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        const other = await fixture.connect();
        const outcomes = await Promise.allSettled([
          store.appendToStream(stream, events(1), { expectedRevision: 0 }),
          other.appendToStream(stream, events(1), { expectedRevision: 0 }),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const failure = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
        expect(failure.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect((failure.reason as WrongExpectedRevisionError).actual).toBe(1);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('fails only the append whose data cannot be written as JSON, when others are appended with it', async () => {
        const outcomes = await Promise.allSettled([
          store.appendToStream(`${prefix}json-a`, events(1)),
          store.appendToStream(`${prefix}json-b`, [{ ...event(), data: { count: 1n } }]),
          store.appendToStream(`${prefix}json-c`, events(1)),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
        expect(await store.readStream(`${prefix}json-b`)).toEqual([]);
      });

      it('rejects empty appends, non-UUID ids and ids repeated within one append', async () => {
        await expect(store.appendToStream(`${prefix}s`, [])).rejects.toThrow(RangeError);
        await expect(store.appendToStream(`${prefix}s`, [{ eventId: 'nope', type: 'T', data: {} }])).rejects.toThrow(TypeError);
        const twice = event();
        await expect(store.appendToStream(`${prefix}s`, [twice, twice])).rejects.toThrow(TypeError);
        expect(await store.readStream(`${prefix}s`)).toEqual([]);
      });
    });

    describe('appendToStreams', () => {
      // Reported as skipped, not passed, on an adapter whose multi-stream append is not atomic.
      const itWhenAtomic = options.atomicMultiStreamAppend === false ? it.skip : it;
      it('appends to several streams, in the order given, with each stream’s result', async () => {
        const [a, b, c] = [`${prefix}a`, `${prefix}b`, `${prefix}c`];
        await store.appendToStream(b, events(2), { expectedRevision: 'no_stream' });
        const results = await store.appendToStreams([
          { streamName: a, events: events(1), expectedRevision: 'no_stream' },
          { streamName: b, events: events(2, 'More'), expectedRevision: 1 },
          { streamName: c, events: events(1) },
        ]);
        expect(results.map((result) => result.nextExpectedRevision)).toEqual([0, 3, 0]);
        expect([...results.map((result) => result.position)].sort(comparePositions)).toEqual(results.map((result) => result.position));
        const all = await readAllPaged(store, startedAt, prefix, 100);
        expect(all.map((e) => `${e.streamName}@${e.revision}`)).toEqual([`${b}@0`, `${b}@1`, `${a}@0`, `${b}@2`, `${b}@3`, `${c}@0`]);
        expect((await store.readStream(b)).at(-1)!.position).toBe(results[1]!.position);
      });

      itWhenAtomic('refuses as a whole when one stream refuses, naming that stream', async () => {
        const [a, b] = [`${prefix}a`, `${prefix}b`];
        await store.appendToStream(b, events(1), { expectedRevision: 'no_stream' });
        const error = await expectWrongRevision(
          store.appendToStreams([
            { streamName: a, events: events(1), expectedRevision: 'no_stream' },
            { streamName: b, events: events(1), expectedRevision: 'no_stream' },
          ]),
          0,
        );
        expect(error.streamName).toBe(b);
        expect(await store.readStream(a)).toEqual([]);
        expect(await store.readStream(b)).toHaveLength(1);
      });

      itWhenAtomic('lets exactly one of two racing appends over the same streams, in either order, win', async () => {
        const other = await fixture.connect();
        for (let round = 0; round < 10; round++) {
          const [a, b] = [`${prefix}${round}-a`, `${prefix}${round}-b`];
          const outcomes = await Promise.allSettled([
            store.appendToStreams([
              { streamName: a, events: events(1), expectedRevision: 'no_stream' },
              { streamName: b, events: events(1), expectedRevision: 'no_stream' },
            ]),
            other.appendToStreams([
              { streamName: b, events: events(1), expectedRevision: 'no_stream' },
              { streamName: a, events: events(1), expectedRevision: 'no_stream' },
            ]),
          ]);
          expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
          expect((outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
          const [streamA, streamB] = [await store.readStream(a), await store.readStream(b)];
          expect([streamA.length, streamB.length]).toEqual([1, 1]);
          expect(streamA[0]!.metadata).toEqual(streamB[0]!.metadata);
        }
      });

      it('acknowledges a retried multi-stream append, and writes only what a partial retry lacks', async () => {
        const [a, b] = [`${prefix}a`, `${prefix}b`];
        const appends = [
          { streamName: a, events: events(1), expectedRevision: 'no_stream' as const },
          { streamName: b, events: events(2), expectedRevision: 'no_stream' as const },
        ];
        const first = await store.appendToStreams(appends);
        expect(await store.appendToStreams(appends)).toEqual(first);
        const c = `${prefix}c`;
        const mixed = await store.appendToStreams([appends[0]!, { streamName: c, events: events(1), expectedRevision: 'no_stream' }]);
        expect(mixed[0]).toEqual(first[0]);
        expect(mixed[1]!.nextExpectedRevision).toBe(0);
        expect((await store.readStream(a)).length + (await store.readStream(b)).length + (await store.readStream(c)).length).toBe(4);
      });

      it('rejects an empty list and a stream named twice', async () => {
        await expect(store.appendToStreams([])).rejects.toThrow(RangeError);
        const twice = `${prefix}s`;
        await expect(
          store.appendToStreams([
            { streamName: twice, events: events(1) },
            { streamName: twice, events: events(1) },
          ]),
        ).rejects.toThrow(TypeError);
        expect(await store.readStream(twice)).toEqual([]);
      });
    });

    describe('idempotent appends (event ids)', () => {
      it.each<[string, ExpectedRevision]>([
        ['an exact revision', 1],
        ['any', 'any'],
        ['stream_exists', 'stream_exists'],
      ])('acknowledges a retried append with %s without writing it twice', async (_label, expectedRevision) => {
        const stream = `${prefix}s`;
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
        const retried = events(3);
        const first = await store.appendToStream(stream, retried, { expectedRevision });
        const again = await store.appendToStream(stream, retried, { expectedRevision });
        expect(again).toEqual(first);
        expect(first.nextExpectedRevision).toBe(4);
        expect((await store.readStream(stream)).map((e) => e.eventId).slice(2)).toEqual(retried.map((e) => e.eventId));
      });

      it('acknowledges a retried stream creation (no_stream) after the stream moved on', async () => {
        const stream = `${prefix}s`;
        const created = events(2);
        const first = await store.appendToStream(stream, created, { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, events(1), { expectedRevision: 1 });
        expect(await store.appendToStream(stream, created, { expectedRevision: 'no_stream' })).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('rejects a partial overlap and writes none of it', async () => {
        const stream = `${prefix}s`;
        const stored = events(2);
        await store.appendToStream(stream, stored, { expectedRevision: 'no_stream' });
        await expectWrongRevision(store.appendToStream(stream, [stored[1], event()], { expectedRevision: 0 }), 1);
        await expectWrongRevision(store.appendToStream(stream, [stored[1], event()], { expectedRevision: 'any' }), 1);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('rejects stored ids replayed at another expected revision', async () => {
        const stream = `${prefix}s`;
        const stored = events(2);
        await store.appendToStream(stream, stored, { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, events(1), { expectedRevision: 1 });
        await expectWrongRevision(store.appendToStream(stream, stored, { expectedRevision: 2 }), 2);
        await expectWrongRevision(store.appendToStream(stream, [stored[1], stored[0]], { expectedRevision: 'any' }), 2);
        expect(await store.readStream(stream)).toHaveLength(3);
      });
    });

    describe('readAll and headPosition', () => {
      if (options.freshStorePerTest) {
        it('has no head position while empty', async () => {
          expect(await store.headPosition()).toBeNull();
          expect(await store.readAll()).toEqual([]);
        });
      }

      it('returns events of all streams in append order, positions fixed-width and increasing', async () => {
        const appended: string[] = [];
        for (let i = 0; i < 12; i += 1) {
          const batch = events(1 + (i % 3));
          appended.push(...batch.map((e) => e.eventId));
          await store.appendToStream(`${prefix}s${i % 4}`, batch);
        }
        const read = (await store.readAll({ after: startedAt, maxCount: 1000 })).filter((e) => e.streamName.startsWith(prefix));
        expect(read.map((e) => e.eventId)).toEqual(appended);
        for (let i = 1; i < read.length; i += 1) {
          expect(read[i].position > read[i - 1].position).toBe(true);
          expect(comparePositions(read[i - 1].position, read[i].position)).toBe(-1);
          expect(read[i].position).toHaveLength(read[0].position.length);
        }
        expect(await store.headPosition()).toBe(read[read.length - 1].position);
      });

      it('pages with an exclusive `after` position, every event exactly once', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 25; i += 1) {
          const batch = events(1 + (i % 4));
          ids.push(...batch.map((e) => e.eventId));
          await store.appendToStream(`${prefix}s${i % 3}`, batch);
        }
        for (const pageSize of [1, 7, 64]) {
          expect((await readAllPaged(store, startedAt, prefix, pageSize)).map((e) => e.eventId)).toEqual(ids);
        }
        const all = await readAllPaged(store, startedAt, prefix, 1000);
        const middle = all[30];
        const tail = await readAllPaged(store, middle.position, prefix, 10);
        expect(tail.map((e) => e.eventId)).toEqual(ids.slice(31));
        expect(await store.readAll({ after: all[all.length - 1].position, filter: { streamPrefixes: [prefix] } })).toEqual([]);
      });

      it('filters by stream prefixes, by event types, and by both', async () => {
        await store.appendToStream(`${prefix}user-1`, [event('UserCreated'), event('UserRenamed')]);
        await store.appendToStream(`${prefix}group-1`, [event('GroupCreated'), event('MembersAdded')]);
        await store.appendToStream(`${prefix}token-1`, [event('TokenCreated')]);
        await store.appendToStream(`${prefix}user-2`, [event('UserCreated')]);
        const read = async (filter: EventFilter) =>
          (await store.readAll({ after: startedAt, maxCount: 100, filter }))
            .filter((e) => e.streamName.startsWith(prefix))
            .map((e) => `${e.streamName.slice(prefix.length)}/${e.type}`);
        expect(await read({ streamPrefixes: [`${prefix}user-`] })).toEqual(['user-1/UserCreated', 'user-1/UserRenamed', 'user-2/UserCreated']);
        expect(await read({ streamPrefixes: [`${prefix}group-`, `${prefix}token-`] })).toEqual([
          'group-1/GroupCreated',
          'group-1/MembersAdded',
          'token-1/TokenCreated',
        ]);
        expect(await read({ eventTypes: ['UserCreated', 'TokenCreated'] })).toEqual([
          'user-1/UserCreated',
          'token-1/TokenCreated',
          'user-2/UserCreated',
        ]);
        expect(await read({ streamPrefixes: [`${prefix}user-`], eventTypes: ['UserRenamed'] })).toEqual(['user-1/UserRenamed']);
        expect(await read({ streamPrefixes: [`${prefix}nothing-`] })).toEqual([]);
        expect(await read({ excludeStreamPrefixes: [`${prefix}user-`, `${prefix}token-`] })).toEqual(['group-1/GroupCreated', 'group-1/MembersAdded']);
        expect(await read({ eventTypes: ['UserCreated', 'TokenCreated'], excludeStreamPrefixes: [`${prefix}user-2`] })).toEqual([
          'user-1/UserCreated',
          'token-1/TokenCreated',
        ]);
        expect(await read({ streamPrefixes: [`${prefix}user-`], excludeStreamPrefixes: [`${prefix}user-1`] })).toEqual(['user-2/UserCreated']);
      });

      it('counts what readAll would return after a position with a filter, without reading it', async () => {
        await store.appendToStream(`${prefix}user-1`, [event('UserCreated'), event('UserRenamed')]);
        await store.appendToStream(`${prefix}group-1`, [event('GroupCreated')]);
        await store.appendToStream(`${prefix}user-2`, [event('UserCreated'), event('UserRenamed'), event('UserRenamed')]);
        const filter = { streamPrefixes: [`${prefix}user-`] };
        const all = await store.readAll({ after: startedAt, maxCount: 100, filter });
        expect(all).toHaveLength(5);
        expect(await store.countAll({ after: startedAt, filter })).toBe(5);
        expect(await store.countAll({ after: all[1].position, filter })).toBe(3);
        expect(await store.countAll({ after: startedAt, filter: { streamPrefixes: [`${prefix}user-`], eventTypes: ['UserRenamed'] } })).toBe(3);
        expect(await store.countAll({ after: startedAt, filter: { streamPrefixes: [`${prefix}`] } })).toBe(6);
        expect(await store.countAll({ after: all[4].position, filter })).toBe(0);
        expect(await store.countAll({ after: startedAt, filter: { streamPrefixes: [`${prefix}nothing-`] } })).toBe(0);
        expect(await store.countAll({ after: startedAt, filter: { streamPrefixes: [prefix], excludeStreamPrefixes: [`${prefix}user-2`] } })).toBe(3);
        const everything = await store.countAll();
        expect(everything).toBeGreaterThanOrEqual(6);
        expect(await store.countAll({ after: 'start' })).toBe(everything);
      });

      it('filters stream prefixes literally (no wildcard characters)', async () => {
        await store.appendToStream(`${prefix}a_b%c-1`, [event()]);
        await store.appendToStream(`${prefix}aXbYc-1`, [event()]);
        const read = await store.readAll({ after: startedAt, filter: { streamPrefixes: [`${prefix}a_b%c`] } });
        expect(read.map((e) => e.streamName)).toEqual([`${prefix}a_b%c-1`]);
      });
    });

    describe('subscribeToAll', () => {
      it('delivers history then live events, in batches no larger than batchSize', async () => {
        const ids = [];
        for (let i = 0; i < 10; i += 1) {
          const batch = events(2);
          ids.push(...batch.map((e) => e.eventId));
          await store.appendToStream(`${prefix}s${i % 3}`, batch);
        }
        const sub = collect(store, startedAt, prefix, 3);
        await waitFor(() => sub.delivered.length === 20, 10_000, 'history');
        for (let i = 0; i < 5; i += 1) {
          const batch = events(1);
          ids.push(batch[0].eventId);
          await store.appendToStream(`${prefix}live`, batch);
        }
        await waitFor(() => sub.delivered.length === 25, 10_000, 'live events');
        await sub.subscription.stop();
        await expect(sub.subscription.done).resolves.toBeUndefined();
        expect(sub.delivered.map((e) => e.eventId)).toEqual(ids);
        expect(Math.max(...sub.batchSizes)).toBeLessThanOrEqual(3);
      });

      it('delivers events appended by another store instance', async () => {
        const sub = collect(store, startedAt, prefix);
        const other = await fixture.connect();
        const appended = events(3);
        await other.appendToStream(`${prefix}elsewhere`, appended);
        await waitFor(() => sub.delivered.length === 3, 10_000, 'events from another instance');
        await sub.subscription.stop();
        expect(sub.delivered.map((e) => e.eventId)).toEqual(appended.map((e) => e.eventId));
      });

      it('waits for the handler before the next batch (back-pressure) and stop() waits for it', async () => {
        await store.appendToStream(`${prefix}s`, events(12));
        let running = 0;
        let maxRunning = 0;
        let handled = 0;
        let finishedHandlers = 0;
        const subscription = store.subscribeToAll({ after: startedAt, batchSize: 4, filter: { streamPrefixes: [prefix] } }, async (batch) => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await sleep(40);
          handled += batch.length;
          running -= 1;
          finishedHandlers += 1;
        });
        await waitFor(() => running === 1 && handled >= 4, 10_000, 'the second batch to start');
        await subscription.stop();
        expect(running).toBe(0);
        expect(maxRunning).toBe(1);
        const after = finishedHandlers;
        await sleep(100);
        expect(finishedHandlers).toBe(after);
      });

      it('ends `done` with the handler error and stops delivering', async () => {
        await store.appendToStream(`${prefix}s`, events(3));
        let calls = 0;
        const subscription = store.subscribeToAll({ after: startedAt, batchSize: 1, filter: { streamPrefixes: [prefix] } }, async () => {
          calls += 1;
          throw new Error('projection failed');
        });
        await expect(subscription.done).rejects.toThrow('projection failed');
        await subscription.stop();
        expect(calls).toBe(1);
      });

      it('resumes from a checkpoint without losing or repeating events', async () => {
        const committed: string[] = [];
        const append = async (count: number) => {
          for (let i = 0; i < count; i += 1) {
            const batch = events(1 + (i % 2));
            committed.push(...batch.map((e) => e.eventId));
            await store.appendToStream(`${prefix}s${i % 4}`, batch);
          }
        };
        await append(10);
        const first = collect(store, startedAt, prefix, 4);
        await waitFor(() => first.delivered.length >= 8, 10_000, 'a few batches');
        await first.subscription.stop();
        const checkpoint = first.lastPosition();
        await append(10);
        const second = collect(store, checkpoint, prefix, 4);
        await waitFor(() => first.delivered.length + second.delivered.length >= committed.length, 10_000, 'the rest');
        await sleep(100);
        await second.subscription.stop();
        expect([...first.delivered, ...second.delivered].map((e) => e.eventId)).toEqual(committed);
      });

      it('applies the filter to a subscription', async () => {
        const wanted: string[] = [];
        const sub = store.subscribeToAll(
          { after: startedAt, batchSize: 2, filter: { streamPrefixes: [`${prefix}user-`], eventTypes: ['UserCreated'] } },
          async (batch) => {
            wanted.push(...batch.map((e) => `${e.streamName.slice(prefix.length)}/${e.type}`));
          },
        );
        await store.appendToStream(`${prefix}user-1`, [event('UserCreated'), event('UserRenamed')]);
        await store.appendToStream(`${prefix}group-1`, [event('UserCreated')]);
        for (let i = 0; i < 5; i += 1) await store.appendToStream(`${prefix}noise-${i}`, events(3, 'Noise'));
        await store.appendToStream(`${prefix}user-2`, [event('UserCreated')]);
        await waitFor(() => wanted.length === 2, 10_000, 'filtered events');
        await sleep(100);
        await sub.stop();
        expect(wanted).toEqual(['user-1/UserCreated', 'user-2/UserCreated']);
      });

      it('leaves excluded streams out of a subscription, and still moves past them', async () => {
        const delivered: string[] = [];
        const sub = store.subscribeToAll(
          { after: startedAt, batchSize: 2, filter: { excludeStreamPrefixes: [`${prefix}noise-`] } },
          async (batch) => {
            delivered.push(...batch.filter((e) => e.streamName.startsWith(prefix)).map((e) => `${e.streamName.slice(prefix.length)}/${e.type}`));
          },
        );
        await store.appendToStream(`${prefix}user-1`, [event('UserCreated')]);
        for (let i = 0; i < 5; i += 1) await store.appendToStream(`${prefix}noise-${i}`, events(3, 'Noise'));
        await store.appendToStream(`${prefix}group-1`, [event('GroupCreated')]);
        await waitFor(() => delivered.length === 2, 10_000, 'events of streams not excluded');
        await sleep(100);
        await sub.stop();
        expect(delivered).toEqual(['user-1/UserCreated', 'group-1/GroupCreated']);
      });
    });

    describe('payloads', () => {
      it('stores a 1 MB event', async () => {
        const blob = 'x'.repeat(1024 * 1024);
        const big = event('Big', { blob, nested: { list: Array.from({ length: 1000 }, (_, i) => i) } });
        await store.appendToStream(`${prefix}big`, [big]);
        const [read] = await store.readStream(`${prefix}big`);
        expect(read.data).toEqual(big.data);
        const [viaAll] = await store.readAll({ after: startedAt, filter: { streamPrefixes: [`${prefix}big`] } });
        expect((viaAll.data.blob as string).length).toBe(blob.length);
      });

      it('keeps unicode in stream names, types, data and metadata', async () => {
        const stream = `${prefix}ユーザー-wörk.😀`;
        const data = {
          name: 'Zoë Ångström-Łukasiewicz',
          cjk: '山田太郎',
          rtl: 'שלום עליכם',
          emoji: '👩‍💻🏳️‍🌈',
          combining: 'e\u0301',
          astral: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
          quote: `"'\\\n\t`,
        };
        const appended = event('Événement✓', data, { actor: 'åäö' });
        await store.appendToStream(stream, [appended]);
        const [read] = await store.readStream(stream);
        expect(read.streamName).toBe(stream);
        expect(read.type).toBe('Événement✓');
        expect(read.data).toEqual(data);
        expect(read.metadata).toEqual({ actor: 'åäö' });
        const [filtered] = await store.readAll({ after: startedAt, filter: { streamPrefixes: [`${prefix}ユーザー-`] } });
        expect(filtered.eventId).toBe(appended.eventId);
      });
    });

    describe('concurrency torture', () => {
      it(
        'delivers every committed event exactly once, each stream in revision order, with 16 delayed writers',
        async () => {
          const writerCount = options.tortureWriters ?? 16;
          const appendsPerWriter = options.tortureAppendsPerWriter ?? 12;
          const streams = Array.from({ length: 5 }, (_, i) => `${prefix}torture-${i}`);
          const committed: CommittedEvent[] = [];
          const writers = await Promise.all(
            Array.from({ length: writerCount }, (_, i) => fixture.connect({ commitDelayMs: [0, 2, 5, 9][i % 4] })),
          );

          let subscriber = collect(store, startedAt, prefix, 10);
          const delivered = () => subscriber.delivered;
          const earlier: RecordedEvent[] = [];
          let writersDone = 0;

          const write = async (writer: EventStore, index: number) => {
            const knownRevision = new Map<string, number>();
            for (let j = 0; j < appendsPerWriter; j += 1) {
              const stream = streams[(index * 7 + j * 3) % streams.length];
              const batch = events(1 + ((index + j) % 3), `Torture${index}`);
              const exact = j % 2 === 0;
              let expectedRevision: ExpectedRevision = exact ? (knownRevision.get(stream) ?? 'no_stream') : 'any';
              for (let attempt = 0; ; attempt += 1) {
                try {
                  const result = await writer.appendToStream(stream, batch, { expectedRevision });
                  const first = result.nextExpectedRevision - batch.length + 1;
                  batch.forEach((e, k) => committed.push({ eventId: e.eventId, streamName: stream, revision: first + k }));
                  knownRevision.set(stream, result.nextExpectedRevision);
                  break;
                } catch (error) {
                  if (!(error instanceof WrongExpectedRevisionError) || attempt >= 50) throw error;
                  expectedRevision = error.actual === -1 ? 'no_stream' : error.actual;
                }
              }
            }
            writersDone += 1;
          };

          const writing = Promise.all(writers.map((writer, index) => write(writer, index)));
          // Restart the subscriber from its checkpoint while the writers are busy.
          await waitFor(() => delivered().length >= 40 || writersDone === writerCount, 60_000, 'first deliveries');
          await subscriber.subscription.stop();
          earlier.push(...subscriber.delivered);
          subscriber = collect(store, subscriber.lastPosition(), prefix, 10);
          await writing;

          await waitFor(() => earlier.length + delivered().length >= committed.length, 30_000, 'all committed events');
          await sleep(200);
          await subscriber.subscription.stop();
          await Promise.all(writers.map((writer) => writer.close()));

          const report = checkDelivery(committed, [...earlier, ...delivered()]);
          expect(report).toEqual({ missing: [], duplicated: [], unexpected: [], streamsOutOfOrder: [], positionsNotIncreasing: [] });
          expect(committed.length).toBeGreaterThanOrEqual(writerCount * appendsPerWriter);
          for (const stream of streams) {
            const revisions = (await store.readStream(stream)).map((e) => e.revision);
            expect(revisions).toEqual(revisions.map((_, i) => i));
          }
        },
        TORTURE_TIMEOUT_MS,
      );
    });
  });
}
