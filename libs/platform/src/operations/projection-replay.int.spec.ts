import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, type EventStore } from '@axis/event-store';
import { insertRows, MemberRecord, openReadModel } from '@axis/read-model';
import { aMemberRow, openTestReadModel } from '@axis/read-model/testing';
import type { DataSource } from 'typeorm';
import type { ConsumerDefinition } from '../checkpointed-consumer';
import { checkpointsIn } from '../checkpoints';
import { replayProjection } from './projection-replay';

const EVENTS = 2500;
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A projection that only records the batches (= shadow transactions) it is handed. */
function probe(batches: number[]): ConsumerDefinition {
  return {
    name: 'replay-probe',
    kind: 'projection',
    async handle(events) {
      batches.push(events.length);
    },
  };
}

/** A projection that writes one member per event. */
function memberPerEvent(): ConsumerDefinition {
  return {
    name: 'replay-members',
    kind: 'projection',
    async handle(events, manager) {
      await insertRows(manager, MemberRecord, events.map((event) => aMemberRow(event.eventId)));
    },
  };
}

describe('replayProjection: shadow transactions and tables', () => {
  let store: EventStore;

  beforeAll(async () => {
    store = await createEventStore(':memory:');
    for (let stream = 0; stream < EVENTS / 100; stream += 1) {
      await store.appendToStream(
        `user-ws.${stream}`,
        Array.from({ length: 100 }, (_, n) => ({ eventId: id(stream * 100 + n + 1), type: 'X', data: {} })),
      );
    }
  });
  afterAll(() => store.close());

  async function replayInto(readModel: DataSource, readModelUrl: string, schema?: string): Promise<number[]> {
    const batches: number[] = [];
    const result = await replay(readModel, readModelUrl, schema, probe(batches), []);
    expect(result.events).toBe(EVENTS);
    expect(await checkpointsIn(readModel.manager).load('replay-probe')).toBe(await store.headPosition());
    return batches;
  }

  function replay(readModel: DataSource, readModelUrl: string, schema: string | undefined, projection: ConsumerDefinition, tables: string[], indexesAfterLoad = false) {
    return replayProjection({ eventStore: store, readModel, readModelUrl, ...(schema ? { schema } : {}), projection, tables, graceMs: 0, indexesAfterLoad });
  }

  /** The indexes of `members` (name and definition, the table's schema left out), as the database lists them. */
  async function memberIndexes(db: Pick<DataSource, 'query'>, postgres: boolean): Promise<string[]> {
    const rows = (await db.query(
      postgres
        ? `SELECT indexname AS name, replace(indexdef, schemaname || '.', '') AS definition FROM pg_indexes WHERE tablename = 'members' AND schemaname = current_schema()`
        : `SELECT name, coalesce(sql, '(automatic)') AS definition FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members'`,
    )) as Array<{ name: string; definition: string }>;
    return rows.map((row) => `${row.name}: ${row.definition}`).sort();
  }

  describe.each(['postgres', 'sqlite'] as const)('with indexesAfterLoad on %s', (dialect) => {
    it('loads the shadow without the secondary indexes, then switches in tables with every index the live ones had', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'axis-replay-indexes-'));
      const readModel =
        dialect === 'postgres'
          ? await openTestReadModel('postgres', 'replay_idx')
          : { dataSource: await openReadModel({ url: `sqlite:${join(directory, 'read-model.sqlite')}` }), schema: undefined, close: async () => undefined };
      const url = dialect === 'postgres' ? process.env['DATABASE_URL']! : `sqlite:${join(directory, 'read-model.sqlite')}`;
      try {
        const before = await memberIndexes(readModel.dataSource, dialect === 'postgres');
        // The trigram indexes on PostgreSQL, the sort and search indexes on both.
        expect(before.filter((index) => !/PRIMARY|pkey|UNIQUE|automatic/i.test(index)).length).toBeGreaterThan(3);
        const duringLoad: string[][] = [];
        const writer = memberPerEvent();
        await replay(
          readModel.dataSource,
          url,
          readModel.schema,
          {
            ...writer,
            async handle(events, manager) {
              duringLoad.push(await memberIndexes(manager, dialect === 'postgres'));
              await writer.handle(events, manager);
            },
          },
          ['members'],
          true,
        );
        for (const indexes of duringLoad) expect(indexes.filter((index) => !/PRIMARY|pkey|UNIQUE|automatic/i.test(index))).toEqual([]);
        expect(await memberIndexes(readModel.dataSource, dialect === 'postgres')).toEqual(before);
        expect(Number((await readModel.dataSource.query('SELECT count(*) AS n FROM members'))[0].n)).toBe(EVENTS);
      } finally {
        await readModel.close();
        if (dialect === 'sqlite') await readModel.dataSource.destroy();
        rmSync(directory, { recursive: true, force: true });
      }
    });
  });

  it('on PostgreSQL, hold at most 1,000 events each (a writing transaction holds back every subscription in the cluster)', async () => {
    const readModel = await openTestReadModel('postgres', 'replay_tx');
    try {
      const batches = await replayInto(readModel.dataSource, process.env['DATABASE_URL']!, readModel.schema);
      expect(batches).toEqual([1000, 1000, 500]);
    } finally {
      await readModel.close();
    }
  });

  it('on PostgreSQL, the tables are switched in with statistics: the live side plans for their real size, not for empty tables', async () => {
    const readModel = await openTestReadModel('postgres', 'replay_stats');
    try {
      await replay(readModel.dataSource, process.env['DATABASE_URL']!, readModel.schema, memberPerEvent(), ['members']);
      const [members] = (await readModel.dataSource.query(`SELECT reltuples FROM pg_class WHERE oid = 'members'::regclass`)) as Array<{ reltuples: number }>;
      expect(Number(members!.reltuples)).toBe(EVENTS);
    } finally {
      await readModel.close();
    }
  });

  it('on SQLite, take a whole page each (the shadow is a file of its own)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'axis-replay-tx-'));
    const file = join(directory, 'read-model.sqlite');
    const readModel = await openReadModel({ url: `sqlite:${file}` });
    try {
      expect(await replayInto(readModel, `sqlite:${file}`)).toEqual([EVENTS]);
    } finally {
      await readModel.destroy();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
