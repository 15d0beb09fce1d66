/**
 * Hostile-request benchmark: `npm run bench:hostile` (issue #23, deliverable 7). Starts the embedded
 * default (one process, SQLite) and three processes on PostgreSQL (when DATABASE_URL is set), the
 * way the system tests do, and measures what one hostile or careless request can cost:
 * - `worstFilterMs`: the slowest of a generated corpus of ≥ 200 filters (every operator on every
 *   filterable User attribute, multi-valued ones included; not/and/or combinations; value paths;
 *   the OR chains of issue #23), each sent once as `GET /Users?filter=…&count=100`;
 * - `healthzP99MsDuringWorst`: /healthz polled every 10 ms while the ten worst filters run again;
 * - `patchMaxOpsMs`: one user PATCH of BENCH_PATCH_OPS operations (default 1,000: PATCH_MAX_OPERATIONS,
 *   the cap of user and group PATCH; the slowest of three);
 * - `maxRssMbUnderLargeLists`: the largest RSS of any process while 8 connections repeat
 *   `GET /Users?count=200` (the advertised `filter.maxResults`) for BENCH_LIST_SECONDS (default 15).
 * Targets (issue #23): worst filter ≤ 1 s, healthz p99 ≤ 50 ms, RSS ≤ 400 MB.
 * BENCH_USERS (default 100,000) users with two emails each (work, primary; home) are created first
 * through SCIM `POST /Users` with autocannon (32 connections), then the projections settle.
 * Prints a table, then ONE JSON line: {"embedded":{…},"postgres":{…}}.
 */
import autocannon from 'autocannon';
import { Agent, get as httpGet } from 'node:http';
import { readFileSync } from 'node:fs';
import { type Deployment, startDeployment } from '../../tests/support/deployments';

const USERS = Number(process.env['BENCH_USERS'] ?? 100_000);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const PATCH_OPS = Number(process.env['BENCH_PATCH_OPS'] ?? 1_000);
const LIST_SECONDS = Number(process.env['BENCH_LIST_SECONDS'] ?? 15);
const LIST_COUNT = 200;
const HEALTHZ_EVERY_MS = 10;
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

interface Figures {
  users: number;
  seedUsersPerSec: number;
  filters: number;
  worstFilterMs: number;
  worstFilter: string;
  /** The ten slowest filters, slowest first, with their times. */
  worstFilters: Array<{ filter: string; ms: number; status: number }>;
  /** Filters that did not answer 200 (a per-request budget answers a SCIM error instead). */
  non200: Array<{ filter: string; status: number }>;
  healthzP99MsDuringWorst: number;
  healthzMaxMsDuringWorst: number;
  healthzPolls: number;
  patchMaxOps: number;
  patchMaxOpsMs: number;
  patchMaxOpsStatus: number;
  maxRssMbUnderLargeLists: number;
  rssMbByProcess: Record<string, number>;
  listRequests: number;
}

// ---------------------------------------------------------------------------------------------
// The filter corpus

const STRING_OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const stringAttributes = ['userName', 'displayName', 'nickName', 'title', 'externalId', 'name.familyName', 'name.givenName', 'name.formatted', 'locale', `${ENTERPRISE}:department`];
const multiValuedStrings = ['emails.value', 'emails.type', 'emails.display', 'phoneNumbers.value', 'phoneNumbers.type', 'addresses.locality', 'addresses.country', 'roles.value', 'entitlements.value', 'groups.value'];
const dateTimes = ['meta.created', 'meta.lastModified'];
const booleans = ['active', 'emails.primary', 'phoneNumbers.primary', 'addresses.primary'];

