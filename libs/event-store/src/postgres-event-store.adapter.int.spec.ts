import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { sleep } from './async-mutex';
import { WrongExpectedRevisionError, type AppendResult, type EventFilter, type EventStore, type Position, type RecordedEvent } from './event-store.port';
import {
  decodePostgresPosition,
  encodePostgresPosition,
  NON_APPENDING_APPLICATION_NAME,
  PostgresEventStore,
  type PostgresEventRow,
  type PostgresEventStoreOptions,
} from './postgres-event-store.adapter';
import type { ScannedBatch } from './polling-subscription';
import { checkDelivery, dropSchema, randomSchemaName, requireDatabaseUrl, runEventStoreContract, type CommittedEvent } from './testing';

const databaseUrl = requireDatabaseUrl();
const suiteSchema = randomSchemaName('es');
const schemas: string[] = [];

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('condition not met within 10 s');
    await sleep(10);
  }
}

afterAll(async () => {
  for (const schema of schemas) await dropSchema(databaseUrl, schema);
});

runEventStoreContract('PostgreSQL (xid8 + snapshot xmin)', async () => {
  const schema = `${suiteSchema}_${schemas.length}`;
  schemas.push(schema);
  const opened: EventStore[] = [];
  const open = async (extra: Partial<PostgresEventStoreOptions> = {}) => {
    const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema, poolSize: 4, ...extra });
    opened.push(store);
    return store;
  };
  return {
    store: await open(),
    connect: (options) => open(options?.commitDelayMs ? { commitDelayMs: options.commitDelayMs, poolSize: 2 } : { poolSize: 2 }),
    dispose: async () => {
      await Promise.all(opened.map((store) => store.close()));
      await dropSchema(databaseUrl, schema);
    },
  };
});

/**
 * The reader most relational event stores start with: `WHERE global_position > $last ORDER BY
 * global_position`. Kept here, and only here, to prove that the contract catches what it gets wrong.
 */
class NaiveOrderByIdPostgresEventStore extends PostgresEventStore {
  static async openNaive(options: PostgresEventStoreOptions): Promise<NaiveOrderByIdPostgresEventStore> {
    const store = new NaiveOrderByIdPostgresEventStore(options);
    await store.initialise();
    return store;
  }

  protected override async readBatch(after: Position | 'start', maxCount: number, filter: EventFilter | undefined): Promise<ScannedBatch> {
    const { globalPosition } = decodePostgresPosition(after);
    const { rows } = await this.pool.query<PostgresEventRow>(
      `SELECT e.transaction_id::text AS tx, e.global_position, e.stream_name, e.revision, e.event_id, e.event_type,
              e.data, e.metadata, e.recorded_at
         FROM ${this.schema}.events e
        WHERE e.global_position > $1 AND (cardinality($3::text[]) = 0 OR starts_with(e.stream_name, ($3::text[])[1]))
        ORDER BY e.global_position LIMIT $2`,
      [globalPosition, maxCount, filter?.streamPrefixes ?? []],
    );
    const events = rows.map((row) => ({ ...this.toRecordedEvent(row), position: encodePostgresPosition('0', row.global_position) }));
    return { events, scannedTo: events.length > 0 ? events[events.length - 1].position : null };
  }
}

