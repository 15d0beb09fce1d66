/**
 * The admin API the console reads (issue 21) over real HTTP on both deployments: the member list
 * (sort, filters, groups, roles, duplicate flag), a member's page and history from the event store,
 * duplicates and the merge they lead to, the SCIM connection panel with its pilot checklist, and the
 * Security Console's actor names, outcome filter and CSV/JSON exports.
 */
import { type Deployment, type DeploymentKind, PATCH_OP_URI, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { waitFor } from '../support/processes';
import { createWorkspace, http, type Json, runCli } from '../support/workspace-admin';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];
const SERVICE_KEY = 'console-api-session-service-key-0123456789';
const GROUP_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:Group';

describe.each(kinds)('admin console API on %s', (kind) => {
  let deployment: Deployment;
  let adminKey: string;
  let scimToken: string;
  let tokenPrefix: string;
  const ids: Record<'alice' | 'bob' | 'carol' | 'dave' | 'group', string> = { alice: '', bob: '', carol: '', dave: '', group: '' };

  const admin = (method: string, path: string, body?: unknown) =>
    http(deployment.baseUrl, `/api/v1/workspaces/console${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}` },
      ...(body === undefined ? {} : { body }),
    });
  const scim = (method: string, path: string, body?: unknown, token = scimToken) =>
    http(deployment.baseUrl, `/workspaces/console/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', 'user-agent': 'Okta SCIM Client 1.0.0' },
      ...(body === undefined ? {} : { body }),
    });
  const scimUser = (userName: string, emails: string[]) => ({
    schemas: [USER_SCHEMA_URI],
    userName,
    externalId: `ext-${userName}`,
    displayName: userName.split('@')[0],
    emails: emails.map((value, index) => ({ value, type: index === 0 ? 'work' : 'other', primary: index === 0 })),
  });

  beforeAll(async () => {
    deployment = await startDeployment(kind, { SESSION_SERVICE_KEY: SERVICE_KEY });
    createWorkspace(deployment, 'console');
    const key = runCli(deployment, ['admin-key', 'create', '--workspace', 'console', '--description', 'Jane Admin', '--quiet']);
    if (key.status !== 0) throw new Error(`admin-key create failed: ${key.stderr}`);
    adminKey = key.stdout.trim();
  });
  afterAll(async () => deployment?.stop());

  it('shows an untouched connection panel with nothing ticked', async () => {
    const panel = await admin('GET', '/scim-connection');
    expect(panel.status).toBe(200);
    expect(panel.json).toMatchObject({
      scimBaseUrl: expect.stringContaining('/scim/v2'),
      lastRequestAt: null,
      requestsLast24h: 0,
      usersProvisioned: 0,
      groupsProvisioned: 0,
      activeTokens: 0,
    });
    expect(panel.json.checklist.map((step: Json) => [step.step, step.done])).toEqual([
      ['token', false],
      ['testConnection', false],
      ['pilotUsers', false],
      ['scopeOpened', false],
    ]);
  });

  it('provisions a pilot over SCIM and lists it sorted, filtered, with groups, roles and the duplicate flag', async () => {
    const created = await admin('POST', '/scim-tokens', { description: 'Okta pilot' });
    scimToken = created.json.token as string;
    tokenPrefix = created.json.prefix as string;
    ids.dave = (await admin('POST', '/members', { userName: 'dave.local', email: 'Dave@Example.com', displayName: 'dave' })).json.id as string;
    ids.alice = (await scim('POST', '/Users', scimUser('alice@example.com', ['alice@example.com']))).json.id as string;
    // bob's second email is the local account's: a duplicate to merge.
    ids.bob = (await scim('POST', '/Users', scimUser('bob@example.com', ['bob@example.com', 'dave@example.com']))).json.id as string;
    // Okta sends a password even with password sync off; it is never stored, so never shown.
    ids.carol = (await scim('POST', '/Users', { ...scimUser('carol@example.com', ['carol@example.com']), password: 'Pilot-s3cret!' })).json.id as string;
    expect(Object.values(ids).slice(0, 4).every(Boolean)).toBe(true);
    const group = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: 'Engineering', members: [{ value: ids.alice }] });
    expect(group.status).toBe(201);
    ids.group = group.json.id as string;
    expect((await admin('PUT', `/role-mappings/${ids.group}`, { roles: ['developer'] })).status).toBe(200);
    const deactivated = await scim('PATCH', `/Users/${ids.bob}`, { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(deactivated.status).toBe(200);

    const all = await admin('GET', '/members');
    expect(all.json.total).toBe(4);
    expect(all.json.items.map((member: Json) => member.id)).toEqual([ids.dave, ids.alice, ids.bob, ids.carol]);
    const byUserNameDesc = await admin('GET', '/members?sort=userName&order=desc&limit=2');
    expect(byUserNameDesc.json.items.map((member: Json) => member.userName)).toEqual(['dave.local', 'carol@example.com']);
    expect(byUserNameDesc.json.total).toBe(4);
    expect((await admin('GET', '/members?source=local')).json.items.map((member: Json) => member.id)).toEqual([ids.dave]);
    expect((await admin('GET', '/members?state=deactivated')).json.items.map((member: Json) => member.id)).toEqual([ids.bob]);
    expect((await admin('GET', '/members?sort=name')).status).toBe(400);
    // The email order follows an IdP's change of the primary email.
    const renamed = await scim('PATCH', `/Users/${ids.carol}`, {
      schemas: [PATCH_OP_URI],
      Operations: [{ op: 'replace', path: 'emails', value: [{ value: 'Aaron.Carol@example.com', type: 'work', primary: true }] }],
    });
    expect(renamed.status).toBe(200);
    const byEmail = (await admin('GET', '/members?sort=email&order=asc&source=scim')).json.items as Json[];
    expect(byEmail.map((member) => [member.id, member.email])).toEqual([
      [ids.carol, 'Aaron.Carol@example.com'],
      [ids.alice, 'alice@example.com'],
      [ids.bob, 'bob@example.com'],
    ]);

    const alice = await waitFor('alice with her role', async () => {
      const item = (await admin('GET', '/members?q=alice')).json.items[0] as Json;
      return item?.roles?.length ? item : undefined;
    });
    expect(alice).toMatchObject({ scimBadge: true, source: 'scim', active: true, groups: [{ id: ids.group, displayName: 'Engineering' }], roles: ['developer'], possibleDuplicateOf: null });
    const bob = all.json.items.find((member: Json) => member.id === ids.bob);
    expect(bob).toMatchObject({ active: false, possibleDuplicateOf: ids.dave });
    expect(all.json.items.find((member: Json) => member.id === ids.dave)).toMatchObject({ source: 'local', scimBadge: false, possibleDuplicateOf: ids.bob });
  });

  it("shows a member's page with its stored resource and live sessions only", async () => {
    const session = await http(deployment.baseUrl, '/internal/v1/workspaces/console/sessions', {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_KEY}` },
      body: { memberId: ids.alice },
    });
    expect(session.status).toBe(201);
    const detail = await admin('GET', `/members/${ids.alice}`);
    expect(detail.status).toBe(200);
    expect(detail.json).toMatchObject({ id: ids.alice, userName: 'alice@example.com', roles: ['developer'], groups: [{ displayName: 'Engineering' }] });
    expect(detail.json.resource).toMatchObject({ externalId: 'ext-alice@example.com', emails: [{ value: 'alice@example.com' }] });
    expect(detail.json.sessions).toEqual([{ id: session.json.id, prefix: expect.stringMatching(/^ses_/), createdAt: expect.any(String) }]);
    // bob's sessions end with his deactivation; none is live.
    expect((await admin('GET', `/members/${ids.bob}`)).json.sessions).toEqual([]);
    const carol = await admin('GET', `/members/${ids.carol}`);
    expect(carol.json.resource.emails).toEqual([expect.objectContaining({ value: 'Aaron.Carol@example.com' })]);
    expect(carol.text).not.toContain('Pilot-s3cret!');
    expect((await admin('GET', `/members/${ids.carol}/history`)).text).not.toContain('Pilot-s3cret!');
    const missing = await admin('GET', '/members/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe('not_found');
  });

  it("reads a member's history from the event store, newest first, with who caused each event", async () => {
    const history = await admin('GET', `/members/${ids.bob}/history`);
    expect(history.status).toBe(200);
    expect(history.json.items.map((item: Json) => item.type)).toEqual(['ACCOUNT_SCIM_USER_DEACTIVATED', 'ACCOUNT_SCIM_USER_CREATED']);
    expect(history.json.items[0]).toMatchObject({
      actor: `token:${tokenPrefix}`,
      actorName: 'Okta pilot',
      dialect: 'okta',
      summary: 'Deactivated by the IdP (Okta)',
      requestId: expect.any(String),
    });
    expect(history.json.items[1].changes).toMatchObject({ userName: 'bob@example.com' });
    expect(history.json.nextCursor).toBeNull();

    const first = await admin('GET', `/members/${ids.bob}/history?limit=1`);
    expect(first.json.items.map((item: Json) => item.type)).toEqual(['ACCOUNT_SCIM_USER_DEACTIVATED']);
    const older = await admin('GET', `/members/${ids.bob}/history?limit=1&before=${first.json.nextCursor as string}`);
    expect(older.json).toMatchObject({ items: [{ type: 'ACCOUNT_SCIM_USER_CREATED' }], nextCursor: null });

    const dave = await admin('GET', `/members/${ids.dave}/history`);
    expect(dave.json.items).toEqual([expect.objectContaining({ type: 'ACCOUNT_LOCAL_MEMBER_CREATED', actorName: 'Jane Admin', dialect: 'admin', summary: 'Local account created by admin Jane Admin' })]);
    expect((await admin('GET', '/members/00000000-0000-4000-8000-000000000000/history')).status).toBe(404);
  });

  it('pairs the duplicate and approves its merge on the local account', async () => {
    const duplicates = await admin('GET', '/members/duplicates');
    expect(duplicates.status).toBe(200);
    expect(duplicates.json.items).toEqual([
      { email: 'dave@example.com', local: expect.objectContaining({ id: ids.dave, source: 'local' }), scim: expect.objectContaining({ id: ids.bob, source: 'scim' }) },
    ]);
    expect((await admin('POST', `/members/${duplicates.json.items[0].local.id as string}/merge`)).status).toBe(204);
    const history = await admin('GET', `/members/${ids.dave}/history`);
    expect(history.json.items[0]).toMatchObject({ type: 'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED', actorName: 'Jane Admin' });
  });

  it('ticks the checklist from real data and counts rejections', async () => {
    expect((await scim('GET', '/Users', undefined, 'scim_not-a-real-token-0000000000000000')).status).toBe(401);
    const panel = await waitFor('the rejection in the connection panel', async () => {
      const answer = (await admin('GET', '/scim-connection')).json as Json;
      // The request log is written in batches: wait until it has the SCIM requests of this suite.
      return answer.rejectionsLast24h >= 1 && answer.lastRequestAt && answer.requestsLast24h >= 4 ? answer : undefined;
    });
    expect(panel).toMatchObject({ usersProvisioned: 3, groupsProvisioned: 1, activeTokens: 1, lastDialect: 'okta' });
    expect(panel.checklist.map((step: Json) => [step.step, step.done])).toEqual([
      ['token', true],
      ['testConnection', true],
      ['pilotUsers', true],
      // Three users in one group: still the pilot.
      ['scopeOpened', false],
    ]);
  });

  it("names the actors in the Security Console, filters by outcome and member, and exports CSV and JSON", async () => {
    const entries = await waitFor('the token creation and the merge approval in the audit log', async () => {
      const page = (await admin('GET', '/audit?limit=1000')).json as Json;
      const codes = page.entries.map((entry: Json) => entry.code);
      return codes.includes('TENANT_SCIM_TOKEN_CREATED') && codes.includes('ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED') && codes.includes('SCIM_UNAUTHORIZED') ? page.entries : undefined;
    });
    expect(entries.find((entry: Json) => entry.code === 'TENANT_SCIM_TOKEN_CREATED')).toMatchObject({ actorName: 'Jane Admin' });
    expect(entries.find((entry: Json) => entry.code === 'ACCOUNT_SCIM_USER_DEACTIVATED')).toMatchObject({ actor: `token:${tokenPrefix}`, actorName: 'Okta pilot' });

    const rejected = (await admin('GET', '/audit?outcome=rejected')).json.entries as Json[];
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((entry) => entry.code.startsWith('SCIM_'))).toBe(true);
    const succeeded = (await admin('GET', '/audit?outcome=success')).json.entries as Json[];
    expect(succeeded.length + rejected.length).toBe(entries.length);
    expect(succeeded.some((entry) => entry.code.startsWith('SCIM_'))).toBe(false);
    expect((await admin('GET', '/audit?outcome=maybe')).status).toBe(400);
    const bobs = (await admin('GET', `/audit?target=${ids.bob}`)).json.entries as Json[];
    expect(bobs.map((entry) => entry.code)).toEqual(['ACCOUNT_SCIM_USER_DEACTIVATED', 'ACCOUNT_SCIM_USER_CREATED']);

    const csv = await admin('GET', '/audit/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('id,occurredAt,code,actor,actorName,targetId,targetExternalId,targetUserName,dialect,requestId,details');
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(entries.length);
    expect(lines.find((line) => line.includes('TENANT_SCIM_TOKEN_CREATED'))).toContain(',Jane Admin,');
    const json = await admin('GET', '/audit/export?format=json&outcome=rejected');
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect((json.json as Json[]).map((entry) => entry.id)).toEqual(rejected.map((entry) => entry.id));
    const ndjson = await admin('GET', '/audit/export');
    expect(ndjson.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(ndjson.text.trim().split('\n')).toHaveLength(entries.length);
  });
});
