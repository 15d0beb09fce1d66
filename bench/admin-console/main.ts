/**
 * Admin console benchmark: `npm run bench:admin-console` (issue 21, item 10). Needs PostgreSQL
 * (`eval "$(bash deploy/local/up.sh --env)"`) and a built console (`npm run -s build`).
 *
 * Starts the three processes on PostgreSQL as the system tests do, creates one workspace (`bench`)
 * and then fills it:
 * - BENCH_HISTORY_MEMBERS (default 200) users provisioned over SCIM, each then PATCHed until its
 *   stream holds BENCH_HISTORY_EVENTS (default 50) events: real events in the event store for the
 *   member history, projected and audited like any IdP traffic;
 * - the rest of BENCH_MEMBERS (default 100,000) members, of which BENCH_LOCAL_DUPLICATES (default
 *   300) local accounts share an email with a SCIM user, and BENCH_AUDIT (default 1,000,000) audit
 *   entries (3 % of them rejections: SCIM_USER_CONFLICT, SCIM_UNAUTHORIZED), written STRAIGHT INTO
 *   THE READ MODEL'S TABLES with bulk `INSERT … SELECT generate_series` (members, member_emails,
 *   groups, group_members, role_mappings, member_roles, audit_entries): provisioning 100,000 users
 *   and a million audited events through the product would take most of an hour and measure the
 *   write path, not the console's reads. Those seeded members have no events (no history); the
 *   tables are then VACUUM ANALYZEd, as autovacuum would leave them.
 *
 * Then measures, over HTTP with a console session cookie (what the console sends), each request
 * shape the console's screens send — the Members page with its default order (newest first, 25 a
 * page) and each other sort and filter, its duplicates, the Security Console's first page (50)
 * unfiltered, with outcome=rejected and filtered by a member, and a member's history first page
 * (50) — BENCH_REQUESTS (default 200, at least 100) times each at concurrency 1 and 4, after
 * BENCH_WARMUP (default 20) unmeasured requests: p50/p95/p99 in ms.
 * `jsGzipKb`: gzip (level 9) size of the JavaScript the built console's index.html loads (its module
 * scripts and modulepreload links, from apps/admin-console/dist).
 *
 * Prints a table, then ONE JSON line with `membersFirstPageP95Ms`, `auditFirstPageP95Ms`,
 * `memberHistoryP95Ms` (each the worse p95 of concurrency 1 and 4), `membersWorstSortFilterP95Ms`,
 * `auditRejectedP95Ms`, `jsGzipKb` and every scenario's figures. Targets (issue 21): first pages
 * ≤ 150 ms p95, history ≤ 100 ms p95, JS ≤ 200 kB gzipped.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { type Deployment, startDeployment, USER_SCHEMA_URI, PATCH_OP_URI } from '../../tests/support/deployments';
import { REPO_ROOT, waitFor } from '../../tests/support/processes';
import { createWorkspace } from '../../tests/support/workspace-admin';

const MEMBERS = Number(process.env['BENCH_MEMBERS'] ?? 100_000);
const AUDIT = Number(process.env['BENCH_AUDIT'] ?? 1_000_000);
const HISTORY_MEMBERS = Number(process.env['BENCH_HISTORY_MEMBERS'] ?? 200);
const HISTORY_EVENTS = Number(process.env['BENCH_HISTORY_EVENTS'] ?? 50);
const LOCAL_DUPLICATES = Number(process.env['BENCH_LOCAL_DUPLICATES'] ?? 300);
const REQUESTS = Math.max(100, Number(process.env['BENCH_REQUESTS'] ?? 200));
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 20);
const CONCURRENCIES = [1, 4] as const;
const WORKSPACE = 'bench';
const GROUPS = 20;
const TARGETS = { firstPageMs: 150, historyMs: 100, jsGzipKb: 200 };

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}
type Scenario = { name: string; kind: 'members' | 'audit' | 'history' | 'other'; path: () => string };

const round = (value: number) => Math.round(value * 10) / 10;

function percentiles(durations: number[]): Percentiles {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)) };
}

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Users over SCIM, each PATCHed to HISTORY_EVENTS events: the members whose history is read. */
async function provisionHistoryMembers(deployment: Deployment, adminKey: string): Promise<string[]> {
  const tokenAnswer = await fetch(`${deployment.baseUrl}/api/v1/workspaces/${WORKSPACE}/scim-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ description: 'Okta (bench)' }),
  });
  const token = ((await tokenAnswer.json()) as { token: string }).token;
  const scim = async (method: string, path: string, body: unknown): Promise<{ id?: string }> => {
    const answer = await fetch(`${deployment.baseUrl}/workspaces/${WORKSPACE}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', 'user-agent': 'Okta SCIM Client 1.0.0' },
      body: JSON.stringify(body),
    });
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as { id?: string };
  };
  const ids: string[] = [];
  await inParallel([...Array(HISTORY_MEMBERS).keys()], 8, async (n) => {
    const userName = `pilot${n}@history.bench.example`;
    const created = await scim('POST', '/Users', {
      schemas: [USER_SCHEMA_URI],
      userName,
      externalId: `ext-pilot${n}`,
      displayName: `Pilot ${n}`,
      emails: [{ value: userName, type: 'work', primary: true }],
    });
    ids.push(created.id!);
  });
  const patches = ids.flatMap((id) => Array.from({ length: HISTORY_EVENTS - 1 }, (_, k) => ({ id, k })));
  // One member's PATCHes in order, several members at once (a PATCH waits for its own stream only).
  const byMember = new Map<string, number[]>();
  for (const { id, k } of patches) byMember.set(id, [...(byMember.get(id) ?? []), k]);
  let done = 0;
  await inParallel([...byMember.entries()], 8, async ([id, ks]) => {
    for (const k of ks) {
      await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', path: 'title', value: `Title ${k}` }] });
      if (++done % 2000 === 0) process.stderr.write(`  ${done}/${patches.length} PATCHes\n`);
    }
  });
  return ids;
}