describe('PostgresEventStore', () => {
  let schema: string;
  beforeEach(() => {
    schema = `${suiteSchema}_${schemas.length}`;
    schemas.push(schema);
  });

  it('encodes positions as <xid8>:<global position>, 20 digits each', () => {
    expect(encodePostgresPosition('743', '12')).toBe('00000000000000000743:00000000000000000012');
    expect(decodePostgresPosition('00000000000000000743:00000000000000000012')).toEqual({ transactionId: '743', globalPosition: '12' });
    expect(decodePostgresPosition('start')).toEqual({ transactionId: '0', globalPosition: '0' });
    expect(() => decodePostgresPosition('00000000000000000012')).toThrow('Not a PostgreSQL event store position');
  });

  it('records applied migrations in <schema>.migrations and applies them once', async () => {
    const first = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
    const second = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query(`SELECT version, name FROM ${schema}.migrations ORDER BY version`);
    await client.end();
    expect(rows).toEqual([
      { version: 1, name: 'create events' },
      { version: 2, name: 'create append_to_stream' },
      { version: 3, name: 'create append_to_streams' },
      { version: 4, name: 'create append_batch' },
      { version: 5, name: 'append_batch in a few statements' },
    ]);
    await Promise.all([first.close(), second.close()]);
  });

  it('reads batches with generic plans (the custom plan was re-planned on every read) and appends with the default, keeping pool options given', async () => {
    const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema, pool: { options: '-c statement_timeout=12345' } });
    const settings = `SELECT current_setting('plan_cache_mode') AS plan, current_setting('statement_timeout') AS timeout`;
    const { pool, batchReadPool } = store as unknown as { pool: Pool; batchReadPool: Pool };
    const [appends, reads] = await Promise.all([pool.query(settings), batchReadPool.query(settings)]);
    await store.close();
    expect(appends.rows).toEqual([{ plan: 'auto', timeout: '12345ms' }]);
    expect(reads.rows).toEqual([{ plan: 'force_generic_plan', timeout: '12345ms' }]);
  });

  it('rejects schema names that are not plain identifiers', async () => {
    await expect(PostgresEventStore.open({ connectionString: databaseUrl, schema: 'x; drop table y' })).rejects.toThrow(TypeError);
  });

  describe('an append transaction still in flight while a later one commits', () => {
    const event = (type: string) => ({ eventId: randomUUID(), type, data: {} });

    /**
     * Holds append A (lower global_position) open, commits append B (higher), lets `subscriber`
     * run, then commits A. Returns what the subscriber delivered.
     */
    async function heldTransactionScenario(openReader: (options: PostgresEventStoreOptions) => Promise<PostgresEventStore>) {
      let release!: () => void;
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const slow = await PostgresEventStore.open({
        connectionString: databaseUrl,
        schema,
        beforeCommit: () => {
          entered();
          return new Promise<void>((resolve) => (release = resolve));
        },
      });
      const fast = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
      const reader = await openReader({ connectionString: databaseUrl, schema, pollIntervalMs: 20 });
      const delivered: RecordedEvent[] = [];
      let checkpoint: Position | 'start' = 'start';
      const subscribe = () =>
        reader.subscribeToAll({ after: checkpoint, batchSize: 10 }, async (batch) => {
          delivered.push(...batch);
          checkpoint = batch[batch.length - 1].position;
        });

      const eventA = event('A');
      const eventB = event('B');
      let subscription = subscribe();
      const appendingA = slow.appendToStream('stream-a', [eventA]);
      await inside;
      await fast.appendToStream('stream-b', [eventB]);
      await sleep(300);
      const deliveredWhileAWasOpen = delivered.map((e) => e.type);
      release();
      await appendingA;
      await sleep(300);
      // A restart from the stored checkpoint must not bring the event back either.
      await subscription.stop();
      subscription = subscribe();
      await sleep(300);
      await subscription.stop();

      const rows = await fast.readAll({ maxCount: 10 });
      const committed: CommittedEvent[] = [
        { eventId: eventA.eventId, streamName: 'stream-a', revision: 0 },
        { eventId: eventB.eventId, streamName: 'stream-b', revision: 0 },
      ];
      await Promise.all([slow.close(), fast.close(), reader.close()]);
      return { deliveredWhileAWasOpen, report: checkDelivery(committed, delivered), readAll: rows.map((e) => e.type) };
    }

    it('a naive ORDER BY global_position reader skips the earlier event for good (the torture check catches it)', async () => {
      const { deliveredWhileAWasOpen, report } = await heldTransactionScenario((o) => NaiveOrderByIdPostgresEventStore.openNaive(o));
      expect(deliveredWhileAWasOpen).toEqual(['B']);
      expect(report.missing.map((e) => e.streamName)).toEqual(['stream-a']);
    });

    it('the xmin-bounded reader holds B back until A commits, then delivers both exactly once', async () => {
      const { deliveredWhileAWasOpen, report, readAll } = await heldTransactionScenario((o) => PostgresEventStore.open(o));
      expect(deliveredWhileAWasOpen).toEqual([]);
      expect(report).toEqual({ missing: [], duplicated: [], unexpected: [], streamsOutOfOrder: [], positionsNotIncreasing: [] });
      expect(readAll).toEqual(['A', 'B']);
    });
  });

  describe('a writing transaction that appends no event', () => {
    const openClients: Client[] = [];
    const openStores: PostgresEventStore[] = [];
    afterEach(async () => {
      await Promise.all(openClients.splice(0).map((client) => client.end()));
      await Promise.all(openStores.splice(0).map((store) => store.close()));
    });
    const openStore = async (options: Partial<PostgresEventStoreOptions> = {}) => {
      const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema, ...options });
      openStores.push(store);
      return store;
    };
    /** A connection in a transaction that has written (so holds an xid) and stays open until the test ends. */
    async function openWritingTransaction(applicationName: string): Promise<Client> {
      const client = new Client({ connectionString: databaseUrl, application_name: applicationName });
      await client.connect();
      openClients.push(client);
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      return client;
    }
    const types = (events: RecordedEvent[]) => events.map((e) => e.type);

    it('does not hold readers back when its connection is the read model\'s; any other connection\'s still does', async () => {
      const store = await openStore();
      await openWritingTransaction(NON_APPENDING_APPLICATION_NAME);
      await store.appendToStream('stream-a', [{ eventId: randomUUID(), type: 'A', data: {} }]);
      expect(types(await store.readAll())).toEqual(['A']);
      expect(await store.countAll()).toBe(1);

      const batchJob = await openWritingTransaction('some-batch-job');
      await store.appendToStream('stream-b', [{ eventId: randomUUID(), type: 'B', data: {} }]);
      expect(types(await store.readAll())).toEqual(['A']);
      await batchJob.query('COMMIT');
      expect(types(await store.readAll())).toEqual(['A', 'B']);
    });

    it('a subscription delivers while a read-model transaction stays open', async () => {
      const store = await openStore({ pollIntervalMs: 20 });
      await openWritingTransaction(NON_APPENDING_APPLICATION_NAME);
      const delivered: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({ after: 'start' }, async (batch) => {
        delivered.push(...batch);
      });
      await store.appendToStream('stream-a', [{ eventId: randomUUID(), type: 'A', data: {} }]);
      try {
        await waitUntil(() => delivered.length === 1);
      } finally {
        await subscription.stop();
      }
      expect(types(delivered)).toEqual(['A']);
    });

    it('refuses to open on connections named like the read model, however the name is given', async () => {
      await expect(openStore({ pool: { application_name: NON_APPENDING_APPLICATION_NAME } })).rejects.toThrow(/may not be named axis-read-model/);
      const separator = databaseUrl.includes('?') ? '&' : '?';
      await expect(
        openStore({ connectionString: `${databaseUrl}${separator}application_name=${NON_APPENDING_APPLICATION_NAME}` }),
      ).rejects.toThrow(/may not be named axis-read-model/);
    });
  });

  describe('group commit', () => {
    const event = (type = 'T') => ({ eventId: randomUUID(), type, data: {} });
    const transactionOf = (position: Position) => decodePostgresPosition(position).transactionId;

    it('writes the appends of one event-loop turn in one transaction, each group judged on its own and in call order', async () => {
      const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
      await store.appendToStream('taken', [event()]);
      const outcomes = await Promise.allSettled([
        store.appendToStreams([
          { streamName: 'claim-a', events: [event()], expectedRevision: 'no_stream' },
          { streamName: 'user-1', events: [event()], expectedRevision: 'no_stream' },
        ]),
        store.appendToStreams([
          { streamName: 'claim-b', events: [event()], expectedRevision: 'no_stream' },
          { streamName: 'taken', events: [event()], expectedRevision: 'no_stream' },
        ]),
        store.appendToStream('user-1', [event(), event()], { expectedRevision: 0 }),
        store.appendToStream('user-1', [event()], { expectedRevision: 0 }),
        store.appendToStream('user-1', [event()]),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
      const [created, , patched, , appended] = outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : null));
      const results = [...(created as AppendResult[]), patched as AppendResult, appended as AppendResult];
      expect(results.map((result) => result.nextExpectedRevision)).toEqual([0, 0, 2, 3]);
      expect(new Set(results.map((result) => transactionOf(result.position))).size).toBe(1);
      const refused = (outcomes[1] as PromiseRejectedResult).reason as WrongExpectedRevisionError;
      expect([refused.streamName, refused.actual]).toEqual(['taken', 0]);
      expect(((outcomes[3] as PromiseRejectedResult).reason as WrongExpectedRevisionError).actual).toBe(2);
      expect(await store.readStream('claim-b')).toEqual([]);
      expect((await store.readStream('user-1')).map((e) => e.position)).toEqual([results[1]!.position, expect.any(String), results[2]!.position, results[3]!.position]);
      await store.close();
    });

    it('acknowledges a retry that shares a batch with the append it repeats', async () => {
      const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
      const events = [event(), event()];
      const [first, retry] = await Promise.all([
        store.appendToStream('retried', events, { expectedRevision: 'no_stream' }),
        store.appendToStream('retried', events, { expectedRevision: 'no_stream' }),
      ]);
      expect(retry).toEqual(first);
      expect(await store.readStream('retried')).toHaveLength(2);
      await store.close();
    });

    it('acknowledges, in a batch of several groups, a retry of an append stored before the batch', async () => {
      const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
      const stored = [event(), event()];
      const first = await store.appendToStreams([
        { streamName: 'retried-later-a', events: [event()] },
        { streamName: 'retried-later-b', events: stored },
      ]);
      const [fresh, retry] = await Promise.all([
        store.appendToStream('fresh-beside-retry', [event()], { expectedRevision: 'no_stream' }),
        store.appendToStreams([
          { streamName: 'retried-later-a', events: [event()], expectedRevision: 0 },
          { streamName: 'retried-later-b', events: stored, expectedRevision: 'no_stream' },
        ]),
      ]);
      // The second group's stored append is found as a duplicate (not refused as an existing stream).
      expect(retry[1]).toEqual(first[1]);
      expect(retry[0]!.nextExpectedRevision).toBe(1);
      expect(fresh.nextExpectedRevision).toBe(0);
      expect(await store.readStream('retried-later-b')).toHaveLength(2);
      expect(await store.readStream('retried-later-a')).toHaveLength(2);
      await store.close();
    });

    it('writes each group on its own when the batch fails as a whole', async () => {
      const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP FUNCTION ${schema}.append_batch(jsonb)`);
      await client.end();
      const outcomes = await Promise.allSettled([
        store.appendToStream('alone-a', [event()], { expectedRevision: 'no_stream' }),
        store.appendToStream('alone-b', [event()], { expectedRevision: 3 }),
        store.appendToStream('alone-c', [event()]),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      const [a, , c] = outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : null));
      expect(transactionOf(a!.position)).not.toBe(transactionOf(c!.position));
      await expect(store.appendToStream('alone-d', [event()])).rejects.toMatchObject({ code: '42883' });
      await store.close();
    });

    it('keeps every stream in revision order in the global log while batches of several stores race', async () => {
      const stores = await Promise.all([0, 1, 2].map(() => PostgresEventStore.open({ connectionString: databaseUrl, schema, poolSize: 3 })));
      const streams = ['s0', 's1', 's2', 's3'];
      await Promise.all(
        stores.flatMap((store, s) =>
          Array.from({ length: 40 }, (_, i) =>
            store.appendToStreams([
              { streamName: streams[(s + i) % 4]!, events: [event()] },
              { streamName: streams[(s + i + 1) % 4]!, events: [event()] },
            ]),
          ),
        ),
      );
      const read = await stores[0]!.readAll({ maxCount: 1000 });
      expect(read).toHaveLength(240);
      for (const stream of streams) {
        const revisions = read.filter((e) => e.streamName === stream).map((e) => e.revision);
        expect(revisions).toEqual(revisions.map((_, i) => i));
      }
      expect(new Set(read.map((e) => transactionOf(e.position))).size).toBeLessThan(120);
      await Promise.all(stores.map((store) => store.close()));
    });
  });

  it('wakes another process\'s subscription only for the event types it reads (NOTIFY names them), and for any signal of an older version', async () => {
    class CountingReads extends PostgresEventStore {
      reads = 0;
      static async openCounting(options: PostgresEventStoreOptions): Promise<CountingReads> {
        const store = new CountingReads(options);
        await store.initialise();
        return store;
      }
      protected override readBatch(after: Position | 'start', maxCount: number, filter: EventFilter | undefined): Promise<ScannedBatch> {
        this.reads++;
        return super.readBatch(after, maxCount, filter);
      }
    }
    const writer = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
    const reader = await CountingReads.openCounting({ connectionString: databaseUrl, schema, pollIntervalMs: 600_000 });
    const delivered: string[] = [];
    const subscription = reader.subscribeToAll({ after: 'start', filter: { eventTypes: ['Wanted'] } }, async (events) => {
      delivered.push(...events.map((event) => event.type));
    });
    await sleep(300); // LISTEN established (which itself wakes the subscription once)
    const readsBefore = reader.reads;

    for (let n = 0; n < 20; n++) await writer.appendToStream(`other-${n}`, [{ eventId: randomUUID(), type: 'Other', data: {} }]);
    await sleep(300);
    const readsForOtherTypes = reader.reads - readsBefore;
    await writer.appendToStream('wanted', [{ eventId: randomUUID(), type: 'Wanted', data: {} }]);
    await waitUntil(() => delivered.length === 1);
    const readsBeforeBarePosition = reader.reads;
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query('SELECT pg_notify($1, $2)', [`${schema}_appended`, (await writer.headPosition())!]);
    await client.end();
    await waitUntil(() => reader.reads > readsBeforeBarePosition);
    await subscription.stop();
    await Promise.all([writer.close(), reader.close()]);

    expect(readsForOtherTypes).toBe(0);
    expect(delivered).toEqual(['Wanted']);
  });

  it('keeps concurrent appends to one stream in revision order in the global log', async () => {
    // Each append waits for the stream lock of the one before, so its xid is assigned after that one's.
    const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema, commitDelayMs: 50, poolSize: 4 });
    const ids = Array.from({ length: 8 }, () => randomUUID());
    await Promise.all(ids.map((eventId) => store.appendToStream('one', [{ eventId, type: 'T', data: {} }])));
    const read = await store.readAll({ maxCount: 100 });
    expect(read.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await store.close();
  });
});
