import type { DataSource } from 'typeorm';
import { openReadModel } from '../read-model.data-source';
import { recordStatements } from '../testing';
import { MEMBER_SEARCH_PARAM_OFFSET, searchMembers } from './member-search.query';

const WORKSPACE = 'ws-1';

async function insertMembers(readModel: DataSource, count: number, source = 'scim'): Promise<void> {
  for (let index = 0; index < count; index++) {
    const userName = `user-${String(index).padStart(4, '0')}@example.com`;
    await readModel.query(
      `INSERT INTO members (id, workspace_id, user_name, user_name_lc, external_id, active, source, resource, revision, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 1, ?, ?, 0, ?, ?)`,
      [
        `${source}-${index}`,
        WORKSPACE,
        userName,
        userName,
        `ext-${index}`,
        source,
        JSON.stringify({ userName }),
        new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
        new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
      ],
    );
  }
}

/** The predicate libs/scim compiles for `userName eq "<value>"` over this table. */
function userNameIs(value: string) {
  return { sql: '"m"."user_name_lc" = ?', params: [value] };
}

describe('searchMembers (SQLite)', () => {
  let readModel: DataSource;
  let recorded: ReturnType<typeof recordStatements>;
  const statements = () => recorded.sent.map(({ sql }) => sql);

  beforeEach(async () => {
    readModel = await openReadModel({ url: ':memory:' });
    await insertMembers(readModel, 300);
    await insertMembers(readModel, 5, 'local');
    recorded = recordStatements(readModel);
  });

  afterEach(async () => {
    recorded.restore();
    await readModel.destroy();
  });

  it('binds the workspace and the source before the predicate', () => {
    expect(MEMBER_SEARCH_PARAM_OFFSET).toBe(2);
  });

  it('answers a selective filter with its match and its total, without a count query', async () => {
    const page = await searchMembers(readModel, { workspaceId: WORKSPACE, source: 'scim', where: userNameIs('user-0042@example.com'), offset: 0, limit: 100 });

    expect(page.total).toBe(1);
    expect(page.rows.map((row) => row.id)).toEqual(['scim-42']);
    expect(statements().filter((sql) => /count\(\*\)/.test(sql))).toEqual([]);
  });

  it('seeks the filter’s index rather than walking the workspace in creation order', async () => {
    await searchMembers(readModel, { workspaceId: WORKSPACE, source: 'scim', where: userNameIs('user-0042@example.com'), offset: 0, limit: 100 });
    const pageQuery = statements().find((sql) => /ORDER BY/.test(sql))!;

    const plan: Array<{ detail: string }> = await readModel.query(`EXPLAIN QUERY PLAN ${pageQuery}`, [WORKSPACE, 'scim', 'x', 0]);

    expect(plan.map((step) => step.detail).join('\n')).toMatch(/USING INDEX members_workspace_user_name/);
  });

  it('writes the page size into the statement and binds only the offset', async () => {
    await searchMembers(readModel, { workspaceId: WORKSPACE, source: 'scim', where: userNameIs('user-0042@example.com'), offset: 0, limit: 100 });

    expect(statements().find((sql) => /ORDER BY/.test(sql))).toMatch(/LIMIT 100 OFFSET \?\s*$/);
  });

  it('counts when the page is full or not the first, and pages in creation order', async () => {
    const full = await searchMembers(readModel, { workspaceId: WORKSPACE, source: 'scim', offset: 0, limit: 100 });
    const last = await searchMembers(readModel, { workspaceId: WORKSPACE, source: 'scim', offset: 290, limit: 100 });
    const none = await searchMembers(readModel, { workspaceId: WORKSPACE, source: 'scim', offset: 0, limit: 0 });

    expect(full.total).toBe(300);
    expect(full.rows[0]?.id).toBe('scim-0');
    expect(full.rows[99]?.id).toBe('scim-99');
    expect(last).toMatchObject({ total: 300 });
    expect(last.rows.map((row) => row.id)).toEqual(Array.from({ length: 10 }, (_, index) => `scim-${290 + index}`));
    expect(none).toEqual({ total: 300, rows: [] });
  });

  it('sees only the members of the source asked for', async () => {
    const local = await searchMembers(readModel, { workspaceId: WORKSPACE, source: 'local', offset: 0, limit: 100 });

    expect(local.total).toBe(5);
    expect(local.rows.every((row) => row.id.startsWith('local-'))).toBe(true);
  });
});
