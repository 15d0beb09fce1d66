/**
 * Issue 9, replay: `axis projections replay <name>` rebuilds a projection blue/green from a large
 * history while the reads it serves keep answering correctly, then switches with no failed request
 * and the same rows (digest): `members` under `GET /Users`, `groups` under `GET /Groups`,
 * `workspaces` under token authentication. A second rebuild of the same projection is refused while
 * one runs. Both deployments.
 *
 * Size: REPLAY_TEST_EVENTS, default the 50,000 events (~4,700 users × ~10.6 events): about
 * 40 s per deployment on a 2-core machine (seeding, live catch-up, replay with sampled reads);
 * GROUP_REPLAY_TEST_EVENTS (default 10,000) for the groups.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import type { EventStore } from '@axis/event-store';
import { type Deployment, type DeploymentKind, scimClient, startDeployment } from '../support/deployments';
import { readModelDigest, seedGroupHistory, seedUserHistory } from '../support/history';
import { REPO_ROOT, waitFor } from '../support/processes';
import { createWorkspace, http, readModelRows, runCli } from '../support/workspace-admin';

/** Shadow tables of rebuilds on the deployment's read model: PostgreSQL schemas, or SQLite files. */
async function shadowsLeft(deployment: Pick<Deployment, 'env'>): Promise<string[]> {
  const env = deployment.env;
  if (env['DATABASE_URL']) {
    const client = new Client({ connectionString: env['DATABASE_URL'] });
    await client.connect();
    try {
      const rows = await client.query('SELECT schema_name FROM information_schema.schemata WHERE starts_with(schema_name, $1)', [`${env['READ_MODEL_SCHEMA']}_rebuild_`]);
      return rows.rows.map((row: { schema_name: string }) => row.schema_name);
    } finally {
      await client.end();
    }
  }
  return readdirSync(env['DATA_DIR']!).filter((file) => /\.rebuild-[a-z0-9]+$/.test(file));
}

/**
 * Runs `axis projections replay <name> --drop-old-now` and calls `sample` (which records its own
 * failures) again and again until the replay exits, so reads are sampled throughout, switch included.
 */
