/**
 * Custom attributes end to end, on the three-process deployment (PostgreSQL, Kafka): an admin
 * defines a workspace's attributes; an Entra-style IdP provisions a user carrying them (POST with
 * the extension object, PATCH by full URN path and in path-less values), an Okta-style one too;
 * they are type-checked, filtered in SQL, returned on GET (and projected), recorded in the events,
 * the read model, the Kafka messages (conforming to docs/asyncapi.yaml) and the audit log. An
 * attribute the workspace does not define is ignored and listed; another workspace's /Schemas
 * never shows them. A smaller check runs on the embedded default.
 */
import { randomUUID } from 'node:crypto';
import { createEventStore, type EventStore, type RecordedEvent } from '@axis/event-store';
import { loadAsyncApiValidator } from '../support/asyncapi';
import { startDeployment as startEmbeddedOrPostgres, type Deployment as SimpleDeployment } from '../support/deployments';
import { KafkaCollector, startDeployment, type Deployment } from '../support/notifier-deployment';
import { waitFor } from '../support/processes';
import { requiredEnv } from '../support/required-env';
import { createWorkspace, http, type HttpAnswer, type Json } from '../support/workspace-admin';

jest.setTimeout(240_000);

const X = 'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTRA_CUSTOM_URN = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
const ENTRA_AGENT = 'Microsoft Azure AD SCIM provisioning';

