/**
 * Routes the console uses whose contracts are agreed (issue #21: console sign-in, admin keys,
 * member detail/history/duplicates, connection panel, audit names, SCIM request log) but which the
 * gateway's OpenAPI document does not describe yet, in openapi-typescript's shape. Client.ts lays
 * them over the generated `paths`; each entry goes away when `npm run -s generate:api` brings the
 * real one (the generated definition then wins the type check).
 */
import type { components } from './schema';

type Headers = { [name: string]: unknown };
type Json<T> = { headers: Headers; content: { 'application/json': T } };
type Empty = { headers: Headers; content?: never };
type ErrorBody = { headers: Headers; content: { 'application/json': { error: string; message: string } } };

type Operation<PathParams, Query, Body, Responses> = {
  parameters: { query?: Query; header?: never; cookie?: never } & ([PathParams] extends [never] ? { path?: never } : { path: PathParams });
  responses: Responses;
} & ([Body] extends [never] ? { requestBody?: never } : { requestBody: { content: { 'application/json': Body } } });

type PathItem<Methods> = Omit<AllMethodsAbsent, keyof Methods> & Methods;
type AllMethodsAbsent = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get?: never;
  put?: never;
  post?: never;
  delete?: never;
  options?: never;
  head?: never;
  patch?: never;
  trace?: never;
};

type Slug = { slug: string };

export interface ConsoleSessionView {
  workspace: string;
  admin: { keyId: string; keyPrefix: string; name: string };
  csrfToken: string;
  expiresAt: string;
}

export interface AdminKeyView {
  id: string;
  prefix: string;
  description: string | null;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  state: 'active' | 'revoked';
}

export type MemberView = components['schemas']['MemberView'] & {
  groups: { id: string; displayName: string }[];
  roles: string[];
  possibleDuplicateOf: string | null;
};

export interface MemberPage {
  items: MemberView[];
  total: number;
  offset: number;
  limit: number;
}

export type MemberDetailView = MemberView & {
  resource: { [attribute: string]: unknown };
  sessions: { id: string; prefix: string; createdAt: string }[];
};

export interface MemberHistoryItem {
  eventId: string;
  type: string;
  occurredAt: string;
  actor: string;
  actorName: string | null;
  dialect: string | null;
  requestId: string | null;
  summary: string;
  changes: { [key: string]: unknown } | null;
}

export interface ScimConnectionView {
  scimBaseUrl: string;
  lastRequestAt: string | null;
  lastDialect: string | null;
  requestsLast24h: number | null;
  rejectionsLast24h: number;
  usersProvisioned: number;
  groupsProvisioned: number;
  activeTokens: number;
  checklist: { step: 'token' | 'testConnection' | 'pilotUsers' | 'scopeOpened'; done: boolean; detail: string }[];
}

export interface AuditEntryView {
  id: string;
  workspaceId: string;
  code: string;
  occurredAt: string;
  actor: string;
  actorName: string | null;
  target: { id: string | null; externalId: string | null; userName: string | null };
  dialect: string;
  requestId: string | null;
  details: { [key: string]: unknown };
}

