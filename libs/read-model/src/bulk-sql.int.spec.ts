/**
 * The bulk SQL helpers store and read rows exactly as TypeORM's repositories do, on SQLite and
 * PostgreSQL: a row written by `insertRows` is column for column the row `repository.insert`
 * writes, and `selectRows` hydrates what `repository.find` hydrates (JSON, booleans, nulls).
 */
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { deleteRowsWhereIn, insertRows, selectRows, selectRowsWhereIn } from './bulk-sql';
import { AuditEntryRecord, MemberEmailRecord, MemberRecord } from './entities';
import { recordStatements } from './testing';
import { openTestReadModel } from './testing/test-read-model';

function member(id: string, overrides: Partial<MemberRecord> = {}): MemberRecord {
  return Object.assign(new MemberRecord(), {
    id,
    workspaceId: 'ws',
    userName: 'Ada',
    userNameLc: 'ada',
    externalId: null,
    displayName: 'Ada "the first" Lovelace',
    givenName: 'Ada',
    familyName: null,
    primaryEmail: 'a@example.com',
    active: false,
    source: 'scim',
    resource: { userName: 'Ada', active: false, name: { givenName: 'Ada' }, emails: [{ value: 'a@example.com', primary: true }], 'urn:x:ext:1.0': { n: 1.5, on: true, none: null } },
    revision: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    ...overrides,
  });
}

function email(memberId: string, ordinal: number, primary: boolean): MemberEmailRecord {
  return { memberId, ordinal, workspaceId: 'ws', value: `E${ordinal}@example.com`, valueLc: `e${ordinal}@example.com`, type: ordinal % 2 ? 'home' : null, primary };
}

function auditEntry(id: string, code: string): AuditEntryRecord {
  return {
    id,
    workspaceId: 'ws',
    code,
    occurredAt: '2026-01-01T00:00:00.000Z',
    actor: 'scim:token',
    targetId: 'u1',
    targetExternalId: null,
    targetUserName: 'ada',
    dialect: 'rfc',
    requestId: null,
    details: { revision: 0, changedAttributes: ['emails'] },
    position: '00000000000000000042',
  };
}

