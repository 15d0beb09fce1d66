import type { DataSource } from 'typeorm';

/** One member's stored value of an attribute, as JSON. */
export interface StoredAttributeValue {
  memberId: string;
  value: unknown;
}

const KEY = /^[A-Za-z0-9._:$-]+$/;

/**
 * The stored values of the attribute at `keys` of the resource (e.g. the custom extension URN and
 * an attribute name) among a workspace's members, a page at a time in id order (`afterId`: the last
 * id of the previous page). Values are returned as stored JSON, so a caller can check their types.
 */
export async function storedAttributeValues(
  readModel: DataSource,
  search: { workspaceId: string; keys: readonly string[]; afterId?: string; limit: number },
): Promise<StoredAttributeValue[]> {
  if (search.keys.length === 0 || !search.keys.every((key) => KEY.test(key))) throw new TypeError(`Not an attribute path: ${search.keys.join('/')}`);
  const afterId = search.afterId ?? '';
  let rows: Array<{ id: string; value: string }>;
  if (readModel.options.type === 'postgres') {
    rows = await readModel.query(
      `SELECT id, (resource #> $2::text[])::text AS value FROM members
        WHERE workspace_id = $1 AND resource #> $2::text[] IS NOT NULL AND id > $3 ORDER BY id LIMIT $4`,
      [search.workspaceId, search.keys, afterId, search.limit],
    );
  } else {
    // Keys are quoted in the JSON path; KEY admits no quote or backslash.
    const path = `$${search.keys.map((key) => `."${key}"`).join('')}`;
    rows = await readModel.query(
      `SELECT id, resource -> ? AS value FROM members
        WHERE workspace_id = ? AND json_type(resource, ?) IS NOT NULL AND id > ? ORDER BY id LIMIT ?`,
      [path, search.workspaceId, path, afterId, search.limit],
    );
  }
  return rows.map((row) => ({ memberId: row.id, value: JSON.parse(row.value) as unknown }));
}
