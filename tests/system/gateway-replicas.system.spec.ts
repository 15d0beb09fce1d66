/**
 * Two gateway replicas on one PostgreSQL read model behave as one gateway: the per-workspace SCIM
 * quota holds for both together, and a write answered by either is seen at once by a read through
 * the other (users, groups, SCIM tokens; both directions).
 */
import { type Deployment, GROUP_SCHEMA_URI, PATCH_OP_URI, startGatewayReplica, startThreeProcesses, USER_SCHEMA_URI } from '../support/deployments';
import { createWorkspace, http, type HttpAnswer, runCli } from '../support/workspace-admin';

jest.setTimeout(180_000);

type Replica = { baseUrl: string; stop(): Promise<void> };

function scimOn(baseUrl: string, slug: string, token: string) {
  return (method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
    http(baseUrl, `/workspaces/${slug}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      ...(body === undefined ? {} : { body }),
    });
}

function createToken(deployment: Deployment, slug: string): string {
  const created = runCli(deployment, ['scim-token', 'create', '--workspace', slug, '--quiet']);
  if (created.status !== 0) throw new Error(`scim-token create failed: ${created.stderr}`);
  return created.stdout.trim();
}

describe('two gateway replicas sharing one workspace quota', () => {
  const RATE = 20;
  const BURST = 20;
  let deployment: Deployment;
  let replica: Replica;

  beforeAll(async () => {
    deployment = await startThreeProcesses({ SCIM_RATE_LIMIT_PER_SECOND: String(RATE), SCIM_RATE_LIMIT_BURST: String(BURST) });
    replica = await startGatewayReplica(deployment);
    createWorkspace(deployment, 'flood');
    createWorkspace(deployment, 'quiet');
  });
  afterAll(async () => {
    await replica?.stop();
    await deployment?.stop();
  });

  it('admits the configured quota across both replicas, not twice it, and leaves another workspace alone', async () => {
    const flood = [deployment.baseUrl, replica.baseUrl].map((baseUrl) => scimOn(baseUrl, 'flood', createToken(deployment, 'flood')));
    const quiet = scimOn(replica.baseUrl, 'quiet', createToken(deployment, 'quiet'));
    // A burst's worth of time for the tokens' creation to leave the bucket full (nothing used it yet).
    const statuses: number[] = [];
    const retryAfters = new Set<string>();
    const started = performance.now();
    let sent = 0;
    // Four clients in flight, each alternating between the replicas, for three seconds.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (performance.now() - started < 3000) {
          const answer = await flood[sent++ % 2]!('GET', '/ServiceProviderConfig');
          statuses.push(answer.status);
          if (answer.status === 429) {
            retryAfters.add(String(answer.headers['retry-after']));
            expect(answer.json).toMatchObject({ status: '429', detail: expect.stringMatching(/^SCIM_RATE_LIMITED: /) });
          }
        }
      }),
    );
    const elapsedSeconds = (performance.now() - started) / 1000;
    const admitted = statuses.filter((status) => status === 200).length;
    const quota = BURST + RATE * elapsedSeconds;
    // The clients offered far more than the quota, so the quota is what was admitted.
    expect(statuses.length).toBeGreaterThan(2 * quota);
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    expect(admitted).toBeLessThanOrEqual(Math.ceil(quota * 1.1));
    expect(admitted).toBeGreaterThanOrEqual(Math.floor(quota * 0.9));
    expect([...retryAfters].every((value) => Number(value) >= 1)).toBe(true);

    // The other workspace has its own bucket, untouched by the flood.
    const answers = await Promise.all(Array.from({ length: 10 }, () => quiet('GET', '/ServiceProviderConfig')));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 10 }, () => 200));
  });
});

describe('read-your-writes across two gateway replicas', () => {
  let deployment: Deployment;
  let replica: Replica;
  let adminKey: string;
  let token: string;

  beforeAll(async () => {
    deployment = await startThreeProcesses();
    replica = await startGatewayReplica(deployment);
    adminKey = createWorkspace(deployment, 'ryw');
    token = createToken(deployment, 'ryw');
  });
  afterAll(async () => {
    await replica?.stop();
    await deployment?.stop();
  });

  const pairs = () =>
    [
      ['A → B', deployment.baseUrl, replica.baseUrl],
      ['B → A', replica.baseUrl, deployment.baseUrl],
    ] as const;

  it('shows a user written through one replica at once through the other', async () => {
    for (const [direction, writeUrl, readUrl] of pairs()) {
      const write = scimOn(writeUrl, 'ryw', token);
      const read = scimOn(readUrl, 'ryw', token);
      for (let round = 0; round < 10; round++) {
        const userName = `ryw-${direction.replace(/\W/g, '')}-${round}@example.com`;
        const created = await write('POST', '/Users', { schemas: [USER_SCHEMA_URI], userName, active: true });
        expect(created.status).toBe(201);
        const id = created.json.id as string;
        const found = await read('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
        expect([direction, found.json.totalResults]).toEqual([direction, 1]);
        expect((await read('GET', `/Users/${id}`)).status).toBe(200);

        const patched = await write('PATCH', `/Users/${id}`, { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', path: 'title', value: `round ${round}` }] });
        expect(patched.status).toBe(200);
        expect([direction, (await read('GET', `/Users/${id}`)).json.title]).toEqual([direction, `round ${round}`]);

        expect((await write('DELETE', `/Users/${id}`)).status).toBe(204);
        expect([direction, (await read('GET', `/Users/${id}`)).status]).toEqual([direction, 404]);
      }
    }
  });

  it('shows a group and its members written through one replica at once through the other', async () => {
    for (const [direction, writeUrl, readUrl] of pairs()) {
      const write = scimOn(writeUrl, 'ryw', token);
      const read = scimOn(readUrl, 'ryw', token);
      const member = await write('POST', '/Users', { schemas: [USER_SCHEMA_URI], userName: `member-${direction.replace(/\W/g, '')}@example.com` });
      for (let round = 0; round < 5; round++) {
        const group = await write('POST', '/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: `Team ${direction} ${round}` });
        expect(group.status).toBe(201);
        const id = group.json.id as string;
        expect([direction, (await read('GET', `/Groups/${id}`)).json.displayName]).toEqual([direction, `Team ${direction} ${round}`]);
        const added = await write('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP_URI], Operations: [{ op: 'add', path: 'members', value: [{ value: member.json.id }] }] });
        expect(added.status).toBeLessThan(300);
        const members = (await read('GET', `/Groups/${id}`)).json.members as Array<{ value: string }> | undefined;
        expect([direction, (members ?? []).map((entry) => entry.value)]).toEqual([direction, [member.json.id]]);
        // The user's own groups, filled by the group projection, follow too.
        const groupsOfMember = (await read('GET', `/Users/${member.json.id}`)).json.groups as Array<{ value: string }> | undefined;
        expect([direction, (groupsOfMember ?? []).map((entry) => entry.value)]).toEqual([direction, [id]]);
        expect((await write('DELETE', `/Groups/${id}`)).status).toBe(204);
        expect([direction, (await read('GET', `/Groups/${id}`)).status]).toEqual([direction, 404]);
      }
    }
  });

  it('accepts a SCIM token created through one replica and refuses one revoked through it, at once through the other', async () => {
    for (const [direction, writeUrl, readUrl] of pairs()) {
      const admin = (method: string, path: string, body?: unknown) =>
        http(writeUrl, `/api/v1/workspaces/ryw${path}`, { method, headers: { authorization: `Bearer ${adminKey}` }, ...(body === undefined ? {} : { body }) });
      for (let round = 0; round < 5; round++) {
        const created = await admin('POST', '/scim-tokens', { description: `${direction} ${round}` });
        expect(created.status).toBe(201);
        const read = scimOn(readUrl, 'ryw', created.json.token as string);
        // Used through the other replica before and after the revocation: its answer must change at once.
        expect([direction, (await read('GET', '/Users?count=1')).status]).toEqual([direction, 200]);
        expect((await admin('DELETE', `/scim-tokens/${created.json.id as string}`)).status).toBe(204);
        expect([direction, (await read('GET', '/Users?count=1')).status]).toEqual([direction, 401]);
      }
    }
  });
});