/** The SQL seed (PostgreSQL): see the header. `$1` is the workspace. */
export function seedStatements(scimSeeded: number): Array<[string, string, unknown[]]> {
  const iso = (expression: string) => `to_char(${expression}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const email = (i: string) => `substr(md5('e' || ${i}), 1, 10) || '.' || ${i} || '@bench.example'`;
  return [
    [
      'groups',
      `INSERT INTO groups (id, workspace_id, display_name, display_name_lc, external_id, resource, revision, created_at, updated_at)
       SELECT 'bench-group-' || g, $1, 'Team ' || g, 'team ' || g, 'ext-group-' || g,
              jsonb_build_object('schemas', jsonb_build_array('urn:ietf:params:scim:schemas:core:2.0:Group'), 'id', 'bench-group-' || g, 'displayName', 'Team ' || g),
              0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
         FROM generate_series(1, ${GROUPS}) AS g`,
      [],
    ],
    [
      'members (SCIM)',
      `INSERT INTO members (id, workspace_id, user_name, user_name_lc, external_id, display_name, given_name, family_name, active, source,
                            resource, revision, created_at, updated_at, primary_email)
       SELECT id, $1, em, lower(em), 'ext-' || i, gn || ' ' || fn, gn, fn, i % 20 <> 0, 'scim',
              jsonb_build_object('schemas', jsonb_build_array('${USER_SCHEMA_URI}'), 'id', id, 'userName', em, 'externalId', 'ext-' || i,
                                 'displayName', gn || ' ' || fn, 'name', jsonb_build_object('givenName', gn, 'familyName', fn),
                                 'emails', jsonb_build_array(jsonb_build_object('value', em, 'type', 'work', 'primary', true)),
                                 'active', i % 20 <> 0,
                                 'meta', jsonb_build_object('resourceType', 'User', 'created', ts, 'lastModified', ts, 'version', 'W/"0"')),
              0, ts, ts, em
         FROM (SELECT i, 'b0000000-0000-4000-8000-' || lpad(i::text, 12, '0') AS id, ${email('i')} AS em,
                      initcap(substr(md5('g' || i), 1, 6)) AS gn, initcap(substr(md5('f' || i), 1, 8)) AS fn,
                      ${iso(`timestamp '2026-01-01' + i * interval '1 minute'`)} AS ts
                 FROM generate_series(1, ${scimSeeded}) AS i) s`,
      [],
    ],
    [
      'members (local duplicates)',
      `INSERT INTO members (id, workspace_id, user_name, user_name_lc, external_id, display_name, given_name, family_name, active, source,
                            resource, revision, created_at, updated_at, primary_email)
       SELECT id, $1, 'local.' || j, 'local.' || j, NULL, 'Local ' || j, NULL, NULL, TRUE, 'local',
              jsonb_build_object('schemas', jsonb_build_array('${USER_SCHEMA_URI}'), 'id', id, 'userName', 'local.' || j,
                                 'emails', jsonb_build_array(jsonb_build_object('value', em, 'type', 'work', 'primary', true)), 'active', true),
              0, ts, ts, em
         FROM (SELECT j, 'b1000000-0000-4000-8000-' || lpad(j::text, 12, '0') AS id, ${email(`(j * ${Math.max(1, Math.floor(scimSeeded / (LOCAL_DUPLICATES + 1)))})`)} AS em,
                      ${iso(`timestamp '2025-12-01' + j * interval '1 minute'`)} AS ts
                 FROM generate_series(1, ${LOCAL_DUPLICATES}) AS j) s`,
      [],
    ],
    [
      'member_emails',
      `INSERT INTO member_emails (member_id, ordinal, workspace_id, value, value_lc, type, "primary")
       SELECT id, 0, workspace_id, primary_email, lower(primary_email), 'work', TRUE
         FROM members WHERE workspace_id = $1 AND (id LIKE 'b0000000-%' OR id LIKE 'b1000000-%')`,
      [],
    ],
    [
      'group_members',
      // A third of the members in one team, a seventh in another (i + 7 ≢ i mod 20: never the same one).
      `INSERT INTO group_members (group_id, member_id, workspace_id)
       SELECT 'bench-group-' || (1 + i % ${GROUPS}), 'b0000000-0000-4000-8000-' || lpad(i::text, 12, '0'), $1
         FROM generate_series(1, ${scimSeeded}) AS i WHERE i % 3 = 0
       UNION ALL
       SELECT 'bench-group-' || (1 + (i + 7) % ${GROUPS}), 'b0000000-0000-4000-8000-' || lpad(i::text, 12, '0'), $1
         FROM generate_series(1, ${scimSeeded}) AS i WHERE i % 7 = 0`,
      [],
    ],
    [
      'role_mappings',
      `INSERT INTO role_mappings (workspace_id, group_id, roles, updated_at, updated_by)
       SELECT $1, 'bench-group-' || g, jsonb_build_array('role-' || g), '2026-01-01T00:00:00.000Z', 'admin:bench'
         FROM generate_series(1, 5) AS g`,
      [],
    ],
    [
      'member_roles',
      `INSERT INTO member_roles (member_id, workspace_id, roles, updated_at)
       SELECT gm.member_id, $1, jsonb_agg(DISTINCT r.role ORDER BY r.role), '2026-01-01T00:00:00.000Z'
         FROM group_members gm JOIN role_mappings rm ON rm.workspace_id = gm.workspace_id AND rm.group_id = gm.group_id,
              LATERAL jsonb_array_elements_text(rm.roles) AS r(role)
        WHERE gm.workspace_id = $1 AND gm.group_id LIKE 'bench-group-%'
        GROUP BY gm.member_id`,
      [],
    ],
    [
      'audit_entries',
      `INSERT INTO audit_entries (id, workspace_id, code, occurred_at, actor, target_id, target_external_id, target_user_name, dialect, request_id, details, position)
       SELECT 'bench-audit-' || i, $1, code, ${iso(`timestamp '2026-11-01' + i * interval '2 seconds'`)}, 'token:scim_bench000',
              target, 'ext-' || t, ${email('t')}, 'okta', 'bench-request-' || i,
              CASE WHEN code = 'SCIM_USER_CONFLICT' THEN jsonb_build_object('status', 409, 'reason', 'userName is already taken', 'method', 'POST', 'path', '/scim/v2/Users')
                   WHEN code = 'SCIM_UNAUTHORIZED' THEN jsonb_build_object('status', 401, 'reason', 'unknown-token', 'method', 'GET', 'path', '/scim/v2/Users')
                   ELSE jsonb_build_object('changedAttributes', jsonb_build_array('title')) END,
              NULL
         FROM (SELECT i, 1 + i % ${scimSeeded} AS t, 'b0000000-0000-4000-8000-' || lpad((1 + i % ${scimSeeded})::text, 12, '0') AS target,
                      CASE WHEN i % 50 = 0 THEN 'SCIM_USER_CONFLICT' WHEN i % 97 = 0 THEN 'SCIM_UNAUTHORIZED'
                           WHEN i % 10 = 1 THEN 'ACCOUNT_SCIM_USER_CREATED' WHEN i % 10 = 2 THEN 'ACCOUNT_SCIM_USER_DEACTIVATED'
                           ELSE 'ACCOUNT_SCIM_USER_UPDATED' END AS code
                 FROM generate_series(1, ${AUDIT}) AS i) s`,
      [],
    ],
  ];
}

async function seed(deployment: Deployment): Promise<void> {
  const client = new Client({ connectionString: deployment.env['DATABASE_URL'] });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${deployment.env['READ_MODEL_SCHEMA']}`);
    const scimSeeded = MEMBERS - HISTORY_MEMBERS - LOCAL_DUPLICATES;
    let started = performance.now();
    for (const [name, sql] of seedStatements(scimSeeded)) {
      started = performance.now();
      const result = await client.query(sql, [WORKSPACE]);
      process.stderr.write(`  seeded ${name}: ${result.rowCount} rows in ${Math.round(performance.now() - started)} ms\n`);
    }
    // As autovacuum leaves a table in steady use: statistics, and the visibility map without which
    // the totals' index-only scans visit the heap for every row.
    started = performance.now();
    await client.query('VACUUM ANALYZE members, member_emails, groups, group_members, role_mappings, member_roles, audit_entries');
    process.stderr.write(`  VACUUM ANALYZE in ${Math.round(performance.now() - started)} ms\n`);
  } finally {
    await client.end();
  }
}