async function replayWhileSampling(
  deployment: Deployment,
  name: string,
  sample: () => Promise<void>,
): Promise<{ code: number | null; stdout: string; stderr: string; samples: number }> {
  const replay = spawn(process.execPath, [resolve(REPO_ROOT, 'apps/cli/dist/main.js'), 'projections', 'replay', name, '--drop-old-now'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...deployment.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  replay.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  replay.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => replay.once('exit', (code) => done(code)));
  let finished = false;
  void exited.then(() => (finished = true));
  let samples = 0;
  while (!finished) {
    await sample();
    samples++;
    await new Promise((done) => setTimeout(done, 20));
  }
  return { code: await exited, stdout, stderr, samples };
}

/** Waits until `projections status` shows the consumer with no lag. */
async function caughtUp(deployment: Deployment, name: string): Promise<void> {
  await waitFor(
    `${name} to catch up`,
    async () => {
      const status = JSON.parse(runCli(deployment, ['projections', 'status', '--json']).stdout) as { consumers: Array<Record<string, unknown>> };
      return status.consumers.find((consumer) => consumer['name'] === name)?.['lagEvents'] === 0;
    },
    LONG_RUN_MS,
    500,
  );
}

const kinds: DeploymentKind[] = ['embedded', 'postgres'];
const EVENTS = Number(process.env['REPLAY_TEST_EVENTS'] ?? 50_000);
/** Bound for a catch-up or a rebuild of the history: REPLAY_TEST_EVENTS=1000000 takes minutes. */
const LONG_RUN_MS = Math.max(120_000, EVENTS);
const UPDATES_PER_USER = 9;
const GROUP_EVENTS = Number(process.env['GROUP_REPLAY_TEST_EVENTS'] ?? 10_000);
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

describe.each(kinds)('projection replay on %s', (kind) => {
  let deployment: Deployment;
  let store: EventStore;

  beforeAll(async () => {
    deployment = await startDeployment(kind, { CONSUMER_STATE_POLL_MS: '200' });
    store = await deployment.openEventStore();
  });
  afterAll(async () => {
    await store?.close();
    await deployment?.stop();
  });
  afterEach(() => {
    // On a failure, the processes' errors: a sampled read that failed says why in the gateway's log.
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) {
      process.stderr.write(`${deployment.output().split('\n').filter((line) => /"level":(50|60)/.test(line)).slice(0, 20).join('\n')}\n`);
    }
  });

  it('rebuilds members while GET /Users keeps answering, and switches with no failed request', async () => {
    const users = Math.ceil(EVENTS / (UPDATES_PER_USER + 1.2));
    const seeded = await seedUserHistory(store, { users, updatesPerUser: UPDATES_PER_USER });
    const scim = scimClient(deployment);
    await caughtUp(deployment, 'members');
    const before = await readModelDigest(deployment, ['members', 'member_emails']);
    expect(before.rows).toBeGreaterThanOrEqual(users * 2);
    const probe = seeded.users[Math.floor(users / 2)]!;
    const expectedProbe = (await scim.get(`/Users/${probe}`)).body!;


    const failures: string[] = [];
    const { code, stdout, stderr, samples } = await replayWhileSampling(deployment, 'members', async () => {
      const list = await scim.get('/Users?count=5&startIndex=1');
      const one = await scim.get(`/Users/${probe}`);
      if (list.status !== 200 || list.body!['totalResults'] !== users) failures.push(`list ${list.status} ${String(list.body?.['totalResults'])}`);
      if (one.status !== 200 || JSON.stringify(one.body) !== JSON.stringify(expectedProbe)) failures.push(`get ${one.status}`);
    });
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(failures).toEqual([]);
    expect(samples).toBeGreaterThan(5);
    expect(stderr).toMatch(/members: rebuilding \d+\/\d+ events, \d+ events\/s, ETA/);
    expect(stderr).toContain('switched to the rebuilt tables');
    const summary = JSON.parse(stdout.trim().split('\n').pop()!) as { events: number };
    expect(summary.events).toBe(seeded.events);

    // After the switch: same answers, same rows, and the live projection goes on on the new tables.
    for (let n = 0; n < 5; n++) expect((await scim.get('/Users?count=1')).body!['totalResults']).toBe(users);
    expect(await readModelDigest(deployment, ['members', 'member_emails'])).toEqual(before);
    const created = await scim.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'after-replay@example.com', active: true });
    expect(created.status).toBe(201);
    await waitFor('the new user in the rebuilt table', async () => (await readModelRows(deployment, 'members')).some((row) => row['id'] === created.body!['id']));
    expect((await store.readStream('operations-system.log')).map((event) => event.type)).toContain('OPERATOR_PROJECTION_REPLAYED');
  }, 2 * LONG_RUN_MS);

  it('runs one rebuild of a projection at a time, and a new one at once after a killed one', async () => {
    // The members history of the first test is there: its rebuild takes several seconds.
    const before = await readModelDigest(deployment, ['members', 'member_emails']);
    const first = spawn(process.execPath, [resolve(REPO_ROOT, 'apps/projector/dist/replay.js'), 'members', '--drop-old-now'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...deployment.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Frozen as soon as it is under way (a hung rebuild): it holds the lock until it dies.
    let progress = '';
    let frozen = false;
    first.stderr.on('data', (chunk: Buffer) => {
      progress += chunk.toString();
      if (!frozen && progress.includes('members: rebuilding')) frozen = first.kill('SIGSTOP');
    });
    const firstExited = new Promise<void>((done) => first.once('exit', () => done()));
    await waitFor('the first rebuild to be under way', async () => frozen, 60_000, 20);

    const refused = runCli(deployment, ['projections', 'replay', 'members']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/a rebuild of members is already running \(\S+:\d+:\w+, since \S+\); one at a time/);
    // Another projection's rebuild is not held up by it.
    expect(runCli(deployment, ['projections', 'replay', 'workspaces', '--drop-old-now']).status).toBe(0);

    // Killed: its lock dies with it, and its shadow is left behind until the next rebuild.
    first.kill('SIGKILL');
    await firstExited;
    expect(await shadowsLeft(deployment)).toHaveLength(1);
    const next = runCli(deployment, ['projections', 'replay', 'members', '--drop-old-now']);
    expect({ status: next.status, stderr: next.status === 0 ? '' : next.stderr }).toEqual({ status: 0, stderr: '' });
    expect(await shadowsLeft(deployment)).toEqual([]);
    expect(await readModelDigest(deployment, ['members', 'member_emails'])).toEqual(before);
  });

  it('rebuilds groups while GET /Groups keeps answering, and switches to the same rows', async () => {
    const members = await seedUserHistory(store, { users: 300, updatesPerUser: 0, prefix: 'grp' });
    // ~24 events a group: created, 20 deltas of 5 members, renamed, externalId, one member removed.
    const deltas = 20;
    const seeded = await seedGroupHistory(store, { groups: Math.ceil(GROUP_EVENTS / (deltas + 4)), memberIds: members.users, deltas, membersPerDelta: 5 });
    const scim = scimClient(deployment);
    // A group's members carry their display names from the members projection: both must be caught up.
    await caughtUp(deployment, 'groups');
    await caughtUp(deployment, 'members');
    const before = await readModelDigest(deployment, ['groups', 'group_members']);
    expect(before.rows).toBe(seeded.groups.length * 100);
    const probe = seeded.groups[Math.floor(seeded.groups.length / 2)]!;
    const expectedProbe = (await scim.get(`/Groups/${probe}`)).body!;
    expect(expectedProbe['members']).toHaveLength(99);

    const failures: string[] = [];
    let firstDifferentProbe: unknown;
    const { code, stdout, stderr, samples } = await replayWhileSampling(deployment, 'groups', async () => {
      const list = await scim.get('/Groups?count=5&startIndex=1');
      const one = await scim.get(`/Groups/${probe}`);
      if (list.status !== 200 || list.body!['totalResults'] !== seeded.groups.length) failures.push(`list ${list.status} ${String(list.body?.['totalResults'])}`);
      if (one.status !== 200 || JSON.stringify(one.body) !== JSON.stringify(expectedProbe)) {
        failures.push(`get ${one.status}`);
        firstDifferentProbe ??= one.body;
      }
    });
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    // On a failure, the first probe that differed shows how.
    expect({ failures, probe: firstDifferentProbe ?? expectedProbe }).toEqual({ failures: [], probe: expectedProbe });
    expect(samples).toBeGreaterThan(5);
    expect(stderr).toContain('groups: switched to the rebuilt tables');
    expect((JSON.parse(stdout.trim().split('\n').pop()!) as { events: number }).events).toBe(seeded.events);

    expect(await readModelDigest(deployment, ['groups', 'group_members'])).toEqual(before);
    expect(JSON.stringify((await scim.get(`/Groups/${probe}`)).body)).toBe(JSON.stringify(expectedProbe));
    const created = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'after-replay', members: [{ value: members.users[0] }] });
    expect(created.status).toBe(201);
    await waitFor('the new group in the rebuilt table', async () => (await readModelRows(deployment, 'group_members')).some((row) => row['group_id'] === created.body!['id']));
  });

  it('rebuilds workspaces while their SCIM tokens keep authenticating', async () => {
    createWorkspace(deployment, 'replayed');
    const issued = runCli(deployment, ['scim-token', 'create', '--workspace', 'replayed', '--quiet']);
    expect(issued.status).toBe(0);
    const token = issued.stdout.trim();
    const users = () => http(deployment.baseUrl, '/workspaces/replayed/scim/v2/Users?count=1', { headers: { authorization: `Bearer ${token}` } });
    expect((await users()).status).toBe(200);
    await caughtUp(deployment, 'workspaces');
    const tables = ['workspaces', 'scim_tokens', 'admin_keys'];
    const before = await readModelDigest(deployment, tables);

    const failures: number[] = [];
    const { code, stderr } = await replayWhileSampling(deployment, 'workspaces', async () => {
      const answer = await users();
      if (answer.status !== 200) failures.push(answer.status);
    });
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(failures).toEqual([]);
    expect(await readModelDigest(deployment, tables)).toEqual(before);
    // The live projection goes on on the rebuilt tables: a new token is recorded and authenticates.
    const next = runCli(deployment, ['scim-token', 'create', '--workspace', 'replayed', '--quiet']);
    expect(next.status).toBe(0);
    expect((await http(deployment.baseUrl, '/workspaces/replayed/scim/v2/Users?count=1', { headers: { authorization: `Bearer ${next.stdout.trim()}` } })).status).toBe(200);
  });
});
