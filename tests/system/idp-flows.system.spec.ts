/**
 * Executable specs of what identity providers send, request by request, written from their public
 * documentation (see /work/shared/research/scim-idp-notes.md §2): Entra ID in its default and its
 * `aadOptscim062020` behaviour, Okta, OneLogin, JumpCloud and Ping (their shapes are the fixtures in
 * libs/scim's idp-requests.ts, which say which are confirmed). Each asserts on responses, stored
 * events (and their dialect), the read model (GET) and what the notifier will publish (CloudEvent types).
 */
import { cloudEventTypeOf } from '@axis/domain';
import type { EventStore, RecordedEvent } from '@axis/event-store';
import * as idp from '@axis/scim/testing';
import { type Deployment, type DeploymentKind, scimClient, startDeployment, USER_SCHEMA_URI } from '../support/deployments';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SESSION_SERVICE_KEY = 'svc_idp_flows_session_service_key_0123456789';
const kinds: DeploymentKind[] = ['embedded', 'postgres'];

describe.each(kinds)('IdP flows on %s', (kind) => {
  let deployment: Deployment;
  let store: EventStore;

  beforeAll(async () => {
    deployment = await startDeployment(kind, { SESSION_SERVICE_KEY });
    store = await deployment.openEventStore();
  });
  afterAll(async () => {
    await store?.close();
    await deployment?.stop();
  });

  const internal = (method: string, path: string, body: unknown) =>
    fetch(`${deployment.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${SESSION_SERVICE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const introspect = (token: string) =>
    fetch(`${deployment.baseUrl}/internal/v1/sessions/introspect`, {
      headers: { authorization: `Bearer ${SESSION_SERVICE_KEY}`, 'x-session-token': token },
    });
  const eventsOf = (id: string) => store.readStream(`user-default.${id}`);
  const summary = (events: RecordedEvent[]) =>
    events.map((event) => ({ type: event.type, dialect: event.metadata['dialect'], ce: cloudEventTypeOf(event.type) }));

  it('Entra ID, default mode: test connection, initial sync, update, manager, deactivate, reactivate, delete', async () => {
    const entra = client(deployment, 'Microsoft Azure AD SCIM provisioning', '');
    const probe = await entra.get(`/Users?filter=${encodeURIComponent('userName eq "6fd2b8a2-33d5-4d1e-9b2c-c8b0f7c1a9e3"')}`);
    expect(probe.status).toBe(200);
    expect(probe.body).toMatchObject({ totalResults: 0, Resources: [] });

    const matched = await entra.get(`/Users?filter=${encodeURIComponent('userName eq "Test_User_ab6490ee@contoso.com"')}`);
    expect(matched.body?.['totalResults']).toBe(0);
    const created = await entra.post('/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee@contoso.com',
      active: 'True',
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b@contoso.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
      title: null,
      [ENTERPRISE]: { employeeNumber: '1001', department: 'Research' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ active: true, externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', [ENTERPRISE]: { department: 'Research' } });
    const id = created.body!['id'] as string;
    const manager = await entra.post('/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'Boss@contoso.com',
      externalId: 'boss-object-id',
    });

    const updated = await entra.patch(`/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '2002' },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: manager.body!['id'] },
      ],
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      emails: [{ type: 'work', value: 'updatedEmail@microsoft.com' }],
      name: { familyName: 'updatedFamilyName' },
      [ENTERPRISE]: { employeeNumber: '2002', manager: { value: manager.body!['id'] } },
    });

    // The user signs in (SSO hands out a session) before Entra disables them upstream.
    const session = await internal('POST', '/internal/v1/workspaces/default/sessions', { memberId: id });
    expect(session.status).toBe(201);
    const sessionToken = ((await session.json()) as { token: string }).token;
    expect((await introspect(sessionToken)).status).toBe(200);

    expect((await entra.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }))).body).toMatchObject({ active: false });
    // "loses access the moment they're disabled upstream": the session is revoked.
    await waitForStatus(() => introspect(sessionToken), 401);
    // Entra relies on deactivated users still being found.
    expect((await entra.get(`/Users?filter=${encodeURIComponent('userName eq "Test_User_ab6490ee@contoso.com"')}`)).body).toMatchObject({
      totalResults: 1,
      Resources: [{ id, active: false }],
    });
    expect((await entra.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }))).body).toMatchObject({ active: true });
    expect((await entra.delete(`/Users/${id}`)).status).toBe(204);
    expect((await entra.get(`/Users/${id}`)).status).toBe(404);

    const events = await eventsOf(id);
    expect(summary(events)).toEqual([
      { type: 'ACCOUNT_SCIM_USER_CREATED', dialect: 'entra-legacy', ce: 'platform.scim.user.created' },
      { type: 'ACCOUNT_SCIM_USER_UPDATED', dialect: 'entra-legacy', ce: 'platform.scim.user.updated' },
      { type: 'ACCOUNT_SCIM_USER_DEACTIVATED', dialect: 'entra-legacy', ce: 'platform.scim.user.deactivated' },
      { type: 'ACCOUNT_SCIM_USER_REACTIVATED', dialect: 'entra-legacy', ce: 'platform.scim.user.reactivated' },
      { type: 'ACCOUNT_SCIM_USER_DELETED', dialect: 'entra-legacy', ce: 'platform.scim.user.deleted' },
    ]);
    expect(events[1]!.data['changedAttributes']).toEqual(['emails', 'name', ENTERPRISE]);
  });

  it('Entra ID with aadOptscim062020: lowercase ops, pathless replace with dotted and URN keys, boolean active', async () => {
    const entra = client(deployment, 'Microsoft Azure AD SCIM provisioning', '?aadOptscim062020');
    const created = await entra.post('/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      externalId: 'babs-object-id',
      userName: 'Babs@contoso.com',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'babs@contoso.com' }],
      name: { familyName: 'Jensen', givenName: 'Barbara' },
    });
    const id = created.body!['id'] as string;
    const updated = await entra.patch(
      `/Users/${id}`,
      patchOp(
        { op: 'add', path: 'nickName', value: 'Babs' },
        { op: 'replace', value: { displayName: 'Babs Jensen', 'name.givenName': 'Babs', [`${ENTERPRISE}:employeeNumber`]: '42' } },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'babs.jensen@contoso.com' },
      ),
    );
    expect(updated.body).toMatchObject({
      nickName: 'Babs',
      displayName: 'Babs Jensen',
      name: { givenName: 'Babs', familyName: 'Jensen' },
      emails: [{ value: 'babs.jensen@contoso.com' }],
      [ENTERPRISE]: { employeeNumber: '42' },
    });
    expect((await entra.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: false }))).body).toMatchObject({ active: false });
    expect(summary(await eventsOf(id)).map((event) => [event.type, event.dialect])).toEqual([
      ['ACCOUNT_SCIM_USER_CREATED', 'entra-2020'],
      ['ACCOUNT_SCIM_USER_UPDATED', 'entra-2020'],
      ['ACCOUNT_SCIM_USER_DEACTIVATED', 'entra-2020'],
    ]);
  });

  it('Okta: existence check, create with password, PUT update, pathless deactivate and reactivate', async () => {
    const okta = client(deployment, 'Okta SCIM Client 1.0.0', '');
    const check = await okta.get(`/Users?filter=${encodeURIComponent('userName eq "test.user@okta.local"')}&startIndex=1&count=100`);
    expect(check.body).toMatchObject({ totalResults: 0, startIndex: 1 });
    const created = await okta.post('/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('password');
    const id = created.body!['id'] as string;
    expect((await okta.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'TEST.USER@okta.local' })).status).toBe(409);

    const current = await okta.get(`/Users/${id}`);
    expect(current.body).not.toHaveProperty('password');
    const put = await okta.put(`/Users/${id}`, { ...current.body, name: { givenName: 'Another', familyName: 'User' }, groups: [] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id, name: { givenName: 'Another' }, externalId: '00ujl29u0le5T6Aj10h7' });

    expect((await okta.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }))).body).toMatchObject({ active: false });
    expect((await okta.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: true } }))).body).toMatchObject({ active: true });
    const events = await eventsOf(id);
    expect(summary(events).map((event) => [event.type, event.dialect])).toEqual([
      ['ACCOUNT_SCIM_USER_CREATED', 'okta'],
      ['ACCOUNT_SCIM_USER_UPDATED', 'okta'],
      ['ACCOUNT_SCIM_USER_DEACTIVATED', 'okta'],
      ['ACCOUNT_SCIM_USER_REACTIVATED', 'okta'],
    ]);
    expect(events[1]!.data['changedAttributes']).toEqual(['name']);
    expect(JSON.stringify(events)).not.toContain('1mz050nq');
  });

  it("OneLogin: connection test, form-encoded lookup, create and PUT from the connector's template (its own schema URNs), suspend, delete", async () => {
    // The one OneLogin trace found (goauthentik/authentik#11249) carries no User-Agent.
    const onelogin = client(deployment, '', '');
    const connectionTest = await onelogin.get('/Users?filter=userName+eq+%22onelogin-nonexistent-7c1e%22&');
    expect(connectionTest.status).toBe(200);
    expect(connectionTest.body).toMatchObject({ totalResults: 0, Resources: [] });
    expect((await onelogin.get(`/Users?${idp.ONELOGIN_USERNAME_QUERY}`)).body).toMatchObject({ totalResults: 0 });

    const created = await onelogin.post('/Users', idp.ONELOGIN_CONNECTOR_USER);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ schemas: [USER_SCHEMA_URI, ENTERPRISE], userName: 'onelogin-test-user01', [ENTERPRISE]: { department: 'R&D' }, active: true });
    const id = created.body!['id'] as string;
    expect((await onelogin.get(`/Users?${idp.ONELOGIN_USERNAME_QUERY}`)).body).toMatchObject({ totalResults: 1, Resources: [{ id }] });

    const renamed = idp.oneLoginUserUpdate({ name: { familyName: 'User 01', givenName: 'AAA Test' } });
    const updated = await onelogin.put(`/Users/${id}`, renamed);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: { familyName: 'User 01' }, [ENTERPRISE]: { department: 'R&D' } });
    // OneLogin re-sends the whole template: a PUT that changes nothing records nothing.
    expect((await onelogin.put(`/Users/${id}`, renamed)).status).toBe(200);
    expect((await onelogin.put(`/Users/${id}`, { ...renamed, active: false })).body).toMatchObject({ active: false });
    expect((await onelogin.delete(`/Users/${id}`)).status).toBe(204);

    const events = await eventsOf(id);
    expect(summary(events).map((event) => [event.type, event.dialect])).toEqual([
      ['ACCOUNT_SCIM_USER_CREATED', 'onelogin'],
      ['ACCOUNT_SCIM_USER_UPDATED', 'onelogin'],
      ['ACCOUNT_SCIM_USER_DEACTIVATED', 'onelogin'],
      // A DELETE has no body to recognise OneLogin by.
      ['ACCOUNT_SCIM_USER_DELETED', 'rfc'],
    ]);
    expect(events[1]!.data['changedAttributes']).toEqual(['name']);
  });

  it('JumpCloud: Test Connection creates and deletes a test user and group (twice), then lookup, create, update, deactivate', async () => {
    // JumpCloud's User-Agent is not documented: its requests show as generic (rfc).
    const jumpcloud = client(deployment, '', '');
    for (let run = 0; run < 2; run++) {
      const testUser = await jumpcloud.post('/Users', idp.JUMPCLOUD_TEST_USER);
      expect(testUser.status).toBe(201);
      const testGroup = await jumpcloud.post('/Groups', idp.JUMPCLOUD_TEST_GROUP);
      expect(testGroup.status).toBe(201);
      expect((await jumpcloud.delete(`/Groups/${testGroup.body!['id'] as string}`)).status).toBe(204);
      expect((await jumpcloud.delete(`/Users/${testUser.body!['id'] as string}`)).status).toBe(204);
    }

    const lookup = `/Users?filter=${encodeURIComponent('userName eq "dana.jc@example.com"')}`;
    expect((await jumpcloud.get(lookup)).body).toMatchObject({ totalResults: 0 });
    const created = await jumpcloud.post('/Users', {
      ...idp.JUMPCLOUD_TEST_USER,
      userName: 'dana.jc@example.com',
      name: { givenName: 'Dana', familyName: 'Scully' },
      emails: [{ value: 'dana.jc@example.com', type: 'work', primary: true }],
    });
    expect(created.status).toBe(201);
    const id = created.body!['id'] as string;
    expect((await jumpcloud.get(lookup)).body).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    const updated = await jumpcloud.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'name.familyName', value: 'Mulder' }));
    expect(updated.body).toMatchObject({ name: { givenName: 'Dana', familyName: 'Mulder' } });
    expect((await jumpcloud.patch(`/Users/${id}`, idp.JUMPCLOUD_DEACTIVATE_USER)).body).toMatchObject({ active: false });
    expect((await jumpcloud.get(lookup)).body).toMatchObject({ totalResults: 1, Resources: [{ id, active: false }] });

    expect(summary(await eventsOf(id)).map((event) => [event.type, event.dialect])).toEqual([
      ['ACCOUNT_SCIM_USER_CREATED', 'rfc'],
      ['ACCOUNT_SCIM_USER_UPDATED', 'rfc'],
      ['ACCOUNT_SCIM_USER_DEACTIVATED', 'rfc'],
    ]);
  });

  it('Ping: lookup by userName, workEmail and a Filter Expression, provision a disabled user, re-enable, update, disable, delete', async () => {
    const ping = client(deployment, idp.USER_AGENTS.ping, '');
    const filter = (expression: string) => `/Users?filter=${encodeURIComponent(expression)}`;
    expect((await ping.get(filter(idp.PING_FILTER_USERNAME))).body).toMatchObject({ totalResults: 0 });

    const created = await ping.post('/Users', idp.PING_CREATE_DISABLED_USER);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ active: false, [ENTERPRISE]: { department: 'R&D' } });
    const id = created.body!['id'] as string;
    // workEmail's `emails eq` matches any email value; names, operators and email values in any case.
    for (const expression of [idp.PING_FILTER_USERNAME, idp.PING_FILTER_WORK_EMAIL, idp.PING_FILTER_WORK_EMAIL.toUpperCase(), idp.PING_FILTER_EXPRESSION]) {
      expect((await ping.get(filter(expression))).body).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    }

    expect((await ping.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: true }))).body).toMatchObject({ active: true });
    const updated = await ping.patch(`/Users/${id}`, idp.PING_UPDATE_USER);
    expect(updated.body).toMatchObject({ name: { familyName: 'Doe-Smith' }, [ENTERPRISE]: { department: 'Research' } });
    expect((await ping.patch(`/Users/${id}`, idp.PING_DISABLE_USER)).body).toMatchObject({ active: false });
    expect((await ping.delete(`/Users/${id}`)).status).toBe(204);

    const events = await eventsOf(id);
    expect(summary(events).map((event) => [event.type, event.dialect])).toEqual([
      ['ACCOUNT_SCIM_USER_CREATED', 'ping'],
      ['ACCOUNT_SCIM_USER_REACTIVATED', 'ping'],
      ['ACCOUNT_SCIM_USER_UPDATED', 'ping'],
      ['ACCOUNT_SCIM_USER_DEACTIVATED', 'ping'],
      ['ACCOUNT_SCIM_USER_DELETED', 'ping'],
    ]);
    expect(events[0]!.data).toMatchObject({ userId: id, active: false });
    expect(events[2]!.data['changedAttributes']).toEqual(['name', ENTERPRISE]);
  });
});

async function waitForStatus(call: () => Promise<Response>, status: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await call();
    if (response.status === status) return;
    if (Date.now() > deadline) throw new Error(`still ${response.status}, expected ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function patchOp(...Operations: unknown[]) {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations };
}

/** A client that sends an IdP's User-Agent and, for Entra's flag, its query string. */
function client(deployment: Deployment, userAgent: string, flag: string) {
  const scim = scimClient(deployment);
  const withFlag = (path: string) => (flag ? `${path}${path.includes('?') ? '&' : '?'}${flag.slice(1)}` : path);
  const headers = { 'user-agent': userAgent };
  return {
    get: (path: string) => scim.get(withFlag(path), headers),
    post: (path: string, body: unknown) => scim.post(withFlag(path), body, headers),
    put: (path: string, body: unknown) => scim.put(withFlag(path), body, headers),
    patch: (path: string, body: unknown) => scim.patch(withFlag(path), body, headers),
    delete: (path: string) => scim.delete(withFlag(path), headers),
  };
}
