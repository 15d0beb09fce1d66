/**
 * The cost curve: `npm run bench:scale` (issue #24, items 5 and 6). Needs PostgreSQL
 * (`eval "$(bash deploy/local/up.sh --env)"`) and a build (`npm run -s build`).
 *
 * Starts the three processes on PostgreSQL as the system tests do (rate limit off, fsync on) and
 * grows ONE workspace through the product to each of BENCH_SCALE_SIZES (default
 * 10000,100000,1000000) in turn, measuring at each size before growing further:
 * - growth: 1,000-operation `/Bulk` user creations, BENCH_BULK_IN_FLIGHT (default 4) in flight. As the
 *   users arrive, groups of realistic sizes are filled as an IdP does (POST the group, then PATCH
 *   `add members` in chunks of 100): one "All employees" group up to 10,000 members, and every user
 *   in one department of 50–500 members. Then the projections are waited for (consumer lag 0);
 * - p99, BENCH_SCALE_CONNECTIONS (default 8, an IdP's handful) in flight for BENCH_SECONDS
 *   (default 10) after BENCH_WARMUP_SECONDS (default 3) unmeasured, of: `userName eq` of random
 *   existing users, `userName co` a 4-character substring of one (what the product answers; non-2xx
 *   counted in `coFilterErrors`),
 *   PATCH replacing a random user's `title` (every one a change, so an append), and
 *   `GET /Groups/{id}` of the 10,000-member group, members included;
 * - `replaySeconds`: `node apps/projector/dist/replay.js members --drop-old-now` (what
 *   `axis projections replay members` runs) on the whole history, the processes running;
 * - max RSS of gateway, projector and notifier (/proc/<pid>/status VmRSS, sampled every second
 *   from the growth to this size to the end of its measurements);
 * - `eventStoreBytesPerMember`: pg_total_relation_size of the event store schema's tables (indexes
 *   and TOAST included) over the members; the same for the read model (the SCIM request log's rows,
 *   one per request and per /Bulk operation, included);
 * - last, `postPerSec`: POST /Users at the same concurrency and duration. Its users count toward the
 *   next size (`members` is the count the reads above ran on).
 * Two gateways (`twoGatewaysPostRatio`): at the first size, a second gateway process on the same
 * database (same environment, another PORT) and the POST run again with the same total in flight,
 * connections taking the two gateways in turn; the ratio of two over one. The CPU each process (and
 * all of PostgreSQL's) used during both runs, in cores, says what limits it.
 * Progress lines on stderr. Prints a table (rows = figures, columns = sizes), the three targets'
 * verdicts, then ONE JSON line: {"scale.<size>.<figure>":…,"twoGatewaysPostRatio":…,…}.
 * Targets (issue #24): at 1,000,000 members `userName eq` p99 ≤ 20 ms, POST/s ≥ 80 % of its
 * 10,000-member figure, every process ≤ 400 MB RSS.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { type Deployment, GROUP_SCHEMA_URI, PATCH_OP_URI, startGatewayReplica, startThreeProcesses } from '../../tests/support/deployments';
import { REPO_ROOT } from '../../tests/support/processes';
import { type LoadTarget, machineScore, rssMb, settle, userBody, warmMedian } from '../scim-users/main';
import { flatten, formatTable, parseSizes, type SizeFigures, targetSummary } from './scale-report';

const SIZES = parseSizes(process.env['BENCH_SCALE_SIZES'] ?? '10000,100000,1000000');
const CONNECTIONS = Number(process.env['BENCH_SCALE_CONNECTIONS'] ?? 8);
const BULK_IN_FLIGHT = Number(process.env['BENCH_BULK_IN_FLIGHT'] ?? 4);
const BULK_OPERATIONS = 1000;
const BIG_GROUP_MEMBERS = 10_000;
const MEMBERS_PER_PATCH = 100;
const DEPARTMENT_SIZES = { min: 50, max: 500 };
/** Users remembered (a uniform sample of all) for the lookups and PATCHes. */
const SAMPLE_SIZE = 20_000;
const SETTLE_TIMEOUT_MS = 3_600_000;
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

const progress = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

