import type { ScimRequestLogEntry } from '@axis/read-model';
import { capped, redactedJson, redactedJsonText, redactedQuery } from './request-log-redaction';

/** What the gateway knows of a finished SCIM request; turned into a log row by `toLogRow`. */
export interface FinishedScimRequest {
  id: string;
  workspaceId: string;
  requestId: string;
  /** When the request arrived, ISO 8601. */
  at: string;
  method: string;
  /** The URL as the client sent it (`/workspaces/<slug>/scim/v2/…` included), query and all. */
  url: string;
  status: number;
  errorCode: string | null;
  dialect: string | null;
  latencyMs: number;
  tokenPrefix: string | null;
  /** The parsed request body; undefined without one (or when it could not be read). */
  body: unknown;
  /** The serialised response body; null without one. */
  responseText: string | null;
}

const SCIM_PATH = /\/scim\/v2(?:\/([^/]*))?(?:\/([^/]*))?/;
const USER_NAME_EQ = /\buserName\s+eq\s+"((?:[^"\\]|\\.)*)"/i;
const RESPONSE_ID = /^\{[^{}]*?"id"\s*:\s*"((?:[^"\\]|\\.)*)"/;

/**
 * `users.create`, `users.patch`, `users.list`, `groups.search`, `schemas.get`…: the resource (the
 * path's first segment, its first letter lower-cased) and what the method does to it.
 */
export function operationOf(method: string, path: string): string {
  const match = SCIM_PATH.exec(path);
  const segment = match?.[1] ?? '';
  if (segment === '') return `root.${method.toLowerCase()}`;
  if (segment === '.search' && method === 'POST') return 'root.search';
  const resource = segment.charAt(0).toLowerCase() + segment.slice(1);
  const item = match?.[2];
  if (resource === 'serviceProviderConfig' && method === 'GET') return 'serviceProviderConfig.get';
  if (item === '.search' && method === 'POST') return `${resource}.search`;
  if (item === undefined || item === '') {
    if (method === 'GET') return `${resource}.list`;
    if (method === 'POST') return `${resource}.create`;
    return `${resource}.${method.toLowerCase()}`;
  }
  const verbs: Record<string, string> = { GET: 'get', PUT: 'replace', PATCH: 'patch', DELETE: 'delete' };
  return `${resource}.${verbs[method] ?? method.toLowerCase()}`;
}

/** A log row: path without the query, the query and both bodies redacted, bodies capped. */
export function toLogRow(request: FinishedScimRequest): ScimRequestLogEntry {
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : request.url.slice(queryStart + 1);
  const operation = operationOf(request.method, path);
  const requestBody = capped(redactedJson(request.body));
  const responseBody = capped(request.responseText === null || request.responseText === '' ? null : redactedJsonText(request.responseText));
  return storable({
    id: request.id,
    workspaceId: request.workspaceId,
    requestId: request.requestId,
    at: request.at,
    method: request.method,
    path,
    query: redactedQuery(rawQuery),
    status: request.status,
    errorCode: request.errorCode,
    dialect: request.dialect,
    latencyMs: request.latencyMs,
    operation,
    resourceId: resourceIdOf(operation, path, request),
    userNameLc: operation.startsWith('users.') ? userNameOf(request.body, rawQuery)?.toLowerCase() ?? null : null,
    tokenPrefix: request.tokenPrefix,
    requestBody: requestBody.text,
    responseBody: responseBody.text,
    truncated: requestBody.truncated || responseBody.truncated,
  });
}

/**
 * PostgreSQL text cannot hold U+0000, which a hostile request puts in a decoded path id or filter
 * (`/Users/%00`): one such row failed the INSERT of its whole batch, losing the innocent requests
 * logged with it (found by the hostile-input fuzz). The log shows U+FFFD in its place, on both stores.
 */
function storable(row: ScimRequestLogEntry): ScimRequestLogEntry {
  const out: Record<string, unknown> = { ...row };
  for (const [key, value] of Object.entries(out)) if (typeof value === 'string' && value.includes('\u0000')) out[key] = value.replaceAll('\u0000', '\ufffd');
  return out as unknown as ScimRequestLogEntry;
}

/** The user or group the request was about: its path's id, or the id a create answered with. */
function resourceIdOf(operation: string, path: string, request: FinishedScimRequest): string | null {
  if (!operation.startsWith('users.') && !operation.startsWith('groups.')) return null;
  const item = SCIM_PATH.exec(path)?.[2];
  if (item && item !== '.search') return safeDecode(item);
  if (operation.endsWith('.create') && request.status === 201 && request.responseText) {
    const id = RESPONSE_ID.exec(request.responseText)?.[1];
    if (id !== undefined) return JSON.parse(`"${id}"`) as string;
  }
  return null;
}

/** The userName a create or replace carried, or the one an IdP looks up (`filter=userName eq "…"`) before creating. */
function userNameOf(body: unknown, rawQuery: string): string | null {
  if (body !== null && typeof body === 'object') {
    const fields = body as Record<string, unknown>;
    if (typeof fields['userName'] === 'string') return fields['userName'];
    if (typeof fields['filter'] === 'string') return filterUserName(fields['filter']);
  }
  if (rawQuery === '') return null;
  const filter = new URLSearchParams(rawQuery).get('filter');
  return filter ? filterUserName(filter) : null;
}

function filterUserName(filter: string): string | null {
  const quoted = USER_NAME_EQ.exec(filter)?.[1];
  if (quoted === undefined) return null;
  try {
    return JSON.parse(`"${quoted}"`) as string;
  } catch {
    return quoted;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
