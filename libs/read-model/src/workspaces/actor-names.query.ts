import { type Db, isPostgres, queryRows } from '../search-sql';

/**
 * The names the Security Console and a member's history show beside an actor: the description of
 * the admin key (`admin:<prefix>`, which names the admin) or of the SCIM token (`token:<prefix>`,
 * which names the IdP connection) of this workspace. Actors without a described credential
 * (`operator`, `system`, `token:config`, a credential without description) are left out.
 */
export async function actorNames(db: Db, workspaceId: string, actors: Iterable<string>): Promise<Map<string, string>> {
  const prefixes = { admin: new Set<string>(), token: new Set<string>() };
  for (const actor of actors) {
    const match = /^(admin|token):(.+)$/.exec(actor);
    if (match) prefixes[match[1] as 'admin' | 'token'].add(match[2]!);
  }
  const names = new Map<string, string>();
  for (const [kind, table] of [
    ['admin', 'admin_keys'],
    ['token', 'scim_tokens'],
  ] as const) {
    const wanted = [...prefixes[kind]];
    if (wanted.length === 0) continue;
    const postgres = isPostgres(db);
    // Prefixes are unique in practice (random); the newest described credential wins otherwise.
    const rows = await queryRows<{ prefix: string; description: string }>(
      db,
      postgres
        ? `SELECT prefix, description FROM ${table} WHERE workspace_id = $1 AND prefix = ANY($2::text[]) AND description IS NOT NULL ORDER BY created_at`
        : `SELECT prefix, description FROM ${table} WHERE workspace_id = ? AND prefix IN (${wanted.map(() => '?').join(', ')}) AND description IS NOT NULL ORDER BY created_at`,
      postgres ? [workspaceId, wanted] : [workspaceId, ...wanted],
    );
    for (const row of rows) names.set(`${kind}:${row.prefix}`, row.description);
  }
  return names;
}
