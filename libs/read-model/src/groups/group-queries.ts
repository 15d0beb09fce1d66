import type { SqlPredicate } from '../search-sql';
import { creationOrder, type Db, isPostgres, normaliseParams, pageClause, pageWithTotal, placeholder, queryRows, searchRows } from '../search-sql';

export interface GroupRow {
  id: string;
  displayName: string;
  externalId: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** A member of a group, with the display name SCIM shows (the user's displayName, else userName). */
export interface GroupMemberRow {
  id: string;
  display: string | null;
}

/** A group a member belongs to, for the readOnly `groups` attribute of a user. */
export interface MemberGroupRow {
  id: string;
  displayName: string;
}

export interface GroupSearch {
  workspaceId: string;
  /** Over `groups g` (and `group_members gm`), as libs/scim's compiler produces it with DEFAULT_GROUP_SQL_MAPPING. */
  where?: SqlPredicate;
  /** ORDER BY body; its parameters follow the predicate's. Default: creation order, then id. */
  orderBy?: SqlPredicate;
  offset: number;
  limit: number;
}

/** Parameters the search binds before the predicate's: the workspace id. */
export const GROUP_SEARCH_PARAM_OFFSET = 1;

/** Ids per `IN (…)` list on SQLite (its default limit is 32,766 parameters). */
const SQLITE_CHUNK = 500;
/**
 * Ids per `= ANY($2)` on PostgreSQL: up to a few hundred the planner probes the primary key
 * (bitmap index scan); with 1,000 it scans the table (measured: 8 ms vs 30 ms for 1,000 ids among
 * 51,000 members, far more under load).
 */
const POSTGRES_CHUNK = 200;

/** One page of a workspace's groups matching a predicate, in a stable order, and the total. */
export async function searchGroups(db: Db, search: GroupSearch): Promise<{ total: number; rows: GroupRow[] }> {
  const postgres = isPostgres(db);
  const p = placeholder(postgres);
  const where = `g.workspace_id = ${p(1)}${search.where ? ` AND (${search.where.sql})` : ''}`;
  const params = [search.workspaceId, ...normaliseParams(search.where?.params ?? [], postgres)];
  const orderParams = normaliseParams(search.orderBy?.params ?? [], postgres);
  const { total, rows } = await pageWithTotal(
    search,
    async () =>
      await searchRows(
        db,
        `SELECT ${GROUP_COLUMNS} FROM groups g WHERE ${where} ORDER BY ${search.orderBy?.sql ?? creationOrder('g', { postgres, filtered: search.where !== undefined })}
         ${pageClause(search.limit, p(params.length + orderParams.length + 1))}`,
        [...params, ...orderParams, search.offset],
        search.workspaceId,
      ),
    async () => Number((await searchRows<{ total: number | string }>(db, `SELECT count(*) AS total FROM groups g WHERE ${where}`, params, search.workspaceId))[0]?.total ?? 0),
  );
  return { total, rows: rows.map(toGroupRow) };
}

/** One group of a workspace by id, or null; never reads its members. */
export async function findGroup(db: Db, workspaceId: string, id: string): Promise<GroupRow | null> {
  const p = placeholder(isPostgres(db));
  const rows = await queryRows(db, `SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.workspace_id = ${p(1)} AND g.id = ${p(2)}`, [
    workspaceId,
    id,
  ]);
  return rows[0] ? toGroupRow(rows[0]) : null;
}

/** The members of each group, ordered by member id, with their display names. */
export async function listGroupMembers(db: Db, workspaceId: string, groupIds: readonly string[]): Promise<Map<string, GroupMemberRow[]>> {
  const byGroup = new Map<string, GroupMemberRow[]>(groupIds.map((id) => [id, []]));
  await inChunks(db, groupIds, async (ids, inList, params) => {
    const rows: Array<Record<string, unknown>> = await queryRows(
      db,
      `SELECT gm.group_id, gm.member_id, COALESCE(m.display_name, m.user_name) AS display
         FROM group_members gm LEFT JOIN members m ON m.id = gm.member_id
        WHERE gm.workspace_id = ${params.first} AND gm.group_id ${inList}
        ORDER BY gm.group_id, gm.member_id`,
      [workspaceId, ...params.values(ids)],
    );
    for (const row of rows) {
      byGroup.get(String(row['group_id']))?.push({ id: String(row['member_id']), display: row['display'] == null ? null : String(row['display']) });
    }
  });
  return byGroup;
}

/** The groups each member belongs to (user.groups), ordered by display name. */
export async function groupsOfMembers(db: Db, workspaceId: string, memberIds: readonly string[]): Promise<Map<string, MemberGroupRow[]>> {
  const byMember = new Map<string, MemberGroupRow[]>(memberIds.map((id) => [id, []]));
  await inChunks(db, memberIds, async (ids, inList, params) => {
    const rows: Array<Record<string, unknown>> = await queryRows(
      db,
      `SELECT gm.member_id, g.id, g.display_name FROM group_members gm JOIN groups g ON g.id = gm.group_id
        WHERE gm.workspace_id = ${params.first} AND gm.member_id ${inList}
        ORDER BY gm.member_id, g.display_name_lc, g.id`,
      [workspaceId, ...params.values(ids)],
    );
    for (const row of rows) byMember.get(String(row['member_id']))?.push({ id: String(row['id']), displayName: String(row['display_name']) });
  });
  return byMember;
}

/** Display names (displayName, else userName) of members, for groups built from write-side state. */
export async function findMemberDisplays(db: Db, workspaceId: string, memberIds: readonly string[]): Promise<Map<string, string | null>> {
  const displays = new Map<string, string | null>();
  await inChunks(db, memberIds, async (ids, inList, params) => {
    const rows: Array<Record<string, unknown>> = await queryRows(
      db,
      `SELECT id, COALESCE(display_name, user_name) AS display FROM members WHERE workspace_id = ${params.first} AND id ${inList}`,
      [workspaceId, ...params.values(ids)],
    );
    for (const row of rows) displays.set(String(row['id']), row['display'] == null ? null : String(row['display']));
  });
  return displays;
}

/** Which of `ids` are members (users) of the workspace in the read model. */
export async function existingMemberIds(db: Db, workspaceId: string, ids: readonly string[]): Promise<Set<string>> {
  return existingIds(db, 'members', workspaceId, ids);
}

/** Which of `ids` are groups of the workspace in the read model. */
export async function existingGroupIds(db: Db, workspaceId: string, ids: readonly string[]): Promise<Set<string>> {
  return existingIds(db, 'groups', workspaceId, ids);
}

export interface RoleMappingView {
  groupId: string;
  /** Null when the group is not (or no longer) in the read model. */
  displayName: string | null;
  roles: string[];
  updatedAt: string;
  updatedBy: string;
}

/** The workspace's groups → roles mapping, by group display name. */
export async function listRoleMappings(db: Db, workspaceId: string): Promise<RoleMappingView[]> {
  const p = placeholder(isPostgres(db));
  const rows: Array<Record<string, unknown>> = await queryRows(
      db,
    `SELECT r.group_id, g.display_name, r.roles, r.updated_at, r.updated_by
       FROM role_mappings r LEFT JOIN groups g ON g.id = r.group_id
      WHERE r.workspace_id = ${p(1)} ORDER BY g.display_name_lc, r.group_id`,
    [workspaceId],
  );
  return rows.map((row) => ({
    groupId: String(row['group_id']),
    displayName: row['display_name'] == null ? null : String(row['display_name']),
    roles: parseJson(row['roles']) as string[],
    updatedAt: String(row['updated_at']),
    updatedBy: String(row['updated_by']),
  }));
}

export interface MemberRolesView {
  memberId: string;
  roles: string[];
  /** When the roles last changed; null when the member never had any. */
  updatedAt: string | null;
}

/** A member's effective roles as the group-membership reactor last announced them. */
export async function findMemberRoles(db: Db, workspaceId: string, memberId: string): Promise<MemberRolesView> {
  const p = placeholder(isPostgres(db));
  const rows: Array<Record<string, unknown>> = await queryRows(
      db,
    `SELECT roles, updated_at FROM member_roles WHERE workspace_id = ${p(1)} AND member_id = ${p(2)}`,
    [workspaceId, memberId],
  );
  const row = rows[0];
  return { memberId, roles: row ? (parseJson(row['roles']) as string[]) : [], updatedAt: row ? String(row['updated_at']) : null };
}

const GROUP_COLUMNS = 'g.id, g.display_name, g.external_id, g.revision, g.created_at, g.updated_at';

function toGroupRow(row: Record<string, unknown>): GroupRow {
  return {
    id: String(row['id']),
    displayName: String(row['display_name']),
    externalId: row['external_id'] == null ? null : String(row['external_id']),
    revision: Number(row['revision']),
    createdAt: String(row['created_at']),
    updatedAt: String(row['updated_at']),
  };
}

async function existingIds(db: Db, table: 'members' | 'groups', workspaceId: string, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  await inChunks(db, ids, async (chunk, inList, params) => {
    const rows: Array<{ id: string }> = await queryRows(db, `SELECT id FROM ${table} WHERE workspace_id = ${params.first} AND id ${inList}`, [
      workspaceId,
      ...params.values(chunk),
    ]);
    for (const row of rows) found.add(String(row.id));
  });
  return found;
}

/**
 * Runs a query per chunk of ids with `inList` ready to follow a column: `= ANY($2)` with one array
 * parameter on PostgreSQL, `IN (?, …)` on SQLite. The workspace id is parameter 1. A chunk holds
 * all the rows of its ids, so per-id ordering inside a query's result is kept.
 */
async function inChunks(
  db: Db,
  ids: readonly string[],
  run: (ids: string[], inList: string, params: { first: string; values: (ids: string[]) => unknown[] }) => Promise<void>,
): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  if (isPostgres(db)) {
    for (let start = 0; start < unique.length; start += POSTGRES_CHUNK) {
      await run(unique.slice(start, start + POSTGRES_CHUNK), '= ANY($2::text[])', { first: '$1', values: (chunk) => [chunk] });
    }
    return;
  }
  for (let start = 0; start < unique.length; start += SQLITE_CHUNK) {
    const chunk = unique.slice(start, start + SQLITE_CHUNK);
    await run(chunk, `IN (${chunk.map(() => '?').join(', ')})`, { first: '?', values: (values) => values });
  }
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
