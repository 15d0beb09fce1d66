import { openTestReadModel, type TestReadModel } from '../testing/test-read-model';
import { findWriteMark, recordWriteMark } from './write-mark.queries';

describe('write marks on PostgreSQL', () => {
  let readModel: TestReadModel;

  beforeAll(async () => {
    readModel = await openTestReadModel('postgres', 'rm_marks');
  });
  afterAll(() => readModel?.close());

  it('keeps the latest position per workspace and tracker, in the positions own order', async () => {
    const db = readModel.dataSource;
    expect(await findWriteMark(db, 'members', 'acme')).toBeNull();
    await recordWriteMark(db, 'members', 'acme', '0000000000000010');
    await recordWriteMark(db, 'members', 'acme', '0000000000000009');
    await recordWriteMark(db, 'groups', 'acme', '0000000000000003');
    await recordWriteMark(db, 'members', 'globex', '0000000000000001');
    expect(await findWriteMark(db, 'members', 'acme')).toBe('0000000000000010');
    await recordWriteMark(db, 'members', 'acme', '0000000000000011');
    expect(await findWriteMark(db, 'members', 'acme')).toBe('0000000000000011');
    expect(await findWriteMark(db, 'groups', 'acme')).toBe('0000000000000003');
    expect(await findWriteMark(db, 'members', 'globex')).toBe('0000000000000001');
  });

  it('orders positions bytewise as comparePositions does, whatever the database collation', async () => {
    const db = readModel.dataSource;
    // In most linguistic collations "a-b" sorts before "a_a" or the reverse ignoring punctuation; bytewise '-' < '_'.
    await recordWriteMark(db, 'members', 'collation', 'a_a');
    await recordWriteMark(db, 'members', 'collation', 'a-b');
    expect(await findWriteMark(db, 'members', 'collation')).toBe('a_a');
  });
});
