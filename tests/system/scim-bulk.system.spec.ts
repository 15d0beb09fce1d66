/**
 * `POST /Bulk` (RFC 7644 §3.7) on both deployments, sent to a workspace's own endpoint
 * (`/workspaces/<slug>/scim/v2/Bulk`) with one of its tokens: bulkId references resolved across
 * operations whatever their order, results in request order with location, version and status,
 * failOnErrors, refused references (unknown, circular, onto a failed POST), the advertised limits
 * enforced with 413, and each operation audited and logged as the single request it stands for.
 * Then, on the embedded default, the per-workspace rate limit: each operation counts as one request.
 */
import { type Deployment, type DeploymentKind, startDeployment, USER_SCHEMA_URI, PATCH_OP_URI } from '../support/deployments';
import { waitFor } from '../support/processes';
import { createWorkspace, http, type Json } from '../support/workspace-admin';

const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const kinds: DeploymentKind[] = ['embedded', 'postgres'];

jest.setTimeout(180_000);

const user = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER_SCHEMA_URI], userName, ...extra });
const bulkOf = (operations: unknown[], extra: Record<string, unknown> = {}) => ({ schemas: [BULK_REQUEST], Operations: operations, ...extra });

async function workspaceClient(deployment: Deployment, slug: string) {
  const adminKey = createWorkspace(deployment, slug);
  const admin = (method: string, path: string, body?: unknown) =>
    http(deployment.baseUrl, `/api/v1/workspaces/${slug}${path}`, { method, headers: { authorization: `Bearer ${adminKey}` }, ...(body === undefined ? {} : { body }) });
  const token = (await admin('POST', '/scim-tokens', { description: 'Bulk client' })).json.token as string;
  const scim = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    http(deployment.baseUrl, `/workspaces/${slug}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', ...headers },
      ...(body === undefined ? {} : { body }),
    });
  return { admin, scim };
}

describe.each(kinds)('SCIM /Bulk on %s', (kind) => {
  let deployment: Deployment;
  let client: Awaited<ReturnType<typeof workspaceClient>>;

  beforeAll(async () => {
    deployment = await startDeployment(kind);
    client = await workspaceClient(deployment, 'bulk');
  });
  afterAll(async () => deployment?.stop());
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`${deployment.output()}\n`);
  });

  it('advertises bulk with its limits', async () => {
    const config = await client.scim('GET', '/ServiceProviderConfig');
    expect(config.json.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1_048_576 });
  });

  it('resolves bulkId references whatever their order, and answers in request order with location, version and status', async () => {
    const bulk = await client.scim(
      'POST',
      '/Bulk',
      bulkOf([
        // The group comes first and refers to users created after it: it waits for them.
        { method: 'POST', path: '/Groups', bulkId: 'team', data: { schemas: [GROUP_SCHEMA], displayName: 'Bulk team', members: [{ value: 'bulkId:ada' }, { value: 'bulkId:bob' }] } },
        { method: 'POST', path: '/Users', bulkId: 'ada', data: user('ada@bulk.example', { externalId: 'ext-ada' }) },
        { method: 'POST', path: '/Users', bulkId: 'bob', data: user('bob@bulk.example') },
        { method: 'PATCH', path: '/Users/bulkId:bob', data: { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', path: 'active', value: false }] } },
      ]),
    );
    expect(bulk.status).toBe(200);
    expect(bulk.json.schemas).toEqual([BULK_RESPONSE]);
    const [team, ada, bob, patched] = bulk.json.Operations as Json[];
    expect(bulk.json.Operations.map((operation: Json) => [operation.method, operation.bulkId, operation.status])).toEqual([
      ['POST', 'team', '201'],
      ['POST', 'ada', '201'],
      ['POST', 'bob', '201'],
      ['PATCH', undefined, '200'],
    ]);
    const idOf = (operation: Json) => String(operation.location).split('/').pop()!;
    expect(ada.location).toMatch(new RegExp(`/workspaces/bulk/scim/v2/Users/[\\w-]+$`));
    expect(team.location).toMatch(new RegExp(`/workspaces/bulk/scim/v2/Groups/[\\w-]+$`));
    expect(patched.location).toBe(bob.location);
    for (const operation of [team, ada, bob, patched]) expect(operation.version).toMatch(/^W\/"\d+"$/);
    expect(patched.version).not.toBe(bob.version);

    // Read back through the single-resource routes: the references became the new ids.
    const group = await client.scim('GET', `/Groups/${idOf(team)}`);
    expect(group.json.members.map((member: Json) => member.value).sort()).toEqual([idOf(ada), idOf(bob)].sort());
    expect((await client.scim('GET', `/Users/${idOf(bob)}`)).json.active).toBe(false);
    expect((await client.scim('GET', `/Users/${idOf(ada)}`)).json.groups.map((entry: Json) => entry.value)).toEqual([idOf(team)]);

    // Each operation is audited and logged as the request it stands for.
    await waitFor(
      'the bulk operations in the audit log',
      async () => {
        const codes = ((await client.admin('GET', '/audit?limit=50')).json.entries as Json[]).map((entry) => `${entry.code} ${entry.target?.id ?? ''}`);
        return (
          codes.includes(`ACCOUNT_SCIM_USER_CREATED ${idOf(ada)}`) &&
          codes.includes(`ACCOUNT_SCIM_USER_DEACTIVATED ${idOf(bob)}`) &&
          codes.some((code) => code.startsWith('ACCOUNT_SCIM_GROUP_CREATED'))
        );
      },
      30_000,
    );
    await waitFor(
      'the bulk operations in the SCIM request log',
      async () => {
        const logged = ((await client.admin('GET', '/scim-requests?limit=50')).json.items as Json[]).map((item) => `${item.method} ${item.path} ${item.status}`);
        return ['POST /workspaces/bulk/scim/v2/Bulk 200', 'POST /workspaces/bulk/scim/v2/Users 201', 'POST /workspaces/bulk/scim/v2/Groups 201', `PATCH /workspaces/bulk/scim/v2/Users/${idOf(bob)} 200`].every((line) =>
          logged.includes(line),
        );
      },
      30_000,
    );
  });

  it('runs the operations on one resource in request order while the others run beside them', async () => {
    const id = (await client.scim('POST', '/Users', user('ordered@bulk.example'))).json.id as string;
    const titles = Array.from({ length: 6 }, (_, index) => `Title ${index}`);
    const operations = titles.flatMap((title, index) => [
      { method: 'PATCH', path: `/Users/${id}`, data: { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', path: 'title', value: title }] } },
      { method: 'POST', path: '/Users', bulkId: `beside${index}`, data: user(`beside${index}@bulk.example`) },
    ]);
    const bulk = await client.scim('POST', '/Bulk', bulkOf([...operations, { method: 'DELETE', path: `/Users/${id}` }]));
    expect(bulk.status).toBe(200);
    const results = bulk.json.Operations as Json[];
    expect(results.map((operation) => operation.status)).toEqual([...titles.flatMap(() => ['200', '201']), '204']);
    const versions = results.filter((operation) => operation.method === 'PATCH').map((operation) => Number(/\d+/.exec(operation.version)![0]));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(titles.length);
    expect((await client.scim('GET', `/Users/${id}`)).status).toBe(404);
  });

  it('stops after failOnErrors errors and applies nothing after them', async () => {
    expect((await client.scim('POST', '/Users', user('taken@bulk.example'))).status).toBe(201);
    const bulk = await client.scim(
      'POST',
      '/Bulk',
      bulkOf(
        [
          { method: 'POST', path: '/Users', bulkId: 'first', data: user('first@bulk.example') },
          { method: 'POST', path: '/Users', bulkId: 'dup', data: user('taken@bulk.example') },
          { method: 'POST', path: '/Users', bulkId: 'never', data: user('never@bulk.example') },
        ],
        { failOnErrors: 1 },
      ),
    );
    expect(bulk.status).toBe(200);
    expect(bulk.json.Operations.map((operation: Json) => [operation.bulkId, operation.status])).toEqual([
      ['first', '201'],
      ['dup', '409'],
    ]);
    const conflict = bulk.json.Operations[1].response;
    expect(conflict).toEqual({ schemas: [ERROR_SCHEMA], status: '409', scimType: 'uniqueness', detail: expect.stringMatching(/^SCIM_USER_CONFLICT: /) });
    const never = await client.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "never@bulk.example"')}`);
    expect(never.json.totalResults).toBe(0);
  });

  it('refuses unknown and circular references, references onto a failed POST, and malformed operations, and runs the rest', async () => {
    const bulk = await client.scim(
      'POST',
      '/Bulk',
      bulkOf([
        { method: 'POST', path: '/Groups', bulkId: 'g1', data: { schemas: [GROUP_SCHEMA], displayName: 'Loop 1', members: [{ value: 'bulkId:g2' }] } },
        { method: 'POST', path: '/Groups', bulkId: 'g2', data: { schemas: [GROUP_SCHEMA], displayName: 'Loop 2', members: [{ value: 'bulkId:g1' }] } },
        { method: 'PATCH', path: '/Users/bulkId:nobody', data: { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', path: 'title', value: 'x' }] } },
        { method: 'POST', path: '/Users', bulkId: 'bad', data: user('') },
        { method: 'POST', path: '/Groups', bulkId: 'after-bad', data: { schemas: [GROUP_SCHEMA], displayName: 'After bad', members: [{ value: 'bulkId:bad' }] } },
        { method: 'GET', path: '/Users' },
        { method: 'POST', path: '/Users', data: user('no-bulk-id@bulk.example') },
        { method: 'POST', path: '/Users', bulkId: 'fine', data: user('fine@bulk.example') },
      ]),
    );
    expect(bulk.status).toBe(200);
    const outcome = (bulk.json.Operations as Json[]).map((operation) => [operation.bulkId ?? null, operation.status, operation.response?.scimType ?? null]);
    expect(outcome).toEqual([
      ['g1', '409', 'invalidValue'],
      ['g2', '409', 'invalidValue'],
      [null, '409', 'invalidValue'],
      ['bad', '400', expect.any(String)],
      ['after-bad', '409', 'invalidValue'],
      [null, '400', 'invalidValue'],
      [null, '400', 'invalidValue'],
      ['fine', '201', null],
    ]);
    expect(bulk.json.Operations[0].response.detail).toMatch(/circular bulkId reference/);
    expect(bulk.json.Operations[4].response.detail).toMatch(/bulkId:bad, whose POST failed/);
    for (const operation of bulk.json.Operations as Json[]) if (operation.response) expect(operation.response.schemas).toEqual([ERROR_SCHEMA]);
    const loops = await client.scim('GET', `/Groups?filter=${encodeURIComponent('displayName sw "Loop"')}`);
    expect(loops.json.totalResults).toBe(0);
  });

  it('answers 413 beyond maxOperations and maxPayloadSize, and 400 for a body that is no BulkRequest', async () => {
    const many = Array.from({ length: 1001 }, (_, index) => ({ method: 'DELETE', path: `/Users/nobody-${index}` }));
    const tooMany = await client.scim('POST', '/Bulk', bulkOf(many));
    expect(tooMany.status).toBe(413);
    expect(tooMany.json).toEqual({ schemas: [ERROR_SCHEMA], status: '413', detail: expect.stringMatching(/^SCIM_PAYLOAD_TOO_LARGE: .*maxOperations/) });
    const big = await client.scim('POST', '/Bulk', bulkOf([{ method: 'POST', path: '/Users', bulkId: 'big', data: user('big@bulk.example', { title: 'x'.repeat(1_100_000) }) }]));
    expect(big.status).toBe(413);
    expect(big.json.schemas).toEqual([ERROR_SCHEMA]);
    const notBulk = await client.scim('POST', '/Bulk', { schemas: [USER_SCHEMA_URI], Operations: [] });
    expect(notBulk.status).toBe(400);
    expect(notBulk.json.scimType).toBe('invalidSyntax');
  });
});

