/**
 * The event store's readers do not wait for transactions of connections named
 * NON_APPENDING_APPLICATION_NAME. The read model's connections carry that name, so a long read-model
 * transaction (a projection batch, a replay) delays no subscriber of an event store in the same cluster.
 */
import { PostgresEventStore } from '@axis/event-store';
import { dropSchema, randomSchemaName, requireDatabaseUrl } from '@axis/event-store/testing';
import { randomUUID } from 'node:crypto';
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