async function signIn(deployment: Deployment, adminKey: string): Promise<string> {
  const answer = await fetch(`${deployment.baseUrl}/api/v1/console/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspace: WORKSPACE, adminKey }),
  });
  if (answer.status !== 201) throw new Error(`sign-in: ${answer.status} ${await answer.text()}`);
  return answer.headers.getSetCookie()[0]!.split(';')[0]!;
}

async function measure(deployment: Deployment, cookie: string, scenario: Scenario, concurrency: number): Promise<Percentiles> {
  const get = async (): Promise<number> => {
    const path = scenario.path();
    const started = performance.now();
    const answer = await fetch(`${deployment.baseUrl}${path}`, { headers: { cookie } });
    const body = await answer.text();
    const elapsed = performance.now() - started;
    if (answer.status !== 200) throw new Error(`${scenario.name}: GET ${path} answered ${answer.status} ${body.slice(0, 300)}`);
    return elapsed;
  };
  for (let i = 0; i < WARMUP; i += 1) await get();
  const durations: number[] = [];
  await inParallel([...Array(REQUESTS).keys()], concurrency, async () => {
    durations.push(await get());
  });
  return percentiles(durations);
}

/** gzip size of the JavaScript the built console's index.html loads (scripts and modulepreloads). */
function consoleJavaScript(): { files: string[]; rawKb: number; gzipKb: number } {
  const dist = join(REPO_ROOT, 'apps/admin-console/dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const urls = [
    ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1]!),
    ...[...html.matchAll(/<link\b[^>]*>/g)].filter((match) => /\brel="modulepreload"/.test(match[0])).map((match) => /\bhref="([^"]+)"/.exec(match[0])![1]!),
  ];
  if (urls.length === 0) throw new Error(`${dist}/index.html loads no script`);
  const files = urls.map((url) => url.replace(/^(\/admin)?\//, ''));
  const contents = files.map((file) => readFileSync(join(dist, file)));
  const kb = (bytes: number) => round(bytes / 1024);
  return {
    files,
    rawKb: kb(contents.reduce((sum, content) => sum + content.length, 0)),
    gzipKb: kb(contents.reduce((sum, content) => sum + gzipSync(content, { level: 9 }).length, 0)),
  };
}

async function main(): Promise<void> {
  if (!process.env['DATABASE_URL']) throw new Error('DATABASE_URL is not set: eval "$(bash deploy/local/up.sh --env)" first');
  const js = consoleJavaScript();
  const deployment = await startDeployment('postgres', { LOG_LEVEL: 'warn' });
  try {
    const adminKey = createWorkspace(deployment, WORKSPACE);
    process.stderr.write(`provisioning ${HISTORY_MEMBERS} members over SCIM with ${HISTORY_EVENTS} events each …\n`);
    let started = performance.now();
    const historyIds = await provisionHistoryMembers(deployment, adminKey);
    process.stderr.write(`  ${Math.round((performance.now() - started) / 1000)} s\n`);
    process.stderr.write(`seeding ${MEMBERS - HISTORY_MEMBERS} more members and ${AUDIT} audit entries with SQL …\n`);
    started = performance.now();
    await seed(deployment);
    process.stderr.write(`  ${Math.round((performance.now() - started) / 1000)} s\n`);
    const cookie = await signIn(deployment, adminKey);
    const base = `/api/v1/workspaces/${WORKSPACE}`;
    // The console's Members page (25 a page, newest first by default), as its requests are written.
    const members = (query: string) => () => `${base}/members?offset=0&limit=25&${query}`;
    await waitFor('the SCIM members projected', async () => {
      const answer = await fetch(`${deployment.baseUrl}${base}/members?limit=1&q=history.bench`, { headers: { cookie } });
      return ((await answer.json()) as { total: number }).total === HISTORY_MEMBERS;
    }, 300_000);
    // Terms with three letters or digits in a row (what pg_trgm narrows), and two-letter ones.
    const searches = ['4242', 'pilot', 'zz9', 'abc1', 'local.1'];
    // Rare ('z', 'ab') and frequent ('e' is in every seeded email) terms.
    const shortSearches = ['ab', '42', 'z', 'e'];
    const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;
    const seededIds = Array.from({ length: 1000 }, (_, n) => `b0000000-0000-4000-8000-${String(1 + n * 97).padStart(12, '0')}`);
    const scenarios: Scenario[] = [
      { name: 'members default (createdAt desc)', kind: 'members', path: members('sort=createdAt&order=desc') },
      { name: 'members createdAt asc', kind: 'members', path: members('sort=createdAt&order=asc') },
      { name: 'members userName asc', kind: 'members', path: members('sort=userName&order=asc') },
      { name: 'members userName desc', kind: 'members', path: members('sort=userName&order=desc') },
      { name: 'members displayName asc', kind: 'members', path: members('sort=displayName&order=asc') },
      { name: 'members email asc', kind: 'members', path: members('sort=email&order=asc') },
      { name: 'members email desc', kind: 'members', path: members('sort=email&order=desc') },
      { name: 'members source=local', kind: 'members', path: members('sort=createdAt&order=desc&source=local') },
      { name: 'members source=scim', kind: 'members', path: members('sort=createdAt&order=desc&source=scim') },
      { name: 'members state=deactivated', kind: 'members', path: members('sort=createdAt&order=desc&state=deactivated') },
      { name: 'members state=active, email', kind: 'members', path: members('sort=email&order=asc&state=active') },
      { name: 'members search q (≥ 3 chars)', kind: 'members', path: () => members(`sort=createdAt&order=desc&q=${encodeURIComponent(pick(searches))}`)() },
      { name: 'members search q (1-2 chars)', kind: 'other', path: () => members(`sort=createdAt&order=desc&q=${pick(shortSearches)}`)() },
      { name: 'members page 2,000 (offset 49,975)', kind: 'other', path: () => `${base}/members?offset=49975&limit=25&sort=createdAt&order=desc` },
      { name: 'members duplicates', kind: 'other', path: () => `${base}/members/duplicates` },
      { name: 'audit first page', kind: 'audit', path: () => `${base}/audit?limit=50` },
      { name: 'audit outcome=rejected', kind: 'audit', path: () => `${base}/audit?limit=50&outcome=rejected` },
      { name: 'audit outcome=success', kind: 'audit', path: () => `${base}/audit?limit=50&outcome=success` },
      { name: 'audit member filter', kind: 'audit', path: () => `${base}/audit?limit=50&target=${pick(seededIds)}` },
      { name: 'member history first page', kind: 'history', path: () => `${base}/members/${pick(historyIds)}/history?limit=50` },
    ];
    const results: Record<string, Record<string, Percentiles>> = {};
    // This machine is shared: the 1-minute load average beside the figures tells a busy machine from a slow read.
    const loads: number[] = [];
    for (const scenario of scenarios) {
      results[scenario.name] = {};
      for (const concurrency of CONCURRENCIES) {
        results[scenario.name]![`c${concurrency}`] = await measure(deployment, cookie, scenario, concurrency);
        loads.push(loadavg()[0]!);
        process.stderr.write(`  ${scenario.name} c${concurrency}: ${JSON.stringify(results[scenario.name]![`c${concurrency}`])}\n`);
      }
    }
    const worstP95 = (name: string) => Math.max(...CONCURRENCIES.map((concurrency) => results[name]![`c${concurrency}`]!.p95));
    const membersNames = scenarios.filter((scenario) => scenario.kind === 'members').map((scenario) => scenario.name);
    const summary = {
      membersFirstPageP95Ms: worstP95('members default (createdAt desc)'),
      membersWorstSortFilterP95Ms: Math.max(...membersNames.map(worstP95)),
      membersWorstSortFilter: membersNames.reduce((worst, name) => (worstP95(name) > worstP95(worst) ? name : worst)),
      membersShortSearchP95Ms: worstP95('members search q (1-2 chars)'),
      auditFirstPageP95Ms: worstP95('audit first page'),
      auditMemberFilterP95Ms: worstP95('audit member filter'),
      auditRejectedP95Ms: worstP95('audit outcome=rejected'),
      memberHistoryP95Ms: worstP95('member history first page'),
      jsGzipKb: js.gzipKb,
      jsRawKb: js.rawKb,
      jsFiles: js.files,
      members: MEMBERS,
      auditEntries: AUDIT,
      historyEventsPerMember: HISTORY_EVENTS,
      requestsPerMeasurement: REQUESTS,
      loadAverage: { min: round(Math.min(...loads)), max: round(Math.max(...loads)), cores: availableParallelism() },
      scenarios: results,
    };

    const header = ['request (p50 / p95 / p99 ms)'.padEnd(40), ...CONCURRENCIES.map((concurrency) => `concurrency ${concurrency}`.padStart(26))].join('');
    console.log(header);
    for (const scenario of scenarios) {
      const cells = CONCURRENCIES.map((concurrency) => {
        const figures = results[scenario.name]![`c${concurrency}`]!;
        return ` ${figures.p50} / ${figures.p95} / ${figures.p99}`.padStart(26);
      });
      console.log([scenario.name.padEnd(40), ...cells].join(''));
    }
    const verdict = (value: number, target: number) => `${value} (target ≤ ${target}: ${value <= target ? 'met' : 'MISSED'})`;
    console.log(`members first page p95 ms      ${verdict(summary.membersFirstPageP95Ms, TARGETS.firstPageMs)}`);
    console.log(`members worst sort/filter p95  ${verdict(summary.membersWorstSortFilterP95Ms, TARGETS.firstPageMs)} — ${summary.membersWorstSortFilter}`);
    console.log(`members 1-2 char search p95    ${verdict(summary.membersShortSearchP95Ms, TARGETS.firstPageMs)}`);
    console.log(`audit first page p95 ms        ${verdict(summary.auditFirstPageP95Ms, TARGETS.firstPageMs)}`);
    console.log(`audit member filter p95 ms     ${verdict(summary.auditMemberFilterP95Ms, TARGETS.firstPageMs)}`);
    console.log(`audit rejected p95 ms          ${verdict(summary.auditRejectedP95Ms, TARGETS.firstPageMs)}`);
    console.log(`member history p95 ms          ${verdict(summary.memberHistoryP95Ms, TARGETS.historyMs)}`);
    console.log(`console JS gzip kB             ${verdict(summary.jsGzipKb, TARGETS.jsGzipKb)} (${summary.jsRawKb} kB raw, ${js.files.join(', ')})`);
    console.log(`load average (1 min) during the measurements: ${summary.loadAverage.min}–${summary.loadAverage.max} on ${summary.loadAverage.cores} cores`);
    console.log(JSON.stringify(summary));
  } finally {
    await deployment.stop();
  }
}

// Run, unless imported (to seed a scratch schema while investigating a plan).
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
