import type { DataSource } from 'typeorm';
import type { MemberSource } from '../entities';

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
}

export interface MemberDirectorySearch {
  workspaceId: string;
  /** Case-insensitive substring of userName, an email or displayName. */
  q?: string;
  offset: number;
  limit: number;
}

/**
 * A page of a workspace's members for the admin console, newest last (creation order, then id),
 * with the total. `q` is bound as a LIKE pattern with its wildcards escaped.
 */
export async function listMemberDirectory(
  readModel: DataSource,
  search: MemberDirectorySearch,
): Promise<{ total: number; items: MemberDirectoryEntry[] }> {
  const postgres = readModel.options.type === 'postgres';
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return postgres ? `$${params.length}` : '?';
  };
  let where = `m.workspace_id = ${bind(search.workspaceId)}`;
  const q = search.q?.trim().toLowerCase();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where +=
      ` AND (m.user_name_lc LIKE ${bind(pattern)} ESCAPE '\\'` +
      ` OR lower(m.display_name) LIKE ${bind(pattern)} ESCAPE '\\'` +
      ` OR EXISTS (SELECT 1 FROM member_emails e WHERE e.member_id = m.id AND e.value_lc LIKE ${bind(pattern)} ESCAPE '\\'))`;
  }
  const countRows: Array<{ total: number | string }> = await readModel.query(`SELECT count(*) AS total FROM members m WHERE ${where}`, params);
  const total = Number(countRows[0]?.total ?? 0);
  if (total === 0 || search.limit === 0) return { total, items: [] };
  const rows: Array<Record<string, unknown>> = await readModel.query(
    `SELECT m.id, m.user_name, m.display_name, m.given_name, m.family_name, m.external_id, m.active, m.source,
            m.created_at, m.updated_at,
            (SELECT e.value FROM member_emails e WHERE e.member_id = m.id ORDER BY e."primary" DESC, e.ordinal LIMIT 1) AS email
     FROM members m WHERE ${where} ORDER BY m.created_at, m.id LIMIT ${bind(search.limit)} OFFSET ${bind(search.offset)}`,
    params,
  );
  return {
    total,
    items: rows.map((row) => ({
      id: String(row['id']),
      userName: String(row['user_name']),
      displayName: nullableString(row['display_name']),
      givenName: nullableString(row['given_name']),
      familyName: nullableString(row['family_name']),
      email: nullableString(row['email']),
      externalId: nullableString(row['external_id']),
      active: row['active'] === true || row['active'] === 1,
      source: row['source'] === 'local' ? 'local' : 'scim',
      createdAt: String(row['created_at']),
      updatedAt: String(row['updated_at']),
    })),
  };
}

function nullableString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
