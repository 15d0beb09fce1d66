import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ensureCheckpointTable, SqlCheckpointStore, CheckpointConflictError } from './checkpoint.store';
import { describeCompareAndSet, dropSchema, randomSchemaName, requireDatabaseUrl } from './testing';

const databaseUrl = requireDatabaseUrl();
const schema = randomSchemaName('cp');
const pool = new Pool({ connectionString: databaseUrl, max: 4 });
let tableCounter = 0;

beforeAll(async () => {
  await pool.query(`CREATE SCHEMA ${schema}`);
});
afterAll(async () => {
  await pool.end();
  await dropSchema(databaseUrl, schema);
});

async function freshTable(): Promise<string> {
  const table = `${schema}.checkpoints_${(tableCounter += 1)}`;
  await ensureCheckpointTable(pool, 'postgres', table);
  return table;
}

describeCompareAndSet('PostgreSQL through a raw pg Pool', async () => ({
  store: new SqlCheckpointStore(pool, { dialect: 'postgres', table: await freshTable() }),
  close: async () => undefined,
}));

describeCompareAndSet('PostgreSQL through a TypeORM EntityManager', async () => {
  const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
  const table = await freshTable();
  return { store: new SqlCheckpointStore(dataSource.manager, { dialect: 'postgres', table }), close: () => dataSource.destroy() };
});

describe('exactly-once projection on PostgreSQL: rows and checkpoint in one transaction', () => {
  it('rolls back a batch killed mid-way and re-delivers it without double effect; a rival instance loses the CAS', async () => {
    const table = await freshTable();
    await pool.query(`CREATE TABLE ${schema}.applied (event_position text PRIMARY KEY, amount int NOT NULL)`);
    const positions = Array.from({ length: 9 }, (_, i) => String(i + 1).padStart(20, '0'));
    const checkpoints = new SqlCheckpointStore(pool, { dialect: 'postgres', table });

    const projectBatch = async (batch: string[], crashAfter?: number) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx = checkpoints.inTransaction(client);
        const from = await tx.load('ledger');
        for (const [index, position] of batch.entries()) {
          // No ON CONFLICT: a second application would fail loudly, not hide the double effect.
          await client.query(`INSERT INTO ${schema}.applied VALUES ($1, 1)`, [position]);
          if (index === crashAfter) throw new Error('killed mid-batch');
        }
        await tx.compareAndSet('ledger', from, batch[batch.length - 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };
    const next = async (size: number) => {
      const stored = await checkpoints.load('ledger');
      return positions.filter((p) => stored === null || p > stored).slice(0, size);
    };

    await projectBatch(await next(3));
    await expect(projectBatch(await next(3), 1)).rejects.toThrow('killed mid-batch');
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${schema}.applied`)).rows[0].n).toBe(3);
    while ((await next(3)).length > 0) await projectBatch(await next(3));
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${schema}.applied`)).rows[0].n).toBe(9);
    expect(await checkpoints.load('ledger')).toBe(positions[8]);

    // Two instances read the same checkpoint; the one committing second must fail and change nothing.
    const stale = await checkpoints.load('ledger');
    await checkpoints.compareAndSet('ledger', stale, '00000000000000000010');
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO ${schema}.applied VALUES ('rival', 1)`);
    await expect(checkpoints.inTransaction(client).compareAndSet('ledger', stale, '00000000000000000011')).rejects.toBeInstanceOf(
      CheckpointConflictError,
    );
    await client.query('ROLLBACK');
    client.release();
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${schema}.applied`)).rows[0].n).toBe(9);
  });
});