/** Admin API and SCIM calls for one workspace of a deployment. */
function workspaceClient(baseUrl: string, slug: string, adminKey: string) {
  let scimToken = '';
  const admin = (method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
    http(baseUrl, `/api/v1/workspaces/${slug}${path}`, { method, headers: { authorization: `Bearer ${adminKey}` }, ...(body === undefined ? {} : { body }) });
  const scim = (method: string, path: string, body?: unknown, userAgent = 'axis-test'): Promise<HttpAnswer> =>
    http(baseUrl, `/workspaces/${slug}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json', 'user-agent': userAgent },
      ...(body === undefined ? {} : { body }),
    });
  return {
    admin,
    scim,
    async issueToken(): Promise<void> {
      const issued = await admin('POST', '/scim-tokens', { description: 'custom attributes test' });
      expect(issued.status).toBe(201);
      scimToken = issued.json.token as string;
    },
  };
}

describe('custom attributes on three processes (PostgreSQL, Kafka)', () => {
  let deployment: Deployment;
  let collector: KafkaCollector;
  let store: EventStore;
  let a: ReturnType<typeof workspaceClient>;
  let b: ReturnType<typeof workspaceClient>;
  const slugA = `attrs-a-${randomUUID().slice(0, 8)}`;
  const slugB = `attrs-b-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    const databaseUrl = requiredEnv('DATABASE_URL');
    const brokers = requiredEnv('KAFKA_BROKERS');
    deployment = await startDeployment({ databaseUrl, brokers, partitions: 2, env: { EVENT_STORE_POLL_INTERVAL_MS: '50' } });
    store = await createEventStore({ url: databaseUrl, schema: deployment.eventStoreSchema });
    collector = new KafkaCollector(brokers, deployment.topic);
    await collector.start();
    a = workspaceClient(deployment.baseUrl, slugA, createWorkspace(deployment, slugA));
    b = workspaceClient(deployment.baseUrl, slugB, createWorkspace(deployment, slugB));
    await a.issueToken();
    await b.issueToken();
  });

  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts || process.env['SYSTEM_TEST_VERBOSE']) process.stderr.write(deployment.output());
  });

  afterAll(async () => {
    await collector?.stop();
    await store?.close();
    await deployment?.close();
  });

  const userEvents = (id: string) => store.readStream(`user-${slugA}.${id}`);
  const auditOf = async (eventId: string): Promise<Json> =>
    waitFor(`the audit entry of ${eventId}`, async () => {
      const rows = await deployment.db.query(`SELECT code, actor, details FROM ${deployment.readModelSchema}.audit_entries WHERE id = $1`, [eventId]);
      return rows.rows[0] ?? null;
    });

  it('an admin defines, lists, changes and deprecates attributes; each change is an event with the admin', async () => {
    for (const definition of [
      { name: 'costCode', type: 'string', description: 'Finance cost code' },
      { name: 'seats', type: 'integer' },
      { name: 'remote', type: 'boolean' },
      { name: 'startDate', type: 'dateTime' },
      { name: 'tags', type: 'string', multiValued: true, canonicalValues: ['blue', 'red'] },
      { name: 'badge', type: 'string', caseExact: true },
      { name: 'legacyGrade', type: 'string' },
    ]) {
      const added = await a.admin('POST', '/custom-attributes', definition);
      expect([definition.name, added.status]).toEqual([definition.name, 201]);
      expect(added.json).toMatchObject({ ...definition, path: `${X}:${definition.name}`, deprecated: false });
    }
    expect((await a.admin('POST', '/custom-attributes', { name: 'COSTCODE', type: 'string' })).status).toBe(409);
    const invalid = await a.admin('POST', '/custom-attributes', { name: 'userName', type: 'string' });
    expect([invalid.status, invalid.json.message]).toEqual([400, '"userName" is a core or enterprise User attribute; choose another name']);
    expect((await a.admin('POST', '/custom-attributes', { name: 'blob', type: 'binary' })).status).toBe(400);
    expect((await a.admin('POST', '/custom-attributes', { name: 'x', type: 'string', extra: true })).status).toBe(400);

    const changed = await a.admin('PATCH', '/custom-attributes/badge', { description: 'Door badge' });
    expect(changed.json).toMatchObject({ name: 'badge', caseExact: true, description: 'Door badge' });
    expect((await a.admin('POST', '/custom-attributes/legacyGrade/deprecate')).json).toMatchObject({ deprecated: true });
    expect((await a.admin('PATCH', '/custom-attributes/nope', { description: 'x' })).status).toBe(404);

    const list = await a.admin('GET', '/custom-attributes');
    expect(list.json.schema).toBe(X);
    expect(list.json.items.map((item: Json) => [item.name, item.deprecated])).toEqual([
      ['costCode', false], ['seats', false], ['remote', false], ['startDate', false], ['tags', false], ['badge', false], ['legacyGrade', true],
    ]);
    const events = await store.readStream(`customattribute-${slugA}.user`);
    expect(events.map((event) => event.type)).toEqual([...Array(7).fill('TENANT_CUSTOM_ATTRIBUTE_ADDED'), 'TENANT_CUSTOM_ATTRIBUTE_CHANGED', 'TENANT_CUSTOM_ATTRIBUTE_DEPRECATED']);
    expect(new Set(events.map((event) => event.metadata['actor']))).toEqual(new Set([expect.stringMatching(/^admin:adm_/)]));
    expect((await auditOf(events[7]!.eventId)).details).toMatchObject({ name: 'badge', changedFields: ['description'] });

    // Documented in the OpenAPI like its siblings.
    const openApi = (await http(deployment.baseUrl, '/api/docs-json')).json;
    expect(Object.keys(openApi.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/workspaces/{slug}/custom-attributes',
        '/api/v1/workspaces/{slug}/custom-attributes/{name}',
        '/api/v1/workspaces/{slug}/custom-attributes/{name}/deprecate',
        '/api/v1/workspaces/{slug}/custom-attributes/{name}/restore',
      ]),
    );
    expect(Object.keys(openApi.paths['/api/v1/workspaces/{slug}/custom-attributes/{name}'])).toEqual(expect.arrayContaining(['put', 'patch']));
    expect(openApi.components.schemas.AddCustomAttributeDto.required).toEqual(expect.arrayContaining(['name', 'type']));
  });

  it("lists the extension in that workspace's /Schemas and /ResourceTypes only", async () => {
    const schemas = await a.scim('GET', '/Schemas');
    const extension = schemas.json.Resources.find((schema: Json) => schema.id === X);
    expect(extension.attributes.map((attribute: Json) => [attribute.name, attribute.type, attribute.multiValued, attribute.mutability])).toEqual([
      ['costCode', 'string', false, 'readWrite'],
      ['seats', 'integer', false, 'readWrite'],
      ['remote', 'boolean', false, 'readWrite'],
      ['startDate', 'dateTime', false, 'readWrite'],
      ['tags', 'string', true, 'readWrite'],
      ['badge', 'string', false, 'readWrite'],
      ['legacyGrade', 'string', false, 'readOnly'],
    ]);
    expect(extension.attributes[4].canonicalValues).toEqual(['blue', 'red']);
    expect((await a.scim('GET', `/Schemas/${X}`)).json).toMatchObject({ id: X, name: 'AxisSynapseUser' });
    expect((await a.scim('GET', '/ResourceTypes/User')).json.schemaExtensions).toEqual([
      { schema: ENTERPRISE, required: false },
      { schema: X, required: false },
    ]);

    const other = await b.scim('GET', '/Schemas');
    expect(other.json.Resources.map((schema: Json) => schema.id)).not.toContain(X);
    expect(JSON.stringify(other.json)).not.toContain('costCode');
    expect((await b.scim('GET', `/Schemas/${X}`)).status).toBe(404);
    expect((await b.scim('GET', '/ResourceTypes/User')).json.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
  });

  it('provisions an Entra-style user with custom attributes (POST, PATCH by URN path and path-less), filters on one, and records it all', async () => {
    const created = await a.scim(
      'POST',
      '/Users',
      {
        schemas: [CORE, ENTERPRISE, X, ENTRA_CUSTOM_URN],
        externalId: 'entra-object-1',
        userName: 'ada@contoso.com',
        active: true,
        emails: [{ primary: true, type: 'work', value: 'ada@contoso.com' }],
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        [X]: { costCode: 'CC-1.2:3', seats: '3', remote: 'True', tags: ['blue'], costCentre: 'typo', legacyGrade: 'A' },
        [ENTRA_CUSTOM_URN]: { grade: 'L7' },
        shoeSize: 42,
      },
      ENTRA_AGENT,
    );
    expect(created.status).toBe(201);
    expect(created.json[X]).toEqual({ costCode: 'CC-1.2:3', seats: 3, remote: true, tags: ['blue'] });
    expect(created.json.schemas).toEqual([CORE, X]);
    const id = created.json.id as string;
    const ignoredOnCreate = [`${X}:costCentre`, `${X}:legacyGrade`, `${ENTRA_CUSTOM_URN}:grade`, 'shoeSize'];

    const patched = await a.scim(
      'PATCH',
      `/Users/${id}`,
      {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'Replace', path: `${X}:costCode`, value: 'CC-9' },
          { op: 'Add', path: `${X}:startDate`, value: '2024-05-01T08:00:00+02:00' },
          { op: 'Add', path: `${X}:tags`, value: ['red', 'Blue'] },
          { op: 'Replace', path: `${X}:costCentre`, value: 'typo again' },
          { op: 'replace', value: { [`${X}:seats`]: 5, [X]: { badge: 'B-7' } } },
        ],
      },
      ENTRA_AGENT,
    );
    expect(patched.status).toBe(200);
    expect(patched.json[X]).toEqual({ costCode: 'CC-9', seats: 5, remote: true, tags: ['blue', 'red'], startDate: '2024-05-01T06:00:00.000Z', badge: 'B-7' });

    // A value of the wrong type is a SCIM 400 naming the attribute, with the product code.
    const wrong = await a.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: `${X}:seats`, value: 'many' }] }, ENTRA_AGENT);
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({ scimType: 'invalidValue', detail: `SCIM_INVALID_VALUE: "${X}:seats" must be an integer` });

    // An Okta-style create: the extension object without its URN in schemas.
    const okta = await a.scim('POST', '/Users', { schemas: [CORE], userName: 'grace@contoso.com', [X]: { costCode: 'CC-10', seats: 1 } }, 'Okta SCIM Client 1.0.0');
    expect(okta.status).toBe(201);
    expect(okta.json[X]).toEqual({ costCode: 'CC-10', seats: 1 });

    // GET, with attributes/excludedAttributes.
    const got = await a.scim('GET', `/Users/${id}`);
    expect(got.json[X]).toEqual(patched.json[X]);
    expect((await a.scim('GET', `/Users/${id}?attributes=${encodeURIComponent(`${X}:costCode`)}`)).json).toEqual({ schemas: [CORE, X], id, [X]: { costCode: 'CC-9' } });
    const excluded = (await a.scim('GET', `/Users/${id}?excludedAttributes=${encodeURIComponent(`${X}:tags,userName`)}`)).json;
    expect(excluded[X]).not.toHaveProperty('tags');
    expect(excluded[X]).toHaveProperty('costCode', 'CC-9');
    expect(excluded).not.toHaveProperty('userName');

    // Filters compile to SQL over the JSON column, by URN path and unqualified.
    const filter = async (expression: string) => {
      const answer = await a.scim('GET', `/Users?filter=${encodeURIComponent(expression)}`);
      expect([expression, answer.status]).toEqual([expression, 200]);
      return (answer.json.Resources as Json[]).map((user) => user.userName).sort();
    };
    expect(await filter(`${X}:costCode eq "cc-9"`)).toEqual(['ada@contoso.com']);
    expect(await filter(`${X}:seats ge 1`)).toEqual(['ada@contoso.com', 'grace@contoso.com']);
    expect(await filter(`${X}:seats gt 2 and ${X}:remote eq true`)).toEqual(['ada@contoso.com']);
    expect(await filter(`${X}:tags eq "RED"`)).toEqual(['ada@contoso.com']);
    expect(await filter(`${X}:startDate lt "2025-01-01T00:00:00Z"`)).toEqual(['ada@contoso.com']);
    expect(await filter(`${X}:badge eq "b-7"`)).toEqual([]);
    expect(await filter('costCode sw "CC-1"')).toEqual(['grace@contoso.com']);
    const sorted = await a.scim('GET', `/Users?sortBy=${encodeURIComponent(`${X}:seats`)}&sortOrder=descending`);
    expect((sorted.json.Resources as Json[]).map((user) => user.userName)).toEqual(['ada@contoso.com', 'grace@contoso.com']);
    const unknownFilter = await a.scim('GET', `/Users?filter=${encodeURIComponent(`${X}:costCentre eq "x"`)}`);
    expect(unknownFilter.json).toMatchObject({ scimType: 'invalidFilter' });

    // The events: CREATED carries the values and what was ignored; UPDATED the changed extension.
    const events = await userEvents(id);
    expect(events.map((event) => event.type)).toEqual(['ACCOUNT_SCIM_USER_CREATED', 'ACCOUNT_SCIM_USER_UPDATED']);
    expect(events[0]!.data).toMatchObject({ attributes: { [X]: { costCode: 'CC-1.2:3', seats: 3 } }, ignoredAttributes: ignoredOnCreate });
    expect(events[0]!.metadata['dialect']).toMatch(/^entra/);
    expect(events[1]!.data).toEqual({ userId: id, changedAttributes: [X], changes: { [X]: patched.json[X] }, ignoredAttributes: [`${X}:costCentre`] });

    // The read model holds them.
    const row = await deployment.db.query(`SELECT resource FROM ${deployment.readModelSchema}.members WHERE id = $1`, [id]);
    expect(row.rows[0].resource[X]).toEqual(patched.json[X]);

    // The audit entries list the ignored attributes, so the admin sees the mis-mapping.
    expect(await auditOf(events[0]!.eventId)).toMatchObject({ code: 'ACCOUNT_SCIM_USER_CREATED', details: { ignoredAttributes: ignoredOnCreate } });
    expect(await auditOf(events[1]!.eventId)).toMatchObject({ code: 'ACCOUNT_SCIM_USER_UPDATED', details: { changedAttributes: [X], ignoredAttributes: [`${X}:costCentre`] } });
    const page = await waitFor('the audit search', async () => {
      const answer = await a.admin('GET', `/audit?code=ACCOUNT_SCIM_USER_CREATED&target=${id}`);
      return answer.json.entries?.length ? answer.json : null;
    });
    expect(page.entries[0].details.ignoredAttributes).toEqual(ignoredOnCreate);

    // Kafka: the messages carry the values and conform to docs/asyncapi.yaml.
    const messages = await waitFor('the user messages on Kafka', async () => {
      const found = collector.unique().filter((message) => message.key === `${slugA}:${id}`);
      return found.length >= 2 ? found : null;
    });
    expect(messages.map((message) => message.headers['ce_type'])).toEqual(['platform.scim.user.created', 'platform.scim.user.updated']);
    expect(JSON.parse(messages[1]!.value)).toMatchObject({ changedAttributes: [X], changes: { [X]: { costCode: 'CC-9', seats: 5 } } });
    const validator = loadAsyncApiValidator();
    expect(messages.flatMap((message) => validator.check(message))).toEqual([]);
    const definitionMessages = await waitFor('the definition messages on Kafka', async () => {
      const found = collector.unique().filter((message) => message.key === `${slugA}:user` && message.headers['ce_type']!.startsWith('platform.scim.custom.'));
      return found.length >= 9 ? found : null;
    });
    expect(definitionMessages.flatMap((message) => validator.check(message))).toEqual([]);
  });

  it('a request that changes nothing but names undefined attributes is recorded for the Security Console', async () => {
    const created = await a.scim('POST', '/Users', { schemas: [CORE], userName: 'linus@contoso.com', [X]: { costCode: 'CC-11' } });
    const id = created.json.id as string;
    // Okta re-sends the whole user on every sync, with a mapping to an attribute nobody defined.
    const put = await a.scim('PUT', `/Users/${id}`, { schemas: [CORE], userName: 'linus@contoso.com', [X]: { costCode: 'CC-11', region: 'EU' } }, 'Okta SCIM Client 1.0.0');
    expect(put.status).toBe(200);
    expect((await userEvents(id)).map((event: RecordedEvent) => event.type)).toEqual(['ACCOUNT_SCIM_USER_CREATED']);
    const recorded = await waitFor('the SCIM_ATTRIBUTES_IGNORED record', async () => {
      const events = await store.readStream(`rejection-${slugA}.log`);
      return events.find((event) => event.type === 'SCIM_ATTRIBUTES_IGNORED' && event.data['userId'] === id) ?? null;
    });
    expect(recorded.data).toMatchObject({ method: 'PUT', ignoredAttributes: [`${X}:region`], path: `/workspaces/${slugA}/scim/v2/Users/${id}` });
    expect(await auditOf(recorded.eventId)).toMatchObject({ code: 'SCIM_ATTRIBUTES_IGNORED', details: { ignoredAttributes: [`${X}:region`] } });
    const message = await waitFor('its Kafka message', async () => collector.unique().find((candidate) => candidate.headers['ce_id'] === recorded.eventId) ?? null);
    expect(loadAsyncApiValidator().check(message)).toEqual([]);
  });

  it('refuses a type change stored values cannot satisfy, naming the attribute and a value; keeps deprecated values readable', async () => {
    const refused = await a.admin('PATCH', '/custom-attributes/costCode', { type: 'integer' });
    expect(refused.status).toBe(409);
    expect(refused.json.message).toMatch(/^Cannot change "costCode" from a single string to a single integer: member [0-9a-f-]+ has the value "CC-/);
    expect((await a.admin('PATCH', '/custom-attributes/seats', { multiValued: true })).status).toBe(409);
    expect((await a.admin('PATCH', '/custom-attributes/seats', { type: 'decimal' })).json).toMatchObject({ type: 'decimal' });

    // Deprecating costCode: stored values stay readable and filterable; /Schemas lists it readOnly,
    // and the server treats it so: a PUT ignores a value sent (and lists it), a PATCH may not change it.
    expect((await a.admin('POST', '/custom-attributes/costCode/deprecate')).status).toBe(200);
    const schema = (await a.scim('GET', `/Schemas/${X}`)).json;
    expect(schema.attributes.find((attribute: Json) => attribute.name === 'costCode')).toMatchObject({ mutability: 'readOnly' });
    const [ada] = (await a.scim('GET', `/Users?filter=${encodeURIComponent(`${X}:costCode eq "CC-9"`)}`)).json.Resources as Json[];
    expect(ada[X].costCode).toBe('CC-9');
    const eventsBefore = (await userEvents(ada.id)).length;
    const patched = await a.scim('PATCH', `/Users/${ada.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: `${X}:costCode`, value: 'CC-12' }, { op: 'Replace', path: 'title', value: 'Countess' }] });
    expect([patched.status, patched.json.scimType, patched.json.detail]).toEqual([400, 'mutability', `SCIM_MUTABILITY: "${X}:costCode" is read-only`]);
    expect(await userEvents(ada.id)).toHaveLength(eventsBefore);
    const put = await a.scim('PUT', `/Users/${ada.id}`, { ...ada, title: 'Countess', [X]: { ...ada[X], costCode: 'CC-12' } });
    expect([put.status, put.json[X].costCode, put.json.title]).toEqual([200, 'CC-9', 'Countess']);
    const last = (await userEvents(ada.id)).at(-1)!;
    expect(last.data).toMatchObject({ changedAttributes: ['title'], ignoredAttributes: expect.arrayContaining([`${X}:costCode`]) });
    expect((await a.admin('POST', '/custom-attributes/costCode/restore')).json).toMatchObject({ deprecated: false });
  });
});

describe('custom attributes on the embedded default', () => {
  let deployment: SimpleDeployment;

  beforeAll(async () => {
    deployment = await startEmbeddedOrPostgres('embedded');
  });
  afterAll(async () => deployment?.stop());

  it('defines, provisions, filters and returns a custom attribute', async () => {
    const slug = 'embedded-attrs';
    const client = workspaceClient(deployment.baseUrl, slug, createWorkspace(deployment, slug));
    await client.issueToken();
    expect((await client.admin('POST', '/custom-attributes', { name: 'costCode', type: 'string' })).status).toBe(201);
    const created = await client.scim('POST', '/Users', { schemas: [CORE, X], userName: 'ada@example.com', [X]: { costCode: 'CC-1', nope: 1 } });
    expect(created.status).toBe(201);
    const patched = await client.scim('PATCH', `/Users/${created.json.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { [`${X}:costCode`]: 'CC-2' } }] });
    expect(patched.json[X]).toEqual({ costCode: 'CC-2' });
    const found = await client.scim('GET', `/Users?filter=${encodeURIComponent(`${X}:costCode eq "cc-2"`)}`);
    expect(found.json.Resources.map((user: Json) => user.id)).toEqual([created.json.id]);
    const store = await deployment.openEventStore();
    try {
      const [event] = await store.readStream(`user-${slug}.${created.json.id}`);
      expect(event!.data['ignoredAttributes']).toEqual([`${X}:nope`]);
    } finally {
      await store.close();
    }
  });
});
