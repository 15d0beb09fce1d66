import type { DataSource } from 'typeorm';
import { insertRows } from '../../bulk-sql';
import { AdminKeyRecord, AuditEntryRecord, MemberEmailRecord, MemberRecord, ScimTokenRecord, ScimTokenUsageRecord } from '../../entities';
import { GroupMemberRecord, GroupRecord, MemberRolesRecord } from '../../entities/group.entities';
import { searchAuditEntries } from '../../audit/audit-search.query';
import { recordStatements } from '../../testing/statement-recorder';
import { actorNames } from '../../workspaces/actor-names.query';
import { scimConnectionStats } from '../../workspaces/scim-connection.query';
import { ConsoleReadIndexes1764288000009 } from '../../migrations/0009-console-read-indexes.migration';
import { findMemberDetail, listDuplicatePairs, listMemberDirectory, projectedMemberRevision, SEARCH_COUNT_LIMIT } from '../member-directory.query';

const WS = 'ws-console';
const OTHER = 'ws-other';

function member(id: string, fields: Partial<MemberRecord> & { emails?: string[] }, workspaceId = WS): { member: MemberRecord; emails: MemberEmailRecord[] } {
  const userName = fields.userName ?? `${id}@example.com`;
  const record = Object.assign(new MemberRecord(), {
    id,
    workspaceId,
    userName,
    userNameLc: userName.toLowerCase(),
    externalId: null,
    displayName: null,
    givenName: null,
    familyName: null,
    active: true,
    source: 'scim',
    resource: { userName, 'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User': { costCode: 'CC-1' } },
    revision: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    primaryEmail: fields.emails?.[0] ?? null,
    ...fields,
  });
  delete (record as Partial<{ emails: unknown }>).emails;
  const emails = (fields.emails ?? []).map((value, ordinal) =>
    Object.assign(new MemberEmailRecord(), { memberId: id, ordinal, workspaceId, value, valueLc: value.toLowerCase(), type: 'work', primary: ordinal === 0 }),
  );
  return { member: record, emails };
}

