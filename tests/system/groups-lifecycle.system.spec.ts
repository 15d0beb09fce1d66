/**
 * Groups over SCIM against both deployments (embedded SQLite, three processes on PostgreSQL):
 * queries, uniqueness, limits, large and concurrent membership PATCHes, member deletion, and the
 * groups → roles mapping of the admin API with its effects on members (events, Kafka, sessions).
 */
import { randomBytes } from 'node:crypto';
import type { EventStore, RecordedEvent } from '@axis/event-store';
import { Kafka, type KafkaMessage, logLevel, type Consumer } from 'kafkajs';
import { contractRecordOf, loadAsyncApiValidator } from '../support/asyncapi';
import { type Deployment, type DeploymentKind, scimClient, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { waitFor } from '../support/processes';
import { createWorkspace, http, type HttpAnswer } from '../support/workspace-admin';

const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const SERVICE_KEY = randomBytes(24).toString('hex');
const kinds: DeploymentKind[] = ['embedded', 'postgres'];

jest.setTimeout(300_000);

describe.each(kinds)('groups lifecycle on %s', (kind) => {
  const brokers = process.env['KAFKA_BROKERS'];
  const topic = `groups-test-${randomBytes(4).toString('hex')}`;
  const received: KafkaMessage[] = [];
  let consumer: Consumer | undefined;
  let deployment: Deployment;
  let store: EventStore;
  let scim: ReturnType<typeof scimClient>;
  let users: string[] = [];

  beforeAll(async () => {
    deployment = await startDeployment(kind, {
      SESSION_SERVICE_KEY: SERVICE_KEY,
      ...(brokers ? { KAFKA_BROKERS: brokers, KAFKA_TOPIC: topic, KAFKA_TOPIC_PARTITIONS: '3' } : {}),
    });
    store = await deployment.openEventStore();
    scim = scimClient(deployment);
    if (brokers) {
      const kafka = new Kafka({ clientId: `groups-${topic}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
      consumer = kafka.consumer({ groupId: `groups-${topic}` });
      await consumer.connect();
      await waitFor('the notifier to create the topic', async () => (await listTopics(kafka)).includes(topic), 60_000, 250);
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
    }
    // 1,100 users, four IdP workers at once.
    users = new Array<string>(1100);
    await Promise.all(
      Array.from({ length: 4 }, async (_, worker) => {
        for (let index = worker; index < users.length; index += 4) {
          const created = await scim.post('/Users', { schemas: [USER_SCHEMA_URI], userName: `member${index}@example.com`, displayName: `Member ${index}` });
          expect(created.status).toBe(201);
          users[index] = created.body!['id'] as string;
        }
      }),
    );
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await store?.close();
    await deployment?.stop();
  });
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`${deployment.output()}\n`);
  });

  const createGroup = async (displayName: string, extra: Record<string, unknown> = {}) => {
    const created = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName, ...extra });
    expect(created.status).toBe(201);
    return created.body!['id'] as string;
  };
  const patch = (id: string, ...Operations: unknown[]) => scim.patch(`/Groups/${id}`, { schemas: [PATCH_OP], Operations });
  const addMembers = (id: string, ids: readonly string[]) => patch(id, { op: 'add', path: 'members', value: ids.map((value) => ({ value })) });
  const memberIds = async (id: string) => (((await scim.get(`/Groups/${id}`)).body?.['members'] ?? []) as Array<{ value: string }>).map((m) => m.value).sort();
  const filter = (expression: string, extra = '') => scim.get(`/Groups?filter=${encodeURIComponent(expression)}${extra}`);
  const expectScimError = (answer: { status: number; body?: Record<string, unknown> }, status: number, scimType: string | undefined, code: string) => {
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail: expect.stringMatching(new RegExp(`^${code}: `)) });
    if (scimType) expect(answer.body!['scimType']).toBe(scimType);
  };
  const types = (events: RecordedEvent[]) => events.map((event) => event.type);

  it('answers filters, paging, attributes and .search from the read model', async () => {
    const alpha = await createGroup('Query Alpha', { externalId: 'q-alpha', members: [{ value: users[0] }, { value: users[1] }] });
    const beta = await createGroup('Query Beta', { externalId: 'q-beta', members: [{ value: users[1] }] });
    const gamma = await createGroup('Query Gamma');
    // members.display is published readOnly: the name sent is replaced by the user's own.
    const named = await createGroup('Named Members Group', { members: [{ value: users[2], display: 'Somebody Else' }] });
    expect((await scim.get(`/Groups/${named}`)).body!['members']).toEqual([expect.objectContaining({ value: users[2], display: 'Member 2' })]);

    expect((await filter('displayName eq "query alpha"')).body).toMatchObject({ totalResults: 1, Resources: [{ id: alpha, externalId: 'q-alpha' }] });
    expect((await filter('externalId eq "q-beta"')).body).toMatchObject({ totalResults: 1, Resources: [{ id: beta }] });
    const byMember = await filter(`members[value eq "${users[1]}"]`, '&excludedAttributes=members');
    expect(byMember.body!['Resources'].map((group: { id: string }) => group.id).sort()).toEqual([alpha, beta].sort());
    expect(byMember.body!['Resources'][0]).not.toHaveProperty('members');
    const byIds = await filter(`id eq "${alpha}" or id eq "${gamma}"`, '&attributes=displayName&sortBy=displayName&sortOrder=descending');
    expect(byIds.body).toMatchObject({ totalResults: 2, Resources: [{ id: gamma, displayName: 'Query Gamma' }, { id: alpha }] });
    expect(byIds.body!['Resources'][0]).not.toHaveProperty('members');
    expect((await filter('displayName eq "nobody"')).body).toMatchObject({ totalResults: 0, Resources: [] });
    expectScimError(await filter('displayName xx "a"'), 400, 'invalidFilter', 'SCIM_INVALID_FILTER');

    const page = await scim.get(`/Groups?filter=${encodeURIComponent('displayName sw "Query"')}&startIndex=2&count=1&sortBy=displayName`);
    expect(page.body).toMatchObject({ totalResults: 3, itemsPerPage: 1, startIndex: 2, Resources: [{ id: beta }] });
    expect((await scim.get('/Groups?count=0')).body).toMatchObject({ itemsPerPage: 0, Resources: [] });

    const searched = await scim.post('/Groups/.search', { schemas: [SEARCH_REQUEST], filter: 'displayName eq "Query Alpha"', attributes: ['members'] });
    expect(searched.status).toBe(200);
    expect(searched.body!['Resources'][0]).toMatchObject({ id: alpha, members: [expect.objectContaining({ type: 'User' }), expect.anything()] });
    expect(searched.body!['Resources'][0]).not.toHaveProperty('displayName');

    const one = await scim.get(`/Groups/${alpha}`);
    expect(one.body!['members'].map((member: { value: string }) => member.value).sort()).toEqual([users[0], users[1]].sort());
    expect(one.body!['members']).toContainEqual({ value: users[0], display: 'Member 0', $ref: `${deployment.baseUrl}/scim/v2/Users/${users[0]}`, type: 'User' });
    expect((await scim.get(`/Groups/${alpha}`, { 'if-none-match': one.headers.get('etag')! })).status).toBe(304);
    expect((await scim.get(`/Groups/${alpha}?attributes=displayName`)).body).toEqual({
      schemas: [GROUP_SCHEMA],
      id: alpha,
      displayName: 'Query Alpha',
    });

    for (const [method, path] of [
      ['PUT', '/Groups'],
      ['PATCH', '/Groups'],
      ['DELETE', '/Groups'],
      ['POST', `/Groups/${alpha}`],
    ] as const) {
      const answer = await fetch(`${deployment.baseUrl}/scim/v2${path}`, { method, headers: { authorization: `Bearer ${deployment.token}`, 'content-type': 'application/scim+json' }, body: method === 'DELETE' ? undefined : '{}' });
      expect(answer.status).toBe(405);
    }
    expectScimError(await scim.get('/Groups/no-such-group'), 404, undefined, 'SCIM_NOT_FOUND');
  });

  it('answers POST /.search at the root with Users, then Groups, paged as one list, each read right after its write', async () => {
    // Each resource is searched for right after it is written: the root search waits for both projections.
    const rootUsers: string[] = [];
    for (const n of [1, 2, 3]) {
      const created = await scim.post('/Users', { schemas: [USER_SCHEMA_URI], userName: `root-search-${n}@example.com`, displayName: `Root Search User ${n}` });
      expect(created.status).toBe(201);
      rootUsers.push(created.body!['id'] as string);
    }
    const rootGroups = [await createGroup('Root Search Group 1', { members: [{ value: rootUsers[0] }] }), await createGroup('Root Search Group 2')];
    const search = (body: Record<string, unknown>) => scim.post('/.search', { schemas: [SEARCH_REQUEST], ...body });
    const ids = (answer: { body?: Record<string, unknown> }) => (answer.body!['Resources'] as Array<{ id: string }>).map((resource) => resource.id);

    const all = await search({ filter: 'displayName sw "Root Search"' });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 5, itemsPerPage: 5, startIndex: 1 });
    expect(ids(all)).toEqual([...rootUsers, ...rootGroups]);
    expect((all.body!['Resources'] as Array<{ meta: { resourceType: string } }>).map((resource) => resource.meta.resourceType)).toEqual(['User', 'User', 'User', 'Group', 'Group']);

    const acrossTheBoundary = await search({ filter: 'displayName sw "Root Search"', startIndex: 3, count: 2 });
    expect(acrossTheBoundary.body).toMatchObject({ totalResults: 5, itemsPerPage: 2, startIndex: 3 });
    expect(ids(acrossTheBoundary)).toEqual([rootUsers[2], rootGroups[0]]);
    expect(ids(await search({ filter: 'displayName sw "Root Search"', startIndex: 5, count: 2 }))).toEqual([rootGroups[1]]);
    expect((await search({ filter: 'displayName sw "Root Search"', count: 0 })).body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });

    // An attribute one type lacks matches nothing there; the sortBy orders each type that has it.
    expect(ids(await search({ filter: 'userName sw "root-search-"' }))).toEqual(rootUsers);
    expect(ids(await search({ filter: `members[value eq "${rootUsers[0]}"]` }))).toEqual([rootGroups[0]]);
    expect(ids(await search({ filter: 'displayName sw "Root Search"', sortBy: 'displayName', sortOrder: 'descending' }))).toEqual([...rootUsers].reverse().concat([...rootGroups].reverse()));
    expect(ids(await search({ filter: 'displayName sw "Root Search"', sortBy: 'userName' }))).toEqual([...rootUsers, ...rootGroups]);
    const projected = await search({ filter: 'displayName eq "Root Search Group 1"', attributes: ['displayName'] });
    expect(projected.body!['Resources']).toEqual([{ schemas: [GROUP_SCHEMA], id: rootGroups[0], displayName: 'Root Search Group 1' }]);

    expectScimError(await search({ filter: 'noSuchAttribute eq "x"' }), 400, 'invalidFilter', 'SCIM_INVALID_FILTER');
    expectScimError(await search({ filter: 'displayName xx "a"' }), 400, 'invalidFilter', 'SCIM_INVALID_FILTER');
    expectScimError(await search({ sortBy: 'noSuchAttribute' }), 400, 'invalidValue', 'SCIM_INVALID_VALUE');
    expectScimError(await scim.post('/.search', { filter: 'displayName pr' }), 400, 'invalidSyntax', 'SCIM_INVALID_SYNTAX');
    const anonymous = await fetch(`${deployment.baseUrl}/scim/v2/.search`, { method: 'POST', headers: { 'content-type': 'application/scim+json' }, body: JSON.stringify({ schemas: [SEARCH_REQUEST] }) });
    expect(anonymous.status).toBe(401);
  });

  it('reads across resources right after a write: a user shows the group that just added it, a group drops the user just deleted', async () => {
    // As an IdP verifies what it just did: each read follows the write at once, many times over.
    const group = await createGroup('Cross Read Group');
    for (let round = 0; round < 25; round++) {
      const created = await scim.post('/Users', { schemas: [USER_SCHEMA_URI], userName: `cross-read-${round}@example.com` });
      expect(created.status).toBe(201);
      const id = created.body!['id'] as string;
      expect((await addMembers(group, [id])).status).toBeLessThan(300);
      const user = await scim.get(`/Users/${id}`);
      expect({ round, groups: (user.body!['groups'] ?? []).map((entry: { value: string }) => entry.value) }).toEqual({ round, groups: [group] });
      expect((await scim.delete(`/Users/${id}`)).status).toBe(204);
      expect({ round, members: await memberIds(group) }).toEqual({ round, members: [] });
    }
  });

  it('keeps displayName unique per workspace, case-insensitively, on the write side', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Race Group' })));
    expect(responses.map((answer) => answer.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expectScimError(responses.find((answer) => answer.status === 409)!, 409, 'uniqueness', 'SCIM_GROUP_CONFLICT');
    expectScimError(await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'RACE GROUP' }), 409, 'uniqueness', 'SCIM_GROUP_CONFLICT');

    const other = await createGroup('Other Group');
    expectScimError(await patch(other, { op: 'replace', path: 'displayName', value: 'race group' }), 409, 'uniqueness', 'SCIM_GROUP_CONFLICT');
    // Renaming frees the old name; a case-only rename keeps it.
    expect((await patch(other, { op: 'replace', path: 'displayName', value: 'Other Group Renamed' })).status).toBe(204);
    expect((await patch(other, { op: 'replace', path: 'displayName', value: 'OTHER GROUP RENAMED' })).status).toBe(204);
    await createGroup('Other Group');
  });

  it('checks members on the write side: unknown users and nested groups are 400 invalidValue', async () => {
    const group = await createGroup('Checked Group');
    const nested = await createGroup('Nested Candidate');
    expectScimError(await addMembers(group, [users[2]!, 'no-such-user']), 400, 'invalidValue', 'SCIM_INVALID_VALUE');
    const nestedAnswer = await addMembers(group, [nested]);
    expectScimError(nestedAnswer, 400, 'invalidValue', 'SCIM_INVALID_VALUE');
    expect(nestedAnswer.body!['detail']).toMatch(/nested groups are not supported/);
    expectScimError(await patch(group, { op: 'add', path: 'members', value: [{ value: nested, type: 'Group' }] }), 400, 'invalidValue', 'SCIM_INVALID_VALUE');
    expectScimError(await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Bad Members', members: [{ value: 'ghost' }] }), 400, 'invalidValue', 'SCIM_INVALID_VALUE');
    expectScimError(await scim.post('/Groups', { schemas: [GROUP_SCHEMA] }), 400, 'invalidValue', 'SCIM_INVALID_VALUE');
    // Atomic: the refused PATCH changed nothing.
    expect(await memberIds(group)).toEqual([]);
    expect(types(await store.readStream(`group-default.${group}`))).toEqual(['ACCOUNT_SCIM_GROUP_CREATED']);
  });

  it('adds 1,000 members in one PATCH as one delta event, and answers 413 above the documented limits', async () => {
    const group = await createGroup('Thousand');
    const thousand = users.slice(0, 1000);
    const answer = await addMembers(group, thousand);
    expect(answer.status).toBe(204);
    expect(await memberIds(group)).toEqual([...thousand].sort());
    // Entra reads the group without members: cheap whatever its size.
    const light = await scim.get(`/Groups/${group}?excludedAttributes=members`);
    expect(light.body).not.toHaveProperty('members');
    expect(light.headers.get('etag')).toBe('W/"1"');
    // Adding them again is a no-op, adding one more is a one-id delta.
    expect((await addMembers(group, thousand.slice(0, 500))).headers.get('etag')).toBe('W/"1"');
    const withAttributes = await scim.patch(`/Groups/${group}?excludedAttributes=members`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: users[1000] }] }],
    });
    expect(withAttributes.status).toBe(200);
    expect(withAttributes.body).toMatchObject({ id: group, displayName: 'Thousand', meta: { version: 'W/"2"' } });
    expect(withAttributes.body).not.toHaveProperty('members');
    const events = await store.readStream(`group-default.${group}`);
    expect(events.map((event) => (event.data['memberIds'] as string[] | undefined)?.length)).toEqual([undefined, 1000, 1]);

    const tooMany = Array.from({ length: 10_001 }, (_, index) => ({ value: `u${index}` }));
    expectScimError(await patch(group, { op: 'add', path: 'members', value: tooMany }), 413, undefined, 'SCIM_PAYLOAD_TOO_LARGE');
    const tooManyOps = Array.from({ length: 1001 }, () => ({ op: 'replace', path: 'displayName', value: 'Thousand' }));
    expectScimError(await patch(group, ...tooManyOps), 413, undefined, 'SCIM_PAYLOAD_TOO_LARGE');
  });

  it('loses no member to concurrent membership PATCHes on one group', async () => {
    const group = await createGroup('Concurrent');
    const batches = Array.from({ length: 25 }, (_, batch) => users.slice(batch * 4, batch * 4 + 4));
    const answers = await Promise.all(batches.map((batch) => addMembers(group, batch)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(25).fill(204));
    // Concurrent removals and additions interleaved, each member touched once.
    const more = await Promise.all([
      ...users.slice(0, 10).map((id) => patch(group, { op: 'remove', path: `members[value eq "${id}"]` })),
      ...users.slice(100, 110).map((id) => addMembers(group, [id])),
    ]);
    expect(more.map((answer) => answer.status)).toEqual(Array(20).fill(204));
    expect(await memberIds(group)).toEqual([...users.slice(10, 100), ...users.slice(100, 110)].sort());
    const events = await store.readStream(`group-default.${group}`);
    expect(events).toHaveLength(1 + 25 + 20);
  });

  it('PUT replaces name and membership, with If-Match', async () => {
    const group = await createGroup('Put Group', { members: [{ value: users[0] }, { value: users[1] }] });
    const body = { schemas: [GROUP_SCHEMA], id: group, displayName: 'Put Group 2', members: [{ value: users[1] }, { value: users[2] }], meta: { resourceType: 'Group' } };
    expectScimError(await scim.put(`/Groups/${group}`, body, { 'if-match': 'W/"0"' }), 412, undefined, 'SCIM_PRECONDITION_FAILED');
    const replaced = await scim.put(`/Groups/${group}`, body, { 'if-match': 'W/"1"' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ displayName: 'Put Group 2', meta: { version: 'W/"4"' } });
    expect(replaced.body!['members'].map((member: { value: string }) => member.value).sort()).toEqual([users[1], users[2]].sort());
    expect(types(await store.readStream(`group-default.${group}`)).slice(2)).toEqual([
      'ACCOUNT_SCIM_GROUP_RENAMED',
      'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED',
      'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED',
    ]);
    expectScimError(await scim.delete(`/Groups/${group}`, { 'if-match': 'W/"1"' }), 412, undefined, 'SCIM_PRECONDITION_FAILED');
  });

  it('removes a member deleted from the workspace from every group: read model, group streams, Kafka', async () => {
    const leaver = (await scim.post('/Users', { schemas: [USER_SCHEMA_URI], userName: 'leaver@example.com' })).body!['id'] as string;
    const first = await createGroup('Leaver One', { members: [{ value: leaver }, { value: users[5] }] });
    const second = await createGroup('Leaver Two', { members: [{ value: leaver }] });
    expect((await scim.delete(`/Users/${leaver}`)).status).toBe(204);
    for (const group of [first, second]) {
      await waitFor('the removal on the group stream', async () => (await store.readStream(`group-default.${group}`)).at(-1)?.type === 'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED');
      const removal = (await store.readStream(`group-default.${group}`)).at(-1)!;
      expect(removal.data).toEqual({ groupId: group, memberIds: [leaver], reason: 'member-deleted' });
      expect(removal.metadata).toMatchObject({ actor: 'system:member-cleanup', dialect: 'system' });
    }
    expect(await memberIds(first)).toEqual([users[5]]);
    expect(await memberIds(second)).toEqual([]);
    // Adding the deleted member is refused.
    expectScimError(await addMembers(second, [leaver]), 400, 'invalidValue', 'SCIM_INVALID_VALUE');
    if (consumer) {
      const groupTypes = await waitFor('the group CloudEvents on Kafka', async () => {
        const seen = received
          .filter((message) => message.key?.toString() === `default:${second}`)
          .map((message) => String(message.headers?.['ce_type']));
        return seen.length >= 3 ? seen : undefined;
      });
      expect(groupTypes).toEqual(['platform.scim.group.created', 'platform.scim.group.members-added', 'platform.scim.group.members-removed']);
    }
  });

  it('maps groups to roles (admin API): effective roles on the member, UPDATED roles events, sessions revoked when admin is lost', async () => {
    const slug = `roles${randomBytes(3).toString('hex')}`;
    const adminKey = createWorkspace(deployment, slug);
    const admin = (method: string, path: string, body?: unknown) =>
      http(deployment.baseUrl, `/api/v1/workspaces/${slug}${path}`, { method, headers: { authorization: `Bearer ${adminKey}` }, body });
    const internal = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
      http(deployment.baseUrl, `/internal/v1${path}`, { method, headers: { authorization: `Bearer ${SERVICE_KEY}`, ...options.headers }, body: options.body });
    const token = ((await admin('POST', '/scim-tokens')) as HttpAnswer).json.token as string;
    const wsScim = (method: string, path: string, body?: unknown) =>
      http(deployment.baseUrl, `/workspaces/${slug}/scim/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
        body,
      });
    const ada = (await wsScim('POST', '/Users', { schemas: [USER_SCHEMA_URI], userName: 'ada@roles.example' })).json.id as string;
    const bob = (await wsScim('POST', '/Users', { schemas: [USER_SCHEMA_URI], userName: 'bob@roles.example' })).json.id as string;
    const admins = (await wsScim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Admins', members: [{ value: ada }] })).json.id as string;
    const staff = (await wsScim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Staff', members: [{ value: ada }, { value: bob }] })).json.id as string;

    expect((await admin('PUT', `/role-mappings/${admins}`, { roles: ['admin'] })).json).toEqual({ groupId: admins, roles: ['admin'], previousRoles: [] });
    expect((await admin('PUT', `/role-mappings/${staff}`, { roles: ['member'] })).status).toBe(200);
    expect((await admin('PUT', '/role-mappings/no-such-group', { roles: ['admin'] })).status).toBe(404);
    expect((await admin('PUT', `/role-mappings/${staff}`, { roles: ['Not A Role'] })).status).toBe(400);
    expect((await http(deployment.baseUrl, `/api/v1/workspaces/${slug}/role-mappings`)).status).toBe(401);
    const listed = await admin('GET', '/role-mappings');
    expect(listed.json.items.map((item: { displayName: string; roles: string[] }) => [item.displayName, item.roles])).toEqual([
      ['Admins', ['admin']],
      ['Staff', ['member']],
    ]);
    const adaRoles = await waitFor('ada’s roles', async () => {
      const answer = await admin('GET', `/members/${ada}/roles`);
      return answer.json.roles.length === 2 ? answer.json : undefined;
    });
    expect(adaRoles).toMatchObject({ memberId: ada, roles: ['admin', 'member'] });
    expect((await admin('GET', `/members/${bob}/roles`)).json.roles).toEqual(['member']);
    const roleEvents = async (id: string) => (await store.readStream(`user-${slug}.${id}`)).filter((event) => (event.data['changedAttributes'] as string[] | undefined)?.includes('roles'));
    expect((await roleEvents(ada)).map((event) => event.data['addedRoles'])).toEqual([['admin'], ['member']]);
    expect((await roleEvents(ada)).at(-1)!.data).toMatchObject({ changedAttributes: ['roles'], changes: {}, roles: ['admin', 'member'] });

    // Losing the admin role ends ada's sessions; bob's are untouched.
    const adaSession = (await internal('POST', `/workspaces/${slug}/sessions`, { body: { memberId: ada } })).json.token as string;
    const bobSession = (await internal('POST', `/workspaces/${slug}/sessions`, { body: { memberId: bob } })).json.token as string;
    const introspect = (sessionToken: string) => internal('GET', '/sessions/introspect', { headers: { 'x-session-token': sessionToken } });
    expect((await introspect(adaSession)).status).toBe(200);
    expect((await wsScim('PATCH', `/Groups/${admins}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${ada}"]` }] })).status).toBe(204);
    await waitFor('ada’s session to be revoked', async () => (await introspect(adaSession)).status === 401, 20_000, 50);
    expect((await introspect(bobSession)).status).toBe(200);
    const lost = await waitFor('the role change event', async () => {
      const events = await roleEvents(ada);
      return events.at(-1)?.data['removedRoles'] ? events.at(-1) : undefined;
    });
    expect(lost!.data).toMatchObject({ roles: ['member'], previousRoles: ['admin', 'member'], removedRoles: ['admin'], causedBy: 'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED' });
    expect(lost!.metadata).toMatchObject({ actor: 'system:roles', dialect: 'system' });
    if (consumer) {
      const message = await waitFor('the role change on Kafka', async () => received.find((candidate) => String(candidate.headers?.['ce_id']) === lost!.eventId));
      expect(String(message.headers?.['ce_type'])).toBe('platform.scim.user.updated');
      expect(JSON.parse(message.value!.toString())).toMatchObject({ userId: ada, changedAttributes: ['roles'], roles: ['member'] });
    }
    expect((await admin('DELETE', `/role-mappings/${staff}`)).status).toBe(204);
    await waitFor('bob to lose his roles', async () => (await admin('GET', `/members/${bob}/roles`)).json.roles.length === 0);
  });

  it('published only records that conform to docs/asyncapi.yaml (group, member, role and rejection events)', () => {
    if (!consumer) return;
    const validator = loadAsyncApiValidator();
    const types = new Set(received.map((message) => String(message.headers?.['ce_type'])));
    expect([...types]).toEqual(expect.arrayContaining(['platform.scim.group.created', 'platform.scim.group.members-removed', 'platform.scim.role.mapping-set']));
    expect(received.flatMap((message) => validator.check(contractRecordOf(message)))).toEqual([]);
  });
});

async function listTopics(kafka: Kafka): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}
