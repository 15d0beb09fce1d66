import type { EntityManager } from 'typeorm';

/** The two (group, member) tables: the group projection's and the group-membership reactor's. */
export type MembershipTable = 'group_members' | 'group_membership_index';

const SQLITE_CHUNK = 300;

/**
 * Inserts (group, member) rows, ignoring those already there. PostgreSQL: one statement over
 * `unnest` of an array parameter, whatever the number of ids (cheap to build and to plan for the
 * 1,000-member deltas of a big PATCH); SQLite: multi-row inserts in chunks.
 */
export async function insertMembershipRows(
  manager: EntityManager,
  table: MembershipTable,
  groupId: string,
  memberIds: readonly string[],
  workspaceId: string,
): Promise<void> {
  if (memberIds.length === 0) return;
  if (manager.connection.options.type === 'postgres') {
    await manager.query(
      `INSERT INTO ${table} (group_id, member_id, workspace_id) SELECT $1, m, $3 FROM unnest($2::text[]) AS m ON CONFLICT DO NOTHING`,
      [groupId, [...memberIds], workspaceId],
    );
    return;
  }
  for (let start = 0; start < memberIds.length; start += SQLITE_CHUNK) {
    const chunk = memberIds.slice(start, start + SQLITE_CHUNK);
    await manager.query(
      `INSERT OR IGNORE INTO ${table} (group_id, member_id, workspace_id) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
      chunk.flatMap((memberId) => [groupId, memberId, workspaceId]),
    );
  }
}

/** Deletes (group, member) rows by primary key. */
export async function deleteMembershipRows(manager: EntityManager, table: MembershipTable, groupId: string, memberIds: readonly string[]): Promise<void> {
  if (memberIds.length === 0) return;
  if (manager.connection.options.type === 'postgres') {
    await manager.query(`DELETE FROM ${table} WHERE group_id = $1 AND member_id = ANY($2::text[])`, [groupId, [...memberIds]]);
    return;
  }
  for (let start = 0; start < memberIds.length; start += SQLITE_CHUNK) {
    const chunk = memberIds.slice(start, start + SQLITE_CHUNK);
    await manager.query(`DELETE FROM ${table} WHERE group_id = ? AND member_id IN (${chunk.map(() => '?').join(', ')})`, [groupId, ...chunk]);
  }
}
