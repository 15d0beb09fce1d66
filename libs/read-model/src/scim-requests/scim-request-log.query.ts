import { ScimRequestLogRecord } from '../entities/scim-request-log.entity';
import { insertRows } from '../bulk-sql';
import { dataSourceOf, type Db, isPostgres, placeholder, queryRows } from '../search-sql';

/** A row of the request log as the gateway writes it (the key is generated here). */
export type ScimRequestLogEntry = { [K in keyof ScimRequestLogRecord]: ScimRequestLogRecord[K] };

/** The admin API's filters; every one optional except the workspace. */
export interface ScimRequestSearch {
  workspaceId: string;
  /** Classes (`2xx`, `4xx`, `5xx`) or exact codes (`401`), OR-ed. */
  statuses?: readonly string[];
  /** A SCIM resource id or a userName (case-insensitive). */
  user?: string;
  operation?: string;
  /** Inclusive lower bound, ISO 8601. */
  from?: string;
  /** Exclusive upper bound, ISO 8601. */
  to?: string;
  requestId?: string;
  /** 1..200 (default 50). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export interface ScimRequestSummaryView {
  requestId: string;
  at: string;
  method: string;
  path: string;
  status: number;
  errorCode: string | null;
  dialect: string | null;
  latencyMs: number;
  operation: string;
  resourceId: string | null;
  tokenPrefix: string | null;
}

export interface ScimRequestDetailView extends ScimRequestSummaryView {
  query: string | null;
  /** The redacted body as JSON; the first bytes of its text when `truncated`; null without a body. */
  requestBody: unknown;
  responseBody: unknown;
  truncated: boolean;
}

export interface ScimRequestPage {
  items: ScimRequestSummaryView[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
}

export interface ScimRequestStats {
  requestsLast24h: number;
  rejectionsLast24h: number;
  lastRequestAt: string | null;
  lastDialect: string | null;
}

export class InvalidScimRequestCursorError extends Error {
  constructor() {
    super('invalid request-log cursor');
    this.name = 'InvalidScimRequestCursorError';
  }
}

export const SCIM_REQUEST_PAGE_MAX = 200;
const STATUS_FILTER = /^([1-5])(xx|\d\d)$/;

const SUMMARY_COLUMNS = 'id, request_id, at, method, path, status, error_code, dialect, latency_ms, operation, resource_id, token_prefix';

/** Appends a batch of log rows in one transaction (multi-row INSERTs). */
export async function insertScimRequestLog(db: Db, rows: readonly ScimRequestLogEntry[]): Promise<void> {
  if (rows.length === 0) return;
  await dataSourceOf(db).transaction((manager) => insertRows(manager, ScimRequestLogRecord, rows));
}

/** `2xx`, `4xx`, `401`…: whether the admin API accepts it as a status filter. */
export function isStatusFilter(value: string): boolean {
  return STATUS_FILTER.test(value);
}

/**
 * One page of a workspace's SCIM requests, newest first, keyset-paginated on (at, id) so the page
 * stays stable while requests arrive. A fixed SQL template; every value is bound.
 */
export async function searchScimRequests(db: Db, search: ScimRequestSearch): Promise<ScimRequestPage> {
  const params: unknown[] = [];
  const slot = placeholder(isPostgres(db));
  const p = (value: unknown) => {
    params.push(value);
    return slot(params.length);
  };
  const where = [`workspace_id = ${p(search.workspaceId)}`];
  if (search.statuses && search.statuses.length > 0) {
    const conditions = search.statuses.map((status) => {
      const match = STATUS_FILTER.exec(status);
      if (!match) throw new Error(`not a status filter: ${status}`);
      if (match[2] !== 'xx') return `status = ${p(Number(status))}`;
      const base = Number(match[1]) * 100;
      return `(status >= ${p(base)} AND status < ${p(base + 100)})`;
    });
    where.push(`(${conditions.join(' OR ')})`);
  }
  if (search.user) {
    const user = search.user;
    // A userName also finds the requests about the member that carries it now (a PATCH names only the id).
    where.push(
      `(resource_id = ${p(user)} OR user_name_lc = ${p(user.toLowerCase())} OR resource_id IN (SELECT id FROM members WHERE workspace_id = ${p(search.workspaceId)} AND user_name_lc = ${p(user.toLowerCase())}))`,
    );
  }
  if (search.operation) where.push(`operation = ${p(search.operation)}`);
  if (search.requestId) where.push(`request_id = ${p(search.requestId)}`);
  if (search.from) where.push(`at >= ${p(search.from)}`);
  if (search.to) where.push(`at < ${p(search.to)}`);
  if (search.cursor) {
    const [at, id] = decodeCursor(search.cursor);
    where.push(`(at < ${p(at)} OR (at = ${p(at)} AND id < ${p(id)}))`);
  }
  const limit = Math.min(Math.max(Math.trunc(search.limit ?? 50), 1), SCIM_REQUEST_PAGE_MAX);
  const rows = await queryRows(db, `SELECT ${SUMMARY_COLUMNS} FROM scim_request_log WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ${limit + 1}`, params);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toSummary),
    nextCursor: rows.length > limit && last ? encodeCursor(last['at'] as string, last['id'] as string) : null,
  };
}

