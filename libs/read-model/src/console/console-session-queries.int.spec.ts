/**
 * The admin console's tables (migration 0007) and their queries, on SQLite and PostgreSQL:
 * sessions found by digest with their admin key, touched and revoked; admin keys listed with their
 * last use (an upsert) and state.
 */
import type { DataSource } from 'typeorm';
import { AdminKeyRecord } from '../entities';
import { openTestReadModel } from '../testing/test-read-model';
import { listAdminKeys, recordAdminKeyUse } from '../workspaces/credential-queries';
import { deleteEndedConsoleSessions, findConsoleSessionByDigest, insertConsoleSession, revokeConsoleSession, touchConsoleSession } from './console-session-queries';

const key = (id: string, overrides: Partial<AdminKeyRecord> = {}): AdminKeyRecord => ({
  id,
  workspaceId: 'acme',
  prefix: `adm_${id.padEnd(8, '0')}`,
  keySha256: id.repeat(64).slice(0, 64),
  description: null,
  createdAt: `2026-01-01T00:00:0${id.length}.000Z`,
  createdBy: 'operator',
  revokedAt: null,
  ...overrides,
});

describe.each(['sqlite', 'postgres'] as const)('console sessions and admin keys on %s', (dialect) => {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await openTestReadModel(dialect, 'rm_console'));
    await dataSource.manager.insert(AdminKeyRecord, [key('a'), key('bb', { description: 'Bob', revokedAt: '2026-01-03T00:00:00.000Z' }), key('c', { workspaceId: 'beta' })]);
  });
  afterAll(() => close());

  it('finds a live session by digest with its admin key, moves its last use, and revokes it', async () => {
    await insertConsoleSession(dataSource, {
      id: 's1',
      workspaceId: 'acme',
      adminKeyId: 'a',
      secretSha256: 'f'.repeat(64),
      csrfToken: 'csrf',
      createdAt: '2026-01-01T10:00:00.000Z',
      lastSeenAt: '2026-01-01T10:00:00.000Z',
      expiresAt: '2026-01-01T22:00:00.000Z',
    });
    const found = await findConsoleSessionByDigest(dataSource, 'f'.repeat(64));
    expect(found?.session).toMatchObject({ id: 's1', workspaceId: 'acme', csrfToken: 'csrf', revokedAt: null });
    expect(found?.key).toMatchObject({ id: 'a', revokedAt: null });
    expect(await findConsoleSessionByDigest(dataSource, 'e'.repeat(64))).toBeNull();

    await touchConsoleSession(dataSource, 's1', '2026-01-01T11:00:00.000Z');
    expect((await findConsoleSessionByDigest(dataSource, 'f'.repeat(64)))?.session.lastSeenAt).toBe('2026-01-01T11:00:00.000Z');

    await revokeConsoleSession(dataSource, 's1', '2026-01-01T12:00:00.000Z');
    expect(await findConsoleSessionByDigest(dataSource, 'f'.repeat(64))).toBeNull();
    // A revoked session is not moved or revoked again.
    await revokeConsoleSession(dataSource, 's1', '2026-01-01T13:00:00.000Z');
    const [row] = await dataSource.query(`SELECT revoked_at FROM console_sessions`);
    expect(row.revoked_at).toBe('2026-01-01T12:00:00.000Z');
  });

  it('deletes sessions past their absolute expiry only', async () => {
    const session = (id: string, expiresAt: string) => ({
      id,
      workspaceId: 'acme',
      adminKeyId: 'a',
      secretSha256: id.repeat(64).slice(0, 64),
      csrfToken: 'csrf',
      createdAt: '2026-01-05T00:00:00.000Z',
      lastSeenAt: '2026-01-05T00:00:00.000Z',
      expiresAt,
    });
    await insertConsoleSession(dataSource, session('x', '2026-01-05T12:00:00.000Z'));
    await insertConsoleSession(dataSource, session('y', '2026-01-06T12:00:00.000Z'));
    expect(await deleteEndedConsoleSessions(dataSource, '2026-01-06T00:00:00.000Z')).toBeGreaterThanOrEqual(1);
    expect(await findConsoleSessionByDigest(dataSource, 'x'.repeat(64))).toBeNull();
    expect(await findConsoleSessionByDigest(dataSource, 'y'.repeat(64))).not.toBeNull();
  });

  it("lists a workspace's admin keys with their last use and state", async () => {
    await recordAdminKeyUse(dataSource, 'a', '2026-01-02T00:00:00.000Z');
    await recordAdminKeyUse(dataSource, 'a', '2026-01-02T00:01:00.000Z');
    const listed = await listAdminKeys(dataSource, 'acme');
    expect(listed).toEqual([
      { id: 'a', prefix: 'adm_a0000000', description: null, createdAt: '2026-01-01T00:00:01.000Z', createdBy: 'operator', lastUsedAt: '2026-01-02T00:01:00.000Z', revokedAt: null, state: 'active' },
      { id: 'bb', prefix: 'adm_bb000000', description: 'Bob', createdAt: '2026-01-01T00:00:02.000Z', createdBy: 'operator', lastUsedAt: null, revokedAt: '2026-01-03T00:00:00.000Z', state: 'revoked' },
    ]);
    expect(await listAdminKeys(dataSource, 'nobody')).toEqual([]);
  });
});
