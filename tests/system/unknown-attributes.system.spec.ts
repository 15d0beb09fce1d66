/**
 * Attributes no schema of the workspace defines (issue #22 item 3), on both deployments. By
 * default they are ignored and recorded (IdPs re-send unmapped attributes on every sync); with the
 * workspace's SCIM setting `rejectUnknownAttributes`, every user and group POST, PUT and PATCH that
 * names one is 400 invalidPath naming it, stores nothing, and is recorded for the Security Console.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '@axis/event-store';
import { type Deployment, type DeploymentKind, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { waitFor } from '../support/processes';
import { createWorkspace, http, type HttpAnswer, type Json } from '../support/workspace-admin';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

jest.setTimeout(240_000);

describe.each(kinds)('attributes no schema defines, on %s', (kind) => {
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

  /** A workspace of its own per test: rejections are throttled per workspace and code. */
  async function workspace(slug: string) {
    const adminKey = createWorkspace(deployment, slug);
    const admin = (method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
      http(deployment.baseUrl, `/api/v1/workspaces/${slug}${path}`, { method, headers: { authorization: `Bearer ${adminKey}` }, ...(body === undefined ? {} : { body }) });
    const token = (await admin('POST', '/scim-tokens', { description: 'Okta' })).json.token as string;
    const scim = (method: string, path: string, body?: unknown, requestId = randomUUID()): Promise<HttpAnswer> =>
      http(deployment.baseUrl, `/workspaces/${slug}/scim/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', 'user-agent': 'Okta SCIM Client 1.0.0', 'x-request-id': requestId },
        ...(body === undefined ? {} : { body }),
      });
    const streamOf = (name: string): Promise<RecordedEvent[]> => store.readStream(`${name.split('-')[0]}-${slug}.${name.slice(name.indexOf('-') + 1)}`);
    return { admin, scim, streamOf };
  }

  const user = (userName: string, extra: Record<string, unknown> = {}) => ({
    schemas: [USER_SCHEMA_URI],
    userName,
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ value: userName, type: 'work', primary: true }],
    ...extra,
  });
  const ops = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

  it('by default ignores them, lists them on the event or in SCIM_ATTRIBUTES_IGNORED, and answers as usual', async () => {
    const { admin, scim, streamOf } = await workspace('lenient');
    expect((await admin('GET', '/scim-settings')).json).toEqual({ autoMergeLocalAccounts: true, rejectUnknownAttributes: false });

    const created = await scim('POST', '/Users', user('ada@example.com', { costCentre: 'CC-1', name: { givenName: 'Ada', nickname: 'Countess' } }));
    expect(created.status).toBe(201);
    expect(created.json).not.toHaveProperty('costCentre');
    const id = created.json.id as string;
    const [createdEvent] = await streamOf(`user-${id}`);
    expect(createdEvent!.data['ignoredAttributes']).toEqual(['costCentre', 'name.nickname']);

    const patched = await scim('PATCH', `/Users/${id}`, ops({ op: 'replace', path: 'costCentre', value: 'CC-2' }, { op: 'replace', path: 'title', value: 'Countess' }));
    expect([patched.status, patched.json.title]).toEqual([200, 'Countess']);
    expect((await streamOf(`user-${id}`)).at(-1)!.data).toMatchObject({ changedAttributes: ['title'], ignoredAttributes: ['costCentre'] });

    // A PUT that changes nothing else has no event: the rejection log lists what it ignored.
    const put = await scim('PUT', `/Users/${id}`, { ...user('ada@example.com'), name: { givenName: 'Ada' }, title: 'Countess', costCentre: 'CC-3' });
    expect(put.status).toBe(200);
    const recorded = await waitFor('SCIM_ATTRIBUTES_IGNORED', async () => (await streamOf('rejection-log')).find((event) => event.type === 'SCIM_ATTRIBUTES_IGNORED'));
    expect(recorded.data).toMatchObject({ method: 'PUT', userId: id, ignoredAttributes: ['costCentre'] });

    const group = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Lenient', costCentre: 'CC-1', members: [{ value: id }] });
    expect(group.status).toBe(201);
    const groupPut = await scim('PUT', `/Groups/${group.json.id}`, { schemas: [GROUP_SCHEMA], displayName: 'Lenient 2', costCentre: 'CC-1', members: [{ value: id }] });
    expect([groupPut.status, groupPut.json.displayName]).toEqual([200, 'Lenient 2']);
    expect((await scim('PATCH', `/Groups/${group.json.id}`, ops({ op: 'replace', value: { displayName: 'Lenient 3', costCentre: 'CC-2' } }))).status).toBe(204);
  });

  it('with rejectUnknownAttributes, refuses them with 400 invalidPath naming them, stores nothing, and records the refusal', async () => {
    const { admin, scim, streamOf } = await workspace('strict');
    // Settings a client sets without the new field keep the others; every answer has them all.
    expect((await admin('PUT', '/scim-settings', { rejectUnknownAttributes: true })).json).toEqual({ autoMergeLocalAccounts: true, rejectUnknownAttributes: true });
    expect((await admin('PUT', '/scim-settings', { autoMergeLocalAccounts: false })).json).toEqual({ autoMergeLocalAccounts: false, rejectUnknownAttributes: true });
    expect((await admin('PUT', '/scim-settings', { autoMergeLocalAccounts: true })).json).toEqual({ autoMergeLocalAccounts: true, rejectUnknownAttributes: true });
    expect((await admin('GET', '/scim-settings')).json).toEqual({ autoMergeLocalAccounts: true, rejectUnknownAttributes: true });
    expect((await admin('PUT', '/scim-settings', { rejectUnknownAttributes: 'yes' })).status).toBe(400);
    expect((await admin('PUT', '/scim-settings', { somethingElse: true })).status).toBe(400);
    const settingsEvents = await streamOf('workspace-scim-settings');
    expect(settingsEvents.map((event) => event.data)).toEqual([
      { autoMergeLocalAccounts: true, rejectUnknownAttributes: true },
      { autoMergeLocalAccounts: false, rejectUnknownAttributes: true },
      { autoMergeLocalAccounts: true, rejectUnknownAttributes: true },
    ]);
    expect(settingsEvents.every((event) => String(event.metadata['actor']).startsWith('admin:'))).toBe(true);

    const refusal = (answer: HttpAnswer, named: string) => {
      expect([answer.status, answer.headers['axis-error-code'], answer.json]).toEqual([
        400,
        'SCIM_INVALID_PATH',
        { schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidPath', detail: `SCIM_INVALID_PATH: Unknown attribute "${named}": no schema of this resource defines it` },
      ]);
    };
    const requestId = randomUUID();
    refusal(await scim('POST', '/Users', user('grace@example.com', { costCentre: 'CC-1' }), requestId), 'costCentre');
    // Recorded in the workspace's rejection log (fire and forget: awaited before the next refusal,
    // since one per code and 10 s is recorded, the others counted as suppressed) …
    const rejected = await waitFor('the SCIM_INVALID_PATH rejection', async () => (await streamOf('rejection-log')).find((event) => event.type === 'SCIM_INVALID_PATH'));
    expect(rejected.data).toMatchObject({ method: 'POST', path: '/workspaces/strict/scim/v2/Users', status: 400, scimType: 'invalidPath', detail: 'Unknown attribute "costCentre": no schema of this resource defines it' });
    expect(rejected.metadata).toMatchObject({ requestId, dialect: 'okta', actor: expect.stringMatching(/^token:scim_/) });
    // … and shown in the Security Console among the rejected requests.
    const audited = await waitFor('the audit entry of the refusal', async () => {
      const entries = (await admin('GET', '/audit?outcome=rejected')).json.entries as Json[];
      return entries.find((entry) => entry.id === rejected.eventId);
    });
    expect(audited).toMatchObject({ code: 'SCIM_INVALID_PATH', requestId, actorName: 'Okta' });

    refusal(await scim('POST', '/Users', user('grace@example.com', { name: { givenName: 'Grace', nickname: 'Amazing' } })), 'name.nickname');
    refusal(await scim('POST', '/Users', user('grace@example.com', { [`${ENTERPRISE}`]: { department: 'R&D', costCentre: 'CC-1' } })), `${ENTERPRISE}:costCentre`);
    // Nothing was stored, no value reserved: the lookup finds nobody and the same user, mapped right, is created.
    const lookup = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "grace@example.com"')}`);
    expect(lookup.json.totalResults).toBe(0);
    // Known attributes, readOnly echoes and the writeOnly password are fine.
    const created = await scim('POST', '/Users', user('grace@example.com', { password: 'secret', groups: [{ value: 'g-1' }], [ENTERPRISE]: { department: 'R&D' } }));
    expect(created.status).toBe(201);
    const id = created.json.id as string;

    refusal(await scim('PUT', `/Users/${id}`, user('grace@example.com', { title: 'Admiral', costCentre: 'CC-1' })), 'costCentre');
    refusal(await scim('PATCH', `/Users/${id}`, ops({ op: 'replace', path: 'title', value: 'Admiral' }, { op: 'replace', path: 'costCentre', value: 'CC-1' })), 'costCentre');
    refusal(await scim('PATCH', `/Users/${id}`, ops({ op: 'replace', value: { title: 'Admiral', costCentre: 'CC-1' } })), 'costCentre');
    refusal(await scim('PATCH', `/Users/${id}`, ops({ op: 'add', path: 'emails', value: [{ value: 'g2@example.com', label: 'old' }] })), 'emails.label');
    expect((await streamOf(`user-${id}`)).map((event) => event.type)).toEqual(['ACCOUNT_SCIM_USER_CREATED']);
    expect((await scim('GET', `/Users/${id}`)).json).not.toHaveProperty('title');
    expect((await scim('PATCH', `/Users/${id}`, ops({ op: 'replace', path: 'title', value: 'Admiral' }))).json.title).toBe('Admiral');

    refusal(await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Strict', costCentre: 'CC-1' }), 'costCentre');
    expect((await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Strict"')}`)).json.totalResults).toBe(0);
    const group = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Strict', members: [{ value: id, display: 'Grace' }] });
    expect(group.status).toBe(201);
    const groupId = group.json.id as string;
    refusal(await scim('PUT', `/Groups/${groupId}`, { schemas: [GROUP_SCHEMA], displayName: 'Strict 2', costCentre: 'CC-1', members: [] }), 'costCentre');
    refusal(await scim('PATCH', `/Groups/${groupId}`, ops({ op: 'replace', value: { displayName: 'Strict 2', costCentre: 'CC-1' } })), 'costCentre');
    expect((await streamOf(`group-${groupId}`)).map((event) => event.type)).toEqual(['ACCOUNT_SCIM_GROUP_CREATED', 'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED']);
    expect((await scim('GET', `/Groups/${groupId}`)).json).toMatchObject({ displayName: 'Strict', members: [{ value: id }] });

    // Off again: the same request is accepted, the attribute ignored.
    expect((await admin('PUT', '/scim-settings', { rejectUnknownAttributes: false })).json).toEqual({ autoMergeLocalAccounts: true, rejectUnknownAttributes: false });
    const lenient = await scim('PATCH', `/Users/${id}`, ops({ op: 'replace', path: 'costCentre', value: 'CC-1' }, { op: 'replace', path: 'title', value: 'Rear Admiral' }));
    expect([lenient.status, lenient.json.title]).toEqual([200, 'Rear Admiral']);
  });
});
