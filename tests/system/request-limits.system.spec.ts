/**
 * Issue #23: every request has a bounded cost and every input beyond a limit gets a SCIM 4xx
 * naming it — on the embedded default (SQLite) and on PostgreSQL. Paging numbers no store takes,
 * PATCH operation counts, attribute lengths the indexes cannot hold, and element counts.
 */
import { Client } from 'pg';
import { type Deployment, type DeploymentKind, PATCH_OP_URI, scimClient, startDeployment, USER_SCHEMA_URI } from '../support/deployments';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];
const SEARCH_URI = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const GROUP_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:Group';

describe.each(kinds)('request limits on %s', (kind) => {
  let deployment: Deployment;
  let scim: ReturnType<typeof scimClient>;

  beforeAll(async () => {
    deployment = await startDeployment(kind);
    scim = scimClient(deployment);
    for (const name of ['page-a', 'page-b']) {
      expect((await scim.post('/Users', { schemas: [USER_SCHEMA_URI], userName: `${name}@example.com` })).status).toBe(201);
    }
    expect((await scim.post('/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: 'paging group' })).status).toBe(201);
  });
  afterAll(async () => {
    await deployment?.stop();
  });

  describe('paging numbers no store takes as OFFSET or LIMIT (finding 4)', () => {
    const huge = ['9223372036854775808', '18446744073709551616', '1e308', '-1e308', 'NaN', 'Infinity', '-9223372036854775809', '99999999999999999999999999'];

    it.each(['Users', 'Groups'])('GET /%s answers a page, never a 500', async (resource) => {
      for (const startIndex of huge) {
        for (const count of huge) {
          const response = await scim.get(`/${resource}?startIndex=${encodeURIComponent(startIndex)}&count=${encodeURIComponent(count)}`);
          expect({ startIndex, count, status: response.status }).toEqual({ startIndex, count, status: 200 });
          expect(Number.isSafeInteger(response.body!['startIndex'])).toBe(true);
          expect(response.body!['itemsPerPage']).toBeLessThanOrEqual(200);
        }
      }
      // A startIndex past every result is an empty page, with the real total.
      const beyond = await scim.get(`/${resource}?startIndex=9223372036854775808&count=10`);
      expect(beyond.body).toMatchObject({ Resources: [], itemsPerPage: 0, totalResults: resource === 'Users' ? 2 : 1 });
      // A negative count is 0: only the total.
      expect((await scim.get(`/${resource}?count=-9223372036854775809`)).body).toMatchObject({ itemsPerPage: 0, totalResults: resource === 'Users' ? 2 : 1 });
    });

    it.each(['Users', 'Groups'])('POST /%s/.search answers a page, never a 500', async (resource) => {
      const numbers = ['9223372036854775808', '1e308', '-1e308', '1.7976931348623157e308', '"NaN"', '"9223372036854775808"', '"-1e308"', '-0'];
      for (const startIndex of numbers) {
        for (const count of numbers) {
          const response = await scim.post(`/${resource}/.search`, `{"schemas":["${SEARCH_URI}"],"startIndex":${startIndex},"count":${count}}`);
          expect({ startIndex, count, status: response.status }).toEqual({ startIndex, count, status: 200 });
          expect(Number.isSafeInteger(response.body!['startIndex'])).toBe(true);
        }
      }
      const clamped = await scim.post(`/${resource}/.search`, `{"schemas":["${SEARCH_URI}"],"startIndex":1e308,"count":1e308}`);
      expect(clamped.body).toMatchObject({ Resources: [], itemsPerPage: 0 });
      const all = await scim.post(`/${resource}/.search`, `{"schemas":["${SEARCH_URI}"],"startIndex":-1e308,"count":1e308}`);
      expect(all.body!['itemsPerPage']).toBe(resource === 'Users' ? 2 : 1);
    });
  });

  describe('caps on what one request may write (finding 2, item 2)', () => {
    const codeOf = (body: Record<string, unknown> | undefined) => /^(SCIM_[A-Z_]+): /.exec(String(body?.['detail']))?.[1];
    const user = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER_SCHEMA_URI], userName, ...extra });
    const ops = (n: number) => ({ schemas: [PATCH_OP_URI], Operations: Array.from({ length: n }, (_, i) => ({ op: 'replace', path: 'title', value: `t${i}` })) });
    const long = (n: number) => '中'.repeat(n);

    it('refuses what goes over a limit with a SCIM error naming it, and takes what is at the limit', async () => {
      const created = await scim.post('/Users', user('caps@example.com'));
      expect(created.status).toBe(201);
      const id = created.body!['id'] as string;
      const group = await scim.post('/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: 'caps group' });
      const groupId = group.body!['id'] as string;
      const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `caps${i}@example.com` }));
      const cases: Array<[string, Promise<{ status: number; body?: Record<string, unknown> }>, number, string, string]> = [
        ['user PATCH over 1,000 operations', scim.patch(`/Users/${id}`, ops(1_001)), 413, 'SCIM_PAYLOAD_TOO_LARGE', 'at most 1000 operations'],
        ['group PATCH over 1,000 operations', scim.patch(`/Groups/${groupId}`, ops(1_001)), 413, 'SCIM_PAYLOAD_TOO_LARGE', 'at most 1000 operations'],
        ['userName over 512', scim.post('/Users', user(long(513))), 400, 'SCIM_INVALID_VALUE', '"userName" is longer than 512 characters'],
        ['externalId over 512 (PUT)', scim.put(`/Users/${id}`, user('caps@example.com', { externalId: long(513) })), 400, 'SCIM_INVALID_VALUE', '"externalId" is longer than 512'],
        ['displayName over 512 (PATCH)', scim.patch(`/Users/${id}`, { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', path: 'displayName', value: long(513) }] }), 400, 'SCIM_INVALID_VALUE', '"displayName" is longer than 512'],
        ['an email over 512', scim.post('/Users', user('caps-email@example.com', { emails: [{ value: `${long(510)}@x.io` }] })), 400, 'SCIM_INVALID_VALUE', '"emails.value" is longer than 512'],
        ['a group displayName over 512', scim.post('/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: long(513) }), 400, 'SCIM_INVALID_VALUE', '"displayName" is longer than 512'],
        ['101 emails', scim.post('/Users', user('caps-many@example.com', { emails: emails(101) })), 400, 'SCIM_INVALID_VALUE', 'at most 100 per attribute'],
        ['101 phone numbers by PATCH', scim.patch(`/Users/${id}`, { schemas: [PATCH_OP_URI], Operations: [{ op: 'add', path: 'phoneNumbers', value: Array.from({ length: 101 }, (_, i) => ({ value: `+1555${i}` })) }] }), 400, 'SCIM_INVALID_VALUE', '"phoneNumbers" has 101 values'],
        ['a resource over 32 Ki characters', scim.post('/Users', user('caps-big@example.com', { emails: Array.from({ length: 40 }, (_, i) => ({ value: `big${i}@example.com`, display: 'd'.repeat(2_000) })) })), 400, 'SCIM_INVALID_VALUE', 'a resource may be at most 32768'],
      ];
      for (const [what, pending, status, code, detail] of cases) {
        const response = await pending;
        expect({ what, status: response.status, code: codeOf(response.body) }).toEqual({ what, status, code });
        expect(response.body!['detail']).toContain(detail);
      }
      // At the limits: 512 three-byte characters (1,536 bytes) fit every index of the read model.
      const atLimit = await scim.post('/Users', user(long(512), { externalId: long(512), displayName: long(512), emails: [{ value: `${long(505)}@x.io`, primary: true }, ...emails(99)] }));
      expect(atLimit.status).toBe(201);
      expect((await scim.patch(`/Users/${id}`, ops(1_000))).status).toBe(200);
      expect((await scim.post('/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: long(512), externalId: long(512) })).status).toBe(201);
      const found = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${long(512)}"`)}`);
      expect(found.body).toMatchObject({ totalResults: 1 });
    });
  });

  describe('a budget on the size of a list page (item 2)', () => {
    it('answers fewer resources than count when they would pass 2 Mi characters, and pages through all of them', async () => {
      const big = (i: number) => ({
        schemas: [USER_SCHEMA_URI],
        userName: `sized-${i}@example.com`,
        emails: Array.from({ length: 50 }, (_, k) => ({ value: `sized-${i}-${k}@example.com`, display: 'd'.repeat(520) })),
      });
      for (let i = 0; i < 80; i += 10) {
        const created = await Promise.all(Array.from({ length: 10 }, (_, k) => scim.post('/Users', big(i + k))));
        expect(created.map((response) => response.status)).toEqual(Array(10).fill(201));
      }
      const filter = encodeURIComponent('userName sw "sized-"');
      const first = await scim.get(`/Users?filter=${filter}&count=200`);
      expect(first.body).toMatchObject({ totalResults: 80, startIndex: 1 });
      const perPage = first.body!['itemsPerPage'] as number;
      expect(perPage).toBeGreaterThan(0);
      expect(perPage).toBeLessThan(80);
      expect(JSON.stringify(first.body).length).toBeLessThan(2.2 * 1024 * 1024);
      const seen = new Set<string>();
      for (let startIndex = 1; startIndex <= 80; ) {
        const page = await scim.get(`/Users?filter=${filter}&count=200&startIndex=${startIndex}`);
        const resources = page.body!['Resources'] as Array<{ id: string }>;
        expect(resources.length).toBe(page.body!['itemsPerPage']);
        for (const resource of resources) seen.add(resource.id);
        startIndex += resources.length;
      }
      expect(seen.size).toBe(80);
    });

    it('bounds a page of groups the same way, members included', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 500; i += 25) {
        const created = await Promise.all(Array.from({ length: 25 }, (_, k) => scim.post('/Users', { schemas: [USER_SCHEMA_URI], userName: `member-${i + k}@example.com` })));
        ids.push(...created.map((response) => response.body!['id'] as string));
      }
      const members = ids.map((value) => ({ value }));
      for (let i = 0; i < 30; i += 5) {
        const created = await Promise.all(Array.from({ length: 5 }, (_, k) => scim.post('/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: `crowded ${i + k}`, members })));
        expect(created.map((response) => response.status)).toEqual(Array(5).fill(201));
      }
      const filter = encodeURIComponent('displayName sw "crowded "');
      const first = await scim.get(`/Groups?filter=${filter}&count=200`);
      expect(first.body).toMatchObject({ totalResults: 30, startIndex: 1 });
      expect(first.body!['itemsPerPage']).toBeLessThan(30);
      expect(JSON.stringify(first.body).length).toBeLessThan(2.2 * 1024 * 1024);
      // Without members a page of the same groups is small and whole.
      expect((await scim.get(`/Groups?filter=${filter}&count=200&excludedAttributes=members`)).body).toMatchObject({ itemsPerPage: 30 });
    });
  });
});

/**
 * A read past SCIM_READ_TIMEOUT_MS is cancelled by PostgreSQL (statement_timeout on the gateway's
 * read-model connections) and answered 503 with Retry-After; the gateway keeps serving. The budget
 * is 50 ms and the filter reads ten JSON attributes of each of 200,000 members (about 0.3 s a query
 * here without a budget); the lookup after it is one index probe.
 */
describe('read time budget on postgres', () => {
  let deployment: Deployment;
  let scim: ReturnType<typeof scimClient>;

  beforeAll(async () => {
    deployment = await startDeployment('postgres', { SCIM_READ_TIMEOUT_MS: '50' });
    scim = scimClient(deployment);
  });
  afterAll(async () => {
    await deployment?.stop();
  });

  async function onReadModel(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
    const client = new Client({ connectionString: deployment.env['DATABASE_URL'], options: `-c search_path=${deployment.env['READ_MODEL_SCHEMA']}` });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Array<Record<string, unknown>>;
    } finally {
      await client.end();
    }
  }

  it('cancels a read past the budget with a SCIM 503 and Retry-After, and serves the next request', async () => {
    const created = await scim.post('/Users', { schemas: [USER_SCHEMA_URI], userName: 'budget@example.com', title: 'Engineer' });
    expect(created.status).toBe(201);
    const id = created.body!['id'] as string;
    // The POST answers before the projection has the member; a read waits for it (read-your-writes).
    // Copying earlier copied nothing, and the "heavy" read then ran over one row inside the budget.
    expect((await scim.get(`/Users/${id}`)).status).toBe(200);
    // Copies of the projected member, written straight into the read model (no timeout on this connection).
    await onReadModel(
      `INSERT INTO members (id, workspace_id, user_name, user_name_lc, external_id, display_name, given_name, family_name, active, source, resource, revision, created_at, updated_at, primary_email)
       SELECT id || '-' || g, workspace_id, g || user_name, g || user_name_lc, NULL, display_name, given_name, family_name, active, source, resource, revision, created_at, updated_at, primary_email
       FROM members, generate_series(1, 200000) g WHERE id = $1`,
      [id],
    );
    await onReadModel('ANALYZE members');
    expect(await onReadModel('SELECT count(*)::int AS n FROM members')).toEqual([{ n: 200_001 }]);
    const attributes = ['title', 'nickName', 'profileUrl', 'locale', 'timezone', 'preferredLanguage', 'userType', 'name.middleName', 'name.honorificPrefix', 'name.honorificSuffix'];
    // Every copy matches (title "Engineer"), so the page sorts all 200,001 by a JSON value and the
    // total counts them: far past 50 ms on any machine, whatever plan PostgreSQL picks.
    const heavy = await scim.get(`/Users?sortBy=title&filter=${encodeURIComponent(['title co "engineer"', ...attributes.map((attribute) => `${attribute} co "zzz"`)].join(' or '))}`);
    expect(heavy.status).toBe(503);
    expect(heavy.headers.get('retry-after')).toBe('5');
    expect(heavy.body).toMatchObject({ status: '503', detail: expect.stringMatching(/^SCIM_READ_TIMEOUT: /) });
    const lookup = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "budget@example.com"')}`);
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({ totalResults: 1 });
    expect(deployment.output()).not.toMatch(/unexpected error/);
  });
});