export interface ScimRequestSummary {
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

export type ScimRequestDetail = ScimRequestSummary & { query: string | null; requestBody: unknown; responseBody: unknown; truncated: boolean };

export interface WebhookView {
  id: string;
  workspaceId: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  description: string | null;
  consecutiveFailures: number;
  createdAt: string;
  updatedAt: string;
}

export interface CreatedWebhook {
  id: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  description: string | null;
  secret: string;
}

export interface WebhookDeliveryView {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: { attempt: number; attemptedAt: string; statusCode: number | null; error: string | null; durationMs: number }[];
}

interface AuditQuery {
  from?: string;
  to?: string;
  code?: string;
  target?: string;
  member?: string;
  actor?: string;
  outcome?: 'success' | 'rejected';
  limit?: number;
  cursor?: string;
}

export interface PendingPaths {
  '/api/v1/console/sessions': PathItem<{
    post: Operation<never, never, { workspace: string; adminKey: string }, { 201: Json<ConsoleSessionView>; 401: ErrorBody }>;
  }>;
  '/api/v1/console/session': PathItem<{
    get: Operation<never, never, never, { 200: Json<ConsoleSessionView>; 401: ErrorBody }>;
    delete: Operation<never, never, never, { 204: Empty; 401: ErrorBody }>;
  }>;
  '/api/v1/workspaces/{slug}/admin-keys': PathItem<{
    get: Operation<Slug, never, never, { 200: Json<{ items: AdminKeyView[] }> }>;
    post: Operation<Slug, never, { description: string }, { 201: Json<{ key: string; adminKey: AdminKeyView }> }>;
  }>;
  '/api/v1/workspaces/{slug}/admin-keys/{id}': PathItem<{
    delete: Operation<Slug & { id: string }, never, never, { 204: Empty; 404: ErrorBody; 409: ErrorBody }>;
  }>;
  '/api/v1/workspaces/{slug}/members': PathItem<{
    get: Operation<
      Slug,
      {
        q?: string;
        offset?: number;
        limit?: number;
        source?: 'scim' | 'local';
        state?: 'active' | 'deactivated';
        sort?: 'createdAt' | 'userName' | 'displayName' | 'email';
        order?: 'asc' | 'desc';
      },
      never,
      { 200: Json<MemberPage> }
    >;
    post: Operation<Slug, never, components['schemas']['CreateLocalMemberDto'], { 201: Json<components['schemas']['LocalMemberView']> }>;
  }>;
  '/api/v1/workspaces/{slug}/members/{memberId}': PathItem<{
    get: Operation<Slug & { memberId: string }, never, never, { 200: Json<MemberDetailView>; 404: ErrorBody }>;
  }>;
  '/api/v1/workspaces/{slug}/members/{memberId}/history': PathItem<{
    get: Operation<Slug & { memberId: string }, { limit?: number; before?: string }, never, { 200: Json<{ items: MemberHistoryItem[]; nextCursor: string | null }> }>;
  }>;
  '/api/v1/workspaces/{slug}/members/duplicates': PathItem<{
    get: Operation<Slug, never, never, { 200: Json<{ items: { email: string; local: MemberView; scim: MemberView }[] }> }>;
  }>;
  '/api/v1/workspaces/{slug}/scim-connection': PathItem<{
    get: Operation<Slug, never, never, { 200: Json<ScimConnectionView> }>;
  }>;
  '/api/v1/workspaces/{slug}/audit': PathItem<{
    get: Operation<Slug, AuditQuery, never, { 200: Json<{ entries: AuditEntryView[]; nextCursor: string | null }> }>;
  }>;
  '/api/v1/workspaces/{slug}/audit/export': PathItem<{
    get: Operation<Slug, Omit<AuditQuery, 'cursor' | 'limit'> & { format?: 'csv' | 'ndjson' | 'json' }, never, { 200: Json<unknown> }>;
  }>;
  '/api/v1/workspaces/{slug}/scim-requests': PathItem<{
    get: Operation<
      Slug,
      { status?: string; user?: string; operation?: string; from?: string; to?: string; requestId?: string; limit?: number; cursor?: string },
      never,
      { 200: Json<{ items: ScimRequestSummary[]; nextCursor: string | null }> }
    >;
  }>;
  '/api/v1/workspaces/{slug}/scim-requests/{requestId}': PathItem<{
    get: Operation<Slug & { requestId: string }, never, never, { 200: Json<ScimRequestDetail>; 404: ErrorBody }>;
  }>;
  '/api/v1/workspaces/{slug}/webhooks': PathItem<{
    get: Operation<Slug, never, never, { 200: Json<WebhookView[]> }>;
    post: Operation<Slug, never, { url: string; eventTypes: string[]; description?: string | null }, { 201: Json<CreatedWebhook> }>;
  }>;
  '/api/v1/workspaces/{slug}/webhooks/{id}': PathItem<{
    patch: Operation<Slug & { id: string }, never, { enabled?: boolean; description?: string | null }, { 200: Json<{ id: string; updated: true }> }>;
    delete: Operation<Slug & { id: string }, never, never, { 204: Empty }>;
  }>;
  '/api/v1/workspaces/{slug}/webhooks/{id}/deliveries': PathItem<{
    get: Operation<Slug & { id: string }, { status?: string; limit?: number }, never, { 200: Json<WebhookDeliveryView[]> }>;
  }>;
  '/api/v1/workspaces/{slug}/webhooks/{id}/deliveries/{deliveryId}/redeliver': PathItem<{
    post: Operation<Slug & { id: string; deliveryId: string }, never, never, { 202: Json<{ deliveryId: string; accepted: true }> }>;
  }>;
}
