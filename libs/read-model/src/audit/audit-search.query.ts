import type { DataSource } from 'typeorm';
import { rejectionCondition } from '../workspaces/scim-connection.query';

/** What the Security Console asks of the audit log; every field optional except the workspace. */
export interface AuditSearch {
  workspaceId: string;
  /** Inclusive lower bound, ISO 8601. */
  from?: string;
  /** Exclusive upper bound, ISO 8601. */
  to?: string;
  /** Codes or patterns, OR-ed: `ACCOUNT_SCIM_USER_*`, `SCIM_*`, `TENANT_SCIM_TOKEN_CREATED`. */
  codes?: readonly string[];
  /** A member/group/token id, an externalId or a userName (case-insensitive). */
  target?: string;
  /** Exact actor, e.g. `token:scim_ab12` or `admin:<id>`. */
  actor?: string;
  /** `rejected`: refused SCIM requests (the product error codes, REJECTION_CODES); `success`: every other entry. */
  outcome?: 'success' | 'rejected';
  /** Page size, 1..1000 (default 100). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export interface AuditEntryView {
  id: string;
  workspaceId: string;
  code: string;
  occurredAt: string;
  actor: string;
  target: { id: string | null; externalId: string | null; userName: string | null };
  dialect: string;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
}

export class InvalidAuditCursorError extends Error {
  constructor() {
    super('invalid audit cursor');
    this.name = 'InvalidAuditCursorError';
  }
}

const MAX_LIMIT = 1000;

/**
 * One page of a workspace's audit entries, newest first, keyset-paginated on (occurred_at, id) —
 * stable while new entries arrive. SQL is a fixed template; every value is a bound parameter.
 */
export async function searchAuditEntries(readModel: DataSource, search: AuditSearch): Promise<AuditPage> {
  const postgres = readModel.options.type === 'postgres';
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return postgres ? `$${params.length}` : '?';
  };
  const where = [`workspace_id = ${p(search.workspaceId)}`];
  if (search.from) where.push(`occurred_at >= ${p(search.from)}`);
  if (search.to) where.push(`occurred_at < ${p(search.to)}`);
  if (search.codes && search.codes.length > 0) {
    where.push(`(${search.codes.map((code) => `code LIKE ${p(likePattern(code))} ESCAPE '\\'`).join(' OR ')})`);
  }
  if (search.target) {
    const target = search.target;
    where.push(`(target_id = ${p(target)} OR target_external_id = ${p(target)} OR lower(target_user_name) = lower(${p(target)}))`);
  }
  if (search.actor) where.push(`actor = ${p(search.actor)}`);
  if (search.outcome) where.push(rejectionCondition(search.outcome === 'success'));
  if (search.cursor) {
    const [time, id] = decodeCursor(search.cursor);
    where.push(`(occurred_at < ${p(time)} OR (occurred_at = ${p(time)} AND id < ${p(id)}))`); // one placeholder per use (SQLite `?`)
  }
  const limit = Math.min(Math.max(Math.trunc(search.limit ?? 100), 1), MAX_LIMIT);
  const rows = (await readModel.query(
    `SELECT id, workspace_id, code, occurred_at, actor, target_id, target_external_id, target_user_name,
            dialect, request_id, details
       FROM audit_entries
      WHERE ${where.join(' AND ')}
      ORDER BY occurred_at DESC, id DESC
      LIMIT ${p(limit + 1)}`,
    params,
  )) as Array<Record<string, unknown>>;
  const entries = rows.slice(0, limit).map(toView);
  const last = entries[entries.length - 1];
  return { entries, nextCursor: rows.length > limit && last ? encodeCursor(last.occurredAt, last.id) : null };
}

/** Every matching entry, newest first, page by page: the NDJSON export. */
export async function* exportAuditEntries(readModel: DataSource, search: Omit<AuditSearch, 'limit'>): AsyncGenerator<AuditEntryView> {
  let cursor = search.cursor;
  for (;;) {
    const page = await searchAuditEntries(readModel, { ...search, cursor, limit: MAX_LIMIT });
    yield* page.entries;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

function likePattern(code: string): string {
  return code.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

function encodeCursor(occurredAt: string, id: string): string {
  return Buffer.from(JSON.stringify([occurredAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new InvalidAuditCursorError();
}

function toView(row: Record<string, unknown>): AuditEntryView {
  const details = typeof row['details'] === 'string' ? (JSON.parse(row['details']) as Record<string, unknown>) : (row['details'] as Record<string, unknown>);
  return {
    id: row['id'] as string,
    workspaceId: row['workspace_id'] as string,
    code: row['code'] as string,
    occurredAt: row['occurred_at'] as string,
    actor: row['actor'] as string,
    target: {
      id: (row['target_id'] as string | null) ?? null,
      externalId: (row['target_external_id'] as string | null) ?? null,
      userName: (row['target_user_name'] as string | null) ?? null,
    },
    dialect: row['dialect'] as string,
    requestId: (row['request_id'] as string | null) ?? null,
    details: details ?? {},
  };
}
