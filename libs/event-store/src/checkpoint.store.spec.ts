import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import {
  ensureCheckpointTable,
  InMemoryCheckpointStore,
  SqlCheckpointStore,
  sqliteExecutor,
} from './checkpoint.store';
import type { RecordedEvent } from './event-store.port';
import { SqliteEventStore } from './sqlite-event-store.adapter';
import { describeCompareAndSet } from './testing';

describeCompareAndSet('in memory', async () => ({ store: new InMemoryCheckpointStore(), close: async () => undefined }));

describeCompareAndSet('SQLite', async () => {
  const db = new Database(':memory:');
  await ensureCheckpointTable(sqliteExecutor(db), 'sqlite');
  return { store: new SqlCheckpointStore(sqliteExecutor(db), { dialect: 'sqlite' }), close: async () => void db.close() };
});

describeCompareAndSet('SQLite through a TypeORM EntityManager (better-sqlite3 driver)', async () => {
  const dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
  await ensureCheckpointTable(dataSource.manager, 'sqlite');
  return { store: new SqlCheckpointStore(dataSource.manager, { dialect: 'sqlite' }), close: () => dataSource.destroy() };
});

describe('exactly-once projection on SQLite: rows and checkpoint in one transaction', () => {
  it('re-delivers a batch whose transaction was rolled back, with no double effect', async () => {
    const events = SqliteEventStore.open({ filename: ':memory:' });
    const stream = 'member-1';
    for (let i = 0; i < 10; i += 1) {
      await events.appendToStream(stream, [{ eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'Added', data: { n: i } }]);
    }
    const readModel = new Database(':memory:');
    readModel.exec('CREATE TABLE totals (id TEXT PRIMARY KEY, sum INTEGER NOT NULL, applied INTEGER NOT NULL)');
    readModel.exec("INSERT INTO totals VALUES ('all', 0, 0)");
    const executor = sqliteExecutor(readModel);
    await ensureCheckpointTable(executor, 'sqlite');
    const checkpoints = new SqlCheckpointStore(executor, { dialect: 'sqlite' });

    let crashOnce = true;
    const project = async (batch: RecordedEvent[]) => {
      // better-sqlite3 transactions are synchronous, so the projection drives BEGIN/COMMIT itself.
      readModel.exec('BEGIN IMMEDIATE');
      try {
        const tx = checkpoints.inTransaction(sqliteExecutor(readModel));
        const from = await tx.load('totals');
        for (const event of batch) {
          readModel.prepare("UPDATE totals SET sum = sum + ?, applied = applied + 1 WHERE id = 'all'").run(event.data.n as number);
          if (crashOnce && event.revision === 5) {
            crashOnce = false;
            throw new Error('killed mid-batch');
          }
        }
        await tx.compareAndSet('totals', from, batch[batch.length - 1].position);
        readModel.exec('COMMIT');
      } catch (error) {
        readModel.exec('ROLLBACK');
        throw error;
      }
    };

    const run = async () => {
      const after = (await checkpoints.load('totals')) ?? 'start';
      const subscription = events.subscribeToAll({ after, batchSize: 4 }, project);
      const outcome = await Promise.race([subscription.done.then(() => 'stopped', (e: Error) => e.message), sleepUntilCaughtUp()]);
      await subscription.stop();
      return outcome;
    };
    const sleepUntilCaughtUp = async () => {
      const head = await events.headPosition();
      while ((await checkpoints.load('totals')) !== head) await new Promise((r) => setTimeout(r, 10));
      return 'caught up';
    };

    expect(await run()).toBe('killed mid-batch');
    expect(readModel.prepare("SELECT sum, applied FROM totals WHERE id = 'all'").get()).toEqual({ sum: 0 + 1 + 2 + 3, applied: 4 });
    expect(await run()).toBe('caught up');
    expect(readModel.prepare("SELECT sum, applied FROM totals WHERE id = 'all'").get()).toEqual({ sum: 45, applied: 10 });
    readModel.close();
    await events.close();
  });
});