/** Every operator on every attribute, then combinations and value paths: at least 200 filters. */
function filterCorpus(): string[] {
  const corpus: string[] = [];
  for (const attribute of [...stringAttributes, ...multiValuedStrings]) {
    for (const operator of STRING_OPERATORS) corpus.push(`${attribute} ${operator} "${operator === 'eq' || operator === 'ne' ? 'nobody@nowhere.example' : 'zzz'}"`);
    corpus.push(`${attribute} pr`);
  }
  for (const attribute of dateTimes) {
    for (const operator of ['eq', 'ne', 'gt', 'ge', 'lt', 'le']) corpus.push(`${attribute} ${operator} "2020-01-01T00:00:00Z"`);
    corpus.push(`${attribute} pr`);
  }
  for (const attribute of booleans) for (const filter of [`${attribute} eq true`, `${attribute} ne true`, `${attribute} eq false`, `${attribute} pr`]) corpus.push(filter);
  // Value paths on the multi-valued attributes, with one and two conditions.
  for (const multi of ['emails', 'phoneNumbers', 'addresses']) {
    const sub = multi === 'addresses' ? 'locality' : 'value';
    for (const operator of STRING_OPERATORS) corpus.push(`${multi}[${sub} ${operator} "zzz"]`);
    corpus.push(`${multi}[type eq "work" and primary eq true]`, `${multi}[type eq "work" or ${sub} co "zz"]`, `${multi}[not (${sub} co "a")]`, `${multi}[type eq "work"].${sub} co "zz"`);
  }
  // not / and / or, over the email subqueries and the columns (issue #23's freezing filters).
  corpus.push(
    'not (emails.value co "a")',
    'not (emails.type eq "work")',
    'not (userName co "a")',
    'userName co "zz" or emails.value co "zz"',
    'userName co "zz" and emails.value co "zz"',
    'emails.value co "zz" or emails.type eq "nope"',
    'emails.value co "zz" and not (emails.type eq "work")',
    '(userName sw "a" or displayName sw "a") and not (emails.value ew "zzz")',
    'name.familyName co "zzz" or name.givenName co "zzz" or title co "zzz"',
    'emails[type eq "work" and primary eq true] and not (active eq false)',
    'active eq true and (emails.value co "9" or phoneNumbers.value co "9")',
    Array.from({ length: 10 }, (_, index) => `emails[value co "${index}"]`).join(' or '),
    Array.from({ length: 10 }, (_, index) => `emails.value co "q${index}"`).join(' or '),
    Array.from({ length: 10 }, (_, index) => `userName co "q${index}"`).join(' or '),
    Array.from({ length: 10 }, (_, index) => `not (emails.value sw "q${index}")`).join(' and '),
    'emails.value co "@" and emails.value co "."',
    'emails[value co "zz"] or addresses[locality co "zz"] or phoneNumbers[value co "zz"]',
  );
  return corpus;
}

// ---------------------------------------------------------------------------------------------
// HTTP

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function timedGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; ms: number; bytes: number }> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const call = httpGet(url, { agent, headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => done({ status: response.statusCode ?? 0, ms: performance.now() - started, bytes }));
    });
    call.on('error', fail);
  });
}

