import { encodeSqlitePosition } from '@axis/event-store';
import { checkpointAnnouncements, checkpointsIn, metrics } from '@axis/platform';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { ReadYourWrites } from './read-your-writes';

const PROJECTION = 'members';
const at = (position: number) => encodeSqlitePosition(position);

describe('ReadYourWrites', () => {
  let readModel: DataSource;
  let consistency: ReadYourWrites;
  let checkpointQueries: number;

  beforeEach(async () => {
    readModel = await openReadModel({ url: ':memory:' });
    consistency = new ReadYourWrites(readModel);
    checkpointQueries = 0;
    const query = readModel.manager.query.bind(readModel.manager);
    jest.spyOn(readModel.manager, 'query').mockImplementation(async (sql: string, params?: Parameters<DataSource['query']>[1]) => {
      if (/projection_checkpoints/.test(sql) && /^\s*SELECT/i.test(sql)) checkpointQueries++;
      return query(sql, params);
    });
  });

  afterEach(async () => {
    consistency.onModuleDestroy();
    await readModel.destroy();
  });

  const commitCheckpoint = (expected: number | null, position: number) =>
    checkpointsIn(readModel.manager).compareAndSet(PROJECTION, expected === null ? null : at(expected), at(position));

  it('waits for nothing when the workspace wrote nothing', async () => {
    await consistency.waitFor('ws-1', PROJECTION);

    expect(checkpointQueries).toBe(0);
  });

  it('releases every waiting read once the projection passes their write, polling once for all of them', async () => {
    consistency.recordWrite('ws-1', at(10));
    consistency.recordWrite('ws-2', at(12));
    const released: string[] = [];
    const reads = [
      ...Array.from({ length: 20 }, () => consistency.waitFor('ws-1', PROJECTION).then(() => released.push('ws-1'))),
      consistency.waitFor('ws-2', PROJECTION).then(() => released.push('ws-2')),
    ];
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(released).toEqual([]);
    const pollsWhileWaiting = checkpointQueries;

    await commitCheckpoint(null, 11);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(released.filter((workspace) => workspace === 'ws-1')).toHaveLength(20);
    expect(released).not.toContain('ws-2');

    await commitCheckpoint(11, 12);
    await Promise.all(reads);
    expect(released).toContain('ws-2');
    // 21 readers waited ~100 ms at a 5 ms interval: about 20 polls, not 21 × 20.
    expect(pollsWhileWaiting).toBeGreaterThan(0);
    expect(pollsWhileWaiting).toBeLessThan(40);
  });

  it('answers a read after a write the projection was already seen to pass without querying', async () => {
    consistency.recordWrite('ws-1', at(5));
    await commitCheckpoint(null, 8);
    await consistency.waitFor('ws-1', PROJECTION);
    const queriesAfterFirstRead = checkpointQueries;
    expect(queriesAfterFirstRead).toBeGreaterThan(0);

    consistency.recordWrite('ws-1', at(7));
    await consistency.waitFor('ws-1', PROJECTION);

    expect(checkpointQueries).toBe(queriesAfterFirstRead);
  });

  it('releases a waiting read the moment the projection announces a checkpoint past its write, without a poll', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    try {
      consistency.recordWrite('ws-1', at(10));
      let answered = false;
      const read = consistency.waitFor('ws-1', PROJECTION).then(() => (answered = true));
      await Promise.resolve();

      checkpointAnnouncements(readModel).committed({ consumer: PROJECTION, position: at(9) });
      checkpointAnnouncements(readModel).committed({ consumer: 'groups', position: at(10) });
      await new Promise((resolve) => setImmediate(resolve));
      expect(answered).toBe(false);

      // Announced, not stored: only the announcement can release it (no timer has run).
      checkpointAnnouncements(readModel).committed({ consumer: PROJECTION, position: at(10) });
      await read;
      expect(answered).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('answers a read after its bound when the projection does not move, and counts it as stale', async () => {
    const staleReads = async () =>
      (await metrics.readYourWritesTimeoutsTotal.get()).values.find((value) => value.labels['projection'] === PROJECTION)?.value ?? 0;
    const before = await staleReads();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    try {
      consistency.recordWrite('ws-1', at(10));
      let answered = false;
      const read = consistency.waitFor('ws-1', PROJECTION).then(() => (answered = true));

      await jest.advanceTimersByTimeAsync(2900);
      expect(answered).toBe(false);
      expect(await staleReads()).toBe(before);

      await jest.advanceTimersByTimeAsync(200);
      await read;
      expect(await staleReads()).toBe(before + 1);
    } finally {
      jest.useRealTimers();
    }
  });
});
