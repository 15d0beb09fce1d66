import type { DataSource } from 'typeorm';

/**
 * Records `position` as the workspace's latest write for `tracker`, unless a later one is recorded.
 * Committed without waiting for the disk: a mark lost in a database crash costs only a read that
 * does not wait, and waiting for the flush would double the cost of every write. PostgreSQL read
 * models only (migration 0013).
 */
export async function recordWriteMark(db: DataSource, tracker: string, workspaceId: string, position: string): Promise<void> {
  // One statement, one round trip: set_config(…, true) lasts for this statement's own transaction,
  // whose commit then does not wait for the flush.
  await db.query(
    `INSERT INTO write_marks AS mark (workspace_id, tracker, position)
     SELECT $1, $2, $3 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous_commit
     ON CONFLICT (workspace_id, tracker) DO UPDATE SET position = EXCLUDED.position WHERE mark.position < EXCLUDED.position`,
    [workspaceId, tracker, position],
  );
}

/** The workspace's latest write recorded for `tracker` by any gateway replica, or null. */
export async function findWriteMark(db: DataSource, tracker: string, workspaceId: string): Promise<string | null> {
  const rows = (await db.query(`SELECT position FROM write_marks WHERE workspace_id = $1 AND tracker = $2`, [workspaceId, tracker])) as Array<{ position: string }>;
  return rows[0]?.position ?? null;
}
