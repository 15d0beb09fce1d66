import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadBudgetExceeded, SqliteReaderPool } from './sqlite-reader-pool';

/** A statement that keeps SQLite busy for a long while (tens of millions of steps), whatever the data. */
const SLOW = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) AS n FROM c';

describe('SqliteReaderPool (real SQLite file, reader threads)', () => {
  let dir: string;
  let file: string;
  let writer: Database.Database;
  const pools: SqliteReaderPool[] = [];
  const open = async (threads: number, budgetMs = 60_000) => {
    const pool = new SqliteReaderPool({ file, threads, budgetMs });
    pools.push(pool);
    await pool.ready();
    return pool;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'axis-readers-'));
    file = join(dir, 'read-model.sqlite');
    writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE members (id TEXT PRIMARY KEY, workspace_id TEXT, user_name TEXT)');
    writer.prepare('INSERT INTO members VALUES (?, ?, ?)').run('m1', 'ws-a', 'ada@example.com');
  });

  afterEach(async () => {
    await Promise.all(pools.splice(0).map(async (pool) => pool.close()));
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers what the main connection would, including what was committed after it started', async () => {
    const pool = await open(2);
    const sql = 'SELECT id, user_name FROM members WHERE workspace_id = ? ORDER BY id';
    expect(await pool.rows(sql, ['ws-a'], 'ws-a')).toEqual(writer.prepare(sql).all('ws-a'));
    writer.prepare('INSERT INTO members VALUES (?, ?, ?)').run('m2', 'ws-a', 'bob@example.com');
    expect(await pool.rows(sql, ['ws-a'], 'ws-a')).toEqual([
      { id: 'm1', user_name: 'ada@example.com' },
      { id: 'm2', user_name: 'bob@example.com' },
    ]);
  });

  it('leaves the event loop free while a costly statement runs', async () => {
    const pool = await open(2);
    let slowDone = false;
    const slow = pool.rows<{ n: number }>(SLOW, [], 'ws-a').then((rows) => {
      slowDone = true;
      return rows;
    });
    // On the calling thread this statement would hold the loop: no timer could fire before it ends.
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(slowDone).toBe(false);
    expect(await slow).toEqual([{ n: 3_000_000 }]);
  });

  it('answers ReadBudgetExceeded past the budget, and keeps serving on its other thread', async () => {
    const pool = await open(2, 50);
    await expect(pool.rows(SLOW, [], 'ws-a')).rejects.toBeInstanceOf(ReadBudgetExceeded);
    // better-sqlite3 cannot interrupt the abandoned statement: it holds its thread until it ends.
    expect(await pool.rows('SELECT count(*) AS n FROM members', [], 'ws-b')).toEqual([{ n: 1 }]);
  });

  it('refuses a search still queued at its budget without running it', async () => {
    const pool = await open(1, 200);
    const slow = expect(pool.rows(SLOW, [], 'ws-a')).rejects.toBeInstanceOf(ReadBudgetExceeded);
    const queued = expect(pool.rows('SELECT count(*) AS n FROM members', [], 'ws-b')).rejects.toBeInstanceOf(ReadBudgetExceeded);
    await Promise.all([slow, queued]);
  });

  it('keeps a thread for other workspaces while one workspace runs costly searches', async () => {
    const pool = await open(2);
    const settled: string[] = [];
    const first = pool.rows(SLOW, [], 'ws-a').then(() => settled.push('a1'));
    const second = pool.rows(SLOW, [], 'ws-a').then(() => settled.push('a2'));
    await pool.rows('SELECT count(*) AS n FROM members', [], 'ws-b');
    settled.push('b');
    await Promise.all([first, second]);
    // ws-b was answered before ws-a's second costly search, which waited for ws-a's first.
    expect(settled).toEqual(['b', 'a1', 'a2']);
  });

  it('reports a file it cannot open', async () => {
    const pool = new SqliteReaderPool({ file: join(dir, 'missing.sqlite'), threads: 1, budgetMs: 1_000 });
    pools.push(pool);
    await expect(pool.ready()).rejects.toThrow(/unable to open|does not exist/);
  });

  it('rejects a statement SQLite refuses, and keeps serving', async () => {
    const pool = await open(1);
    await expect(pool.rows('SELECT nope FROM members', [], 'ws-a')).rejects.toThrow(/no such column: nope/);
    // Readers only read: a write is refused before it could touch the file.
    await expect(pool.rows("INSERT INTO members VALUES ('x', 'ws-a', 'x')", [], 'ws-a')).rejects.toThrow(/does not return data/);
    expect(await pool.rows('SELECT count(*) AS n FROM members', [], 'ws-a')).toEqual([{ n: 1 }]);
  });
});
