/**
 * Issue 9, replay: `axis projections replay members` rebuilds the members projection blue/green
 * from a large history while `GET /Users` keeps answering correctly, then switches with no failed
 * request; a second rebuild of the same projection is refused while one runs. Both deployments.
 *
 * Size: REPLAY_TEST_EVENTS, default the 50,000 events (~4,700 users × ~10.6 events): about
 * 40 s per deployment on a 2-core machine (seeding, live catch-up, replay with sampled reads).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { EventStore } from '@axis/event-store';
import { type Deployment, type DeploymentKind, scimClient, startDeployment } from '../support/deployments';
import { readModelDigest, seedUserHistory } from '../support/history';
import { REPO_ROOT, waitFor } from '../support/processes';
import { readModelRows, runCli } from '../support/workspace-admin';

/** One statement on the deployment's read model (PostgreSQL schema or SQLite file). */
async function readModelExec(deployment: Pick<Deployment, 'env'>, sql: string): Promise<void> {
  const env = deployment.env;
  if (env['DATABASE_URL']) {
    const client = new Client({ connectionString: env['DATABASE_URL'] });
    await client.connect();
    try {
      await client.query(`SET search_path TO ${env['READ_MODEL_SCHEMA']}`);
      await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(join(env['DATA_DIR']!, 'read-model.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    db.exec(sql);
  } finally {
    db.close();
  }
}

const kinds: DeploymentKind[] = ['embedded', 'postgres'];
const EVENTS = Number(process.env['REPLAY_TEST_EVENTS'] ?? 50_000);
const UPDATES_PER_USER = 9;

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

  it('rebuilds members while GET /Users keeps answering, and switches with no failed request', async () => {
    const users = Math.ceil(EVENTS / (UPDATES_PER_USER + 1.2));
    const seeded = await seedUserHistory(store, { users, updatesPerUser: UPDATES_PER_USER });
    const scim = scimClient(deployment);
    await waitFor(
      'the live projection to catch up',
      async () => {
        const status = JSON.parse(runCli(deployment, ['projections', 'status', '--json']).stdout) as { consumers: Array<Record<string, unknown>> };
        return status.consumers.find((consumer) => consumer['name'] === 'members')?.['lagEvents'] === 0;
      },
      120_000,
      500,
    );
    const before = await readModelDigest(deployment, ['members', 'member_emails']);
    expect(before.rows).toBeGreaterThanOrEqual(users * 2);
    const probe = seeded.users[Math.floor(users / 2)]!;
    const expectedProbe = (await scim.get(`/Users/${probe}`)).body!;

    // One rebuild per projection at a time: a live lock row (fresh heartbeat) refuses a second one.
    await readModelExec(deployment, `INSERT INTO projection_rebuilds (projection, owner, shadow_suffix, started_at, heartbeat_at) VALUES ('members', 'other-host:1', 'x', '${new Date().toISOString()}', '${new Date().toISOString()}')`);
    const refused = runCli(deployment, ['projections', 'replay', 'members']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('a rebuild of members is already running (other-host:1)');
    await readModelExec(deployment, `DELETE FROM projection_rebuilds WHERE projection = 'members'`);

    const replay = spawn(process.execPath, [resolve(REPO_ROOT, 'apps/cli/dist/main.js'), 'projections', 'replay', 'members', '--drop-old-now'], {
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

    // Sample reads for as long as the replay runs (and a little after the switch).
    const failures: string[] = [];
    let samples = 0;
    while (!finished) {
      const list = await scim.get('/Users?count=5&startIndex=1');
      const one = await scim.get(`/Users/${probe}`);
      samples++;
      if (list.status !== 200 || list.body!['totalResults'] !== users) failures.push(`list ${list.status} ${String(list.body?.['totalResults'])}`);
      if (one.status !== 200 || JSON.stringify(one.body) !== JSON.stringify(expectedProbe)) failures.push(`get ${one.status}`);
      await new Promise((done) => setTimeout(done, 20));
    }
    const code = await exited;
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
  });
});
