/**
 * Hostile input (issue #23, deliverable 3): a property-based HTTP fuzz over the SCIM routes and the
 * admin API, authenticated and not, on the embedded default and on three processes on PostgreSQL.
 * A bounded number of generated requests per deployment (fixed seed; `FUZZ_SEED` and `FUZZ_RUNS`
 * override it), sent one after the other while a worker thread polls `/healthz`. Asserted:
 * - no 5xx;
 * - every 4xx on a SCIM path is a SCIM error body (exactly the RFC's schema, `detail` opening with
 *   the product code `SCIM_…`), every 4xx on the
 *   admin API a JSON `{error, message}`;
 * - `/healthz` answers throughout: every poll answers (none fails or waits 10 s); its latency, raw
 *   and beyond a control server polled alongside it, is printed, not asserted (no wall-clock
 *   assertions in tests; `npm run bench:hostile` measures it);
 * - each process's RSS comes back to within 20 % of where it started;
 * - no process logs an error, or a failure to write what it records (the SCIM request log);
 * - afterwards the stored state is consistent: the user list answers 200 and every listed user
 *   reads back by id.
 * On a failure the seed is printed with the first offending requests; rerun with
 * `FUZZ_SEED=<seed> npx jest tests/system/hostile-input.system.spec.ts`.
 */
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { type Deployment, type DeploymentKind, startDeployment } from '../support/deployments';
import { hostileRequest, type HostileRequest, type Surface, USER_SCHEMA } from '../support/hostile-requests';
import { waitFor } from '../support/processes';
import { createWorkspace, http } from '../support/workspace-admin';

jest.setTimeout(600_000);

const kinds: DeploymentKind[] = ['embedded', 'postgres'];
const DEFAULT_SEED = 230_023;
const SEED = process.env['FUZZ_SEED'] === undefined ? DEFAULT_SEED : Number(process.env['FUZZ_SEED']);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 400);
const HEALTHZ_BUDGET_MS = 100;
const HEALTHZ_INTERVAL_MS = 5;
const RSS_TOLERANCE = 0.2;
const REQUEST_TIMEOUT_MS = 30_000;
const SCIM_ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Sends a generated request as it is: raw path and query, no client-side normalisation. */
function send(baseUrl: string, method: string, pathAndQuery: string, headers: Record<string, string>, body: string | undefined, agent: Agent): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((done, fail) => {
    const call = httpRequest(
      { host: url.hostname, port: url.port, method, path: pathAndQuery, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) }, agent, timeout: REQUEST_TIMEOUT_MS },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', fail);
      },
    );
    call.on('timeout', () => call.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    call.on('error', fail);
    if (body !== undefined) call.write(body);
    call.end();
  });
}

/** What is wrong with an answer, or null. */
function violation(request: HostileRequest & { surface: Surface }, answer: Answer): string | null {
  if (answer.status >= 500) return `${answer.status}: ${answer.text.slice(0, 300)}`;
  // A bulk request answers 200 around its operations' own statuses: none may be a 5xx either.
  if (request.path === '/Bulk' && answer.status === 200) {
    const operations = (JSON.parse(answer.text) as { Operations?: Array<{ status?: string }> }).Operations ?? [];
    const failed = operations.find((operation) => Number(operation.status) >= 500);
    if (failed) return `a bulk operation answered ${JSON.stringify(failed).slice(0, 300)}`;
  }
  // A HEAD answer never has a body.
  if (answer.status < 400 || answer.status >= 500 || request.method === 'HEAD') return null;
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return `${answer.status} without a JSON body: ${answer.text.slice(0, 200)}`;
  }
  if (request.surface === 'scim') {
    // Exactly the RFC's message schema, the product code opening detail (libs/scim's "Error bodies").
    const schemas = body['schemas'];
    const ok =
      Array.isArray(schemas) && schemas.length === 1 && schemas[0] === SCIM_ERROR_URN && body['status'] === String(answer.status) && /^SCIM_[A-Z_]+: /.test(String(body['detail']));
    return ok ? null : `${answer.status} without a SCIM error body: ${answer.text.slice(0, 300)}`;
  }
  const ok = typeof body['error'] === 'string' && typeof body['message'] === 'string';
  return ok ? null : `${answer.status} without {error, message}: ${answer.text.slice(0, 300)}`;
}

