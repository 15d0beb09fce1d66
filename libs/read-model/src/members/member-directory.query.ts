import type { MemberSource } from '../entities';
import { groupsOfMembers, type MemberGroupRow } from '../groups/group-queries';
import { type Db, isPostgres, pageClause, placeholder, queryRows } from '../search-sql';

/** One row of Settings → Members. */
export interface MemberDirectoryEntry {
  id: string;
  userName: string;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  /** The primary email, else the first one. */
  email: string | null;
  externalId: string | null;
  active: boolean;
  source: MemberSource;
  createdAt: string;
  updatedAt: string;
  groups: MemberGroupRow[];
  /** Effective roles, from the workspace's group → role mappings. */
  roles: string[];
  /** A member of the other source (local account vs SCIM user) sharing an email, case-insensitive. */
  possibleDuplicateOf: string | null;
}

export const MEMBER_DIRECTORY_SORTS = ['createdAt', 'userName', 'displayName', 'email'] as const;
export type MemberDirectorySort = (typeof MEMBER_DIRECTORY_SORTS)[number];

export interface MemberDirectorySearch {
  workspaceId: string;
  /** Case-insensitive substring of userName, an email or displayName. */
  q?: string;
  source?: MemberSource;
  /** true: active members only; false: deactivated ones only. */
  active?: boolean;
  /** Default createdAt. */
  sort?: MemberDirectorySort;
  /** Default asc. */
  order?: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/**
 * Sort keys, each with the id as tie-breaker in the same direction, so that the indexes of
 * migration 0009 ((workspace_id, user_name_lc, id), (workspace_id, lower(display_name), id),
 * (workspace_id, lower(primary_email), id)) and the creation index serve the page without sorting
 * the workspace, and a deep offset walks index entries only.
 */
const SORT_KEYS: Record<MemberDirectorySort, string> = {
  createdAt: 'm.created_at',
  userName: 'm.user_name_lc',
  displayName: 'lower(m.display_name)',
  email: 'lower(m.primary_email)',
};

/**
 * pg_trgm extracts trigrams from runs of letters and digits: a term with three in a row narrows its
 * index; a shorter one would match every entry and is better served by one scan.
 */
const TRIGRAM_SEARCHABLE = /[\p{L}\p{N}]{3}/u;

const COLUMNS = `m.id, m.user_name, m.display_name, m.given_name, m.family_name, m.external_id, m.active, m.source,
            m.created_at, m.updated_at, m.primary_email`;

export interface MemberDirectoryPage {
  /** Members matching, or, when totalIsLowerBound, how many a search counted before it stopped. */
  total: number;
  /** More members match than `total`: a search stops counting (SEARCH_COUNT_LIMIT). */
  totalIsLowerBound: boolean;
  items: MemberDirectoryEntry[];
}

/**
 * A search (`q`) counts at most this many matches (or up to the end of the page asked for, when it
 * lies further). A term of one or two characters has no trigram to seek, so an exact count would read
 * the whole workspace however many members match; stopping at the limit makes a frequent term cheap
 * (the ordered walk stops early), and a rare one costs one pass, not two (count, then page).
 */
export const SEARCH_COUNT_LIMIT = 1_000;

/**
 * A page of a workspace's members for the admin console (default: creation order, oldest first),
 * with the total, each member with its groups, roles and possible duplicate. `q` is bound as a LIKE
 * pattern with its wildcards escaped.
 */
export async function listMemberDirectory(db: Db, search: MemberDirectorySearch): Promise<MemberDirectoryPage> {
  const postgres = isPostgres(db);
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return postgres ? `$${params.length}` : '?';
  };
  let where = `m.workspace_id = ${bind(search.workspaceId)}`;
  if (search.source) where += ` AND m.source = ${bind(search.source)}`;
  if (search.active !== undefined) where += ` AND m.active = ${bind(search.active)}`;
  const q = search.q?.trim().toLowerCase();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where += postgres && TRIGRAM_SEARCHABLE.test(q)
      ? // One branch per column, so that each seeks its pg_trgm index (migration 0011); an OR over
        // members and a subquery would scan the workspace.
        ` AND m.id IN (SELECT s.id FROM members s WHERE s.workspace_id = ${bind(search.workspaceId)} AND s.user_name_lc LIKE ${bind(pattern)} ESCAPE '\\'` +
        ` UNION SELECT s.id FROM members s WHERE s.workspace_id = ${bind(search.workspaceId)} AND lower(s.display_name) LIKE ${bind(pattern)} ESCAPE '\\'` +
        ` UNION SELECT e.member_id FROM member_emails e WHERE e.workspace_id = ${bind(search.workspaceId)} AND e.value_lc LIKE ${bind(pattern)} ESCAPE '\\')`
      : // Shorter terms (no trigram to seek) and SQLite (no trigram index): one pass over the workspace.
        ` AND (m.user_name_lc LIKE ${bind(pattern)} ESCAPE '\\'` +
        ` OR lower(m.display_name) LIKE ${bind(pattern)} ESCAPE '\\'` +
        ` OR EXISTS (SELECT 1 FROM member_emails e WHERE e.member_id = m.id AND e.value_lc LIKE ${bind(pattern)} ESCAPE '\\'))`;
  }
  const direction = search.order === 'desc' ? 'DESC' : 'ASC';
  const order = `ORDER BY ${SORT_KEYS[search.sort ?? 'createdAt']} ${direction}, m.id ${direction}`;
  if (q) {
    // One ordered read of the matching ids, up to the count limit: the total and the page both come from it.
    const counted = Math.max(SEARCH_COUNT_LIMIT, search.offset + search.limit);
    const matches = await queryRows<{ id: string }>(db, `SELECT m.id FROM members m WHERE ${where} ${order} LIMIT ${counted + 1}`, params);
    const pageIds = matches.slice(search.offset, search.offset + search.limit).map((row) => String(row.id));
    return {
      total: Math.min(matches.length, counted),
      totalIsLowerBound: matches.length > counted,
      items: await findMemberDirectoryEntries(db, search.workspaceId, pageIds),
    };
  }
  const countRows = await queryRows<{ total: number | string }>(db, `SELECT count(*) AS total FROM members m WHERE ${where}`, params);
  const total = Number(countRows[0]?.total ?? 0);
  if (total === 0 || search.limit === 0) return { total, totalIsLowerBound: false, items: [] };
  const rows = await queryRows<Record<string, unknown>>(db, `SELECT ${COLUMNS} FROM members m WHERE ${where} ${order} ${pageClause(search.limit, bind(search.offset))}`, params);
  return { total, totalIsLowerBound: false, items: await withRelations(db, search.workspaceId, rows) };
}

