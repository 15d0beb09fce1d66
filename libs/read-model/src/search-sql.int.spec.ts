import type { DataSource } from 'typeorm';
import { openTestReadModel } from './testing/test-read-model';
import { postgresPoolOf, queryRows } from './search-sql';

describe('queryRows on PostgreSQL', () => {
  let readModel: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const opened = await openTestReadModel('postgres', 'rm_rows');
    ({ dataSource: readModel, close } = opened);
    await readModel.query(`INSERT INTO ${opened.schema}.projection_checkpoints (subscriber_id, position, updated_at) VALUES ('a', '1', now()), ('b', '2', now())`);
  });

  afterAll(async () => close?.());

  it('runs a read as a statement named after its text, and returns what TypeORM returns', async () => {
    const pool = postgresPoolOf(readModel);
    const sent = jest.spyOn(pool, 'query');
    const sql = 'SELECT subscriber_id, position FROM projection_checkpoints WHERE subscriber_id = $1';

    const first = await queryRows(readModel, sql, ['a']);
    const again = await queryRows(readModel, sql, ['b']);

    expect(first).toEqual(await readModel.query(sql, ['a']));
    expect(again).toEqual([{ subscriber_id: 'b', position: '2' }]);
    const names = sent.mock.calls.map(([config]) => (config as unknown as { name?: string }).name);
    expect(names).toEqual([expect.stringMatching(/^axis_rm_[0-9a-f]{32}$/), names[0]]);
    sent.mockRestore();
  });

  it('reads inside a transaction through the transaction’s own connection', async () => {
    await readModel.transaction(async (manager) => {
      await manager.query(`UPDATE projection_checkpoints SET position = '9' WHERE subscriber_id = 'a'`);
      expect(await queryRows(manager, 'SELECT position FROM projection_checkpoints WHERE subscriber_id = $1', ['a'])).toEqual([{ position: '9' }]);
      throw new Error('roll back');
    }).catch(() => undefined);

    expect(await queryRows(readModel, 'SELECT position FROM projection_checkpoints WHERE subscriber_id = $1', ['a'])).toEqual([{ position: '1' }]);
  });
});
