/**
 * The SCIM request log over real HTTP on both deployments: what an IdP sent and was answered —
 * a create, a conflict, a bad filter, a wrong token at the workspace's path — shows in
 * `GET …/scim-requests` with its fields and redacted bodies, filters narrow it, a rejected
 * operation's audit entry finds its request, old rows are pruned, and `SCIM_REQUEST_LOG=false`
 * logs nothing.
 */
import { randomUUID } from 'node:crypto';
import { type Deployment, type DeploymentKind, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { waitFor } from '../support/processes';
import { createWorkspace, executeOnReadModel, http, type Json } from '../support/workspace-admin';

const WORKSPACE = 'reqlog';

describe.each<DeploymentKind>(['embedded', 'postgres'])('SCIM request log (%s)', (kind) => {
  let deployment: Deployment;
  let adminKey: string;
  let token: string;
  const ids = { created: `rl-201-${randomUUID()}`, conflict: `rl-409-${randomUUID()}`, badFilter: `rl-400-${randomUUID()}`, unauthorized: `rl-401-${randomUUID()}` };
  const userName = `Pilot-${randomUUID().slice(0, 8)}@Example.com`;
  let userId: string;

  beforeAll(async () => {
    deployment = await startDeployment(kind, { SCIM_REQUEST_LOG_PRUNE_INTERVAL_MS: '1000' });
    adminKey = createWorkspace(deployment, WORKSPACE);
    token = (await admin('POST', '/scim-tokens', {})).json.token as string;
  });
  afterAll(async () => deployment?.stop());

  const admin = (method: string, path: string, body?: unknown) =>
    http(deployment.baseUrl, `/api/v1/workspaces/${WORKSPACE}${path}`, { method, headers: { authorization: `Bearer ${adminKey}` }, ...(body === undefined ? {} : { body }) });
  const scim = (method: string, path: string, requestId: string, body?: unknown, bearer = token) =>
    http(deployment.baseUrl, `/workspaces/${WORKSPACE}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'x-request-id': requestId, 'user-agent': 'Okta SCIM Client 1.0.0', ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
      ...(body === undefined ? {} : { body }),
    });
  const logged = (requestId: string) => waitFor(`request ${requestId} in the log`, async () => {
    const answer = await admin('GET', `/scim-requests/${requestId}`);
    return answer.status === 200 ? (answer.json as Json) : undefined;
  });

  it('logs a create, a conflict, a bad filter and a wrong token with their fields, bodies redacted', async () => {
    const user = { schemas: [USER_SCHEMA_URI], userName, password: 'hunter2-Secret', externalId: `ext-${userName}` };
    const created = await scim('POST', '/Users', ids.created, user);
    expect(created.status).toBe(201);
    userId = created.json.id as string;
    expect((await scim('POST', '/Users', ids.conflict, user)).status).toBe(409);
    expect((await scim('GET', '/Users?filter=userName%20eq', ids.badFilter)).status).toBe(400);
    const wrongToken = `scim_${'Wr0ngT0ken'.repeat(4)}abc`;
    expect((await scim('GET', '/Users', ids.unauthorized, undefined, wrongToken)).status).toBe(401);

    const create = await logged(ids.created);
    expect(create).toMatchObject({
      requestId: ids.created,
      method: 'POST',
      path: `/workspaces/${WORKSPACE}/scim/v2/Users`,
      status: 201,
      errorCode: null,
      operation: 'users.create',
      resourceId: userId,
      tokenPrefix: token.slice(0, 'scim_'.length + 8),
      dialect: 'okta',
      query: null,
      truncated: false,
      requestBody: { ...user, password: '[REDACTED]' },
      responseBody: { id: userId, userName },
    });
    expect(typeof create.latencyMs).toBe('number');
    expect(Number.isNaN(Date.parse(create.at as string))).toBe(false);

    expect(await logged(ids.conflict)).toMatchObject({ status: 409, errorCode: 'SCIM_USER_CONFLICT', operation: 'users.create', resourceId: null, requestBody: { password: '[REDACTED]' } });
    expect(await logged(ids.badFilter)).toMatchObject({ status: 400, errorCode: 'SCIM_INVALID_FILTER', operation: 'users.list', query: 'filter=userName%20eq' });
    const unauthorized = await logged(ids.unauthorized);
    expect(unauthorized).toMatchObject({ status: 401, errorCode: 'SCIM_UNAUTHORIZED', operation: 'users.list', tokenPrefix: wrongToken.slice(0, 'scim_'.length + 8) });
    for (const detail of [create, unauthorized]) {
      expect(JSON.stringify(detail)).not.toContain('hunter2');
      expect(JSON.stringify(detail)).not.toContain(wrongToken);
      expect(JSON.stringify(detail)).not.toContain(token);
    }
  });

  it('filters by status, operation, user and request id, newest first', async () => {
    const requestIds = async (query: string) => ((await admin('GET', `/scim-requests?${query}`)).json.items as Json[]).map((item) => item.requestId as string);
    expect(await requestIds('status=4xx')).toEqual([ids.unauthorized, ids.badFilter, ids.conflict]);
    expect(await requestIds('status=401')).toEqual([ids.unauthorized]);
    expect(await requestIds('status=2xx,409&operation=users.create')).toEqual([ids.conflict, ids.created]);
    expect(await requestIds(`user=${encodeURIComponent(userName.toUpperCase())}`)).toEqual([ids.conflict, ids.created]);
    expect(await requestIds(`user=${userId}`)).toEqual([ids.created]);
    expect(await requestIds(`requestId=${ids.badFilter}`)).toEqual([ids.badFilter]);
    const firstPage = (await admin('GET', '/scim-requests?limit=2')).json;
    expect(firstPage.items).toHaveLength(2);
    const secondPage = (await admin('GET', `/scim-requests?limit=2&cursor=${firstPage.nextCursor as string}`)).json;
    expect(secondPage.items.map((item: Json) => item.requestId)).not.toContain(firstPage.items[0].requestId);
    expect((await admin('GET', '/scim-requests?status=6xx')).status).toBe(400);
    expect((await admin('GET', '/scim-requests?cursor=forged')).json).toMatchObject({ error: 'invalid_request' });
    expect((await admin('GET', '/scim-requests/no-such-request')).json).toMatchObject({ statusCode: 404, error: 'not_found' });
  });

  it("links a rejected operation's audit entry to the request that caused it", async () => {
    const entry = await waitFor('the SCIM_USER_CONFLICT audit entry', async () => ((await admin('GET', '/audit?code=SCIM_USER_CONFLICT')).json.entries as Json[])[0]);
    expect(entry.requestId).toBe(ids.conflict);
    expect((await admin('GET', `/scim-requests/${entry.requestId as string}`)).json).toMatchObject({ status: 409, errorCode: 'SCIM_USER_CONFLICT' });
  });

  it("answers the connection panel's figures", async () => {
    const stats = (await admin('GET', '/scim-requests/stats')).json;
    expect(stats.requestsLast24h).toBeGreaterThanOrEqual(4);
    expect(stats.rejectionsLast24h).toBeGreaterThanOrEqual(3);
    expect(stats.lastDialect).toBe('okta');
    expect(Number.isNaN(Date.parse(stats.lastRequestAt as string))).toBe(false);
  });

  it('documents the routes and their shapes in the OpenAPI document (the console client is generated from it)', async () => {
    const document = (await http(deployment.baseUrl, '/api/docs-json')).json;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/workspaces/{slug}/scim-requests', '/api/v1/workspaces/{slug}/scim-requests/stats', '/api/v1/workspaces/{slug}/scim-requests/{requestId}']),
    );
    const schemas = document.components.schemas;
    expect(Object.keys(schemas.ScimRequestSummary.properties).sort()).toEqual(
      ['at', 'dialect', 'errorCode', 'latencyMs', 'method', 'operation', 'path', 'requestId', 'resourceId', 'status', 'tokenPrefix'].sort(),
    );
    expect(schemas.ScimRequestDetail.allOf ?? schemas.ScimRequestDetail.properties).toBeDefined();
    expect(Object.keys(schemas.ScimRequestPage.properties).sort()).toEqual(['items', 'nextCursor']);
    expect(Object.keys(schemas.ScimRequestStatsView.properties).sort()).toEqual(['lastDialect', 'lastRequestAt', 'rejectionsLast24h', 'requestsLast24h']);
  });

  it('prunes rows past the retention', async () => {
    const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
    await executeOnReadModel(
      deployment,
      `INSERT INTO scim_request_log (id, workspace_id, request_id, at, method, path, status, latency_ms, operation, truncated) VALUES (?, ?, ?, ?, 'GET', '/scim/v2/Users', 200, 1, 'users.list', ?)`,
      [randomUUID(), WORKSPACE, 'rl-old', old, false],
    );
    await waitFor('the old row to be pruned', async () => (await admin('GET', '/scim-requests/rl-old')).status === 404);
    expect((await admin('GET', `/scim-requests/${ids.created}`)).status).toBe(200);
  });
});

describe.each<DeploymentKind>(['embedded', 'postgres'])('SCIM_REQUEST_LOG=false (%s)', (kind) => {
  let deployment: Deployment;
  afterAll(async () => deployment?.stop());

  it('logs nothing', async () => {
    deployment = await startDeployment(kind, { SCIM_REQUEST_LOG: 'false' });
    const adminKey = createWorkspace(deployment, WORKSPACE);
    const admin = (path: string, method = 'GET', body?: unknown) =>
      http(deployment.baseUrl, `/api/v1/workspaces/${WORKSPACE}${path}`, { method, headers: { authorization: `Bearer ${adminKey}` }, ...(body === undefined ? {} : { body }) });
    const token = (await admin('/scim-tokens', 'POST', {})).json.token as string;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' };
    expect((await http(deployment.baseUrl, `/workspaces/${WORKSPACE}/scim/v2/Users`, { method: 'POST', headers, body: { schemas: [USER_SCHEMA_URI], userName: 'off@example.com' } })).status).toBe(201);
    expect((await http(deployment.baseUrl, `/workspaces/${WORKSPACE}/scim/v2/Users?filter=bad`, { headers })).status).toBe(400);
    // The rejection's audit entry travels further (event store, notifier) than a log batch would (250 ms).
    await waitFor('the rejection in the audit log', async () => ((await admin('/audit?code=SCIM_INVALID_FILTER')).json.entries as Json[]).length > 0);
    expect((await admin('/scim-requests')).json).toEqual({ items: [], nextCursor: null });
    expect((await admin('/scim-requests/stats')).json).toEqual({ requestsLast24h: 0, rejectionsLast24h: 0, lastRequestAt: null, lastDialect: null });
  });
});
