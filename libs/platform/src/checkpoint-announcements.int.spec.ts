import { openTestReadModel, type TestReadModel } from '@axis/read-model/testing';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { checkpointAnnouncements } from './checkpoint-announcements';
import { checkpointsIn } from './checkpoints';

describe('checkpoint announcements on PostgreSQL', () => {
  let readModel: TestReadModel;
  /** Another process's connections to the same read model (the gateway's, when the projector commits). */
  let elsewhere: DataSource;

  beforeAll(async () => {
    readModel = await openTestReadModel('postgres', 'announce');
    elsewhere = await openReadModel({ url: process.env['DATABASE_URL']!, schema: readModel.schema!, poolSize: 1 });
  });

  afterAll(async () => {
    await elsewhere.destroy();
    await readModel.close();
  });

  it('reach other processes when the transaction commits, never when it rolls back', async () => {
    const heard: Array<[string, string]> = [];
    const stopListening = checkpointAnnouncements(elsewhere).listen((consumer, position) => heard.push([consumer, position]));
    try {
      // LISTEN takes a moment to be in place: announce until one is heard.
      for (let attempt = 1; heard.length === 0 && attempt <= 100; attempt += 1) {
        await readModel.dataSource.transaction(async (manager) => {
          await checkpointsIn(manager).compareAndSet('warm-up', attempt === 1 ? null : String(attempt - 1), String(attempt));
          await checkpointAnnouncements(readModel.dataSource).inTransaction(manager, { consumer: 'warm-up', position: String(attempt) });
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(heard.length).toBeGreaterThan(0);

      await expect(
        readModel.dataSource.transaction(async (manager) => {
          await checkpointAnnouncements(readModel.dataSource).inTransaction(manager, { consumer: 'members', position: '1' });
          throw new Error('the batch failed');
        }),
      ).rejects.toThrow('the batch failed');
      await readModel.dataSource.transaction((manager) =>
        checkpointAnnouncements(readModel.dataSource).inTransaction(manager, { consumer: 'members', position: '2' }),
      );
      const ofMembers = () => heard.filter(([consumer]) => consumer === 'members');
      for (let waited = 0; ofMembers().length === 0 && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));

      expect(ofMembers()).toEqual([['members', '2']]);
    } finally {
      stopListening();
    }
  });
});