/** The newest logged request of the workspace with that request id (a client may reuse one), or null. */
export async function findScimRequest(db: Db, workspaceId: string, requestId: string): Promise<ScimRequestDetailView | null> {
  const p = placeholder(isPostgres(db));
  const [row] = await queryRows(
    db,
    `SELECT ${SUMMARY_COLUMNS}, query, request_body, response_body, truncated FROM scim_request_log
      WHERE workspace_id = ${p(1)} AND request_id = ${p(2)} ORDER BY at DESC, id DESC LIMIT 1`,
    [workspaceId, requestId],
  );
  if (!row) return null;
  const truncated = row['truncated'] === true || row['truncated'] === 1;
  return {
    ...toSummary(row),
    query: (row['query'] as string | null) ?? null,
    requestBody: bodyOf(row['request_body']),
    responseBody: bodyOf(row['response_body']),
    truncated,
  };
}

/** What the connection panel shows: traffic and refusals of the last 24 h before `now`, and the last request. */
export async function scimRequestStats(db: Db, workspaceId: string, now: Date): Promise<ScimRequestStats> {
  const p = placeholder(isPostgres(db));
  const since = new Date(now.getTime() - 24 * 3600_000).toISOString();
  const [counts] = await queryRows(
    db,
    `SELECT COUNT(*) AS requests, COALESCE(SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), 0) AS rejections
       FROM scim_request_log WHERE workspace_id = ${p(1)} AND at >= ${p(2)}`,
    [workspaceId, since],
  );
  const [last] = await queryRows(db, `SELECT at, dialect FROM scim_request_log WHERE workspace_id = ${p(1)} ORDER BY at DESC, id DESC LIMIT 1`, [workspaceId]);
  return {
    requestsLast24h: Number(counts?.['requests'] ?? 0),
    rejectionsLast24h: Number(counts?.['rejections'] ?? 0),
    lastRequestAt: (last?.['at'] as string | undefined) ?? null,
    lastDialect: (last?.['dialect'] as string | null | undefined) ?? null,
  };
}

/**
 * Deletes up to `batchSize` rows older than `before` (oldest first) and returns how many: callers
 * loop, so no statement holds the database for long.
 */
export async function pruneScimRequestLog(db: Db, before: string, batchSize: number): Promise<number> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new Error(`A batch size is a positive integer, not ${batchSize}`);
  const p = placeholder(isPostgres(db));
  const deleted = await queryRows(
    db,
    `DELETE FROM scim_request_log WHERE id IN (SELECT id FROM scim_request_log WHERE at < ${p(1)} ORDER BY at LIMIT ${batchSize}) RETURNING id`,
    [before],
  );
  return deleted.length;
}

function toSummary(row: Record<string, unknown>): ScimRequestSummaryView {
  return {
    requestId: row['request_id'] as string,
    at: row['at'] as string,
    method: row['method'] as string,
    path: row['path'] as string,
    status: Number(row['status']),
    errorCode: (row['error_code'] as string | null) ?? null,
    dialect: (row['dialect'] as string | null) ?? null,
    latencyMs: Number(row['latency_ms']),
    operation: row['operation'] as string,
    resourceId: (row['resource_id'] as string | null) ?? null,
    tokenPrefix: (row['token_prefix'] as string | null) ?? null,
  };
}

/** A stored body: its JSON, or the text itself when it was cut (no longer JSON). */
function bodyOf(stored: unknown): unknown {
  if (typeof stored !== 'string') return null;
  try {
    return JSON.parse(stored) as unknown;
  } catch {
    return stored;
  }
}

function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // fall through
  }
  throw new InvalidScimRequestCursorError();
}