async function scimRequest(deployment: Deployment, method: string, path: string, body?: unknown): Promise<{ status: number; ms: number; json: Record<string, unknown> }> {
  const started = performance.now();
  const response = await fetch(`${deployment.baseUrl}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${deployment.token}`, 'content-type': 'application/scim+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, ms: performance.now() - started, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

let sequence = 0;
const runId = Date.now().toString(36);

function userBody(): string {
  const index = sequence++;
  const userName = `h${index}-${runId}@bench.example`;
  return JSON.stringify({
    schemas: [USER_SCHEMA],
    userName,
    externalId: `ext-${index}-${runId}`,
    name: { givenName: `Given${index % 997}`, familyName: `Family${index % 1009}` },
    displayName: `Bench User ${index}`,
    title: index % 3 === 0 ? 'Engineer' : 'Analyst',
    emails: [
      { value: userName, type: 'work', primary: true },
      { value: `h${index}-${runId}@home.example`, type: 'home' },
    ],
    active: index % 10 !== 0,
  });
}

async function seed(deployment: Deployment, users: number): Promise<{ perSec: number; created: number }> {
  const started = performance.now();
  const result = await autocannon({
    url: deployment.baseUrl,
    connections: CONNECTIONS,
    amount: users,
    headers: { authorization: `Bearer ${deployment.token}`, 'content-type': 'application/scim+json' },
    requests: [{ setupRequest: (request) => ({ ...request, method: 'POST', path: '/scim/v2/Users', body: userBody() }) }],
  });
  const failed = result.errors + result.timeouts + (result.non2xx ?? 0);
  if (failed > 0) process.stderr.write(`  seeding: ${failed} errors/non-2xx of ${result.requests.total}\n`);
  return { perSec: Math.round(users / ((performance.now() - started) / 1000)), created: result['2xx'] };
}

/**
 * Waits until the read model lists every created user and every consumer's lag (from /metrics) is
 * 0, so the filters meet a settled read model rather than a projector still inserting (the lag
 * alone read 0 with 39,000 users of 100,000 not yet projected on PostgreSQL).
 */
async function settle(deployment: Deployment, created: number, timeoutMs = 1_800_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const metrics = await Promise.all(deployment.metricsUrls.map(async (url) => (await fetch(url)).text()));
    const lags = metrics.flatMap((text) => [...text.matchAll(/^axis_consumer_lag_events\{[^}]*\} (\S+)$/gm)].map((match) => Number(match[1])));
    const listed = Number((await scimRequest(deployment, 'GET', '/Users?count=1')).json['totalResults'] ?? 0);
    if (listed >= created && (lags.length === 0 || lags.every((lag) => lag === 0))) {
      process.stderr.write(`  settled in ${Math.round((Date.now() - started) / 1000)} s\n`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  process.stderr.write(`  NOT settled after ${timeoutMs / 1000} s\n`);
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Polls /healthz every HEALTHZ_EVERY_MS (one request in flight at a time) until stopped. */
function pollHealthz(deployment: Deployment): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const answer = await timedGet(`${deployment.baseUrl}/healthz`).catch(() => ({ status: 0, ms: Infinity }));
      latencies.push(answer.status === 200 ? answer.ms : Infinity);
      const wait = HEALTHZ_EVERY_MS - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return latencies;
    },
  };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

async function measure(kind: 'embedded' | 'postgres'): Promise<Figures> {
  const deployment = await startDeployment(kind, { SCIM_RATE_LIMIT_PER_SECOND: '0', LOG_LEVEL: 'warn' });
  try {
    process.stderr.write(`${kind}: seeding ${USERS} users (two emails each) through POST /Users, ${CONNECTIONS} connections …\n`);
    const { perSec: seedUsersPerSec, created } = await seed(deployment, USERS);
    process.stderr.write(`  ${seedUsersPerSec} users/s\n`);
    await settle(deployment, created);
    const listed = await scimRequest(deployment, 'GET', '/Users?count=1');
    const users = Number(listed.json['totalResults'] ?? 0);

    const corpus = filterCorpus();
    process.stderr.write(`${kind}: ${corpus.length} filters …\n`);
    const headers = { authorization: `Bearer ${deployment.token}` };
    const timed: Array<{ filter: string; ms: number; status: number }> = [];
    for (const filter of corpus) {
      const answer = await timedGet(`${deployment.baseUrl}/scim/v2/Users?count=100&filter=${encodeURIComponent(filter)}`, headers);
      timed.push({ filter, ms: round1(answer.ms), status: answer.status });
    }
    timed.sort((a, b) => b.ms - a.ms);
    const worst = timed.slice(0, 10);
    process.stderr.write(`  worst: ${worst.slice(0, 3).map((entry) => `${entry.ms} ms ${entry.filter}`).join(' | ')}\n`);

    process.stderr.write(`${kind}: the ten worst filters again, /healthz every ${HEALTHZ_EVERY_MS} ms …\n`);
    const poller = pollHealthz(deployment);
    for (let round = 0; round < 2; round += 1) {
      for (const { filter } of worst) await timedGet(`${deployment.baseUrl}/scim/v2/Users?count=100&filter=${encodeURIComponent(filter)}`, headers);
    }
    const healthz = await poller.stop();

    process.stderr.write(`${kind}: PATCH with ${PATCH_OPS} operations …\n`);
    const target = await scimRequest(deployment, 'GET', '/Users?count=1&startIndex=7');
    const id = ((target.json['Resources'] as Array<{ id: string }> | undefined) ?? [])[0]!.id;
    const paths = ['title', 'displayName', 'nickName', 'name.givenName', 'name.familyName', 'locale'];
    let patchMaxOpsMs = 0;
    let patchMaxOpsStatus = 0;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const operations = Array.from({ length: PATCH_OPS }, (_, index) => ({ op: 'replace', path: paths[index % paths.length], value: `v${attempt}-${index}` }));
      const patched = await scimRequest(deployment, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: operations });
      patchMaxOpsMs = Math.max(patchMaxOpsMs, round1(patched.ms));
      patchMaxOpsStatus = patched.status;
    }

    process.stderr.write(`${kind}: 8 connections of GET /Users?count=${LIST_COUNT} for ${LIST_SECONDS} s …\n`);
    const rssPeak: Record<string, number> = Object.fromEntries(deployment.pids().map(({ name, pid }) => [name, rssMb(pid)]));
    const sampler = setInterval(() => {
      for (const { name, pid } of deployment.pids()) rssPeak[name] = Math.max(rssPeak[name] ?? 0, rssMb(pid));
    }, 100);
    const lists = await autocannon({
      url: `${deployment.baseUrl}/scim/v2/Users?count=${LIST_COUNT}&startIndex=${Math.max(1, users - 5_000)}`,
      connections: 8,
      duration: LIST_SECONDS,
      headers,
    });
    clearInterval(sampler);
    for (const { name, pid } of deployment.pids()) rssPeak[name] = Math.max(rssPeak[name] ?? 0, rssMb(pid));

    return {
      users,
      seedUsersPerSec,
      filters: corpus.length,
      worstFilterMs: worst[0]!.ms,
      worstFilter: worst[0]!.filter,
      worstFilters: worst,
      non200: timed.filter((entry) => entry.status !== 200).map(({ filter, status }) => ({ filter, status })),
      healthzP99MsDuringWorst: round1(percentile(healthz, 99)),
      healthzMaxMsDuringWorst: round1(Math.max(...healthz)),
      healthzPolls: healthz.length,
      patchMaxOps: PATCH_OPS,
      patchMaxOpsMs,
      patchMaxOpsStatus,
      maxRssMbUnderLargeLists: Math.max(...Object.values(rssPeak)),
      rssMbByProcess: rssPeak,
      listRequests: lists.requests.total,
    };
  } finally {
    await deployment.stop();
  }
}

