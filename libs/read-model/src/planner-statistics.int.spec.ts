/**
 * A read model filled from empty outgrows the plans PostgreSQL made for its named statements while
 * it was small; analysing the grown tables makes every connection plan them again.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { insertRows, selectRowsWhereIn } from './bulk-sql';
import { MemberRecord } from './entities';
import { analyzeGrownTables, PlannerStatisticsKeeper } from './planner-statistics';
import { createReadModelDataSource } from './read-model.data-source';
import { aMemberRow } from './testing/member-rows';
import { openTestReadModel, type TestReadModel } from './testing/test-read-model';

function members(count: number): MemberRecord[] {
  return Array.from({ length: count }, (_, n) => aMemberRow(randomUUID(), `user-${n}`));
}

/** The scans of `members` that `work` started, as this connection counts them (counts not yet flushed included). */
async function scansOfMembers(dataSource: DataSource, work: (manager: EntityManager) => Promise<unknown>): Promise<{ sequential: number; index: number }> {
  return dataSource.transaction(async (manager) => {
    const count = async () => {
      const [row] = (await manager.query(`SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relid = 'members'::regclass`)) as Array<{ seq_scan: string; idx_scan: string }>;
      return { sequential: Number(row!.seq_scan), index: Number(row!.idx_scan) };
    };
    const before = await count();
    await work(manager);
    const after = await count();
    return { sequential: after.sequential - before.sequential, index: after.index - before.index };
  });
}

/** Adds `count` members; the cumulative statistics (rows changed since the last ANALYZE) are flushed by this connection now, not within the next second. */
async function grow(dataSource: DataSource, count: number): Promise<void> {
  await insertRows(dataSource, MemberRecord, members(count));
  await dataSource.query('SELECT pg_stat_force_next_flush()');
  await dataSource.query('SELECT 1');
}

describe('planner statistics of a PostgreSQL read model filled from empty', () => {
  let readModel: TestReadModel;
  let dataSource: DataSource;

  beforeEach(async () => {
    readModel = await openTestReadModel('postgres', 'rm_stats');
    // One connection: the named statement is prepared, and its plan kept, on the connection under test.
    dataSource = createReadModelDataSource({ url: process.env['DATABASE_URL']!, schema: readModel.schema!, poolSize: 1 });
    await dataSource.initialize();
  });
  afterEach(async () => {
    await dataSource.destroy();
    await readModel.close();
  });

  it('a lookup by id planned while the table was empty seeks the primary key once the grown table is analysed', async () => {
    const ids = Array.from({ length: 32 }, () => randomUUID());
    const lookUp = (manager: EntityManager) => selectRowsWhereIn(manager, MemberRecord, 'id', ids);
    // After five runs PostgreSQL settles on one generic plan for the statement: made for an empty table.
    for (let run = 0; run < 8; run++) await scansOfMembers(dataSource, lookUp);
    await grow(dataSource, 5000);

    expect(await scansOfMembers(dataSource, lookUp)).toEqual({ sequential: 1, index: 0 });

    expect(await analyzeGrownTables(dataSource)).toContain('members');
    const replanned = await scansOfMembers(dataSource, lookUp);
    expect(replanned.sequential).toBe(0);
    expect(replanned.index).toBeGreaterThan(0); // PostgreSQL counts one per id looked up
  });

  it('analyses a table again only once its changes outnumber its rows at the last analysis by a thousand', async () => {
    await grow(dataSource, 999);
    expect(await analyzeGrownTables(dataSource)).toEqual([]);

    await grow(dataSource, 1);
    expect(await analyzeGrownTables(dataSource)).toEqual(['members']);

    // 1,000 rows analysed: the next analysis after 2,000 more changes.
    await grow(dataSource, 1999);
    expect(await analyzeGrownTables(dataSource)).toEqual([]);
    await grow(dataSource, 1);
    expect(await analyzeGrownTables(dataSource)).toEqual(['members']);
  });

  it('the keeper analyses what grows while it runs, and stops', async () => {
    const analysed: string[][] = [];
    const keeper = new PlannerStatisticsKeeper(dataSource, { periodMs: 20, onAnalyzed: (tables) => analysed.push(tables) });
    keeper.start();
    try {
      await grow(dataSource, 1500);
      for (const deadline = Date.now() + 10_000; analysed.length === 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(analysed).toEqual([['members']]);
    } finally {
      await keeper.stop();
    }
    await grow(dataSource, 4000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(analysed).toHaveLength(1);
  });
});

describe('planner statistics on SQLite', () => {
  it('are left to SQLite', async () => {
    const readModel = await openTestReadModel('sqlite', 'unused');
    try {
      await insertRows(readModel.dataSource, MemberRecord, members(1500));
      expect(await analyzeGrownTables(readModel.dataSource)).toEqual([]);
    } finally {
      await readModel.close();
    }
  });
});