/** Members by id (in the order given, unknown ids left out), as the directory shows them. */
export async function findMemberDirectoryEntries(db: Db, workspaceId: string, ids: readonly string[]): Promise<MemberDirectoryEntry[]> {
  if (ids.length === 0) return [];
  const postgres = isPostgres(db);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    postgres
      ? `SELECT ${COLUMNS} FROM members m WHERE m.workspace_id = $1 AND m.id = ANY($2::text[])`
      : `SELECT ${COLUMNS} FROM members m WHERE m.workspace_id = ? AND m.id IN (${ids.map(() => '?').join(', ')})`,
    postgres ? [workspaceId, [...ids]] : [workspaceId, ...ids],
  );
  const entries = new Map((await withRelations(db, workspaceId, rows)).map((entry) => [entry.id, entry]));
  return ids.flatMap((id) => entries.get(id) ?? []);
}

/** A member as the console's member page shows it: the directory entry and the stored SCIM resource. */
export async function findMemberDetail(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<(MemberDirectoryEntry & { resource: Record<string, unknown> }) | null> {
  const p = placeholder(isPostgres(db));
  const rows = await queryRows<Record<string, unknown>>(db, `SELECT ${COLUMNS}, m.resource FROM members m WHERE m.workspace_id = ${p(1)} AND m.id = ${p(2)}`, [
    workspaceId,
    id,
  ]);
  const row = rows[0];
  if (!row) return null;
  const [entry] = await withRelations(db, workspaceId, [row]);
  const resource = typeof row['resource'] === 'string' ? (JSON.parse(row['resource']) as Record<string, unknown>) : (row['resource'] as Record<string, unknown>);
  return { ...entry!, resource };
}

/** The member's revision as projected (its user stream's last revision the projector has seen); undefined when it has no row. */
export async function projectedMemberRevision(db: Db, workspaceId: string, id: string): Promise<number | undefined> {
  const p = placeholder(isPostgres(db));
  const rows = await queryRows<{ revision: number | string }>(db, `SELECT revision FROM members WHERE workspace_id = ${p(1)} AND id = ${p(2)}`, [workspaceId, id]);
  return rows[0] ? Number(rows[0].revision) : undefined;
}

export interface DuplicatePair {
  /** The shared email, lower-cased. */
  email: string;
  localId: string;
  scimId: string;
}

/** At most this many pairs: the console shows them on one screen. */
export const MAX_DUPLICATE_PAIRS = 100;

/**
 * Local accounts and SCIM users sharing an email (any of their emails, case-insensitive), by email.
 * Driven by the workspace's local accounts (few, found by the (workspace_id, source, …) index), each
 * email then looked up in (workspace_id, value_lc).
 */
export async function listDuplicatePairs(db: Db, workspaceId: string): Promise<DuplicatePair[]> {
  const p = placeholder(isPostgres(db));
  const rows = await queryRows<Record<string, unknown>>(
    db,
    `SELECT le.value_lc AS email, l.id AS local_id, s.id AS scim_id
       FROM members l
       JOIN member_emails le ON le.member_id = l.id
       JOIN member_emails se ON se.workspace_id = l.workspace_id AND se.value_lc = le.value_lc AND se.member_id <> l.id
       JOIN members s ON s.id = se.member_id AND s.source = 'scim'
      WHERE l.workspace_id = ${p(1)} AND l.source = 'local'
      ORDER BY le.value_lc, l.id, s.id
      LIMIT ${MAX_DUPLICATE_PAIRS * 4}`,
    [workspaceId],
  );
  const seen = new Set<string>();
  const pairs: DuplicatePair[] = [];
  for (const row of rows) {
    const pair = { email: String(row['email']), localId: String(row['local_id']), scimId: String(row['scim_id']) };
    // Two members sharing two emails are one pair.
    const key = `${pair.localId} ${pair.scimId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push(pair);
    if (pairs.length === MAX_DUPLICATE_PAIRS) break;
  }
  return pairs;
}

async function withRelations(db: Db, workspaceId: string, rows: Array<Record<string, unknown>>): Promise<MemberDirectoryEntry[]> {
  const ids = rows.map((row) => String(row['id']));
  const [groups, roles, duplicates] = await Promise.all([groupsOfMembers(db, workspaceId, ids), rolesOfMembers(db, workspaceId, ids), duplicatesOf(db, workspaceId, ids)]);
  return rows.map((row) => {
    const id = String(row['id']);
    return {
      id,
      userName: String(row['user_name']),
      displayName: nullableString(row['display_name']),
      givenName: nullableString(row['given_name']),
      familyName: nullableString(row['family_name']),
      email: nullableString(row['primary_email']),
      externalId: nullableString(row['external_id']),
      active: row['active'] === true || row['active'] === 1,
      source: row['source'] === 'local' ? 'local' : 'scim',
      createdAt: String(row['created_at']),
      updatedAt: String(row['updated_at']),
      groups: groups.get(id) ?? [],
      roles: roles.get(id) ?? [],
      possibleDuplicateOf: duplicates.get(id) ?? null,
    };
  });
}

/** Pages hold at most 200 members, under SQLite's parameter limit. */
function idList(db: Db, ids: readonly string[], first: number): { sql: string; params: unknown[] } {
  return isPostgres(db)
    ? { sql: `= ANY($${first}::text[])`, params: [[...ids]] }
    : { sql: `IN (${ids.map(() => '?').join(', ')})`, params: [...ids] };
}

async function rolesOfMembers(db: Db, workspaceId: string, ids: readonly string[]): Promise<Map<string, string[]>> {
  const roles = new Map<string, string[]>();
  if (ids.length === 0) return roles;
  const list = idList(db, ids, 2);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    `SELECT member_id, roles FROM member_roles WHERE workspace_id = ${isPostgres(db) ? '$1' : '?'} AND member_id ${list.sql}`,
    [workspaceId, ...list.params],
  );
  for (const row of rows) {
    const value = typeof row['roles'] === 'string' ? (JSON.parse(row['roles']) as unknown) : row['roles'];
    roles.set(String(row['member_id']), Array.isArray(value) ? value.map(String) : []);
  }
  return roles;
}

/** For each member, the first (by id) member of the other source with one of its emails. */
async function duplicatesOf(db: Db, workspaceId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const duplicates = new Map<string, string>();
  if (ids.length === 0) return duplicates;
  const list = idList(db, ids, 2);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    `SELECT e.member_id, o.member_id AS other_id
       FROM member_emails e
       JOIN members m ON m.id = e.member_id
       JOIN member_emails o ON o.workspace_id = e.workspace_id AND o.value_lc = e.value_lc AND o.member_id <> e.member_id
       JOIN members om ON om.id = o.member_id AND om.source <> m.source
      WHERE e.workspace_id = ${isPostgres(db) ? '$1' : '?'} AND e.member_id ${list.sql}
      ORDER BY e.member_id, o.member_id`,
    [workspaceId, ...list.params],
  );
  for (const row of rows) if (!duplicates.has(String(row['member_id']))) duplicates.set(String(row['member_id']), String(row['other_id']));
  return duplicates;
}

function nullableString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
