/**
 * Executable specs of group provisioning as the identity providers do it, request by request, from
 * their public documentation (/work/shared/research/scim-idp-notes.md §2): Okta Push Groups, Entra ID
 * in its default mode and with `?aadOptscim062020`, OneLogin, JumpCloud and PingOne (their shapes are
 * the fixtures in libs/scim's idp-requests.ts, which say which are confirmed). Against both
 * deployments; each asserts on responses, the stored events (with their dialect), the read model
 * (GET) and the CloudEvent types the notifier publishes to Kafka.
 */
import { cloudEventTypeOf } from '@axis/domain';
import type { EventStore, RecordedEvent } from '@axis/event-store';
import * as idp from '@axis/scim/testing';
import { type Deployment, type DeploymentKind, scimClient, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { waitFor } from '../support/processes';

const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const kinds: DeploymentKind[] = ['embedded', 'postgres'];

describe.each(kinds)('group provisioning by IdPs on %s', (kind) => {
  let deployment: Deployment;
  let store: EventStore;

  beforeAll(async () => {
    deployment = await startDeployment(kind);
    store = await deployment.openEventStore();
  });
  afterAll(async () => {
    await store?.close();
    await deployment?.stop();
  });
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`${deployment.output()}\n`);
  });

  const groupEvents = (id: string) => store.readStream(`group-default.${id}`);
  const summary = (events: RecordedEvent[]) => events.map((event) => [event.type, event.metadata['dialect'], cloudEventTypeOf(event.type)]);
  const memberIdsOf = (group: Record<string, unknown> | undefined) => ((group?.['members'] ?? []) as Array<{ value: string }>).map((m) => m.value).sort();

  async function provisionUsers(client: IdpClient, prefix: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      const created = await client.post('/Users', { schemas: [USER_SCHEMA_URI], userName: `${prefix}${index}@example.com`, externalId: `${prefix}-${index}` });
      expect(created.status).toBe(201);
      ids.push(created.body!['id'] as string);
    }
    return ids;
  }

  it('Okta Push Groups: existence check, create, rename re-sent with every change, add/remove members, full push, delete', async () => {
    const okta = idpClient(deployment, 'Okta SCIM Client 1.0.0', '');
    const [ada, bob, cy] = await provisionUsers(okta, 'okta-push', 3);

    const check = await okta.get(`/Groups?filter=${encodeURIComponent('displayName eq "Okta Engineers"')}&startIndex=1&count=100`);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ totalResults: 0, startIndex: 1, Resources: [] });

    const created = await okta.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Okta Engineers', members: [] });
    expect(created.status).toBe(201);
    const id = created.body!['id'] as string;
    expect(created.body).toMatchObject({ schemas: [GROUP_SCHEMA], id, displayName: 'Okta Engineers', members: [], meta: { resourceType: 'Group', version: 'W/"0"' } });
    expect(created.headers.get('location')).toBe(`${deployment.baseUrl}/scim/v2/Groups/${id}`);

    // Rename: pathless replace with the unchanged id.
    const rename = patchOp({ op: 'replace', value: { id, displayName: 'Okta Engineering' } });
    const renamed = await okta.patch(`/Groups/${id}`, rename);
    expect(renamed.status).toBe(204);
    expect(renamed.headers.get('etag')).toBe('W/"1"');

    // Membership: Okta sends the rename again, then the membership PATCH; the repeat is a no-op.
    expect((await okta.patch(`/Groups/${id}`, rename)).status).toBe(204);
    const added = await okta.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: ada, display: 'okta-push0@example.com' }, { value: bob }] }));
    expect(added.status).toBe(204);
    expect((await okta.patch(`/Groups/${id}`, rename)).status).toBe(204);
    const moved = await okta.patch(
      `/Groups/${id}`,
      patchOp({ op: 'remove', path: `members[value eq "${ada}"]` }, { op: 'add', path: 'members', value: [{ value: cy, display: 'okta-push2@example.com' }] }),
    );
    expect(moved.status).toBe(204);
    const read = await okta.get(`/Groups/${id}`);
    expect(read.body).toMatchObject({ displayName: 'Okta Engineering', meta: { version: 'W/"4"' } });
    expect(memberIdsOf(read.body)).toEqual([bob, cy].sort());
    expect(read.body!['members']).toContainEqual({ value: cy, display: 'okta-push2@example.com', $ref: `${deployment.baseUrl}/scim/v2/Users/${cy}`, type: 'User' });

    // Removing a member that is not there is a no-op (Okta re-sends removals).
    expect((await okta.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: `members[value eq "${ada}"]` }))).status).toBe(204);

    // Full push: the list is the whole membership; stale members are really removed.
    const pushed = await okta.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'members', value: [{ value: ada }] }));
    expect(pushed.status).toBe(204);
    expect(memberIdsOf((await okta.get(`/Groups/${id}`)).body)).toEqual([ada]);

    // The user resource shows its groups (readOnly), from the read model.
    const user = await waitFor('user.groups', async () => {
      const answer = await okta.get(`/Users/${ada}`);
      return (answer.body?.['groups'] as unknown[] | undefined)?.length === 1 ? answer : undefined;
    });
    expect(user.body!['groups']).toEqual([{ value: id, display: 'Okta Engineering', $ref: `${deployment.baseUrl}/scim/v2/Groups/${id}`, type: 'direct' }]);

    expect((await okta.delete(`/Groups/${id}`)).status).toBe(204);
    expect((await okta.get(`/Groups/${id}`)).status).toBe(404);

    const events = await groupEvents(id);
    expect(summary(events)).toEqual([
      ['ACCOUNT_SCIM_GROUP_CREATED', 'okta', 'platform.scim.group.created'],
      ['ACCOUNT_SCIM_GROUP_RENAMED', 'okta', 'platform.scim.group.renamed'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', 'okta', 'platform.scim.group.members-added'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED', 'okta', 'platform.scim.group.members-removed'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', 'okta', 'platform.scim.group.members-added'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED', 'okta', 'platform.scim.group.members-removed'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', 'okta', 'platform.scim.group.members-added'],
      ['ACCOUNT_SCIM_GROUP_DELETED', 'okta', 'platform.scim.group.deleted'],
    ]);
    // Deltas only: each membership event names just the members it changed.
    expect(events.slice(2, 7).map((event) => [...(event.data['memberIds'] as string[])].sort())).toEqual([
      [ada, bob].sort(),
      [ada],
      [cy],
      [bob, cy].sort(),
      [ada],
    ]);
    // The name is free again once the group is deleted.
    expect((await okta.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'OKTA ENGINEERING' })).status).toBe(201);
  });

  it('Entra ID, default mode: match, create with the ADSCIM URN, Add members, legacy Remove members with values, Replace displayName, delete', async () => {
    const entra = idpClient(deployment, 'Microsoft Azure AD SCIM provisioning', '');
    const [a, b, c] = await provisionUsers(entra, 'entra-legacy', 3);
    const match = await entra.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Entra Legacy"')}`);
    expect(match.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await entra.post('/Groups', {
      schemas: [GROUP_SCHEMA, ADSCIM_GROUP],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Entra Legacy',
      meta: { resourceType: 'Group' },
      members: [],
    });
    expect(created.status).toBe(201);
    const id = created.body!['id'] as string;
    expect(created.body).toMatchObject({ externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'Entra Legacy' });
    const fetched = await entra.get(`/Groups/${id}?excludedAttributes=members`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).not.toHaveProperty('members');
    expect(fetched.body).toMatchObject({ id, displayName: 'Entra Legacy' });

    // Second pass: memberships, many in one PATCH, capitalised ops, `$ref: null`.
    const add = await entra.patch(`/Groups/${id}`, patchOp({ op: 'Add', path: 'members', value: [a, b, c].map((value) => ({ $ref: null, value })) }));
    expect(add.status).toBe(204);
    const remove = await entra.patch(`/Groups/${id}`, patchOp({ op: 'Remove', path: 'members', value: [{ value: a }] }));
    expect(remove.status).toBe(204);
    expect(memberIdsOf((await entra.get(`/Groups/${id}`)).body)).toEqual([b, c].sort());

    const renamed = await entra.patch(`/Groups/${id}`, patchOp({ op: 'Replace', path: 'displayName', value: 'Entra Legacy Renamed' }));
    expect(renamed.status).toBe(204);
    const byExternalId = await entra.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('externalId eq "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"')}`);
    expect(byExternalId.body).toMatchObject({ totalResults: 1, Resources: [{ id, displayName: 'Entra Legacy Renamed' }] });
    expect(byExternalId.body!['Resources'][0]).not.toHaveProperty('members');

    expect((await entra.delete(`/Groups/${id}`)).status).toBe(204);
    expect(summary(await groupEvents(id))).toEqual([
      ['ACCOUNT_SCIM_GROUP_CREATED', 'entra-legacy', 'platform.scim.group.created'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', 'entra-legacy', 'platform.scim.group.members-added'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED', 'entra-legacy', 'platform.scim.group.members-removed'],
      ['ACCOUNT_SCIM_GROUP_RENAMED', 'entra-legacy', 'platform.scim.group.renamed'],
      ['ACCOUNT_SCIM_GROUP_DELETED', 'entra-legacy', 'platform.scim.group.deleted'],
    ]);
    const removal = (await groupEvents(id))[2]!;
    expect(removal.data).toEqual({ groupId: id, memberIds: [a], reason: 'scim' });
  });

  it('Entra ID with aadOptscim062020: lowercase ops and members[value eq "…"] removal', async () => {
    const entra = idpClient(deployment, 'Microsoft Azure AD SCIM provisioning', '?aadOptscim062020');
    const [a, b] = await provisionUsers(entra, 'entra-2020', 2);
    const created = await entra.post('/Groups', { schemas: [GROUP_SCHEMA, ADSCIM_GROUP], externalId: 'entra-2020-group', displayName: 'Entra 2020', members: [] });
    const id = created.body!['id'] as string;
    expect((await entra.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a }, { value: b }] }))).status).toBe(204);
    expect((await entra.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: `members[value eq "${a}"]` }))).status).toBe(204);
    // Entra checks membership by filter: the group of member b, without members.
    const query = await entra.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`members[value eq "${b}"]`)}`);
    expect(query.body).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    expect((await entra.get(`/Groups?filter=${encodeURIComponent(`members[value eq "${a}"]`)}`)).body).toMatchObject({ totalResults: 0 });
    expect(summary(await groupEvents(id))).toEqual([
      ['ACCOUNT_SCIM_GROUP_CREATED', 'entra-2020', 'platform.scim.group.created'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', 'entra-2020', 'platform.scim.group.members-added'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED', 'entra-2020', 'platform.scim.group.members-removed'],
    ]);
  });

  it('OneLogin: list groups, create one, add members one PATCH each', async () => {
    const onelogin = idpClient(deployment, '', '');
    const [a, b] = await provisionUsers(onelogin, 'onelogin-role', 2);
    const listed = await onelogin.get('/Groups');
    expect(listed.status).toBe(200);
    expect(listed.body!['Resources']).not.toContainEqual(expect.objectContaining({ displayName: 'OneLogin Sales' }));

    const created = await onelogin.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'OneLogin Sales' });
    expect(created.status).toBe(201);
    const id = created.body!['id'] as string;
    expect((await onelogin.patch(`/Groups/${id}`, idp.oneLoginAddMember(a))).status).toBe(204);
    expect((await onelogin.patch(`/Groups/${id}`, idp.oneLoginAddMember(b))).status).toBe(204);
    expect((await onelogin.patch(`/Groups/${id}`, idp.oneLoginAddMember(b))).status).toBe(204);
    expect(memberIdsOf((await onelogin.get(`/Groups/${id}`)).body)).toEqual([a, b].sort());

    expect(summary(await groupEvents(id))).toEqual([
      ['ACCOUNT_SCIM_GROUP_CREATED', 'rfc', 'platform.scim.group.created'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', 'rfc', 'platform.scim.group.members-added'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', 'rfc', 'platform.scim.group.members-added'],
    ]);
  });

  it('JumpCloud: group created with its first members, value-list add and remove (only those members), rename, delete', async () => {
    const jumpcloud = idpClient(deployment, '', '');
    const [a, b, c] = await provisionUsers(jumpcloud, 'jumpcloud-group', 3);
    // JumpCloud creates no empty group: the group arrives with members.
    const created = await jumpcloud.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'JumpCloud Engineers', members: [{ value: a }, { value: b }] });
    expect(created.status).toBe(201);
    const id = created.body!['id'] as string;

    expect((await jumpcloud.patch(`/Groups/${id}`, idp.jumpCloudMemberChange('add', c))).status).toBe(204);
    expect((await jumpcloud.patch(`/Groups/${id}`, idp.jumpCloudMemberChange('remove', a, b))).status).toBe(204);
    expect(memberIdsOf((await jumpcloud.get(`/Groups/${id}`)).body)).toEqual([c]);

    expect((await jumpcloud.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'JumpCloud Engineering' }))).status).toBe(204);
    const byName = await jumpcloud.get(`/Groups?filter=${encodeURIComponent('displayName eq "JumpCloud Engineering"')}`);
    expect(byName.body).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    expect((await jumpcloud.delete(`/Groups/${id}`)).status).toBe(204);

    expect(summary(await groupEvents(id)).map(([type]) => type)).toEqual([
      'ACCOUNT_SCIM_GROUP_CREATED',
      'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED',
      'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED',
      'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED',
      'ACCOUNT_SCIM_GROUP_RENAMED',
      'ACCOUNT_SCIM_GROUP_DELETED',
    ]);
    const removal = (await groupEvents(id))[3]!.data;
    expect({ ...removal, memberIds: [...(removal['memberIds'] as string[])].sort() }).toEqual({ groupId: id, memberIds: [a, b].sort(), reason: 'scim' });
  });

  it('PingOne: look the group up by name, create it, push the full membership twice (stale members go), delete', async () => {
    const ping = idpClient(deployment, idp.USER_AGENTS.ping, '');
    const [a, b, c] = await provisionUsers(ping, 'ping-group', 3);
    const lookup = `/Groups?filter=${encodeURIComponent('displayName eq "Ping Support"')}`;
    expect((await ping.get(lookup)).body).toMatchObject({ totalResults: 0 });
    const created = await ping.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ping Support' });
    expect(created.status).toBe(201);
    const id = created.body!['id'] as string;

    expect((await ping.patch(`/Groups/${id}`, idp.pingGroupPush(a, b))).status).toBe(204);
    expect((await ping.patch(`/Groups/${id}`, idp.pingGroupPush(b, c))).status).toBe(204);
    expect((await ping.get(lookup)).body).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    expect(memberIdsOf((await ping.get(`/Groups/${id}`)).body)).toEqual([b, c].sort());
    expect((await ping.delete(`/Groups/${id}`)).status).toBe(204);

    const events = await groupEvents(id);
    expect(summary(events)).toEqual([
      ['ACCOUNT_SCIM_GROUP_CREATED', 'ping', 'platform.scim.group.created'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', 'ping', 'platform.scim.group.members-added'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED', 'ping', 'platform.scim.group.members-removed'],
      ['ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', 'ping', 'platform.scim.group.members-added'],
      ['ACCOUNT_SCIM_GROUP_DELETED', 'ping', 'platform.scim.group.deleted'],
    ]);
    expect(events.slice(1, 4).map((event) => [...(event.data['memberIds'] as string[])].sort())).toEqual([[a, b].sort(), [a], [c]]);
  });
});

function patchOp(...Operations: unknown[]) {
  return { schemas: [PATCH_OP], Operations };
}

type IdpClient = ReturnType<typeof idpClient>;

/** A client that sends an IdP's User-Agent and, for Entra's flag, its query string. */
function idpClient(deployment: Deployment, userAgent: string, flag: string) {
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
