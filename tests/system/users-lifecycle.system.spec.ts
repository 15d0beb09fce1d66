/**
 * The user lifecycle over SCIM against both deployments: the embedded default (SQLite, one
 * process) and three processes on PostgreSQL. Responses, stored events and concurrency rules.
 */
import type { EventStore, RecordedEvent } from '@axis/event-store';
import { Client } from 'pg';
import {
  type Deployment,
  type DeploymentKind,
  PATCH_OP_URI,
  type ScimBody,
  scimClient,
  startDeployment,
  USER_SCHEMA_URI,
} from '../support/deployments';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(kinds)('user lifecycle on %s', (kind) => {
  let deployment: Deployment;
  let store: EventStore;
  let scim: ReturnType<typeof scimClient>;

  beforeAll(async () => {
    deployment = await startDeployment(kind);
    store = await deployment.openEventStore();
    scim = scimClient(deployment);
    // Autovacuum kept off the members table: whatever analyses it here is the projector.
    if (kind === 'postgres') await onReadModel('ALTER TABLE members SET (autovacuum_enabled = false)');
  });
  afterAll(async () => {
    await store?.close();
    await deployment?.stop();
  });

  const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({
    schemas: [USER_SCHEMA_URI],
    userName,
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ value: userName, type: 'work', primary: true }],
    active: true,
    ...extra,
  });
  const streamOf = (id: string) => store.readStream(`user-default.${id}`);
  const types = (events: RecordedEvent[]) => events.map((event) => event.type);

  it('creates, reads with ETags, patches, deactivates, reactivates and deletes a user', async () => {
    const created = await scim.post('/Users', newUser('life@example.com', { externalId: 'ext-life' }));
    expect(created.status).toBe(201);
    const id = created.body!['id'] as string;
    expect(created.headers.get('location')).toBe(`${deployment.baseUrl}/scim/v2/Users/${id}`);
    expect(created.headers.get('etag')).toBe('W/"0"');
    expect(created.headers.get('content-type')).toContain('application/scim+json');

    const read = await scim.get(`/Users/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, userName: 'life@example.com', externalId: 'ext-life', active: true, meta: { version: 'W/"0"' } });
    expect((await scim.get(`/Users/${id}`, { 'if-none-match': 'W/"0"' })).status).toBe(304);

    // Entra's dialect: capitalised ops, string booleans, a filtered path that creates the element.
    const patched = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP_URI],
      Operations: [
        { op: 'Replace', path: 'name.givenName', value: 'Augusta' },
        { op: 'Replace', path: 'emails[type eq "home"].value', value: 'ada@home.example' },
        { op: 'Replace', path: 'displayName', value: 'Ada' },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: { givenName: 'Augusta', familyName: 'Lovelace' }, displayName: 'Ada' });
    expect(patched.headers.get('etag')).toBe('W/"1"');
    const updated = (await streamOf(id))[1]!;
    expect(updated.type).toBe('ACCOUNT_SCIM_USER_UPDATED');
    expect(updated.data['changedAttributes']).toEqual(['displayName', 'emails', 'name']);

    // The same PATCH again changes nothing and appends nothing.
    const again = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP_URI],
      Operations: [{ op: 'Replace', path: 'displayName', value: 'Ada' }],
    });
    expect(again.status).toBe(200);
    expect(await streamOf(id)).toHaveLength(2);

    // Okta's pathless deactivation; the user is still returned by GET and filters.
    const deactivated = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP_URI],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivated.body).toMatchObject({ active: false });
    expect(types(await streamOf(id))).toEqual(['ACCOUNT_SCIM_USER_CREATED', 'ACCOUNT_SCIM_USER_UPDATED', 'ACCOUNT_SCIM_USER_DEACTIVATED']);
    const filtered = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "LIFE@example.com"')}`);
    expect(filtered.body).toMatchObject({ totalResults: 1, Resources: [{ id, active: false }] });

    // PUT with active true reactivates (Okta's way); a stale If-Match is refused.
    const { meta: _meta, ...resource } = deactivated.body!;
    expect((await scim.put(`/Users/${id}`, { ...resource, active: true }, { 'if-match': 'W/"0"' })).status).toBe(412);
    const reactivated = await scim.put(`/Users/${id}`, { ...resource, active: true }, { 'if-match': 'W/"2"' });
    expect(reactivated.status).toBe(200);
    expect(types(await streamOf(id)).at(-1)).toBe('ACCOUNT_SCIM_USER_REACTIVATED');

    expect((await scim.delete(`/Users/${id}`)).status).toBe(204);
    expect((await scim.get(`/Users/${id}`)).status).toBe(404);
    expect(types(await streamOf(id)).at(-1)).toBe('ACCOUNT_SCIM_USER_DELETED');
    // A deleted user's userName and email may be provisioned again.
    expect((await scim.post('/Users', newUser('life@example.com', { externalId: 'ext-life' }))).status).toBe(201);
  });

  it('gives exactly one 201 and nineteen 409s for 20 concurrent creates of one userName', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => scim.post('/Users', newUser('race@example.com', { externalId: `race-${index}` }))),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    const conflict = responses.find((response) => response.status === 409)!;
    expect(conflict.body).toMatchObject({ scimType: 'uniqueness', status: '409' });
    expect(JSON.stringify(conflict.body)).toContain('SCIM_USER_CONFLICT');
    const createdStreams = new Set<string>();
    for (let after: string | 'start' = 'start'; ; ) {
      const batch = await store.readAll({ after, maxCount: 1000, filter: { eventTypes: ['ACCOUNT_SCIM_USER_CREATED'] } });
      for (const event of batch) if (event.data['userName'] === 'race@example.com') createdStreams.add(event.streamName);
      if (batch.length < 1000) break;
      after = batch[batch.length - 1]!.position;
    }
    expect(createdStreams.size).toBe(1);
  });

  it('refuses a duplicate primary email or externalId, and a refused create holds no value', async () => {
    expect((await scim.post('/Users', newUser('first@example.com', { externalId: 'same-ext' }))).status).toBe(201);
    const duplicateEmail = await scim.post('/Users', {
      ...newUser('second@example.com'),
      emails: [{ value: 'FIRST@example.com', primary: true }],
    });
    expect(duplicateEmail.status).toBe(409);
    expect((await scim.post('/Users', newUser('third@example.com', { externalId: 'same-ext' }))).status).toBe(409);
    // second@ and third@ were refused: their userNames are free at once.
    expect((await scim.post('/Users', newUser('second@example.com'))).status).toBe(201);
    expect((await scim.post('/Users', newUser('third@example.com'))).status).toBe(201);
  });

  it('keeps every one of 50 concurrent PATCHes without If-Match', async () => {
    const created = await scim.post('/Users', newUser('busy@example.com'));
    const id = created.body!['id'] as string;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        scim.patch(`/Users/${id}`, {
          schemas: [PATCH_OP_URI],
          Operations: [{ op: 'add', path: 'emails', value: [{ value: `alias${index}@example.com`, type: 'other' }] }],
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(Array(50).fill(200));
    const read = await scim.get(`/Users/${id}`);
    const values = (read.body!['emails'] as Array<{ value: string }>).map((email) => email.value);
    for (let index = 0; index < 50; index++) expect(values).toContain(`alias${index}@example.com`);
  });

  it('finds a user by filter right after creating it, 1,000 times out of 1,000', async () => {
    const misses: string[] = [];
    // Four IdP workers at once, each POST immediately followed by its GET.
    await Promise.all(
      Array.from({ length: 4 }, async (_, worker) => {
        for (let index = worker; index < 1000; index += 4) {
          const userName = `ryw${index}@example.com`;
          const created = await scim.post('/Users', newUser(userName));
          expect(created.status).toBe(201);
          const found = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
          if (found.body?.['totalResults'] !== 1) misses.push(userName);
        }
      }),
    );
    expect(misses).toEqual([]);
  });

  it('answers a lookup right after a rename or a delete as the write left things: old value gone, new value found', async () => {
    const lookup = async (attribute: string, value: string) =>
      (await scim.get(`/Users?filter=${encodeURIComponent(`${attribute} eq "${value}"`)}`)).body?.['totalResults'];
    for (let round = 0; round < 20; round++) {
      const before = `rename${round}@example.com`;
      const after = `renamed${round}@example.com`;
      const created = await scim.post('/Users', newUser(before, { externalId: `ext-rename-${round}` }));
      expect(created.status).toBe(201);
      const id = created.body!['id'] as string;
      const renamed = await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', path: 'userName', value: after }] });
      expect(renamed.status).toBe(200);
      expect(await lookup('userName', before)).toBe(0);
      expect(await lookup('userName', after.toUpperCase())).toBe(1);
      expect((await scim.delete(`/Users/${id}`)).status).toBe(204);
      expect(await lookup('userName', after)).toBe(0);
      expect(await lookup('externalId', `ext-rename-${round}`)).toBe(0);
    }
  });

  if (kind === 'postgres') {
    it('analyses the members table once a thousand members have filled it, so lookups stop scanning it', async () => {
      // The test above created 1,000 members; autovacuum would take a minute or more.
      await waitUntil(async () => {
        const [members] = await onReadModel(`SELECT reltuples FROM pg_class WHERE oid = 'members'::regclass`);
        return Number(members!['reltuples']) >= 1000;
      }, 15_000);
    });
  }

  async function onReadModel(sql: string): Promise<Array<Record<string, unknown>>> {
    const client = new Client({ connectionString: deployment.env['DATABASE_URL'], options: `-c search_path=${deployment.env['READ_MODEL_SCHEMA']}` });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Array<Record<string, unknown>>;
    } finally {
      await client.end();
    }
  }

  it('answers bad input with SCIM errors and leaves stored state untouched', async () => {
    const created = await scim.post('/Users', newUser('strict@example.com'));
    const id = created.body!['id'] as string;
    const before = await streamOf(id);
    const cases: Array<[string, Promise<{ status: number; body?: ScimBody }>, number, string]> = [
      ['malformed JSON', scim.post('/Users', '{"userName": '), 400, 'SCIM_INVALID_SYNTAX'],
      ['missing userName', scim.post('/Users', { schemas: [USER_SCHEMA_URI] }), 400, 'SCIM_INVALID_VALUE'],
      ['SCIM 1.1 schemas', scim.post('/Users', { schemas: ['urn:scim:schemas:core:1.0'], userName: 'x@example.com' }), 400, 'SCIM_SCHEMA_MISMATCH'],
      ['bad filter', scim.get(`/Users?filter=${encodeURIComponent('userName eq')}`), 400, 'SCIM_INVALID_FILTER'],
      ['unknown filter attribute', scim.get(`/Users?filter=${encodeURIComponent('shoeSize gt 3')}`), 400, 'SCIM_INVALID_FILTER'],
      ['invalid PATCH path', scim.patch(`/Users/${id}`, { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', path: 'emails[type eq', value: 'x' }] }), 400, 'SCIM_INVALID_PATH'],
      ['immutable id', scim.patch(`/Users/${id}`, { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', path: 'id', value: 'other' }] }), 400, 'SCIM_MUTABILITY'],
      ['PUT on the collection', scim.put('/Users', newUser('x@example.com')), 405, 'SCIM_METHOD_NOT_ALLOWED'],
      ['unknown user', scim.get('/Users/00000000-0000-4000-8000-000000000000'), 404, 'SCIM_NOT_FOUND'],
      // Both stores must agree: PostgreSQL cannot keep U+0000 or a lone surrogate, so neither store takes them.
      ['U+0000 in userName', scim.post('/Users', '{"schemas":["' + USER_SCHEMA_URI + '"],"userName":"nul\\u0000@example.com"}'), 400, 'SCIM_INVALID_VALUE'],
      ['a lone surrogate in a PATCH value', scim.patch(`/Users/${id}`, '{"schemas":["' + PATCH_OP_URI + '"],"Operations":[{"op":"replace","path":"title","value":"\\ud800"}]}'), 400, 'SCIM_INVALID_VALUE'],
      ['U+0000 in a filter', scim.get(`/Users?filter=${encodeURIComponent('userName eq "a\u0000b"')}`), 400, 'SCIM_INVALID_FILTER'],
      ['a string over 16,384 characters', scim.post('/Users', newUser('long@example.com', { displayName: 'x'.repeat(16_385) })), 400, 'SCIM_INVALID_VALUE'],
      ['JSON nested 2,000 levels', scim.post('/Users', '['.repeat(2_000) + ']'.repeat(2_000)), 400, 'SCIM_INVALID_SYNTAX'],
      ['body over the limit', scim.post('/Users', newUser('big@example.com', { displayName: 'x'.repeat(2 * 1024 * 1024) })), 413, 'SCIM_PAYLOAD_TOO_LARGE'],
    ];
    for (const [what, pending, status, code] of cases) {
      const response = await pending;
      expect({ what, status: response.status }).toEqual({ what, status });
      expect({ what, body: response.body }).toMatchObject({ what, body: { status: String(status) } });
      expect(JSON.stringify(response.body)).toContain(code);
    }
    const wrongType = await fetch(`${deployment.baseUrl}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deployment.token}`, 'content-type': 'text/plain' },
      body: 'userName=x',
    });
    expect(wrongType.status).toBe(415);
    expect(await streamOf(id)).toEqual(before);

    // Each refusal is recorded for the Security Console (throttled per code, so at least once each).
    const recorded = new Set<string>();
    await waitUntil(async () => {
      for (const event of await store.readStream('rejection-default.log')) recorded.add(event.type);
      return ['SCIM_INVALID_SYNTAX', 'SCIM_INVALID_VALUE', 'SCIM_SCHEMA_MISMATCH', 'SCIM_INVALID_FILTER', 'SCIM_INVALID_PATH', 'SCIM_MUTABILITY'].every(
        (code) => recorded.has(code),
      );
    });
    // A stranger's malformed request learns nothing from the parser: it is refused as unauthenticated.
    const stranger = await fetch(`${deployment.baseUrl}/scim/v2/Users`, {
      method: 'POST',
      headers: { 'content-type': 'application/scim+json' },
      body: '{"userName": ',
    });
    expect(stranger.status).toBe(401);
  });
});
