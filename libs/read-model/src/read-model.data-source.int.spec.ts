/**
 * The event store's readers do not wait for transactions of connections named
 * NON_APPENDING_APPLICATION_NAME. The read model's connections carry that name, so a long read-model
 * transaction (a projection batch, a replay) delays no subscriber of an event store in the same cluster.
 */
import { PostgresEventStore } from '@axis/event-store';
import { dropSchema, randomSchemaName, requireDatabaseUrl } from '@axis/event-store/testing';
import { randomUUID } from 'node:crypto';
import { openReadModel } from './read-model.data-source';
import { openTestReadModel, type TestReadModel } from './testing/test-read-model';

describe('the PostgreSQL read model beside an event store', () => {
  const databaseUrl = requireDatabaseUrl();
  const eventStoreSchema = randomSchemaName('rm_es');
  let readModel: TestReadModel;
  let eventStore: PostgresEventStore;

  beforeAll(async () => {
    readModel = await openTestReadModel('postgres', 'rm_appname');
    eventStore = await PostgresEventStore.open({ connectionString: databaseUrl, schema: eventStoreSchema, poolSize: 2 });
  });
  afterAll(async () => {
    await eventStore.close();
    await readModel.close();
    await dropSchema(databaseUrl, eventStoreSchema);
  });

  it('compiles no plan with JIT: its queries are short, and compiling cost more than a scan', async () => {
    expect(await readModel.dataSource.query('SHOW jit')).toEqual([{ jit: 'off' }]);
  });

  it('holds no event back while one of its transactions writes', async () => {
    const runner = readModel.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query('SELECT pg_current_xact_id()'); // what a first write does: the transaction gets its xid
      await eventStore.appendToStream('stream-a', [{ eventId: randomUUID(), type: 'A', data: {} }]);
      expect((await eventStore.readAll()).map((event) => event.type)).toEqual(['A']);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});

/**
 * Gateway, projector and notifier start together on one fresh schema. CREATE SCHEMA IF NOT EXISTS is
 * not safe against a concurrent one (the loser fails on pg_namespace's unique index), so a process
 * that lost the race once died at startup and its projection never ran.
 */
describe('the PostgreSQL read model opened by several processes at once', () => {
  const databaseUrl = requireDatabaseUrl();

  it('opens a fresh schema from every one of them', async () => {
    for (let round = 0; round < 5; round += 1) {
      const schema = randomSchemaName('rm_race');
      try {
        const opened = await Promise.allSettled(Array.from({ length: 6 }, () => openReadModel({ url: databaseUrl, schema, poolSize: 1 })));
        await Promise.all(opened.map((result) => (result.status === 'fulfilled' ? result.value.destroy() : undefined)));
        expect(opened.filter((result) => result.status === 'rejected')).toEqual([]);
      } finally {
        await dropSchema(databaseUrl, schema);
      }
    }
  });
});

describe('the PostgreSQL read model with a statement timeout (#23)', () => {
  const databaseUrl = requireDatabaseUrl();

  it('cancels a statement past the budget on every connection, and migrates without it', async () => {
    const schema = randomSchemaName('rm_timeout');
    // A budget no migration of a fresh schema fits in: they run with statement_timeout = 0.
    const dataSource = await openReadModel({ url: databaseUrl, schema, poolSize: 2, statementTimeoutMs: 1 });
    try {
      expect(await dataSource.query('SELECT count(*)::int AS n FROM members')).toEqual([{ n: 0 }]);
      expect(await dataSource.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '1ms' }]);
      await expect(dataSource.query('SELECT pg_sleep(0.2)')).rejects.toMatchObject({ driverError: { code: '57014' } });
    } finally {
      await dataSource.destroy();
      await dropSchema(databaseUrl, schema);
    }
  });
});
