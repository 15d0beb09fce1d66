/**
 * Session revocation latency: `npm run bench:revocation` (needs DATABASE_URL; `deploy/local/up.sh`).
 * Spawns gateway, projector and notifier on PostgreSQL (throw-away schemas), then for each of
 * BENCH_USERS users (default 250): create the user over SCIM, open a session, PATCH active:false,
 * and poll the session's introspection until the first 401. Reports the time from the PATCH
 * response to that 401 (p50/p90/p99/max); prints a table, then ONE line of JSON with
 * `revocationP50Ms` and `revocationP99Ms`. BENCH_LANES users run at once (default 4).
 * EVENT_STORE_POLL_INTERVAL_MS, when set, is passed to the services (the projector's fallback poll
 * bounds the tail: see apps/projector/README.md). Other work on the same PostgreSQL cluster that
 * holds transactions open delays every subscriber (lag, never loss) and shows up as outliers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';

const USERS = Number(process.env['BENCH_USERS'] ?? 250);
const LANES = Number(process.env['BENCH_LANES'] ?? 4);
const REVOCATION_TIMEOUT_MS = 10_000;
const REPO_ROOT = resolve(__dirname, '../../..');

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface Sample {
  revocationMs: number;
  patchMs: number;
  polls: number;
}

async function main(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: start PostgreSQL with deploy/local/up.sh and export its --env output');
  const suffix = randomBytes(4).toString('hex');
  const schemas = { events: `bench_rev_es_${suffix}`, readModel: `bench_rev_rm_${suffix}` };
  const token = `scim_${randomBytes(24).toString('hex')}`;
  const serviceKey = randomBytes(24).toString('hex');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env['PATH'] ?? '',
    DATABASE_URL: databaseUrl,
    EVENT_STORE_SCHEMA: schemas.events,
    READ_MODEL_SCHEMA: schemas.readModel,
    SCIM_BEARER_TOKEN: token,
    SESSION_SERVICE_KEY: serviceKey,
    // The bench drives one workspace far above any IdP's rate.
    SCIM_RATE_LIMIT_PER_SECOND: '0',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ...passThrough('EVENT_STORE_POLL_INTERVAL_MS'),
  };
  const apps = ['scim-gateway', 'projector', 'notifier'].map((name) => startApp(name, env));
  try {
    await waitUntil('the gateway to be ready', async () => (await fetch(`${baseUrl}/readyz`)).ok, 60_000);
    const scim = (method: string, path: string, body?: unknown) =>
      fetch(`${baseUrl}/scim/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const internal = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
      fetch(`${baseUrl}/internal/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${serviceKey}`, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    async function measureOne(index: number): Promise<Sample> {
      const created = await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: `bench.${suffix}.${index}@example.com`, externalId: `ext-${index}` });
      if (created.status !== 201) throw new Error(`create user: ${created.status} ${await created.text()}`);
      const userId = ((await created.json()) as { id: string }).id;
      const opened = await internal('POST', '/workspaces/default/sessions', {}, { memberId: userId });
      if (opened.status !== 201) throw new Error(`create session: ${opened.status} ${await opened.text()}`);
      const sessionToken = ((await opened.json()) as { token: string }).token;
      const introspect = async () => {
        const response = await internal('GET', '/sessions/introspect', { 'x-session-token': sessionToken });
        await response.arrayBuffer();
        return response.status;
      };
      const before = await introspect();
      if (before !== 200) throw new Error(`introspection before deactivation: ${before}`);

      const patchStarted = performance.now();
      const patched = await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
      await patched.arrayBuffer();
      const patchAnswered = performance.now();
      if (patched.status !== 200 && patched.status !== 204) throw new Error(`PATCH: ${patched.status}`);
      let polls = 0;
      for (;;) {
        polls++;
        const status = await introspect();
        if (status === 401) return { revocationMs: performance.now() - patchAnswered, patchMs: patchAnswered - patchStarted, polls };
        if (status !== 200) throw new Error(`introspection: ${status}`);
        if (performance.now() - patchAnswered > REVOCATION_TIMEOUT_MS) throw new Error(`session still valid ${REVOCATION_TIMEOUT_MS} ms after the PATCH`);
      }
    }

    // Warm-up (JIT, connection pools), not measured.
    for (let i = 0; i < 5; i++) await measureOne(-1 - i);

    const samples: Sample[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: LANES }, async () => {
        for (;;) {
          const index = next++;
          if (index >= USERS) return;
          samples.push(await measureOne(index));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const revocation = samples.map((sample) => sample.revocationMs).sort((a, b) => a - b);
    const patch = samples.map((sample) => sample.patchMs).sort((a, b) => a - b);
    const polls = samples.map((sample) => sample.polls).sort((a, b) => a - b);
    const figures = {
      users: samples.length,
      lanes: LANES,
      eventStorePollIntervalMs: Number(process.env['EVENT_STORE_POLL_INTERVAL_MS'] ?? 250),
      revocationP50Ms: round(percentile(revocation, 50)),
      revocationP90Ms: round(percentile(revocation, 90)),
      revocationP99Ms: round(percentile(revocation, 99)),
      revocationMaxMs: round(revocation[revocation.length - 1]!),
      patchP50Ms: round(percentile(patch, 50)),
      patchP99Ms: round(percentile(patch, 99)),
      introspectionPollsP50: percentile(polls, 50),
      usersPerSec: round(samples.length / seconds),
    };
    const rows: Array<[string, string]> = [
      ['users (lanes)', `${figures.users} (${LANES})`],
      ['EVENT_STORE_POLL_INTERVAL_MS', String(figures.eventStorePollIntervalMs)],
      ['PATCH → first 401, p50', `${figures.revocationP50Ms} ms`],
      ['PATCH → first 401, p90', `${figures.revocationP90Ms} ms`],
      ['PATCH → first 401, p99', `${figures.revocationP99Ms} ms`],
      ['PATCH → first 401, max', `${figures.revocationMaxMs} ms`],
      ['PATCH latency p50 / p99', `${figures.patchP50Ms} / ${figures.patchP99Ms} ms`],
      ['introspections until 401, p50', String(figures.introspectionPollsP50)],
      ['users measured per second', String(figures.usersPerSec)],
    ];
    console.log('Session revocation on PostgreSQL (gateway + projector + notifier as processes)');
    for (const [name, value] of rows) console.log(`  ${name.padEnd(34)} ${value}`);
    // Consumer failures and retries explain outliers; show them rather than hide them.
    for (const app of apps) {
      const complaints = app.output().split('\n').filter((line) => /"level":(40|50|60)/.test(line));
      if (complaints.length > 0) console.log(`  ${app.name} logged ${complaints.length} warning(s)/error(s), e.g. ${complaints[0]!.slice(0, 300)}`);
    }
    console.log(JSON.stringify(figures));
  } finally {
    await Promise.all(apps.map(stopApp));
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schemas.events} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${schemas.readModel} CASCADE`);
    await client.end();
  }
}

interface App {
  name: string;
  child: ChildProcess;
  output: () => string;
}

function startApp(name: string, env: Record<string, string>): App {
  const child = spawn(process.execPath, [resolve(REPO_ROOT, `apps/${name}/dist/main.js`)], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) process.stderr.write(`${name} exited with ${code}:\n${output}\n`);
  });
  return { name, child, output: () => output };
}

async function stopApp(app: App): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  const exited = new Promise<void>((done) => app.child.once('exit', () => done()));
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Lets a run try a setting of the services (e.g. EVENT_STORE_POLL_INTERVAL_MS=25). */
function passThrough(name: string): Record<string, string> {
  const value = process.env[name];
  return value === undefined ? {} : { [name]: value };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:revocation failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
