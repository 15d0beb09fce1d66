/**
 * Local accounts and their merge with the IdP's record (the product de-duplicates by email): on
 * both deployments. Auto-merge links on first sync and keeps the member's id; with auto-merge off
 * the create is 409 SCIM_USER_CONFLICT until an admin approves the merge.
 */
import type { EventStore } from '@axis/event-store';
import { type Deployment, type DeploymentKind, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { createWorkspace, http } from '../support/workspace-admin';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];

describe.each(kinds)('local members and merge on %s', (kind) => {
  let deployment: Deployment;
  let store: EventStore;
  let adminKey: string;

  beforeAll(async () => {
    deployment = await startDeployment(kind);
    store = await deployment.openEventStore();
    adminKey = createWorkspace(deployment, 'merge');
  });
  afterAll(async () => {
    await store?.close();
    await deployment?.stop();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    http(deployment.baseUrl, `/api/v1/workspaces/merge${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}` },
      ...(body === undefined ? {} : { body }),
    });
  const scimToken = async () => (await admin('POST', '/scim-tokens', {})).json.token as string;
  const scimPost = (token: string, body: unknown) =>
    http(deployment.baseUrl, '/workspaces/merge/scim/v2/Users', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body,
    });
  const scimUser = (userName: string, email: string) => ({
    schemas: [USER_SCHEMA_URI],
    userName,
    externalId: `ext-${userName}`,
    emails: [{ value: email, type: 'work', primary: true }],
    name: { givenName: 'Grace', familyName: 'Hopper' },
  });

  it('links a SCIM create to the local account with the same email, keeping its id', async () => {
    const local = await admin('POST', '/members', { userName: 'grace.local', email: 'grace@example.com', displayName: 'Grace' });
    expect(local.status).toBe(201);
    const localId = local.json.id as string;
    expect((await admin('POST', '/members', { userName: 'other', email: 'GRACE@example.com' })).status).toBe(409);

    const created = await scimPost(await scimToken(), scimUser('grace.hopper@example.com', 'Grace@Example.com'));
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: localId, userName: 'grace.hopper@example.com', externalId: 'ext-grace.hopper@example.com' });
    const events = await store.readStream(`user-merge.${localId}`);
    expect(events.map((event) => event.type)).toEqual(['ACCOUNT_LOCAL_MEMBER_CREATED', 'ACCOUNT_SCIM_USER_MERGED']);
    expect(events[0]!.metadata['actor']).toMatch(/^admin:/);
    expect(events[1]!.data['mergedBy']).toBe('auto');

    const members = await admin('GET', '/members?q=grace');
    expect(members.json.items).toEqual([expect.objectContaining({ id: localId, source: 'scim', scimBadge: true })]);
    // The local userName was released when the SCIM one replaced it.
    expect((await admin('POST', '/members', { userName: 'grace.local', email: 'someone@example.com' })).status).toBe(201);
  });

  it('refuses the create while auto-merge is off, until an admin approves the merge', async () => {
    expect((await admin('PUT', '/scim-settings', { autoMergeLocalAccounts: false })).json).toEqual({ autoMergeLocalAccounts: false, rejectUnknownAttributes: false });
    const local = await admin('POST', '/members', { userName: 'alan.local', email: 'alan@example.com' });
    const localId = local.json.id as string;
    const token = await scimToken();

    const refused = await scimPost(token, scimUser('alan.turing@example.com', 'alan@example.com'));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('SCIM_USER_CONFLICT');

    expect((await admin('POST', `/members/${localId}/merge`)).status).toBe(204);
    const retried = await scimPost(token, scimUser('alan.turing@example.com', 'alan@example.com'));
    expect(retried.status).toBe(201);
    expect(retried.json.id).toBe(localId);
    const events = await store.readStream(`user-merge.${localId}`);
    expect(events.map((event) => [event.type, event.metadata['actor']?.toString().split(':')[0]])).toEqual([
      ['ACCOUNT_LOCAL_MEMBER_CREATED', 'admin'],
      ['ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED', 'admin'],
      ['ACCOUNT_SCIM_USER_MERGED', 'token'],
    ]);
    expect(events[2]!.data['mergedBy']).toBe('admin');
    await admin('PUT', '/scim-settings', { autoMergeLocalAccounts: true });
  });

  it('keeps local members out of SCIM lists and reads', async () => {
    const local = await admin('POST', '/members', { userName: 'hidden.local', email: 'hidden@example.com' });
    const token = await scimToken();
    const list = await http(deployment.baseUrl, `/workspaces/merge/scim/v2/Users?filter=${encodeURIComponent('userName eq "hidden.local"')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(list.json.totalResults).toBe(0);
    const read = await http(deployment.baseUrl, `/workspaces/merge/scim/v2/Users/${local.json.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(404);
  });
});