describe('SCIM /Bulk under the workspace rate limit (embedded)', () => {
  let deployment: Deployment;

  beforeAll(async () => {
    // 5 requests at once, then 1 a second: the bulk request itself takes one.
    deployment = await startDeployment('embedded', { SCIM_RATE_LIMIT_PER_SECOND: '1', SCIM_RATE_LIMIT_BURST: '5' });
  });
  afterAll(async () => deployment?.stop());

  it('counts each operation as one request: those over the quota are 429 in their place', async () => {
    const client = await workspaceClient(deployment, 'paced');
    const operations = Array.from({ length: 8 }, (_, index) => ({ method: 'POST', path: '/Users', bulkId: `u${index}`, data: user(`paced${index}@bulk.example`) }));
    const bulk = await client.scim('POST', '/Bulk', bulkOf(operations));
    expect(bulk.status).toBe(200);
    const statuses = (bulk.json.Operations as Json[]).map((operation) => operation.status);
    // Operations run several at once, so which ones the bucket admits is not fixed; how many is
    // (the 4 tokens left, and 1 more if a second passed).
    const created = statuses.filter((status) => status === '201').length;
    expect(created).toBeGreaterThanOrEqual(4);
    expect(created).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === '429')).toHaveLength(8 - created);
    for (const limited of (bulk.json.Operations as Json[]).filter((operation) => operation.status === '429')) {
      expect(limited.response).toEqual({ schemas: [ERROR_SCHEMA], status: '429', detail: expect.stringMatching(/^SCIM_RATE_LIMITED: /) });
    }
  });
});
