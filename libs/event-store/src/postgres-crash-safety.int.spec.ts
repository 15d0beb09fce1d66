import { PostgresEventStore } from './postgres-event-store.adapter';
import { dropSchema, randomSchemaName, requireDatabaseUrl, type CommittedEvent } from './testing';
import { ensureBuiltLibrary } from './testing/built-dist';
import { expectIntactAfterKill, startAppendingChild, waitForAppends } from './testing/crash-safety.harness';

jest.setTimeout(180_000);

const databaseUrl = requireDatabaseUrl();
const schemas: string[] = [];
let entry: string;
beforeAll(async () => {
  entry = await ensureBuiltLibrary();
});
afterAll(async () => {
  for (const schema of schemas) await dropSchema(databaseUrl, schema);
});

const STREAMS = ['crash-0', 'crash-1', 'crash-2', 'crash-3'];

describe('PostgreSQL crash safety (SIGKILL mid-append)', () => {
  it.each([
    ['in a tight append loop', 0],
    ['while a commit is held open', 15],
  ])('leaves only whole batches %s and keeps accepting appends', async (_label, commitDelayMs) => {
    const schema = randomSchemaName('es_crash');
    schemas.push(schema);
    const acknowledged: CommittedEvent[] = [];
    for (let round = 0; round < 3; round += 1) {
      const child = startAppendingChild(entry, {
        DATABASE_URL: databaseUrl,
        SCHEMA: schema,
        COMMIT_DELAY_MS: String(commitDelayMs),
        WRITER: `w${round}`,
      });
      await waitForAppends(child, 20 + round * 5);
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      child.process.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      acknowledged.push(...child.committed);
    }
    const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
    // The server notices the dead client and rolls its transaction back; give it a moment.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const { rows } = await (store as unknown as { pool: import('pg').Pool }).pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' AND datname = current_database()
           AND query LIKE '%${schema}%'`,
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const total = await expectIntactAfterKill(store, STREAMS, 5, acknowledged);
    expect(total).toBeGreaterThanOrEqual(acknowledged.length);
    expect(await store.headPosition()).not.toBeNull();
    await store.close();
  });
});