describe.each(['sqlite', 'postgres'] as const)('bulk SQL on %s', (dialect) => {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await openTestReadModel(dialect, 'rm_bulk'));
  });
  afterAll(async () => close?.());

  async function stored(table: string, idColumn: string, id: string): Promise<Record<string, unknown>> {
    const rows = (await dataSource.query(`SELECT * FROM ${table} WHERE ${idColumn} = ${dialect === 'postgres' ? '$1' : '?'}`, [id])) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    const { [idColumn]: _id, ...columns } = rows[0]!;
    return columns;
  }

  it('stores a row column for column as the repository stores it', async () => {
    await dataSource.getRepository(MemberRecord).insert(member('by-typeorm') as QueryDeepPartialEntity<MemberRecord>);
    await insertRows(dataSource, MemberRecord, [member('by-sql')]);
    expect(await stored('members', 'id', 'by-sql')).toEqual(await stored('members', 'id', 'by-typeorm'));

    await dataSource.getRepository(MemberEmailRecord).insert([email('by-typeorm', 0, true), email('by-typeorm', 1, false)]);
    await insertRows(dataSource, MemberEmailRecord, [email('by-sql', 0, true), email('by-sql', 1, false)]);
    const emails = (memberId: string) => dataSource.query(`SELECT ordinal, workspace_id, value, value_lc, type, "primary" FROM member_emails WHERE member_id = '${memberId}' ORDER BY ordinal`);
    expect(await emails('by-sql')).toEqual(await emails('by-typeorm'));

    await dataSource.getRepository(AuditEntryRecord).insert(auditEntry('a-typeorm', 'X') as QueryDeepPartialEntity<AuditEntryRecord>);
    await insertRows(dataSource, AuditEntryRecord, [auditEntry('a-sql', 'X')]);
    expect(await stored('audit_entries', 'id', 'a-sql')).toEqual(await stored('audit_entries', 'id', 'a-typeorm'));
  });

  it('reads rows back as the repository reads them: JSON parsed, booleans, nulls, entity class', async () => {
    const rows = [member('rt-1'), member('rt-2', { active: true, externalId: 'ext-2', resource: { userName: 'x', active: true } })];
    await insertRows(dataSource, MemberRecord, rows);
    const byRepository = await dataSource.getRepository(MemberRecord).find({ where: [{ id: 'rt-1' }, { id: 'rt-2' }], order: { id: 'ASC' } });
    const bySql = await selectRows(dataSource, MemberRecord, 'WHERE id IN (\'rt-1\', \'rt-2\') ORDER BY id');
    expect(bySql).toStrictEqual(byRepository);
    expect(bySql).toEqual(rows);
    expect(bySql[0]).toBeInstanceOf(MemberRecord);

    await insertRows(dataSource, MemberEmailRecord, [email('rt-1', 0, false), email('rt-1', 1, true)]);
    expect(await selectRowsWhereIn(dataSource, MemberEmailRecord, 'memberId', ['rt-1'])).toEqual(
      await dataSource.getRepository(MemberEmailRecord).findBy({ memberId: 'rt-1' }),
    );
  });

  it('fails on a conflict, or skips the conflicting rows with onConflict ignore', async () => {
    await insertRows(dataSource, AuditEntryRecord, [auditEntry('i-1', 'FIRST')]);
    // By its code: better-sqlite3's native part builds its errors with the SqliteError of the first
    // test file a jest worker ran, which the next file's toThrow does not take for an Error.
    await expect(insertRows(dataSource, AuditEntryRecord, [auditEntry('i-1', 'AGAIN')])).rejects.toMatchObject({
      code: dialect === 'postgres' ? '23505' : 'SQLITE_CONSTRAINT_PRIMARYKEY',
    });
    await insertRows(dataSource, AuditEntryRecord, [auditEntry('i-1', 'AGAIN'), auditEntry('i-2', 'NEW')], { onConflict: 'ignore' });
    expect((await selectRowsWhereIn(dataSource, AuditEntryRecord, 'id', ['i-1', 'i-2'])).map((entry) => [entry.id, entry.code]).sort()).toEqual([
      ['i-1', 'FIRST'],
      ['i-2', 'NEW'],
    ]);
  });

  it('replaces every other column of a stored row with onConflict updateOn', async () => {
    await insertRows(dataSource, MemberRecord, [member('up-1'), member('up-2')]);
    const replacement = member('up-1', { userName: 'Grace', userNameLc: 'grace', externalId: 'g', active: true, resource: { userName: 'Grace', active: true }, revision: 4, updatedAt: '2026-02-01T00:00:00.000Z' });
    await insertRows(dataSource, MemberRecord, [replacement, member('up-3')], { onConflict: { updateOn: ['id'] } });
    const rows = await selectRowsWhereIn(dataSource, MemberRecord, 'id', ['up-1', 'up-2', 'up-3']);
    expect(rows.sort((a, b) => a.id.localeCompare(b.id))).toEqual([replacement, member('up-2'), member('up-3')]);
  });

  it('splits many rows and many keys over several statements', async () => {
    // 7 columns a row: 600 rows need more than one statement's parameters, 4,000 keys more than one IN list.
    const emails = Array.from({ length: 600 }, (_, ordinal) => email('many', ordinal, ordinal === 0));
    await insertRows(dataSource, MemberEmailRecord, emails);
    const keys = ['many', ...Array.from({ length: 4000 }, (_, n) => `absent-${n}`)];
    expect(await selectRowsWhereIn(dataSource, MemberEmailRecord, 'memberId', keys)).toHaveLength(600);
    await deleteRowsWhereIn(dataSource, MemberEmailRecord, 'memberId', keys);
    expect(await selectRowsWhereIn(dataSource, MemberEmailRecord, 'memberId', ['many'])).toEqual([]);
  });

  it('writes batches of any size with statements of power-of-two rows and keys, so that few shapes exist', async () => {
    const recorded = recordStatements(dataSource);
    await insertRows(dataSource, MemberEmailRecord, Array.from({ length: 300 }, (_, ordinal) => email('shapes', ordinal, ordinal === 0)));
    const rowsPerInsert = recorded.sent.map(({ sql }) => (sql.match(/\),\s*\(/g)?.length ?? 0) + 1);
    recorded.restore();
    const recordedSelect = recordStatements(dataSource);
    const found = await selectRowsWhereIn(dataSource, MemberEmailRecord, 'memberId', ['shapes', 'absent-1', 'absent-2', 'absent-3', 'absent-4']);
    const inListSizes = recordedSelect.sent.map(({ params }) => params.length);
    recordedSelect.restore();

    expect(rowsPerInsert).toEqual([256, 32, 8, 4]);
    expect(inListSizes).toEqual([8]);
    expect(found).toHaveLength(300);
  });

  it('refuses a row that lacks a column rather than writing a default', async () => {
    const incomplete = { ...auditEntry('missing', 'X'), position: undefined } as unknown as AuditEntryRecord;
    await expect(insertRows(dataSource, AuditEntryRecord, [incomplete])).rejects.toThrow('audit_entries.position has no value');
  });
});
