import { type Db, isPostgres, queryRows } from '../search-sql';

/** Audit codes that record a refused SCIM request. */
export const REJECTION_CODE_PATTERN = 'SCIM\\_%';
/**
 * `SCIM_*` codes that are not refusals: a PUT/PATCH whose attributes were all ignored succeeded
 * (the IdP got 200); it is recorded beside the rejections only to show the mapping mistake.
 */
export const NON_REJECTION_SCIM_CODES = ['SCIM_ATTRIBUTES_IGNORED'] as const;

/** SQL condition on `audit_entries.code`: the entry records a refused SCIM request. */
export function rejectionCondition(negated: boolean): string {
  const excluded = NON_REJECTION_SCIM_CODES.map((code) => `'${code}'`).join(', ');
  const rejected = `(code LIKE '${REJECTION_CODE_PATTERN}' ESCAPE '\\' AND code NOT IN (${excluded}))`;
  return negated ? `NOT ${rejected}` : rejected;
}

/** What Settings → Identity → SCIM's connection panel shows, from the read model. */
export interface ScimConnectionStats {
  /** The newest last use of any of the workspace's tokens (recorded at most once a minute per token and process). */
  lastRequestAt: string | null;
  /** Dialect of the newest audit entry an IdP caused (not an admin, operator or the system). */
  lastDialect: string | null;
  rejectionsSince: number;
  scimUsers: number;
  scimGroups: number;
  activeTokens: number;
  /** Tokens ever created, revoked ones included. */
  tokensCreated: number;
  /** Whether any token of the workspace was ever used. */
  anyTokenUsed: boolean;
}

export async function scimConnectionStats(db: Db, workspaceId: string, since: string): Promise<ScimConnectionStats> {
  const p = isPostgres(db) ? (n: number) => `$${n}` : () => '?';
  const [tokens, dialect, rejections, users, groups] = await Promise.all([
    queryRows<Record<string, unknown>>(
      db,
      `SELECT count(*) AS created, count(t.revoked_at) AS revoked, max(u.last_used_at) AS last_used_at
         FROM scim_tokens t LEFT JOIN scim_token_usage u ON u.token_id = t.id
        WHERE t.workspace_id = ${p(1)}`,
      [workspaceId],
    ),
    queryRows<Record<string, unknown>>(
      db,
      `SELECT dialect FROM audit_entries WHERE workspace_id = ${p(1)} AND dialect NOT IN ('admin', 'system')
        ORDER BY occurred_at DESC, id DESC LIMIT 1`,
      [workspaceId],
    ),
    queryRows<Record<string, unknown>>(
      db,
      `SELECT count(*) AS total FROM audit_entries WHERE workspace_id = ${p(1)} AND occurred_at >= ${p(2)} AND ${rejectionCondition(false)}`,
      [workspaceId, since],
    ),
    queryRows<Record<string, unknown>>(db, `SELECT count(*) AS total FROM members WHERE workspace_id = ${p(1)} AND source = 'scim'`, [workspaceId]),
    queryRows<Record<string, unknown>>(db, `SELECT count(*) AS total FROM groups WHERE workspace_id = ${p(1)}`, [workspaceId]),
  ]);
  const created = Number(tokens[0]?.['created'] ?? 0);
  const lastUsed = tokens[0]?.['last_used_at'];
  return {
    lastRequestAt: typeof lastUsed === 'string' ? lastUsed : null,
    lastDialect: typeof dialect[0]?.['dialect'] === 'string' ? dialect[0]['dialect'] : null,
    rejectionsSince: Number(rejections[0]?.['total'] ?? 0),
    scimUsers: Number(users[0]?.['total'] ?? 0),
    scimGroups: Number(groups[0]?.['total'] ?? 0),
    activeTokens: created - Number(tokens[0]?.['revoked'] ?? 0),
    tokensCreated: created,
    anyTokenUsed: typeof lastUsed === 'string',
  };
}