async function main(): Promise<void> {
  const kinds: Array<'embedded' | 'postgres'> = ['embedded'];
  if (process.env['DATABASE_URL']) kinds.push('postgres');
  else process.stderr.write('DATABASE_URL not set: skipping the three-process PostgreSQL deployment\n');
  const only = process.env['BENCH_DEPLOYMENTS']?.split(',');
  const results: Record<string, Figures> = {};
  for (const kind of kinds.filter((candidate) => !only || only.includes(candidate))) results[kind] = await measure(kind);
  agent.destroy();

  const rows: Array<[string, keyof Figures, string]> = [
    ['users', 'users', ''],
    ['seeding users/s', 'seedUsersPerSec', ''],
    ['filters in the corpus', 'filters', '≥ 200'],
    ['worstFilterMs', 'worstFilterMs', '≤ 1000'],
    ['healthzP99MsDuringWorst', 'healthzP99MsDuringWorst', '≤ 50'],
    ['healthz max ms during worst', 'healthzMaxMsDuringWorst', ''],
    ['patchMaxOpsMs', 'patchMaxOpsMs', ''],
    ['PATCH status', 'patchMaxOpsStatus', ''],
    ['maxRssMbUnderLargeLists', 'maxRssMbUnderLargeLists', '≤ 400'],
  ];
  const columns = Object.keys(results);
  console.log(['metric'.padEnd(30), 'target'.padStart(9), ...columns.map((column) => column.padStart(12))].join(''));
  for (const [label, key, target] of rows) {
    console.log([label.padEnd(30), target.padStart(9), ...columns.map((column) => String(results[column]![key]).padStart(12))].join(''));
  }
  for (const kind of columns) {
    console.log(`worst filter (${kind}): ${results[kind]!.worstFilter}`);
    console.log(`ten worst (${kind}): ${results[kind]!.worstFilters.map((entry) => `${entry.ms} ms [${entry.status}] ${entry.filter}`).join(' | ')}`);
    console.log(`RSS by process (${kind}): ${JSON.stringify(results[kind]!.rssMbByProcess)}`);
  }
  console.log(JSON.stringify(results));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
