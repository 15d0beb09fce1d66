/**
 * Workspaces, SCIM tokens, the admin API and sessions, against both deployments: the embedded
 * default (SQLite, one process) and gateway + projector + notifier on PostgreSQL. Workspaces and
 * their first admin keys come from the operator CLI; everything else goes over HTTP.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EventStore, RecordedEvent } from '@axis/event-store';
import { type Deployment, type DeploymentKind, PATCH_OP_URI, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { waitFor } from '../support/processes';
import { createWorkspace, http, type HttpAnswer, type Json, readModelRows, runCli } from '../support/workspace-admin';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];
const SERVICE_KEY = randomBytes(24).toString('hex');
const BASE_DOMAIN = 'scim.test';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe.each(kinds)('workspaces, tokens and sessions on %s', (kind) => {
  let deployment: Deployment;
  let store: EventStore;
  let acmeKey: string;
  let betaKey: string;

  beforeAll(async () => {
    deployment = await startDeployment(kind, { SCIM_BASE_DOMAIN: BASE_DOMAIN, SESSION_SERVICE_KEY: SERVICE_KEY });
    store = await deployment.openEventStore();
    acmeKey = createWorkspace(deployment, 'acme');
    betaKey = createWorkspace(deployment, 'beta');
  });
  afterAll(async () => {
    await store?.close();
    await deployment?.stop();
  });
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`${deployment.output()}\n`);
  });

  const admin = (key: string, method: string, path: string, body?: unknown) =>
    http(deployment.baseUrl, `/api/v1/workspaces${path}`, { method, headers: { authorization: `Bearer ${key}` }, body });
  const scim = (token: string, path: string, options: { host?: string; method?: string; body?: unknown } = {}) =>
    http(deployment.baseUrl, path, {
      method: options.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(options.body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
      body: options.body,
      ...(options.host ? { host: options.host } : {}),
    });
  const internal = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
    http(deployment.baseUrl, `/internal/v1${path}`, { method, headers: { authorization: `Bearer ${SERVICE_KEY}`, ...options.headers }, body: options.body });
  const newToken = async (key: string, slug: string, description?: string): Promise<{ id: string; token: string; body: Json }> => {
    const created = await admin(key, 'POST', `/${slug}/scim-tokens`, description === undefined ? undefined : { description });
    expect(created.status).toBe(201);
    return { id: created.json.id, token: created.json.token, body: created.json };
  };
  const workspaceEvents = async (slug: string): Promise<RecordedEvent[]> => store.readStream(`workspace-${slug}.settings`);
  const expectScimError = (answer: HttpAnswer, status: number, code: string) => {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toContain('application/scim+json');
    expect(answer.json).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail: expect.stringMatching(new RegExp(`^${code}: `)) });
    expect(answer.headers['axis-error-code']).toBe(code);
    // RFC 6750 §3: a 401 names the scheme the client must use.
    if (status === 401) expect(answer.headers['www-authenticate']).toMatch(/^Bearer realm="AxisSynapse SCIM"/);
  };

  it('shows a new token exactly once, stores only its SHA-256, and it works on the very next request', async () => {
    const created = await newToken(acmeKey, 'acme', 'Entra ID');
    expect(created.token).toMatch(/^scim_[0-9A-Za-z]{43}$/);
    expect(created.body).toMatchObject({
      prefix: created.token.slice(0, 13),
      description: 'Entra ID',
      createdBy: `admin:${acmeKey.slice(0, 12)}`,
      scimEndpointUrl: expect.stringMatching(/^http:\/\/acme\.scim\.test:\d+\/scim\/v2$/),
    });

    // The very next request, in both forms, is served.
    expect((await scim(created.token, '/workspaces/acme/scim/v2/Users')).status).toBe(200);
    const byHost = await scim(created.token, '/scim/v2/Users', { host: `acme.${BASE_DOMAIN}` });
    expect(byHost.status).toBe(200);

    // No API returns it again.
    const listed = await admin(acmeKey, 'GET', '/acme/scim-tokens');
    expect(listed.status).toBe(200);
    const entry = listed.json.items.find((item: { id: string }) => item.id === created.id);
    expect(entry).toMatchObject({ prefix: created.body.prefix, createdBy: `admin:${acmeKey.slice(0, 12)}`, revokedAt: null });
    expect(Object.keys(entry).sort()).toEqual(['createdAt', 'createdBy', 'description', 'id', 'lastUsedAt', 'prefix', 'revokedAt', 'revokedBy']);
    for (const answer of [listed, await admin(acmeKey, 'GET', '/acme'), await http(deployment.baseUrl, '/api/docs-json')]) {
      expect(answer.text).not.toContain(created.token);
    }

    // Stored hashed: the digest is in the read model and the event, the token nowhere.
    const rows = await readModelRows(deployment, 'scim_tokens');
    expect(rows.find((row) => row['id'] === created.id)).toMatchObject({ token_sha256: sha256(created.token), prefix: created.body.prefix });
    const event = (await workspaceEvents('acme')).find((candidate) => candidate.data['tokenId'] === created.id)!;
    expect(event).toMatchObject({ type: 'TENANT_SCIM_TOKEN_CREATED', data: { sha256: sha256(created.token) } });
    for (const table of ['scim_tokens', 'scim_token_usage', 'admin_keys', 'workspaces', 'audit_entries', 'sessions', 'members']) {
      expect(JSON.stringify(await readModelRows(deployment, table))).not.toContain(created.token);
    }
    expect(JSON.stringify(await store.readAll({ maxCount: 100_000 }))).not.toContain(created.token);
    // …nor the admin key that created it.
    expect(JSON.stringify(await store.readAll({ maxCount: 100_000 }))).not.toContain(acmeKey);
  });

  it('keeps several live tokens per workspace and rejects a revoked one on the next request', async () => {
    const first = await newToken(acmeKey, 'acme');
    const second = await newToken(acmeKey, 'acme');
    expect((await scim(first.token, '/workspaces/acme/scim/v2/Users')).status).toBe(200);
    expect((await scim(second.token, '/workspaces/acme/scim/v2/Users')).status).toBe(200);

    const revoked = await admin(acmeKey, 'DELETE', `/acme/scim-tokens/${first.id}`);
    expect(revoked.status).toBe(204);
    expectScimError(await scim(first.token, '/workspaces/acme/scim/v2/Users'), 401, 'SCIM_UNAUTHORIZED');
    expectScimError(await scim(first.token, '/scim/v2/ServiceProviderConfig', { host: `acme.${BASE_DOMAIN}` }), 401, 'SCIM_UNAUTHORIZED');
    expect((await scim(second.token, '/workspaces/acme/scim/v2/Users')).status).toBe(200);

    const listed = (await admin(acmeKey, 'GET', '/acme/scim-tokens')).json.items;
    expect(listed.find((item: { id: string }) => item.id === first.id)).toMatchObject({
      revokedAt: expect.any(String),
      revokedBy: `admin:${acmeKey.slice(0, 12)}`,
      lastUsedAt: expect.any(String),
    });
    expect((await admin(acmeKey, 'DELETE', `/acme/scim-tokens/${first.id}`)).status).toBe(204);
    expect((await admin(acmeKey, 'DELETE', '/acme/scim-tokens/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    // Another workspace's admin cannot see or revoke it.
    expect((await admin(betaKey, 'DELETE', `/beta/scim-tokens/${second.id}`)).status).toBe(404);
    expect((await scim(second.token, '/workspaces/acme/scim/v2/Users')).status).toBe(200);
  });

  it("rejects a workspace's token at another workspace's endpoint, in host, path and plain form", async () => {
    const acme = await newToken(acmeKey, 'acme');
    const beta = await newToken(betaKey, 'beta');
    expectScimError(await scim(acme.token, '/workspaces/beta/scim/v2/Users'), 401, 'SCIM_UNAUTHORIZED');
    expectScimError(await scim(acme.token, '/scim/v2/Users', { host: `beta.${BASE_DOMAIN}` }), 401, 'SCIM_UNAUTHORIZED');
    expectScimError(await scim(acme.token, '/scim/v2/Users'), 401, 'SCIM_UNAUTHORIZED');
    expectScimError(await scim(beta.token, '/workspaces/acme/scim/v2/ServiceProviderConfig'), 401, 'SCIM_UNAUTHORIZED');
    expectScimError(await scim(deployment.token, '/workspaces/acme/scim/v2/Users'), 401, 'SCIM_UNAUTHORIZED');
    expectScimError(await scim(acme.token, '/workspaces/acme/scim/v2/Users', { host: `beta.${BASE_DOMAIN}` }), 401, 'SCIM_UNAUTHORIZED');
    expect((await scim(beta.token, '/scim/v2/Users', { host: `beta.${BASE_DOMAIN}` })).status).toBe(200);

    // Locations answer in the form the request used.
    const byPath = await scim(beta.token, '/workspaces/beta/scim/v2/ResourceTypes/User');
    expect(byPath.json.meta.location).toBe(`${deployment.baseUrl}/workspaces/beta/scim/v2/ResourceTypes/User`);
    const byHost = await scim(beta.token, '/scim/v2/ResourceTypes/User', { host: `beta.${BASE_DOMAIN}` });
    expect(byHost.json.meta.location).toBe(`${deployment.baseUrl.replace('127.0.0.1', `beta.${BASE_DOMAIN}`)}/scim/v2/ResourceTypes/User`);

    // Refusals are recorded for the Security Console: the addressed workspace and the token's owner.
    const rejections = await waitFor('the recorded rejections', async () => {
      const events = await store.readStream('rejection-beta.log');
      return events.some((event) => event.data['reason'] === 'wrong-workspace') ? events : undefined;
    });
    expect(rejections.find((event) => event.data['reason'] === 'wrong-workspace')).toMatchObject({
      type: 'SCIM_UNAUTHORIZED',
      data: { workspaceId: 'beta', tokenPrefix: null },
    });
    const owner = await waitFor('the owner’s rejection', async () =>
      (await store.readStream('rejection-acme.log')).find((event) => event.data['reason'] === 'wrong-workspace'),
    );
    expect(owner.data).toMatchObject({ workspaceId: 'acme', tokenPrefix: expect.stringMatching(/^scim_/) });
    // …and reach the Security Console's audit log through the notifier.
    const audited = await waitFor('the rejection in the audit log', async () =>
      (await readModelRows(deployment, 'audit_entries')).find((row) => row['id'] === owner.eventId),
    );
    expect(audited).toMatchObject({ code: 'SCIM_UNAUTHORIZED', workspace_id: 'acme' });
  });

  it("records the acting admin on every admin action's events", async () => {
    const created = await newToken(acmeKey, 'acme');
    await admin(acmeKey, 'DELETE', `/acme/scim-tokens/${created.id}`);
    const events = (await workspaceEvents('acme')).filter((event) => event.data['tokenId'] === created.id);
    expect(events.map((event) => [event.type, event.metadata['actor']])).toEqual([
      ['TENANT_SCIM_TOKEN_CREATED', `admin:${acmeKey.slice(0, 12)}`],
      ['TENANT_SCIM_TOKEN_REVOKED', `admin:${acmeKey.slice(0, 12)}`],
    ]);
    // The CLI acts as the operator.
    expect((await workspaceEvents('acme')).slice(0, 2).map((event) => [event.type, event.metadata['actor']])).toEqual([
      ['TENANT_WORKSPACE_CREATED', 'operator'],
      ['TENANT_ADMIN_KEY_CREATED', 'operator'],
    ]);
    // The notifier's audit log shows both, with the admin who acted.
    const audit = await waitFor('the audit entries', async () => {
      const rows = (await readModelRows(deployment, 'audit_entries')).filter((row) => row['id'] === events[0]!.eventId || row['id'] === events[1]!.eventId);
      return rows.length === 2 ? rows : undefined;
    });
    expect(audit.map((row) => [row['code'], row['actor'], row['workspace_id']]).sort()).toEqual([
      ['TENANT_SCIM_TOKEN_CREATED', `admin:${acmeKey.slice(0, 12)}`, 'acme'],
      ['TENANT_SCIM_TOKEN_REVOKED', `admin:${acmeKey.slice(0, 12)}`, 'acme'],
    ]);
  });

  it('authenticates the admin API by the workspace’s admin keys and validates requests strictly', async () => {
    expect((await http(deployment.baseUrl, '/api/v1/workspaces/acme/scim-tokens')).status).toBe(401);
    expect((await admin(betaKey, 'GET', '/acme/scim-tokens')).status).toBe(401);
    expect((await admin(`adm_${'x'.repeat(43)}`, 'GET', '/acme/scim-tokens')).status).toBe(401);
    expect((await admin(acmeKey, 'GET', '/nope/scim-tokens')).status).toBe(401);
    const unknownField = await admin(acmeKey, 'POST', '/acme/scim-tokens', { description: 'x', scopes: ['all'] });
    expect(unknownField.status).toBe(400);
    expect(unknownField.json).toMatchObject({ error: 'invalid_request', message: expect.stringContaining('property scopes should not exist') });
    const tooLong = await admin(acmeKey, 'POST', '/acme/scim-tokens', { description: 'x'.repeat(201) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.message).toContain('description');
    expect((await admin(acmeKey, 'GET', '/acme/members?limit=0')).status).toBe(400);
    // SCIM routes keep lenient ingress: unknown attributes are no 400 from the admin API's validation.
    const token = (await newToken(acmeKey, 'acme')).token;
    const user = await scim(token, '/workspaces/acme/scim/v2/Users', {
      method: 'POST',
      body: { schemas: [USER_SCHEMA_URI], userName: `lenient.${randomBytes(3).toString('hex')}@example.com`, active: 'True' },
    });
    expect(user.status).toBe(201);
  });

  it('lists members with paging, search, source and the SCIM badge', async () => {
    const token = (await newToken(betaKey, 'beta')).token;
    const suffix = randomBytes(3).toString('hex');
    const ids: string[] = [];
    for (const [name, display] of [
      ['grace', 'Grace Hopper'],
      ['ada', 'Ada Lovelace'],
      ['alan', 'Alan Turing'],
    ]) {
      const created = await scim(token, '/workspaces/beta/scim/v2/Users', {
        method: 'POST',
        body: {
          schemas: [USER_SCHEMA_URI],
          userName: `${name}.${suffix}@example.com`,
          externalId: `ext-${name}-${suffix}`,
          displayName: display,
          emails: [{ value: `${name}@corp-${suffix}.example`, type: 'work', primary: true }],
        },
      });
      expect(created.status).toBe(201);
      ids.push(created.json.id);
    }
    const all = await admin(betaKey, 'GET', `/beta/members?q=${suffix}`);
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(3);
    expect(all.json.items.map((member: { id: string }) => member.id)).toEqual(ids);
    expect(all.json.items[0]).toMatchObject({
      userName: `grace.${suffix}@example.com`,
      displayName: 'Grace Hopper',
      email: `grace@corp-${suffix}.example`,
      externalId: `ext-grace-${suffix}`,
      active: true,
      source: 'scim',
      scimBadge: true,
      lastScimChangeAt: expect.any(String),
    });
    const page = await admin(betaKey, 'GET', `/beta/members?q=${suffix}&offset=1&limit=1`);
    expect(page.json).toMatchObject({ total: 3, offset: 1, limit: 1, items: [{ id: ids[1] }] });
    expect((await admin(betaKey, 'GET', '/beta/members?q=LOVELACE')).json.items.map((member: { id: string }) => member.id)).toEqual([ids[1]]);
    expect((await admin(betaKey, 'GET', `/beta/members?q=alan@corp-${suffix}`)).json.items.map((member: { id: string }) => member.id)).toEqual([ids[2]]);
    expect((await admin(betaKey, 'GET', '/beta/members?q=%25')).json.total).toBe(0);
    // Another workspace's members are not listed.
    expect((await admin(acmeKey, 'GET', `/acme/members?q=${suffix}`)).json.total).toBe(0);
  });

  it('opens sessions for active members only, introspects them, and revokes them when the IdP deactivates the member', async () => {
    const token = (await newToken(acmeKey, 'acme')).token;
    const created = await scim(token, '/workspaces/acme/scim/v2/Users', {
      method: 'POST',
      body: { schemas: [USER_SCHEMA_URI], userName: `sso.${randomBytes(3).toString('hex')}@example.com`, externalId: 'ext-sso' },
    });
    const memberId = created.json.id as string;
    const first = await internal('POST', '/workspaces/acme/sessions', { body: { memberId } });
    expect(first.status).toBe(201);
    expect(first.json.token).toMatch(/^ses_[0-9A-Za-z]{43}$/);
    const second = await internal('POST', '/workspaces/acme/sessions', { body: { memberId } });
    const introspect = (sessionToken: string) => internal('GET', '/sessions/introspect', { headers: { 'x-session-token': sessionToken } });
    const answer = await introspect(first.json.token);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ active: true, workspaceId: 'acme', member: { id: memberId, externalId: 'ext-sso' } });

    // Stored hashed; refused without the service key, for unknown members, in another workspace.
    const stored = (await readModelRows(deployment, 'sessions')).find((row) => row['id'] === first.json.id)!;
    expect(stored['token_sha256']).toBe(sha256(first.json.token));
    expect(JSON.stringify(await readModelRows(deployment, 'sessions'))).not.toContain(first.json.token);
    expect((await http(deployment.baseUrl, '/internal/v1/sessions/introspect', { headers: { 'x-session-token': first.json.token } })).status).toBe(401);
    expect((await internal('POST', '/workspaces/acme/sessions', { body: { memberId: 'nobody' } })).status).toBe(403);
    expect((await internal('POST', '/workspaces/beta/sessions', { body: { memberId } })).status).toBe(403);
    expect((await internal('POST', '/workspaces/acme/sessions', { body: { memberId, admin: true } })).status).toBe(400);

    // The IdP deactivates the member (Okta's pathless replace).
    const deactivated = await scim(token, `/workspaces/acme/scim/v2/Users/${memberId}`, {
      method: 'PATCH',
      body: { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', value: { active: false } }] },
    });
    expect(deactivated.status).toBe(200);
    await waitFor('the session to be revoked', async () => (await introspect(first.json.token)).status === 401, 10_000, 20);
    expect((await introspect(second.json.token)).status).toBe(401);
    const sessions = await waitFor('the revoker to mark both sessions', async () => {
      const listed = await internal('GET', `/workspaces/acme/members/${memberId}/sessions`);
      return listed.json.items.every((item: { revokedAt: string | null }) => item.revokedAt !== null) ? listed.json.items : undefined;
    });
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatchObject({ revokedReason: 'ACCOUNT_SCIM_USER_DEACTIVATED' });
    expect((await internal('POST', '/workspaces/acme/sessions', { body: { memberId } })).json).toMatchObject({ error: 'member_inactive' });

    // Reactivation does not bring old sessions back.
    await scim(token, `/workspaces/acme/scim/v2/Users/${memberId}`, {
      method: 'PATCH',
      body: { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', value: { active: true } }] },
    });
    const fresh = await waitFor('a new session after reactivation', async () => {
      const opened = await internal('POST', '/workspaces/acme/sessions', { body: { memberId } });
      return opened.status === 201 ? opened : undefined;
    });
    expect((await introspect(fresh.json.token)).status).toBe(200);
    expect((await introspect(first.json.token)).status).toBe(401);
  });

  it('publishes the OpenAPI document of the admin and internal APIs', async () => {
    const document = await http(deployment.baseUrl, '/api/docs-json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.json.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/workspaces/{slug}/scim-tokens',
        '/api/v1/workspaces/{slug}/scim-tokens/{id}',
        '/api/v1/workspaces/{slug}/members',
        '/internal/v1/workspaces/{slug}/sessions',
        '/internal/v1/sessions/introspect',
      ]),
    );
    expect(Object.keys(document.json.paths).some((path: string) => path.startsWith('/scim/'))).toBe(false);
    const page = await http(deployment.baseUrl, '/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('prints the endpoint URL and a working token from the CLI', async () => {
    const printed = runCli(deployment, ['scim-token', 'create', '--workspace', 'beta']);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toMatch(/SCIM endpoint URL: http:\/\/beta\.scim\.test:\d+\/scim\/v2/);
    const quiet = runCli(deployment, ['scim-token', 'create', '--workspace', 'beta', '--quiet']);
    const token = quiet.stdout.trim();
    expect(token).toMatch(/^scim_[0-9A-Za-z]{43}$/);
    expect((await scim(token, '/scim/v2/Users', { host: `beta.${BASE_DOMAIN}` })).status).toBe(200);
    const events = (await workspaceEvents('beta')).filter((event) => event.type === 'TENANT_SCIM_TOKEN_CREATED');
    expect(events[events.length - 1]!.metadata['actor']).toBe('operator');
    expect(runCli(deployment, ['scim-token', 'create', '--workspace', 'nope']).status).toBe(1);
  });
});

describe.each(kinds)('per-workspace rate limit on %s', (kind) => {
  let deployment: Deployment;
  let store: EventStore;

  beforeAll(async () => {
    // No SESSION_SERVICE_KEY here: the session endpoints must not exist.
    deployment = await startDeployment(kind, { SCIM_RATE_LIMIT_PER_SECOND: '2', SCIM_RATE_LIMIT_BURST: '5' });
    store = await deployment.openEventStore();
  });
  afterAll(async () => {
    await store?.close();
    await deployment?.stop();
  });

  it('answers 429 with Retry-After and a SCIM error above the quota, and records it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => http(deployment.baseUrl, '/scim/v2/ServiceProviderConfig', { headers: { authorization: `Bearer ${deployment.token}` } })),
    );
    const admitted = answers.filter((answer) => answer.status === 200).length;
    const limited = answers.filter((answer) => answer.status === 429);
    expect(admitted).toBeGreaterThanOrEqual(5);
    expect(admitted).toBeLessThanOrEqual(7);
    expect(limited.length).toBe(20 - admitted);
    for (const answer of limited) {
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(answer.json).toMatchObject({ status: '429', detail: expect.stringMatching(/^SCIM_RATE_LIMITED: /) });
      expect(answer.headers['axis-error-code']).toBe('SCIM_RATE_LIMITED');
    }
    const recorded = await waitFor('the recorded rate-limit rejection', async () => {
      const events = await store.readStream('rejection-default.log');
      return events.length > 0 ? events : undefined;
    });
    // Throttled: one record for the whole burst.
    expect(recorded.map((event) => event.type)).toEqual(['SCIM_RATE_LIMITED']);
    expect(recorded[0]!.data).toMatchObject({ workspaceId: 'default', limitPerSecond: 2, burst: 5 });

    // The limit refills: after the Retry-After the workspace is served again.
    await new Promise((done) => setTimeout(done, Number(limited[0]!.headers['retry-after']) * 1000));
    expect((await http(deployment.baseUrl, '/scim/v2/Users', { headers: { authorization: `Bearer ${deployment.token}` } })).status).toBe(200);
  });

  it('has no session endpoints without SESSION_SERVICE_KEY', async () => {
    const answer = await http(deployment.baseUrl, '/internal/v1/sessions/introspect', { headers: { authorization: 'Bearer anything' } });
    expect(answer.status).toBe(404);
  });
});