/** The admin console's reads (issue 21), with the same expectations on every read-model database. */
export function consoleReadsContract(open: () => Promise<{ dataSource: DataSource; close: () => Promise<void> }>): void {
  let db: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource: db, close } = await open());
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
    const rows = [
      member('m-alice', { userName: 'alice', displayName: 'Alice Zed', emails: ['Alice@Example.com'], createdAt: at(1) }),
      member('m-bob', { userName: 'Bob', displayName: 'bob young', emails: ['bob@example.com', 'Shared@Example.com'], createdAt: at(2), active: false }),
      member('m-carol', { userName: 'carol', displayName: 'Carol Xu', emails: ['carol@example.com'], createdAt: at(3), source: 'local', revision: 1 }),
      member('m-dave', { userName: 'dave', displayName: 'Dave Wolf', emails: ['shared@example.com'], createdAt: at(4), source: 'local' }),
      member('m-erin', { userName: 'erin', displayName: 'Erin Vance', emails: ['zz@example.com'], createdAt: at(5) }),
      member('m-other', { userName: 'other', emails: ['alice@example.com'], source: 'local', createdAt: at(6) }, OTHER),
    ];
    await insertRows(db, MemberRecord, rows.map((row) => row.member));
    await insertRows(db, MemberEmailRecord, rows.flatMap((row) => row.emails));
    const group = (id: string, displayName: string) =>
      Object.assign(new GroupRecord(), { id, workspaceId: WS, displayName, displayNameLc: displayName.toLowerCase(), externalId: null, resource: {}, revision: 0, createdAt: at(0), updatedAt: at(0) });
    await insertRows(db, GroupRecord, [group('g-eng', 'Engineering'), group('g-all', 'All staff')]);
    await insertRows(db, GroupMemberRecord, [
      { groupId: 'g-eng', memberId: 'm-alice', workspaceId: WS },
      { groupId: 'g-all', memberId: 'm-alice', workspaceId: WS },
      { groupId: 'g-all', memberId: 'm-bob', workspaceId: WS },
    ]);
    await insertRows(db, MemberRolesRecord, [{ memberId: 'm-alice', workspaceId: WS, roles: ['admin', 'developer'], updatedAt: at(0) }]);
    const token = (id: string, prefix: string, description: string | null, revokedAt: string | null, workspaceId = WS) =>
      Object.assign(new ScimTokenRecord(), { id, workspaceId, prefix, tokenSha256: `sha-${id}`, description, createdAt: at(0), createdBy: 'admin:adm_1', revokedAt, revokedBy: revokedAt ? 'admin:adm_1' : null });
    await insertRows(db, ScimTokenRecord, [token('t1', 'scim_aaa', 'Entra production', null), token('t2', 'scim_bbb', null, at(9)), token('t3', 'scim_ccc', 'Elsewhere', null, OTHER)]);
    await insertRows(db, ScimTokenUsageRecord, [
      { tokenId: 't1', lastUsedAt: at(30) },
      { tokenId: 't3', lastUsedAt: at(50) },
    ]);
    await insertRows(db, AdminKeyRecord, [
      Object.assign(new AdminKeyRecord(), { id: 'k1', workspaceId: WS, prefix: 'adm_jane', keySha256: 'sha-k1', description: 'Jane Doe', createdAt: at(0), createdBy: 'operator', revokedAt: null }),
    ]);
    const entry = (id: string, code: string, occurredAt: string, actor: string, dialect: string) =>
      Object.assign(new AuditEntryRecord(), { id, workspaceId: WS, code, occurredAt, actor, targetId: null, targetExternalId: null, targetUserName: null, dialect, requestId: null, details: {}, position: null });
    await insertRows(db, AuditEntryRecord, [
      entry('a1', 'ACCOUNT_SCIM_USER_CREATED', '2026-01-02T00:00:00.000Z', 'token:scim_aaa', 'entra-2020'),
      entry('a2', 'SCIM_UNAUTHORIZED', '2026-01-02T01:00:00.000Z', 'anonymous', 'okta'),
      entry('a3', 'SCIM_RATE_LIMITED', '2026-01-01T00:00:00.000Z', 'token:scim_aaa', 'okta'),
      entry('a4', 'SCIM_ATTRIBUTES_IGNORED', '2026-01-02T02:00:00.000Z', 'token:scim_aaa', 'okta'),
      entry('a5', 'TENANT_SCIM_TOKEN_REVOKED', '2026-01-02T03:00:00.000Z', 'admin:adm_jane', 'admin'),
    ]);
  });

  afterAll(async () => close?.());

  const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);

  it('lists members in creation order by default, with groups, roles and the possible duplicate of the other source', async () => {
    const page = await listMemberDirectory(db, { workspaceId: WS, offset: 0, limit: 50 });
    expect(page.total).toBe(5);
    expect(ids(page)).toEqual(['m-alice', 'm-bob', 'm-carol', 'm-dave', 'm-erin']);
    const alice = page.items[0]!;
    expect(alice.groups).toEqual([
      { id: 'g-all', displayName: 'All staff' },
      { id: 'g-eng', displayName: 'Engineering' },
    ]);
    expect(alice.roles).toEqual(['admin', 'developer']);
    expect(alice.email).toBe('Alice@Example.com');
    // Same email as a local account, but of another workspace: no duplicate.
    expect(alice.possibleDuplicateOf).toBeNull();
    const byId = new Map(page.items.map((item) => [item.id, item]));
    // bob's second email is dave's, case-insensitively; a SCIM user and a local account.
    expect(byId.get('m-bob')!.possibleDuplicateOf).toBe('m-dave');
    expect(byId.get('m-dave')!.possibleDuplicateOf).toBe('m-bob');
    expect(byId.get('m-carol')!.possibleDuplicateOf).toBeNull();
    expect(byId.get('m-erin')!.roles).toEqual([]);
  });

  it('filters by source and state and keeps the total', async () => {
    const local = await listMemberDirectory(db, { workspaceId: WS, source: 'local', offset: 0, limit: 50 });
    expect(ids(local)).toEqual(['m-carol', 'm-dave']);
    const deactivated = await listMemberDirectory(db, { workspaceId: WS, active: false, offset: 0, limit: 50 });
    expect(ids(deactivated)).toEqual(['m-bob']);
    const activeScim = await listMemberDirectory(db, { workspaceId: WS, source: 'scim', active: true, offset: 0, limit: 1 });
    expect(activeScim.total).toBe(2);
    expect(ids(activeScim)).toEqual(['m-alice']);
    const searched = await listMemberDirectory(db, { workspaceId: WS, q: 'SHARED', offset: 0, limit: 50 });
    expect(ids(searched)).toEqual(['m-bob', 'm-dave']);
  });

  it('sorts by userName, displayName and email, case-insensitively, both ways, and pages', async () => {
    const sorted = async (sort: 'userName' | 'displayName' | 'email' | 'createdAt', order: 'asc' | 'desc', offset = 0, limit = 50) =>
      ids(await listMemberDirectory(db, { workspaceId: WS, sort, order, offset, limit }));
    expect(await sorted('userName', 'asc')).toEqual(['m-alice', 'm-bob', 'm-carol', 'm-dave', 'm-erin']);
    expect(await sorted('userName', 'desc')).toEqual(['m-erin', 'm-dave', 'm-carol', 'm-bob', 'm-alice']);
    expect(await sorted('displayName', 'asc')).toEqual(['m-alice', 'm-bob', 'm-carol', 'm-dave', 'm-erin']);
    expect(await sorted('displayName', 'desc', 1, 2)).toEqual(['m-dave', 'm-carol']);
    expect(await sorted('email', 'asc')).toEqual(['m-alice', 'm-bob', 'm-carol', 'm-dave', 'm-erin']);
    expect(await sorted('createdAt', 'desc')).toEqual(['m-erin', 'm-dave', 'm-carol', 'm-bob', 'm-alice']);
  });

  it('finds a member with its stored resource, and its projected revision', async () => {
    const carol = await findMemberDetail(db, WS, 'm-carol');
    expect(carol).toMatchObject({ id: 'm-carol', source: 'local', email: 'carol@example.com' });
    expect(carol!.resource['urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User']).toEqual({ costCode: 'CC-1' });
    expect(await findMemberDetail(db, WS, 'm-other')).toBeNull();
    expect(await projectedMemberRevision(db, WS, 'm-carol')).toBe(1);
    expect(await projectedMemberRevision(db, WS, 'm-nobody')).toBeUndefined();
  });

  it('pairs local accounts with SCIM users of the same email', async () => {
    expect(await listDuplicatePairs(db, WS)).toEqual([{ email: 'shared@example.com', localId: 'm-dave', scimId: 'm-bob' }]);
    expect(await listDuplicatePairs(db, OTHER)).toEqual([]);
  });

  it("names actors by their admin key's or SCIM token's description, in the workspace only", async () => {
    const names = await actorNames(db, WS, ['admin:adm_jane', 'token:scim_aaa', 'token:scim_bbb', 'token:scim_ccc', 'operator', 'token:config']);
    expect(Object.fromEntries(names)).toEqual({ 'admin:adm_jane': 'Jane Doe', 'token:scim_aaa': 'Entra production' });
  });

  it('counts what the connection panel shows', async () => {
    const stats = await scimConnectionStats(db, WS, '2026-01-01T12:00:00.000Z');
    expect(stats).toEqual({
      lastRequestAt: '2026-01-01T00:00:30.000Z',
      // The newest entry an IdP caused: the admin's revocation is newer but not an IdP's.
      lastDialect: 'okta',
      // SCIM_UNAUTHORIZED after `since`; the rate limit is older, ignored attributes are no refusal.
      rejectionsSince: 1,
      scimUsers: 3,
      scimGroups: 2,
      activeTokens: 1,
      tokensCreated: 2,
      anyTokenUsed: true,
    });
    expect(await scimConnectionStats(db, 'ws-empty', '2026-01-01T00:00:00.000Z')).toMatchObject({ lastRequestAt: null, lastDialect: null, tokensCreated: 0, anyTokenUsed: false, scimUsers: 0 });
  });

  it('filters the audit log by outcome', async () => {
    const rejected = await searchAuditEntries(db, { workspaceId: WS, outcome: 'rejected' });
    expect(rejected.entries.map((entry) => entry.id)).toEqual(['a2', 'a3']);
    const success = await searchAuditEntries(db, { workspaceId: WS, outcome: 'success' });
    expect(success.entries.map((entry) => entry.id)).toEqual(['a5', 'a4', 'a1']);
  });

  it("serves the Security Console's member filter (id, externalId or userName) from an index per term, not a walk of the log", async () => {
    const big = 'ws-audit-big';
    const count = 20_000;
    const rows = Array.from({ length: count }, (_, index) =>
      Object.assign(new AuditEntryRecord(), {
        id: `big-audit-${String(index).padStart(6, '0')}`,
        workspaceId: big,
        code: 'ACCOUNT_SCIM_USER_UPDATED',
        occurredAt: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
        actor: 'token:scim_aaa',
        targetId: `member-${index % 2_000}`,
        targetExternalId: `ext-${index % 2_000}`,
        targetUserName: `User${index % 2_000}@Example.com`,
        dialect: 'okta',
        requestId: null,
        details: {},
        position: null,
      }),
    );
    for (let start = 0; start < count; start += 2_000) await insertRows(db, AuditEntryRecord, rows.slice(start, start + 2_000));
    const postgres = db.options.type === 'postgres';
    await db.query(postgres ? 'ANALYZE audit_entries' : 'ANALYZE');
    // Each form of the filter finds the member's ten entries, newest first.
    for (const target of ['member-7', 'ext-7', 'user7@example.com']) {
      const page = await searchAuditEntries(db, { workspaceId: big, target, limit: 50 });
      expect({ target, ids: page.entries.map((item) => item.id) }).toEqual({
        target,
        ids: Array.from({ length: 10 }, (_, n) => `big-audit-${String(7 + (9 - n) * 2_000).padStart(6, '0')}`),
      });
    }
    // The audit search goes through DataSource.query (TypeORM), on both dialects.
    const spy = jest.spyOn(db, 'query');
    let sql: string;
    let params: unknown[];
    try {
      await searchAuditEntries(db, { workspaceId: big, target: 'user7@example.com', limit: 50 });
      [sql, params] = spy.mock.calls[0] as [string, unknown[]];
    } finally {
      spy.mockRestore();
    }
    const plan = ((await db.query(`EXPLAIN ${postgres ? '' : 'QUERY PLAN '}${sql}`, params)) as Array<Record<string, unknown>>)
      .map((step) => String(step[postgres ? 'QUERY PLAN' : 'detail']))
      .join('\n');
    for (const index of ['audit_entries_workspace_target', 'audit_entries_workspace_target_external_id', 'audit_entries_workspace_target_user_name']) {
      expect(plan).toMatch(new RegExp(`\\b${index}\\b`));
    }
    expect(plan).not.toContain('audit_entries_workspace_time');
  });

  it('serves every member sort and filter from an index, without sorting the workspace', async () => {
    const big = 'ws-big';
    const count = 20_000;
    const rows: MemberRecord[] = [];
    const emails: MemberEmailRecord[] = [];
    for (let index = 0; index < count; index++) {
      const { member: row, emails: rowEmails } = member(
        `big-${String(index).padStart(6, '0')}`,
        {
          userName: `user-${(index * 7919) % count}`,
          displayName: `Name ${(index * 104729) % count}`,
          source: index % 100 === 0 ? 'local' : 'scim',
          active: index % 10 !== 0,
          emails: [`e${index}@example.com`],
          createdAt: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
        },
        big,
      );
      rows.push(row);
      emails.push(...rowEmails);
    }
    for (let start = 0; start < count; start += 2_000) {
      await insertRows(db, MemberRecord, rows.slice(start, start + 2_000));
      await insertRows(db, MemberEmailRecord, emails.slice(start, start + 2_000));
    }
    await db.query(db.options.type === 'postgres' ? 'ANALYZE members' : 'ANALYZE');
    const postgres = db.options.type === 'postgres';
    const planOf = async (search: Parameters<typeof listMemberDirectory>[1]): Promise<string> => {
      const recorded = recordStatements(db);
      let sent: Array<{ sql: string; params: unknown[] }>;
      try {
        await listMemberDirectory(db, search);
        // Read before restoring: on PostgreSQL the record is the spy's, which restoring clears.
        sent = [...recorded.sent];
      } finally {
        recorded.restore();
      }
      const page = sent.find(({ sql }) => /ORDER BY/.test(sql) && /FROM members m WHERE/.test(sql))!;
      const plan: Array<Record<string, unknown>> = await db.query(`EXPLAIN ${postgres ? '' : 'QUERY PLAN '}${page.sql}`, page.params);
      return plan.map((step) => String(step[postgres ? 'QUERY PLAN' : 'detail'])).join('\n');
    };
    // The page walks an index in the requested order: no sort of the workspace's rows.
    const sortFree = postgres ? /^(?![\s\S]*\bSort\b)/ : /^(?![\s\S]*TEMP B-TREE FOR ORDER BY)/;
    for (const [search, index] of [
      [{ sort: 'userName' as const }, 'members_workspace_user_name_id'],
      [{ sort: 'displayName' as const, order: 'desc' as const }, 'members_workspace_display_name'],
      [{ sort: 'createdAt' as const, order: 'desc' as const }, 'members_workspace_created'],
      [{ sort: 'email' as const }, 'members_workspace_email'],
      [{ sort: 'email' as const, order: 'desc' as const, offset: 5_000 }, 'members_workspace_email'],
      [{ source: 'local' as const }, 'members_workspace_source_created'],
      [{ active: false }, 'members_workspace_active_created'],
    ] as const) {
      const plan = await planOf({ workspaceId: big, offset: 0, limit: 50, ...search });
      expect({ search, plan }).toEqual({ search, plan: expect.stringMatching(sortFree) });
      expect({ search, plan }).toEqual({ search, plan: expect.stringContaining(index) });
    }
  });

  it('searches by substring alike on both dialects, through pg_trgm indexes on PostgreSQL for terms with three letters or digits in a row', async () => {
    // The 20,000 members of the previous test.
    const big = 'ws-big';
    const postgres = db.options.type === 'postgres';
    const expected = (q: string) =>
      Array.from({ length: 20_000 }, (_, index) => index)
        .filter((index) => [`user-${(index * 7919) % 20_000}`, `name ${(index * 104729) % 20_000}`, `e${index}@example.com`].some((value) => value.includes(q)))
        .map((index) => `big-${String(index).padStart(6, '0')}`);
    const counted = (matching: number, upTo = SEARCH_COUNT_LIMIT) => ({ total: Math.min(matching, upTo), totalIsLowerBound: matching > upTo });
    for (const q of ['USER-1234', 'e1999@', '99', 'name 1_', '7']) {
      const found = await listMemberDirectory(db, { workspaceId: big, q, offset: 0, limit: 200 });
      const matching = expected(q.toLowerCase());
      expect({ q, total: found.total, totalIsLowerBound: found.totalIsLowerBound, ids: ids(found) }).toEqual({
        q,
        ...counted(matching.length),
        ids: matching.slice(0, 200),
      });
    }
    // '7' matches most of the workspace: the count stops at the limit, and a page past it still comes,
    // counted up to its end.
    const frequent = expected('7');
    expect(frequent.length).toBeGreaterThan(SEARCH_COUNT_LIMIT + 200);
    const deep = await listMemberDirectory(db, { workspaceId: big, q: '7', offset: SEARCH_COUNT_LIMIT, limit: 200 });
    expect({ total: deep.total, totalIsLowerBound: deep.totalIsLowerBound, ids: ids(deep) }).toEqual({
      ...counted(frequent.length, SEARCH_COUNT_LIMIT + 200),
      ids: frequent.slice(SEARCH_COUNT_LIMIT, SEARCH_COUNT_LIMIT + 200),
    });
    if (!postgres) return;
    // With statistics, as autovacuum and the projector's PlannerStatisticsKeeper keep them.
    await db.query('ANALYZE members, member_emails');
    for (const [q, trigram] of [
      ['user-1234', true],
      ['99', false],
    ] as const) {
      const recorded = recordStatements(db);
      let sent: Array<{ sql: string; params: unknown[] }>;
      try {
        await listMemberDirectory(db, { workspaceId: big, q, offset: 0, limit: 25 });
        sent = [...recorded.sent];
      } finally {
        recorded.restore();
      }
      const statements = sent.filter(({ sql }) => /FROM members m WHERE/.test(sql) && /LIKE/.test(sql));
      expect(statements).toHaveLength(1); // the matching ids, which give the total and the page
      for (const statement of statements) {
        const plan = ((await db.query(`EXPLAIN ${statement.sql}`, statement.params)) as Array<{ 'QUERY PLAN': string }>).map((step) => step['QUERY PLAN']).join('\n');
        // member_emails' rows are small: at this size a scan of them may cost less than its index.
        for (const index of ['members_user_name_trgm', 'members_display_name_trgm']) {
          expect({ q, index, used: plan.includes(index) }).toEqual({ q, index, used: trigram });
        }
        if (trigram) expect({ q, plan }).toEqual({ q, plan: expect.not.stringMatching(/Seq Scan on members/) });
      }
    }
  });

  it('back-fills the primary email of the members stored before migration 0009', async () => {
    const emailsNow = async () => Object.fromEntries((await listMemberDirectory(db, { workspaceId: WS, offset: 0, limit: 50 })).items.map((item) => [item.id, item.email]));
    // bob's second email becomes the primary one: the back-fill must prefer it to the first.
    await db.query(`UPDATE member_emails SET "primary" = (ordinal = 1) WHERE member_id = 'm-bob'`);
    const runner = db.createQueryRunner();
    try {
      await new ConsoleReadIndexes1764288000009().down(runner);
      await new ConsoleReadIndexes1764288000009().up(runner);
    } finally {
      await runner.release();
    }
    expect(await emailsNow()).toEqual({
      'm-alice': 'Alice@Example.com',
      'm-bob': 'Shared@Example.com',
      'm-carol': 'carol@example.com',
      'm-dave': 'shared@example.com',
      'm-erin': 'zz@example.com',
    });
  });
}