/**
 * Polls /healthz from a worker thread, so the latency measured is the server's, not this test
 * thread's event loop while it generates and checks requests. Each poll is paired with one to a
 * control: a trivial HTTP server in its own process. The shared 2-core CI machine runs other
 * suites meanwhile; a poll counts against the product only by what it took beyond the control's
 * (machine contention slows both, a request holding the gateway slows healthz alone).
 */
interface HealthzSample {
  healthz: number;
  control: number;
  /** Wall-clock span of the pair of polls (ms since the epoch). */
  at: number;
  until: number;
}

function startHealthzPoller(url: string): { stop(): Promise<HealthzSample[]> } {
  const control = spawn(process.execPath, ['-e', "const s=require('node:http').createServer((q,r)=>r.end('ok'));s.listen(0,'127.0.0.1',()=>console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
  const controlUrl = new Promise<string>((done) => control.stdout.once('data', (chunk: Buffer) => done(`http://127.0.0.1:${chunk.toString().trim()}/`)));
  const worker = controlUrl.then(
    (controlAt) =>
      new Worker(
        `
    const { parentPort, workerData } = require('node:worker_threads');
    const http = require('node:http');
    const agents = [new http.Agent({ keepAlive: true, maxSockets: 1 }), new http.Agent({ keepAlive: true, maxSockets: 1 })];
    const samples = [];
    let running = true;
    parentPort.on('message', () => { running = false; });
    const once = (url, agent) => new Promise((done) => {
      const started = performance.now();
      const call = http.get(url, { agent, timeout: 10000 }, (response) => {
        response.resume();
        response.on('end', () => done(response.statusCode === 200 ? performance.now() - started : Infinity));
      });
      call.on('timeout', () => call.destroy());
      call.on('error', () => done(Infinity));
    });
    (async () => {
      while (running) {
        const at = Date.now();
        const healthz = await once(workerData.url, agents[0]);
        const control = await once(workerData.controlAt, agents[1]);
        samples.push({ healthz, control, at, until: Date.now() });
        await new Promise((resume) => setTimeout(resume, workerData.intervalMs));
      }
      parentPort.postMessage(samples);
    })();
    `,
        { eval: true, workerData: { url, controlAt, intervalMs: HEALTHZ_INTERVAL_MS } },
      ),
  );
  return {
    async stop() {
      const running = await worker;
      const result = new Promise<HealthzSample[]>((done, fail) => {
        running.once('message', done);
        running.once('error', fail);
      });
      running.postMessage('stop');
      const samples = await result;
      await running.terminate();
      control.kill();
      return samples;
    },
  };
}

function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

function rssOf(deployment: Deployment): Record<string, number> {
  return Object.fromEntries(deployment.pids().map(({ name, pid }) => [name, rssKb(pid!)]));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

describe.each(kinds)('hostile input on %s', (kind) => {
  let deployment: Deployment;
  const slug = `fuzz-${randomUUID().slice(0, 8)}`;
  const otherSlug = `fuzz-other-${randomUUID().slice(0, 8)}`;
  let adminKey: string;
  let scimToken: string;
  const userIds: string[] = [];
  const groupIds: string[] = [];
  const webhookIds: string[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });

  const scim = (method: string, path: string, body?: unknown) =>
    http(deployment.baseUrl, `/workspaces/${slug}/scim/v2${path}`, { method, headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' }, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    deployment = await startDeployment(kind);
    adminKey = createWorkspace(deployment, slug);
    createWorkspace(deployment, otherSlug);
    // The CLI's wait for the projector is bounded; on a loaded machine the key may land later.
    await waitFor('the admin key to be projected', async () => (await http(deployment.baseUrl, `/api/v1/workspaces/${slug}`, { headers: { authorization: `Bearer ${adminKey}` } })).status === 200, 30_000);
    const issued = await http(deployment.baseUrl, `/api/v1/workspaces/${slug}/scim-tokens`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}` }, body: { description: 'hostile-input fuzz' } });
    expect(issued.status).toBe(201);
    scimToken = issued.json.token as string;
    for (let index = 0; index < 20; index += 1) {
      const created = await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: `seed-${index}@example.com`, name: { givenName: 'Seed', familyName: `N${index}` }, emails: [{ value: `seed-${index}@example.com`, type: 'work', primary: true }, { value: `seed-${index}@home.example`, type: 'home' }] });
      expect(created.status).toBe(201);
      userIds.push(created.json.id as string);
    }
    const group = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'seed group', members: userIds.slice(0, 5).map((value) => ({ value })) });
    expect(group.status).toBe(201);
    groupIds.push(group.json.id as string);
  });

  afterAll(async () => {
    agent.destroy();
    await deployment?.stop();
  });

  /** Fills in the placeholders with what exists now; the generated sequence stays the same. */
  function resolvePlaceholders(text: string, index: number): string {
    const pick = (ids: string[], fallback: string) => (ids.length ? ids[index % ids.length]! : fallback);
    return text
      .replaceAll('{user}', pick(userIds, randomUUID()))
      .replaceAll('{group}', pick(groupIds, randomUUID()))
      .replaceAll('{webhook}', pick(webhookIds, randomUUID()))
      .replaceAll('{otherSlug}', otherSlug)
      .replaceAll('{slug}', slug);
  }

  function credentials(request: HostileRequest & { surface: Surface }): Record<string, string> {
    switch (request.auth) {
      case 'none':
        return {};
      case 'bogus':
        return { authorization: request.surface === 'scim' ? 'Bearer scim_0000000000000000000000000000000000000000' : 'Bearer adm_00000000000000000000000000000000' };
      case 'config':
        // SCIM: the deployment's fallback token on the plain /scim/v2 form; admin: a wrong scheme.
        return { authorization: request.surface === 'scim' ? `Bearer ${deployment.token}` : `Basic ${Buffer.from('user:pass').toString('base64')}` };
      default:
        return { authorization: `Bearer ${request.surface === 'scim' ? scimToken : adminKey}` };
    }
  }

  /** Small requests and a pause, so the processes can collect garbage before RSS is read. */
  async function settle(): Promise<void> {
    for (let round = 0; round < 5; round += 1) {
      await scim('GET', '/ServiceProviderConfig');
      await scim('GET', '/Users?count=1');
      await new Promise((resume) => setTimeout(resume, 400));
    }
  }

  it('answers every generated request with a clean 2xx/4xx while /healthz stays responsive and memory returns', async () => {
    const requests = fc.sample(hostileRequest(), { seed: SEED, numRuns: RUNS });
    // Warm-up: one request of each label, so RSS is measured after the code paths are loaded.
    const warmed = new Set<string>();
    for (const [index, request] of requests.entries()) {
      if (warmed.has(request.label) || (request.body?.length ?? 0) > 100_000) continue;
      warmed.add(request.label);
      await sendGenerated(request, index).catch(() => undefined);
    }
    await settle();
    const rssBefore = rssOf(deployment);

    const poller = startHealthzPoller(`${deployment.baseUrl}/healthz`);
    const violations: string[] = [];
    const statuses = new Map<number, number>();
    const slowest: Array<{ ms: number; what: string }> = [];
    const windows: Array<{ from: number; to: number; what: string; index: number }> = [];
    for (const [index, request] of requests.entries()) {
      let answer: Answer;
      const started = performance.now();
      const startedAt = Date.now();
      try {
        answer = await sendGenerated(request, index);
        windows.push({ from: startedAt, to: Date.now(), what: `#${index} ${request.label} → ${answer.status}`, index });
        slowest.push({ ms: Math.round(performance.now() - started), what: `#${index} ${request.label} → ${answer.status}` });
        slowest.sort((a, b) => b.ms - a.ms).splice(5);
      } catch (error) {
        violations.push(`#${index} ${request.label} ${request.method} ${request.path.slice(0, 120)}: ${(error as Error).message}`);
        continue;
      }
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const problem = violation(request, answer);
      if (problem) violations.push(`#${index} ${request.label} ${request.method} ${resolvePlaceholders(request.path, index).slice(0, 120)}?${request.query.join('&').slice(0, 300)} body=${(request.body ?? '').slice(0, 300)} → ${problem}`);
    }
    const samples = await poller.stop();
    const latencies = samples.map((sample) => sample.healthz);
    // Contention comes in bursts: the control's slowest answer among this poll and its neighbours
    // stands for the machine's state at that moment.
    const beyondControl = samples.map((sample, index) => sample.healthz - Math.max(...samples.slice(Math.max(0, index - 1), index + 2).map((near) => near.control)));

    // A poll over the budget is checked again for the report: the requests in flight during it are
    // sent again, three times each, under a fresh poller. A request that holds the process does so
    // again; a moment of contention on the shared machine (or a collection of garbage an earlier
    // request left) does not. Reported, not asserted: a replay is timed on the same shared machine.
    const suspects = [
      ...new Set(
        samples
          .filter((_, index) => beyondControl[index]! > HEALTHZ_BUDGET_MS)
          .flatMap((sample) => windows.filter((window) => window.from <= sample.until && window.to >= sample.at).map((window) => window.index)),
      ),
    ];
    const confirmed: string[] = [];
    for (const index of suspects) {
      const again = startHealthzPoller(`${deployment.baseUrl}/healthz`);
      for (let round = 0; round < 3; round += 1) await sendGenerated(requests[index]!, index).catch(() => undefined);
      const replay = await again.stop();
      const over = replay.filter((sample, at) => sample.healthz - Math.max(...replay.slice(Math.max(0, at - 1), at + 2).map((near) => near.control)) > HEALTHZ_BUDGET_MS);
      if (over.length > 0) confirmed.push(`#${index} ${requests[index]!.label}: /healthz ${Math.round(Math.max(...over.map((sample) => sample.healthz)))} ms`);
    }

    await settle();
    let rssAfter = rssOf(deployment);
    for (let tries = 0; tries < 10 && Object.entries(rssAfter).some(([name, kb]) => kb > rssBefore[name]! * (1 + RSS_TOLERANCE)); tries += 1) {
      await settle();
      rssAfter = rssOf(deployment);
    }

    const report = {
      deployment: kind,
      seed: SEED,
      requests: requests.length,
      statuses: Object.fromEntries([...statuses.entries()].sort(([a], [b]) => a - b)),
      healthz: {
        polls: latencies.length,
        maxMs: Math.round(Math.max(...latencies)),
        p99Ms: Math.round(percentile(latencies, 99)),
        medianMs: Math.round(percentile(latencies, 50)),
        controlMaxMs: Math.round(Math.max(...samples.map((sample) => sample.control))),
        maxBeyondControlMs: Math.round(Math.max(...beyondControl)),
        over100MsBeyondControl: beyondControl.filter((ms) => ms > HEALTHZ_BUDGET_MS).length,
      },
      // What was in flight during each poll over the budget, to tell a product stall from noise.
      healthzConfirmedStalls: confirmed,
      healthzOverBudgetDuring: samples
        .filter((_, index) => beyondControl[index]! > HEALTHZ_BUDGET_MS)
        .map((sample) => windows.filter((window) => window.from <= sample.until && window.to >= sample.at).map((window) => window.what)),
      rssKb: { before: rssBefore, after: rssAfter },
      slowestRequests: slowest,
    };
    console.log(`hostile-input fuzz: ${JSON.stringify(report)}`);
    if (process.env['FUZZ_DUMP']) console.log(deployment.output().slice(-20000));
    // Hostile input must not make a process log an error, nor lose what it records (a U+0000 in a
    // path failed the SCIM request log's batch INSERT on PostgreSQL: a warning, and lost rows).
    // A consumer's transient failure that it retries (SQLite busy past its timeout on a loaded
    // machine) is logged as an error by design and recovers; it is left out.
    const logged = deployment
      .output()
      .split('\n')
      .filter((line) => (/"level":(50|60)/.test(line) && !line.includes('retrying from its last checkpoint')) || line.includes('could not write'));
    expect({ context: SEED, logged: logged.slice(0, 5) }).toEqual({ context: SEED, logged: [] });

    const context = `FUZZ_SEED=${SEED} (rerun: FUZZ_SEED=${SEED} npx jest tests/system/hostile-input.system.spec.ts)`;
    expect({ context, violations: violations.slice(0, 15), total: violations.length }).toEqual({ context, violations: [], total: 0 });
    // The poller ran alongside (how many polls fit depends on the machine's speed, not the product's).
    expect(latencies.length).toBeGreaterThanOrEqual(10);
    // Every poll answered (a failed or 10 s-late one is Infinity): no request froze the process.
    // How fast it answered is printed above, not asserted — tests never assert on wall-clock time
    // on this shared machine (a full parallel run put a few polls 100–170 ms past the control);
    // bench:hostile measures /healthz p99 while the costliest filters run.
    expect({ context, healthz: report.healthz, polls: latencies.every(Number.isFinite) }).toEqual({ context, healthz: report.healthz, polls: true });
    for (const [name, kb] of Object.entries(rssAfter)) {
      expect({ process: name, rssKb: kb, withinTolerance: kb <= rssBefore[name]! * (1 + RSS_TOLERANCE) }).toEqual({ process: name, rssKb: kb, withinTolerance: true });
    }
  });

  it('leaves a consistent state: the user list answers and every listed user reads back by id', async () => {
    const ids: string[] = [];
    for (let startIndex = 1; ; startIndex += 100) {
      const page = await scim('GET', `/Users?startIndex=${startIndex}&count=100&attributes=id`);
      expect(page.status).toBe(200);
      const resources = (page.json.Resources ?? []) as Array<{ id: string }>;
      ids.push(...resources.map((resource) => resource.id));
      if (resources.length < 100) break;
    }
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const read = await scim('GET', `/Users/${id}`);
      expect({ id, status: read.status }).toEqual({ id, status: 200 });
    }
    const groups = await scim('GET', '/Groups?count=100');
    expect(groups.status).toBe(200);
  });

  async function sendGenerated(request: HostileRequest & { surface: Surface }, index: number): Promise<Answer> {
    const path = resolvePlaceholders(request.path, index);
    const fullPath = request.surface === 'scim' ? (request.auth === 'config' ? `/scim/v2${path}` : `/workspaces/${slug}/scim/v2${path}`) : path;
    const query = request.query.map((pair) => resolvePlaceholders(pair, index)).join('&');
    const body = request.body === undefined ? undefined : resolvePlaceholders(request.body, index);
    const headers = { ...request.headers, ...credentials(request) };
    const answer = await send(deployment.baseUrl, request.method, query ? `${fullPath}?${query}` : fullPath, headers, body, agent);
    // Remember what the run created, so later requests address real resources.
    if (answer.status === 201) {
      try {
        const created = JSON.parse(answer.text) as { id?: unknown; schemas?: unknown };
        if (typeof created.id === 'string') {
          if (request.path === '/Users') userIds.push(created.id);
          else if (request.path === '/Groups') groupIds.push(created.id);
          else if (request.path.endsWith('/webhooks')) webhookIds.push(created.id);
        }
      } catch {
        // A 201 that is not JSON shows up in the assertions of its own route, if anywhere.
      }
    }
    return answer;
  }
});