interface User {
  id: string;
  userName: string;
}

/** A uniform sample of every user created so far (reservoir sampling). */
class UserSample {
  readonly users: User[] = [];
  private seen = 0;

  add(user: User): void {
    this.seen += 1;
    if (this.users.length < SAMPLE_SIZE) this.users.push(user);
    else {
      const slot = Math.floor(Math.random() * this.seen);
      if (slot < SAMPLE_SIZE) this.users[slot] = user;
    }
  }

  pick(): User {
    return this.users[Math.floor(Math.random() * this.users.length)]!;
  }
}

/** Calls the deployment's SCIM API; a non-2xx answer throws with its body. */
async function scim<T>(target: LoadTarget & { baseUrl: string }, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${target.baseUrl}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/scim+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * The groups an IdP keeps beside its users: "All employees" up to 10,000 members and departments
 * of 50–500, each created then filled with PATCHes of 100 members. Runs beside the /Bulk growth;
 * PATCHes of one group go one after another, as an IdP sends them.
 */
class GroupFiller {
  bigGroupId = '';
  bigGroupMembers = 0;
  private bigGroupChain: Promise<void> = Promise.resolve();
  private department: string[] = [];
  private departmentSize = randomDepartmentSize();
  private departments = 0;
  private readonly pending = new Set<Promise<void>>();
  failures = 0;

  constructor(private readonly deployment: Deployment) {}

  async start(): Promise<void> {
    this.bigGroupId = (await scim<{ id: string }>(this.deployment, 'POST', '/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: 'All employees' })).id;
  }

  /** New users: into the big group while it has room, and each into a department. */
  add(ids: string[]): void {
    const intoBigGroup = ids.slice(0, Math.max(0, BIG_GROUP_MEMBERS - this.bigGroupMembers));
    this.bigGroupMembers += intoBigGroup.length;
    for (const chunk of chunks(intoBigGroup, MEMBERS_PER_PATCH)) {
      this.bigGroupChain = this.bigGroupChain.then(() => this.track(this.addMembers(this.bigGroupId, chunk)));
    }
    for (const id of ids) {
      this.department.push(id);
      if (this.department.length >= this.departmentSize) this.flushDepartment();
    }
  }

  /** Waits for every group write sent so far (a partly filled department is created too). */
  async drain(): Promise<void> {
    if (this.department.length > 0) this.flushDepartment();
    await this.bigGroupChain;
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Group writes in flight: the growth waits when there are many, so groups keep up with users. */
  get inFlight(): number {
    return this.pending.size;
  }

  private flushDepartment(): void {
    const members = this.department;
    const name = `Department ${++this.departments}`;
    this.department = [];
    this.departmentSize = randomDepartmentSize();
    const work = (async () => {
      const { id } = await scim<{ id: string }>(this.deployment, 'POST', '/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: name });
      for (const chunk of chunks(members, MEMBERS_PER_PATCH)) await this.addMembers(id, chunk);
    })();
    void this.track(work);
  }

  private async addMembers(groupId: string, ids: string[]): Promise<void> {
    await scim(this.deployment, 'PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_OP_URI],
      Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
    });
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.catch((error: unknown) => {
      this.failures += 1;
      if (this.failures <= 5) progress(`group write failed: ${String(error)}`);
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
    return tracked;
  }
}

function randomDepartmentSize(): number {
  return DEPARTMENT_SIZES.min + Math.floor(Math.random() * (DEPARTMENT_SIZES.max - DEPARTMENT_SIZES.min + 1));
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** One /Bulk request of `count` user creations; the users it created. */
async function bulkCreate(deployment: Deployment, count: number): Promise<User[]> {
  const bodies = Array.from({ length: count }, () => JSON.parse(userBody('s')) as { userName: string });
  const answer = await scim<{ Operations: Array<{ bulkId?: string; status: string; location?: string }> }>(deployment, 'POST', '/Bulk', {
    schemas: [BULK_REQUEST],
    Operations: bodies.map((data, index) => ({ method: 'POST', path: '/Users', bulkId: String(index), data })),
  });
  const created: User[] = [];
  for (const operation of answer.Operations) {
    if (operation.status !== '201' || !operation.location || operation.bulkId === undefined) continue;
    created.push({ id: operation.location.slice(operation.location.lastIndexOf('/') + 1), userName: bodies[Number(operation.bulkId)]!.userName });
  }
  if (created.length < count) progress(`  a bulk request created ${created.length} of ${count} users`);
  return created;
}

/** Grows the workspace by `count` users through /Bulk, BULK_IN_FLIGHT requests at once; users/s. */
async function grow(deployment: Deployment, count: number, sample: UserSample, groups: GroupFiller): Promise<number> {
  const started = performance.now();
  let claimed = 0;
  let created = 0;
  let lastReport = started;
  await Promise.all(
    Array.from({ length: BULK_IN_FLIGHT }, async () => {
      while (claimed < count) {
        const batch = Math.min(BULK_OPERATIONS, count - claimed);
        claimed += batch;
        // Groups are written as the IdP writes them, beside the users: not left for later.
        while (groups.inFlight > 16) await new Promise((done) => setTimeout(done, 20));
        const users = await bulkCreate(deployment, batch);
        users.forEach((user) => sample.add(user));
        groups.add(users.map((user) => user.id));
        created += users.length;
        if (performance.now() - lastReport > 15_000) {
          lastReport = performance.now();
          progress(`  grown by ${created} of ${count} (${Math.round(created / ((lastReport - started) / 1000))} users/s)`);
        }
      }
    }),
  );
  await groups.drain();
  return Math.round(created / ((performance.now() - started) / 1000));
}

/** Max VmRSS of each named process, sampled every second while running. */
class RssSampler {
  private max = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly processes: () => Array<{ name: string; pid: number | undefined }>) {
    this.timer = setInterval(() => this.sample(), 1000);
  }

  sample(): void {
    for (const { name, pid } of this.processes()) {
      try {
        this.max.set(name, Math.max(this.max.get(name) ?? 0, rssMb(pid)));
      } catch {
        // The process is gone (a replay that ended between the listing and the read).
      }
    }
  }

  /** The maxima since the last call, then starts again. */
  take(): Map<string, number> {
    this.sample();
    const taken = this.max;
    this.max = new Map();
    return taken;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** p99 (and rate) of one request shape at CONNECTIONS in flight, after the warm-up. */
async function measured(target: LoadTarget, name: string, request: () => { method: 'GET' | 'POST' | 'PATCH'; path: string; body?: string }) {
  const run = await warmMedian(target, name, request, CONNECTIONS);
  progress(`  ${name}: ${run.perSec}/s, p50 ${run.p50} ms, p99 ${run.p99} ms${run.errors > 0 ? `, ${run.errors} errors` : ''}`);
  return run;
}

const postRequest = () => ({ method: 'POST' as const, path: '/Users', body: userBody('p') });

async function membersCount(deployment: Deployment): Promise<number> {
  return (await scim<{ totalResults: number }>(deployment, 'GET', '/Users?count=0')).totalResults;
}

/** Bytes of every table of a schema, indexes and TOAST included. */
async function schemaBytes(deployment: Deployment, schema: string): Promise<number> {
  const client = new Client({ connectionString: deployment.env['DATABASE_URL'] });
  await client.connect();
  try {
    const result = await client.query<{ bytes: string | null }>(
      `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'm')`,
      [schema],
    );
    return Number(result.rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

/** `axis projections replay members` on the deployment's stores: seconds and events, its RSS sampled. */
async function replayMembers(deployment: Deployment, replays: Array<{ name: string; pid: number | undefined }>): Promise<{ seconds: number; events: number }> {
  const child = spawn(process.execPath, ['--max-semi-space-size=64', resolve(REPO_ROOT, 'apps/projector/dist/replay.js'), 'members', '--drop-old-now'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...deployment.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  replays.push({ name: 'replay', pid: child.pid });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
  replays.splice(0);
  if (code !== 0) throw new Error(`replay of members exited ${code}: ${stderr.slice(-1000)}`);
  const summary = JSON.parse(stdout.trim().split('\n').pop()!) as { seconds: number; events: number };
  return { seconds: Math.round(summary.seconds * 10) / 10, events: summary.events };
}

/** CPU seconds a process used so far (user + system), from /proc/<pid>/stat. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command; clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Every PostgreSQL server process of the machine (the database is shared: other users' work counts too). */
function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The busy CPU seconds of the whole machine so far, from /proc/stat. */
function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const idle = ticks[3]! + ticks[4]!;
  return (ticks.slice(0, 8).reduce((sum, value) => sum + value, 0) - idle) / 100;
}

/** Cores each process used while `work` ran. */
async function cpuDuring<T>(processes: Array<{ name: string; pid: number | undefined }>, work: () => Promise<T>): Promise<{ result: T; cores: Record<string, number> }> {
  const snapshot = (): Record<string, number> => ({
    ...Object.fromEntries(processes.map(({ name, pid }) => [name, cpuSeconds(pid)])),
    bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    machine: machineBusySeconds(),
  });
  // PostgreSQL's backends come and go with connections: one started during the run counts from 0.
  const postgresBefore = new Map(postgresPids().map((pid) => [pid, cpuSeconds(pid)]));
  const before = snapshot();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const after = snapshot();
  after['postgres'] = postgresPids().reduce((sum, pid) => sum + cpuSeconds(pid) - (postgresBefore.get(pid) ?? 0), 0);
  before['postgres'] = 0;
  const cores = Object.fromEntries(Object.keys(after).map((name) => [name, Math.round(((after[name]! - before[name]!) / seconds) * 100) / 100]));
  return { result, cores };
}

interface TwoGateways {
  onePerSec: number;
  twoPerSec: number;
  ratio: number;
  coresOne: Record<string, number>;
  coresTwo: Record<string, number>;
}

/** POST/s of one gateway, then of two on the same database, same total in flight. */
async function twoGateways(deployment: Deployment): Promise<TwoGateways> {
  const second = await startGatewayReplica(deployment);
  try {
    const processes = [...deployment.pids(), { name: 'scim-gateway 2', pid: second.pid }];
    progress('two gateways: POST on one gateway …');
    const one = await cpuDuring(processes, () => measured(deployment, 'POST, one gateway', postRequest));
    await settle(deployment, SETTLE_TIMEOUT_MS);
    progress('two gateways: POST on two gateways, connections in turn …');
    const two = await cpuDuring(processes, () => measured({ token: deployment.token, baseUrl: [deployment.baseUrl, second.baseUrl] }, 'POST, two gateways', postRequest));
    progress(`  cores used, one gateway: ${JSON.stringify(one.cores)}`);
    progress(`  cores used, two gateways: ${JSON.stringify(two.cores)}`);
    return {
      onePerSec: one.result.perSec,
      twoPerSec: two.result.perSec,
      ratio: Math.round((two.result.perSec / one.result.perSec) * 100) / 100,
      coresOne: one.cores,
      coresTwo: two.cores,
    };
  } finally {
    await second.stop();
  }
}

async function main(): Promise<void> {
  if (!process.env['DATABASE_URL']) throw new Error('bench:scale needs PostgreSQL: eval "$(bash deploy/local/up.sh --env)" first');
  const score = machineScore();
  progress(`machine score ${score} operations/s; sizes ${SIZES.join(', ')}`);
  const deployment = await startThreeProcesses({ LOG_LEVEL: 'warn' });
  const replays: Array<{ name: string; pid: number | undefined }> = [];
  const rss = new RssSampler(() => [...deployment.pids(), ...replays]);
  const figures = new Map<number, SizeFigures>();
  let gateways: TwoGateways | undefined;
  try {
    const sample = new UserSample();
    const groups = new GroupFiller(deployment);
    await groups.start();
    let members = 0;
    for (const size of SIZES) {
      progress(`${size}: growing from ${members} members through /Bulk …`);
      const growUsersPerSec = await grow(deployment, Math.max(0, size - members), sample, groups);
      progress(`${size}: grown at ${growUsersPerSec} users/s (${groups.failures} group writes failed so far); waiting for the projections …`);
      await settle(deployment, SETTLE_TIMEOUT_MS);

      members = await membersCount(deployment);
      const membersMeasured = members;
      progress(`${size}: ${members} members; userName eq …`);
      const eq = await measured(deployment, 'userName eq', () => ({
        method: 'GET',
        path: `/Users?filter=${encodeURIComponent(`userName eq "${sample.pick().userName}"`)}`,
      }));
      const co = await measured(deployment, 'userName co', () => {
        // Four characters of a user's number: a few hundred matches at 1,000,000 members.
        const digits = /-(\d+)@/.exec(sample.pick().userName)![1]!.padStart(4, '0');
        const start = Math.floor(Math.random() * (digits.length - 3));
        return { method: 'GET', path: `/Users?filter=${encodeURIComponent(`userName co "${digits.slice(start, start + 4)}"`)}` };
      });
      let title = 0;
      const patch = await measured(deployment, 'PATCH title', () => ({
        method: 'PATCH',
        path: `/Users/${sample.pick().id}`,
        body: JSON.stringify({ schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', path: 'title', value: `Title ${size}-${title++}` }] }),
      }));
      const bigGroup = await measured(deployment, 'GET /Groups/{id}', () => ({ method: 'GET', path: `/Groups/${groups.bigGroupId}` }));
      const bigGroupMembers = (await scim<{ members?: unknown[] }>(deployment, 'GET', `/Groups/${groups.bigGroupId}`)).members?.length ?? 0;
      await settle(deployment, SETTLE_TIMEOUT_MS);
      const [eventStoreBytes, readModelBytes] = [await schemaBytes(deployment, deployment.env['EVENT_STORE_SCHEMA']!), await schemaBytes(deployment, deployment.env['READ_MODEL_SCHEMA']!)];
      progress(`${size}: replaying the members projection …`);
      const replay = await replayMembers(deployment, replays);
      progress(`  replay: ${replay.events} events in ${replay.seconds} s`);
      await settle(deployment, SETTLE_TIMEOUT_MS);
      // Last at this size: the users it creates count toward the next one.
      progress(`${size}: POST /Users …`);
      const post = await measured(deployment, 'POST', postRequest);
      if (!gateways) gateways = await twoGateways(deployment);
      await settle(deployment, SETTLE_TIMEOUT_MS);
      const peaks = rss.take();
      progress(`${size}: max RSS ${JSON.stringify(Object.fromEntries(peaks))}`);
      members = await membersCount(deployment);
      figures.set(size, {
        members: membersMeasured,
        growUsersPerSec,
        postPerSec: post.perSec,
        postP99Ms: post.p99,
        userNameEqP99Ms: eq.p99,
        coFilterP99Ms: co.p99,
        coFilterErrors: co.errors,
        patchP99Ms: patch.p99,
        bigGroupGetP99Ms: bigGroup.p99,
        bigGroupMembers,
        replaySeconds: replay.seconds,
        replayEvents: replay.events,
        gatewayRssMb: peaks.get('scim-gateway') ?? 0,
        projectorRssMb: peaks.get('projector') ?? 0,
        notifierRssMb: peaks.get('notifier') ?? 0,
        eventStoreBytesPerMember: Math.round(eventStoreBytes / membersMeasured),
        readModelBytesPerMember: Math.round(readModelBytes / membersMeasured),
      });
    }
  } finally {
    rss.stop();
    await deployment.stop();
  }
  console.log(formatTable(figures));
  if (gateways) {
    console.log(`two gateways: ${gateways.twoPerSec} POST/s against ${gateways.onePerSec} on one (×${gateways.ratio}); cores used, one: ${JSON.stringify(gateways.coresOne)}; two: ${JSON.stringify(gateways.coresTwo)}`);
  }
  console.log(targetSummary(figures));
  console.log(
    JSON.stringify({
      ...flatten(figures),
      twoGatewaysPostRatio: gateways?.ratio ?? null,
      twoGatewaysPostPerSec: gateways ? { one: gateways.onePerSec, two: gateways.twoPerSec } : null,
      twoGatewaysCores: gateways ? { one: gateways.coresOne, two: gateways.coresTwo } : null,
      machineScore: score,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
