/**
 * SCIM /Bulk benchmark: `npm run bench:bulk` (issue #22). On the embedded default and, when
 * DATABASE_URL is set, on three processes on PostgreSQL (as the system tests start them, rate limit
 * off), sends BENCH_BULK_REQUESTS (default 10) bulk requests one after another, each of
 * BENCH_BULK_OPERATIONS (default 1,000) user creations, after one unmeasured request:
 * `bulkUsersPerSec` (users created per second of wall time), `bulkP50Ms` / `bulkP99Ms` (per bulk
 * request). Then, on the same deployment, the baseline the issue names: bench:scim-users' initial
 * sync (lookup → POST → PATCH per user, BENCH_SYNC_CONNECTIONS (default 32) in flight,
 * BENCH_SYNC_USERS (default 3,000) users): `syncUsersPerSec`, and `bulkOverSync`, the ratio
 * (target ≥ 2 on the embedded default).
 * Prints a table, then ONE JSON line: {"embedded":{…},"postgres":{…}}.
 */
import { type Deployment, startDeployment } from '../../tests/support/deployments';
import { initialSync, percentile, userBody } from '../scim-users/main';

const REQUESTS = Number(process.env['BENCH_BULK_REQUESTS'] ?? 10);
const OPERATIONS = Number(process.env['BENCH_BULK_OPERATIONS'] ?? 1000);
const SYNC_USERS = Number(process.env['BENCH_SYNC_USERS'] ?? 3000);
const SYNC_CONNECTIONS = Number(process.env['BENCH_SYNC_CONNECTIONS'] ?? 32);
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

interface BulkFigures {
  bulkUsersPerSec: number;
  bulkP50Ms: number;
  bulkP99Ms: number;
  syncUsersPerSec: number;
  bulkOverSync: number;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One bulk request of OPERATIONS user creations; the users created, and its duration in ms. */
async function sendBulk(deployment: Deployment, batch: number): Promise<{ created: number; ms: number }> {
  const operations = Array.from({ length: OPERATIONS }, (_, index) => ({ method: 'POST', path: '/Users', bulkId: `u${batch}-${index}`, data: JSON.parse(userBody(`bulk${batch}`)) as unknown }));
  const body = JSON.stringify({ schemas: [BULK_REQUEST], Operations: operations });
  const started = performance.now();
  const response = await fetch(`${deployment.baseUrl}/scim/v2/Bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${deployment.token}`, 'content-type': 'application/scim+json' },
    body,
  });
  const answer = (await response.json()) as { Operations?: Array<{ status: string }> };
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`bulk answered ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`);
  const created = (answer.Operations ?? []).filter((operation) => operation.status === '201').length;
  if (created !== OPERATIONS) process.stderr.write(`  bulk ${batch}: ${OPERATIONS - created} of ${OPERATIONS} operations failed\n`);
  return { created, ms };
}

async function measure(kind: 'embedded' | 'postgres'): Promise<BulkFigures> {
  const deployment = await startDeployment(kind, { LOG_LEVEL: 'warn' });
  try {
    await sendBulk(deployment, -1);
    const durations: number[] = [];
    let created = 0;
    const started = performance.now();
    for (let batch = 0; batch < REQUESTS; batch++) {
      const run = await sendBulk(deployment, batch);
      durations.push(run.ms);
      created += run.created;
    }
    const bulkUsersPerSec = Math.round(created / ((performance.now() - started) / 1000));
    process.stderr.write(`${kind}: bulk ${bulkUsersPerSec} users/s; sync baseline …\n`);
    const sync = await initialSync(deployment, SYNC_USERS, SYNC_CONNECTIONS);
    return {
      bulkUsersPerSec,
      bulkP50Ms: percentile(durations, 0.5),
      bulkP99Ms: percentile(durations, 0.99),
      syncUsersPerSec: sync.usersPerSec,
      bulkOverSync: round(bulkUsersPerSec / sync.usersPerSec, 2),
    };
  } finally {
    await deployment.stop();
  }
}

async function main(): Promise<void> {
  const results: Record<string, BulkFigures> = { embedded: await measure('embedded') };
  if (process.env['DATABASE_URL']) results['postgres'] = await measure('postgres');
  const columns = Object.keys(results);
  console.log(['metric'.padEnd(24), ...columns.map((column) => column.padStart(12))].join(''));
  for (const key of ['bulkUsersPerSec', 'bulkP50Ms', 'bulkP99Ms', 'syncUsersPerSec', 'bulkOverSync'] as const) {
    console.log([key.padEnd(24), ...columns.map((column) => String(results[column]![key]).padStart(12))].join(''));
  }
  const embedded = results['embedded']!;
  console.log(`embedded bulk / sync: ${embedded.bulkOverSync} (target ≥ 2: ${embedded.bulkOverSync >= 2 ? 'met' : 'MISSED'})`);
  console.log(JSON.stringify(results));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
