import type { ScimErrorCode } from '@axis/scim';
import { type Db, isPostgres, placeholder, queryRows } from '../search-sql';

/**
 * Audit codes that record a refused SCIM request: every product error code (the Security Console's
 * "rejected operations"). A record, not a list, so that a code added to ScimErrorCode fails the
 * build until it is placed here. SCIM_ATTRIBUTES_IGNORED, recorded beside the rejections, is no
 * refusal: the request succeeded (the IdP got 200) and only its mapping mistake is shown.
 * Listed rather than matched by `LIKE 'SCIM\_%'`: PostgreSQL seeks a btree index with LIKE only under
 * the C collation, and the rejections of a day are found on (workspace_id, code, occurred_at).
 */
const REJECTION_CODE_SET: Record<ScimErrorCode, true> = {
  SCIM_UNAUTHORIZED: true,
  SCIM_USER_CONFLICT: true,
  SCIM_INVALID_FILTER: true,
  SCIM_SCHEMA_MISMATCH: true,
  SCIM_RATE_LIMITED: true,
  SCIM_GROUP_CONFLICT: true,
  SCIM_UNIQUENESS: true,
  SCIM_INVALID_VALUE: true,
  SCIM_INVALID_SYNTAX: true,
  SCIM_INVALID_PATH: true,
  SCIM_NO_TARGET: true,
  SCIM_MUTABILITY: true,
  SCIM_TOO_MANY: true,
  SCIM_INVALID_VERSION: true,
  SCIM_SENSITIVE: true,
  SCIM_FORBIDDEN: true,
  SCIM_NOT_FOUND: true,
  SCIM_METHOD_NOT_ALLOWED: true,
  SCIM_PRECONDITION_FAILED: true,
  SCIM_PAYLOAD_TOO_LARGE: true,
  SCIM_NOT_IMPLEMENTED: true,
  SCIM_READ_TIMEOUT: true,
  SCIM_INTERNAL: true,
};

export const REJECTION_CODES = Object.keys(REJECTION_CODE_SET) as ScimErrorCode[];

/** SQL condition on `audit_entries.code`: the entry records a refused SCIM request (or, negated, anything else). Constants only. */
export function rejectionCondition(negated: boolean): string {
  return `code ${negated ? 'NOT IN' : 'IN'} (${REJECTION_CODES.map((code) => `'${code}'`).join(', ')})`;
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
  const p = placeholder(isPostgres(db));
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
