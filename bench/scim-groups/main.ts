/**
 * SCIM /Groups benchmark: `npm run bench:scim-groups`. Spawns the three-process deployment on
 * PostgreSQL (gateway, projector, notifier from apps/<name>/dist/main.js, fresh schemas, rate limit
 * off) the way tests/support/deployments.ts does, then:
 *   1. provisions BENCH_GROUP_MEMBERS (default 50,000) + 1,000 users;
 *   2. builds one group of BENCH_GROUP_MEMBERS members with PATCHes of 1,000 (`add members`);
 *   3. measures PATCH adding 1,000 more members in one request (then removing them again, timed
 *      apart), BENCH_ROUNDS times (default 100) — the p99 target is < 600 ms;
 *   4. measures `GET /Groups/{id}?excludedAttributes=members` (Entra's read) — target < 20 ms p99;
 *   5. restarts the gateway and times the first 1,000-member PATCH on a cold cache (the stream of
 *      the group is replayed once per process).
 * Needs DATABASE_URL (`. /tmp/axis-env.sh` or deploy/local/up.sh) and a build (`npm run build`).
 * Prints a table, then ONE JSON line with `add1000P99Ms` and `getExcludedMembersP99Ms`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';

const REPO_ROOT = resolve(__dirname, '../../..');
const GROUP_MEMBERS = Number(process.env['BENCH_GROUP_MEMBERS'] ?? 50_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 100);
const GETS = Number(process.env['BENCH_GETS'] ?? 2000);
const CONCURRENCY = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
/** Concurrent readers for the GET latency measurement (1: plain request latency). */
const GET_CONNECTIONS = Number(process.env['BENCH_GET_CONNECTIONS'] ?? 1);
const BATCH = 1000;
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface App {
  name: string;
  process: ChildProcess;
  output: () => string;
}

interface Deployment {
  baseUrl: string;
  token: string;
  env: Record<string, string>;
  apps: App[];
}

function startApp(name: string, env: Record<string, string>): App {
  const child = spawn(process.execPath, [resolve(REPO_ROOT, `apps/${name}/dist/main.js`)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  return { name, process: child, output: () => output };
}

async function stopApp(app: App): Promise<void> {
  if (app.process.exitCode !== null || app.process.signalCode !== null) return;
  const exited = new Promise<void>((done) => app.process.once('exit', () => done()));
  app.process.kill('SIGTERM');
  const timer = setTimeout(() => app.process.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForReady(deployment: Deployment): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${deployment.baseUrl}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`gateway not ready\n${deployment.apps.map((app) => `--- ${app.name}\n${app.output()}`).join('\n')}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function startDeployment(databaseUrl: string): Promise<Deployment> {
  const suffix = randomBytes(4).toString('hex');
  const port = await freePort();
  const token = `scim_${randomBytes(24).toString('hex')}`;
  const env = {
    DATABASE_URL: databaseUrl,
    EVENT_STORE_SCHEMA: `b_es_${suffix}`,
    READ_MODEL_SCHEMA: `b_rm_${suffix}`,
    SCIM_BEARER_TOKEN: token,
    SCIM_RATE_LIMIT_PER_SECOND: '0',
    PORT: String(port),
  };
  const deployment = { baseUrl: `http://127.0.0.1:${port}`, token, env, apps: ['scim-gateway', 'projector', 'notifier'].map((name) => startApp(name, env)) };
  await waitForReady(deployment);
  return deployment;
}

async function restartGateway(deployment: Deployment): Promise<void> {
  const index = deployment.apps.findIndex((app) => app.name === 'scim-gateway');
  await stopApp(deployment.apps[index]!);
  deployment.apps[index] = startApp('scim-gateway', deployment.env);
  await waitForReady(deployment);
}

async function stopDeployment(deployment: Deployment, databaseUrl: string): Promise<void> {
  await Promise.all(deployment.apps.map((app) => stopApp(app)));
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${deployment.env['EVENT_STORE_SCHEMA']} CASCADE`);
  await client.query(`DROP SCHEMA IF EXISTS ${deployment.env['READ_MODEL_SCHEMA']} CASCADE`);
  await client.end();
}

async function call(deployment: Deployment, method: string, path: string, body?: unknown): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${deployment.baseUrl}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${deployment.token}`, 'content-type': 'application/scim+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

function expectStatus(answer: { status: number; text: string }, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
}

async function provisionUsers(deployment: Deployment, count: number): Promise<string[]> {
  const ids = new Array<string>(count);
  let next = 0;
  const run = `${Date.now().toString(36)}`;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let index = next++; index < count; index = next++) {
        const created = await call(deployment, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: `gm-${run}-${index}@bench.example`, displayName: `Bench ${index}` });
        expectStatus(created, 201, 'POST /Users');
        ids[index] = (JSON.parse(created.text) as { id: string }).id;
        if (index > 0 && index % 10_000 === 0) process.stderr.write(`  ${index} users …\n`);
      }
    }),
  );
  return ids;
}

