import type { DataSource } from 'typeorm';
import { openTestReadModel } from './testing/test-read-model';
import { pageClause, queryRows, sqliteConnectionOf } from './search-sql';

describe('pageClause', () => {
  it('writes the page size as a literal and binds the offset', () => {
    expect(pageClause(100, '?')).toBe('LIMIT 100 OFFSET ?');
    expect(pageClause(0, '$4')).toBe('LIMIT 0 OFFSET $4');
  });

  it.each([1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])('refuses %p: only an integer page size reaches the SQL text', (limit) => {
    expect(() => pageClause(limit, '?')).toThrow(/non-negative integer/);
  });
});

describe('queryRows on SQLite', () => {
  let readModel: DataSource;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ dataSource: readModel, close } = await openTestReadModel('sqlite', 'unused'));
  });

  afterEach(async () => close());

  it('runs statements on the better-sqlite3 connection, prepared once, past TypeORM’s query runner', async () => {
    const connection = sqliteConnectionOf(readModel);
    const prepared = jest.spyOn(connection, 'prepare');
    const throughTypeOrm = jest.spyOn(readModel.driver, 'createQueryRunner');
    const insert = 'INSERT INTO projection_checkpoints (subscriber_id, position, updated_at) VALUES (?, ?, ?)';
    const select = 'SELECT subscriber_id, position FROM projection_checkpoints WHERE subscriber_id = ?';

    expect(await queryRows(readModel, insert, ['a', '1', '2026-01-01'])).toEqual([]);
    await queryRows(readModel, insert, ['b', '2', '2026-01-01']);
    const read = await queryRows(readModel, select, ['b']);

    expect(read).toEqual([{ subscriber_id: 'b', position: '2' }]);
    expect(prepared.mock.calls.map(([sql]) => sql)).toEqual([insert, select]);
    expect(throughTypeOrm).not.toHaveBeenCalled();
    expect(read).toEqual(await readModel.query(select, ['b']));
  });

  it('binds booleans as 1 and 0, which better-sqlite3 cannot bind', async () => {
    expect(await queryRows(readModel, 'SELECT ? AS yes, ? AS no', [true, false])).toEqual([{ yes: 1, no: 0 }]);
  });

  it('runs inside a transaction, whose rollback takes its writes back', async () => {
    const select = 'SELECT position FROM projection_checkpoints WHERE subscriber_id = ?';
    await readModel.transaction(async (manager) => {
      await queryRows(manager, 'INSERT INTO projection_checkpoints (subscriber_id, position, updated_at) VALUES (?, ?, ?)', ['t', '7', '2026-01-01']);
      expect(await queryRows(manager, select, ['t'])).toEqual([{ position: '7' }]);
      throw new Error('roll back');
    }).catch(() => undefined);

    expect(await queryRows(readModel, select, ['t'])).toEqual([]);
  });
});
