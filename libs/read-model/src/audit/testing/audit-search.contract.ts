import type { DataSource } from 'typeorm';
import { AuditEntryRecord } from '../../entities';
import { exportAuditEntries, InvalidAuditCursorError, searchAuditEntries } from '../audit-search.query';

/** The same expectations on every read-model database. */
export function auditSearchContract(open: () => Promise<{ dataSource: DataSource; close: () => Promise<void> }>): void {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await open());
    const rows: Partial<AuditEntryRecord>[] = [];
    for (let i = 0; i < 25; i++) {
      rows.push({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        workspaceId: i < 23 ? 'ws1' : 'ws2',
        code: i % 5 === 0 ? 'SCIM_UNAUTHORIZED' : i % 2 === 0 ? 'ACCOUNT_SCIM_USER_CREATED' : 'ACCOUNT_SCIM_USER_UPDATED',
        // Pairs share a timestamp so the id breaks ties.
        occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(i / 2))).toISOString(),
        actor: i % 3 === 0 ? 'admin:1' : 'token:scim_ab',
        targetId: `user-${i % 4}`,
        targetExternalId: `ext-${i % 4}`,
        targetUserName: `User${i % 4}@Example.com`,
        dialect: 'okta',
        requestId: `req-${i}`,
        details: { i },
        position: null,
      });
    }
    await dataSource.getRepository(AuditEntryRecord).insert(rows as Parameters<ReturnType<DataSource['getRepository']>['insert']>[0]);
  });

  afterAll(async () => close?.());

  it('pages newest first with a stable cursor and no overlap', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await searchAuditEntries(dataSource, { workspaceId: 'ws1', limit: 7, cursor });
      seen.push(...result.entries.map((entry) => entry.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    const expected = [...Array(23).keys()].reverse().map((i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect(seen).toEqual(expected);
  });

  it('filters by code pattern, target, actor and time', async () => {
    const unauthorized = await searchAuditEntries(dataSource, { workspaceId: 'ws1', codes: ['scim_*'] });
    expect(unauthorized.entries.map((entry) => entry.details['i'])).toEqual([20, 15, 10, 5, 0]);
    const users = await searchAuditEntries(dataSource, { workspaceId: 'ws1', codes: ['ACCOUNT_SCIM_USER_*'], target: 'user1@example.com' });
    expect(users.entries.every((entry) => entry.target.id === 'user-1' && entry.code.startsWith('ACCOUNT_SCIM_USER_'))).toBe(true);
    expect(users.entries.length).toBe(5);
    const byExternal = await searchAuditEntries(dataSource, { workspaceId: 'ws1', target: 'ext-2', actor: 'admin:1' });
    expect(byExternal.entries.map((entry) => entry.details['i'])).toEqual([18, 6]);
    const window = await searchAuditEntries(dataSource, {
      workspaceId: 'ws1',
      from: '2026-01-01T00:00:02.000Z',
      to: '2026-01-01T00:00:04.000Z',
    });
    expect(window.entries.map((entry) => entry.details['i'])).toEqual([7, 6, 5, 4]);
    const literal = await searchAuditEntries(dataSource, { workspaceId: 'ws1', codes: ['ACCOUNT_SCIM_USER%'] });
    expect(literal.entries).toEqual([]);
  });

  it('exports everything and rejects a forged cursor', async () => {
    const all = [];
    for await (const entry of exportAuditEntries(dataSource, { workspaceId: 'ws2' })) all.push(entry.id);
    expect(all).toHaveLength(2);
    await expect(searchAuditEntries(dataSource, { workspaceId: 'ws1', cursor: 'bm9wZQ' })).rejects.toThrow(InvalidAuditCursorError);
  });
}