const membersPatch = (op: 'add' | 'remove', ids: readonly string[]) =>
  op === 'add'
    ? { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }] }
    : // Entra's default-mode removal: a value list removes those members only.
      { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'members', value: ids.map((value) => ({ value })) }] };

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index]! * 10) / 10;
}

async function main(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: `. /tmp/axis-env.sh` or start deploy/local/up.sh');
  process.stderr.write('starting gateway, projector and notifier on PostgreSQL …\n');
  const deployment = await startDeployment(databaseUrl);
  try {
    process.stderr.write(`provisioning ${GROUP_MEMBERS + BATCH} users …\n`);
    const provisionStarted = performance.now();
    const users = await provisionUsers(deployment, GROUP_MEMBERS + BATCH);
    const usersPerSec = Math.round(users.length / ((performance.now() - provisionStarted) / 1000));
    const members = users.slice(0, GROUP_MEMBERS);
    const extra = users.slice(GROUP_MEMBERS);

    const created = await call(deployment, 'POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: `Bench group ${Date.now()}`, members: [] });
    expectStatus(created, 201, 'POST /Groups');
    const groupId = (JSON.parse(created.text) as { id: string }).id;
    process.stderr.write(`building a group of ${GROUP_MEMBERS} members …\n`);
    const build: number[] = [];
    for (let start = 0; start < members.length; start += BATCH) {
      const answer = await call(deployment, 'PATCH', `/Groups/${groupId}`, membersPatch('add', members.slice(start, start + BATCH)));
      expectStatus(answer, 204, 'PATCH add (build)');
      build.push(answer.ms);
    }

    process.stderr.write(`PATCH +1,000 members on a ${GROUP_MEMBERS}-member group, ${ROUNDS} rounds …\n`);
    const adds: number[] = [];
    const removes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const add = await call(deployment, 'PATCH', `/Groups/${groupId}`, membersPatch('add', extra));
      expectStatus(add, 204, 'PATCH add');
      adds.push(add.ms);
      const remove = await call(deployment, 'PATCH', `/Groups/${groupId}`, membersPatch('remove', extra));
      expectStatus(remove, 204, 'PATCH remove');
      removes.push(remove.ms);
    }

    // Projector lag: until the read model shows the last PATCH's version (a read of this gateway
    // would wait for it anyway: read-your-writes).
    const lastVersion = `W/"${Math.ceil(GROUP_MEMBERS / BATCH) + 2 * ROUNDS}"`;
    const lagStarted = performance.now();
    for (;;) {
      const answer = await call(deployment, 'GET', `/Groups/${groupId}?excludedAttributes=members`);
      if ((JSON.parse(answer.text) as { meta: { version: string } }).meta.version === lastVersion) break;
      if (performance.now() - lagStarted > 60_000) throw new Error(`read model did not reach ${lastVersion}: ${answer.text}`);
      await new Promise((done) => setTimeout(done, 5));
    }
    const projectorCatchUpMs = Math.round(performance.now() - lagStarted);
    const full = await call(deployment, 'GET', `/Groups/${groupId}`);
    expectStatus(full, 200, 'GET group');
    const fullMembers = ((JSON.parse(full.text) as { members?: unknown[] }).members ?? []).length;
    if (fullMembers !== GROUP_MEMBERS) throw new Error(`expected ${GROUP_MEMBERS} members, read ${fullMembers}`);

    process.stderr.write(`GET /Groups/{id}?excludedAttributes=members × ${GETS} …\n`);
    const gets: number[] = [];
    let nextGet = 0;
    await Promise.all(
      Array.from({ length: GET_CONNECTIONS }, async () => {
        while (nextGet++ < GETS) {
          const answer = await call(deployment, 'GET', `/Groups/${groupId}?excludedAttributes=members`);
          expectStatus(answer, 200, 'GET excluded members');
          if (answer.text.includes('"members"')) throw new Error('members were returned');
          gets.push(answer.ms);
        }
      }),
    );

    process.stderr.write('restarting the gateway: first PATCH on a cold cache …\n');
    await restartGateway(deployment);
    const cold = await call(deployment, 'PATCH', `/Groups/${groupId}`, membersPatch('add', extra));
    expectStatus(cold, 204, 'PATCH add (cold)');
    const warmAgain = await call(deployment, 'PATCH', `/Groups/${groupId}`, membersPatch('remove', extra));
    expectStatus(warmAgain, 204, 'PATCH remove (after cold)');

    const figures = {
      groupMembers: GROUP_MEMBERS,
      rounds: ROUNDS,
      add1000P50Ms: percentile(adds, 50),
      add1000P99Ms: percentile(adds, 99),
      add1000MaxMs: percentile(adds, 100),
      remove1000P50Ms: percentile(removes, 50),
      remove1000P99Ms: percentile(removes, 99),
      buildPatchP99Ms: percentile(build, 99),
      add1000ColdCacheMs: Math.round(cold.ms),
      getExcludedMembersP50Ms: percentile(gets, 50),
      getExcludedMembersP99Ms: percentile(gets, 99),
      getFullGroupMs: Math.round(full.ms),
      projectorCatchUpMs,
      usersPerSec,
    };
    const rows: Array<[string, keyof typeof figures]> = [
      ['group members', 'groupMembers'],
      ['PATCH +1,000 members p50 ms', 'add1000P50Ms'],
      ['PATCH +1,000 members p99 ms (< 600)', 'add1000P99Ms'],
      ['PATCH +1,000 members max ms', 'add1000MaxMs'],
      ['PATCH −1,000 members p99 ms', 'remove1000P99Ms'],
      ['PATCH +1,000, cold cache ms', 'add1000ColdCacheMs'],
      ['GET excludedAttributes=members p50 ms', 'getExcludedMembersP50Ms'],
      ['GET excludedAttributes=members p99 ms (< 20)', 'getExcludedMembersP99Ms'],
      [`GET with all ${GROUP_MEMBERS} members ms`, 'getFullGroupMs'],
      ['read model caught up after the rounds, ms', 'projectorCatchUpMs'],
      ['POST /Users per second (setup)', 'usersPerSec'],
    ];
    console.log(`${'metric'.padEnd(48)}${'postgres'.padStart(12)}`);
    for (const [label, key] of rows) console.log(`${label.padEnd(48)}${String(figures[key]).padStart(12)}`);
    console.log(JSON.stringify(figures));
  } catch (error) {
    process.stderr.write(deployment.apps.map((app) => `--- ${app.name}\n${app.output()}`).join('\n'));
    throw error;
  } finally {
    await stopDeployment(deployment, databaseUrl);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
