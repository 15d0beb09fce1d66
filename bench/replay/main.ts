/**
 * Projection replay benchmark: `npm run bench:replay`
 * (`tsc -b bench/replay && node --max-semi-space-size=64 bench/replay/dist/main.js`: the node flag
 * `axis projections replay` runs the replay with).
 * Seeds BENCH_EVENTS user events (default 1,000,000) into a fresh event store, then times
 * `axis projections replay members` (the blue/green rebuild: counting pass, the members projection
 * into shadow tables, the switch) on SQLite files and, when DATABASE_URL is set, on PostgreSQL
 * (throw-away schemas). fsync stays on (a SQLite shadow file is written with synchronous = OFF, as
 * every replay does: it is discarded unless the replay completes).
 * BENCH_HISTORY (default `interleaved`): the history as IdP traffic writes it — BENCH_USERS
 * (default 100,000) users, each created, updated and deactivated, the events of all users in
 * arrival order (round after round across the users, in multi-stream appends of 1,000), so that a
 * replay page touches as many members as real history does. `contiguous`: each user's 50 events
 * written together (the shape of earlier runs, kept to compare; a page then touches 20–100 members).
 * Prints a table, then ONE line of JSON: {"postgresEventsPerSec":…,"sqliteEventsPerSec":…,"history":…,…}.
 * Targets (issue 9): ≥ 10,000 events/s on PostgreSQL, ≥ 30,000 on SQLite.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createEventStore, type EventData, type EventStore } from '@axis/event-store';
import { replayProjection } from '@axis/platform';
import { REPLAYABLE } from '@axis/projector';
import { MEMBERS_PROJECTION, openReadModel } from '@axis/read-model';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const HISTORY = process.env['BENCH_HISTORY'] ?? 'interleaved';
if (HISTORY !== 'interleaved' && HISTORY !== 'contiguous') throw new Error('BENCH_HISTORY must be interleaved or contiguous');
const USERS = Number(process.env['BENCH_USERS'] ?? 100_000);
const UPDATES_PER_USER = 48;
/** Streams per multi-stream append while seeding interleaved history. */
const APPEND_WIDTH = 1000;

interface Figures {
  events: number;
  seedSeconds: number;
  replaySeconds: number;
  eventsPerSec: number;
}

function benchEvent(type: string, data: Record<string, unknown>): EventData {
  const eventId = randomUUID();
  return { eventId, type, data, metadata: { eventId, workspaceId: 'bench', actor: 'token:bench', occurredAt: '2026-01-01T00:00:00.000Z', dialect: 'rfc', schemaVersion: 1 } };
}

/** The k-th event of user n's history (0: created; then updates; the last: deactivated), of `length` events. */
function historyEvent(userId: string, n: number, k: number, length: number): EventData {
  if (k === 0) {
    const userName = `bench-${n}@example.com`;
    const attributes = { userName, name: { givenName: 'Bench', familyName: `N${n}` }, emails: [{ value: userName, type: 'work', primary: true }], active: true };
    return benchEvent('ACCOUNT_SCIM_USER_CREATED', { userId, userName, externalId: `ext-${n}`, active: true, attributes });
  }
  if (k === length - 1) return benchEvent('ACCOUNT_SCIM_USER_DEACTIVATED', { userId });
  const changes = k % 8 === 0 ? { emails: [{ value: `bench-${n}-${k}@example.com`, type: 'work', primary: true }] } : { displayName: `Bench ${n} v${k}`, title: `T${k}` };
  return benchEvent('ACCOUNT_SCIM_USER_UPDATED', { userId, changedAttributes: Object.keys(changes), changes });
}

/** USERS users whose events arrive round after round across all of them, as an IdP's syncs write them. */
async function seedInterleaved(store: EventStore, events: number): Promise<number> {
  const users = Math.max(1, Math.min(USERS, events));
  const length = Math.max(2, Math.round(events / users));
  const userIds = Array.from({ length: users }, () => randomUUID());
  let written = 0;
  for (let k = 0; k < length; k++) {
    for (let first = 0; first < users; first += APPEND_WIDTH) {
      const appends = userIds.slice(first, first + APPEND_WIDTH).map((userId, offset) => ({
        streamName: `user-bench.${userId}`,
        events: [historyEvent(userId, first + offset, k, length)],
        expectedRevision: k === 0 ? ('no_stream' as const) : k - 1,
      }));
      await store.appendToStreams(appends);
      written += appends.length;
    }
    process.stderr.write(`  seeded round ${k + 1}/${length}\n`);
  }
  return written;
}

/** Each user's whole history in one append, user after user. */
async function seedContiguous(store: EventStore, events: number): Promise<number> {
  const perUser = UPDATES_PER_USER + 2;
  const users = Math.max(1, Math.round(events / perUser));
  let written = 0;
  const pending: Promise<unknown>[] = [];
  for (let n = 0; n < users; n++) {
    const userId = randomUUID();
    const batch = Array.from({ length: perUser }, (_, k) => historyEvent(userId, n, k, perUser));
    written += batch.length;
    pending.push(store.appendToStream(`user-bench.${userId}`, batch, { expectedRevision: 'no_stream' }));
    if (pending.length >= 8) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return written;
}

async function measure(label: string, eventStoreUrl: string, readModelUrl: string, schemas: { es?: string; rm?: string }): Promise<Figures> {
  const store = await createEventStore({ url: eventStoreUrl, ...(schemas.es ? { schema: schemas.es } : {}) });
  const seedStarted = Date.now();
  const events = HISTORY === 'interleaved' ? await seedInterleaved(store, EVENTS) : await seedContiguous(store, EVENTS);
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  const readModel = await openReadModel({ url: readModelUrl, ...(schemas.rm ? { schema: schemas.rm } : {}), poolSize: 3 });
  try {
    let last = 0;
    const result = await replayProjection({
      eventStore: store,
      readModel,
      readModelUrl,
      ...(schemas.rm ? { schema: schemas.rm } : {}),
      // Exactly what `axis projections replay members` runs.
      projection: REPLAYABLE[MEMBERS_PROJECTION]!.projection,
      tables: REPLAYABLE[MEMBERS_PROJECTION]!.tables,
      indexesAfterLoad: REPLAYABLE[MEMBERS_PROJECTION]!.indexesAfterLoad ?? false,
      graceMs: 0,
      onProgress: (progress) => {
        if (Date.now() - last < 5000) return;
        last = Date.now();
        process.stderr.write(`${label}: ${progress.phase} ${progress.done}/${progress.total} (${Math.round(progress.eventsPerSecond)} events/s)\n`);
      },
    });
    return { events, seedSeconds, replaySeconds: result.seconds, eventsPerSec: Math.round(result.events / result.seconds) };
  } finally {
    await readModel.destroy();
    await store.close();
  }
}

async function main(): Promise<void> {
  const figures: Record<string, Figures> = {};
  const dir = mkdtempSync(join(tmpdir(), 'axis-bench-replay-'));
  try {
    figures['sqlite'] = await measure('sqlite', `sqlite:${join(dir, 'events.sqlite')}`, `sqlite:${join(dir, 'read-model.sqlite')}`, {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const databaseUrl = process.env['DATABASE_URL'];
  if (databaseUrl) {
    const suffix = randomBytes(4).toString('hex');
    const schemas = { es: `bench_es_${suffix}`, rm: `bench_rm_${suffix}` };
    try {
      figures['postgres'] = await measure('postgres', databaseUrl, databaseUrl, schemas);
    } finally {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      for (const schema of [schemas.es, schemas.rm]) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
  process.stdout.write(`\nreplay of the members projection, ${EVENTS} events requested, ${HISTORY} history\n`);
  process.stdout.write(`${'store'.padEnd(10)}${'events'.padStart(10)}${'seed s'.padStart(10)}${'replay s'.padStart(10)}${'events/s'.padStart(12)}\n`);
  for (const [name, figure] of Object.entries(figures)) {
    process.stdout.write(
      `${name.padEnd(10)}${String(figure.events).padStart(10)}${figure.seedSeconds.toFixed(1).padStart(10)}${figure.replaySeconds.toFixed(1).padStart(10)}${String(figure.eventsPerSec).padStart(12)}\n`,
    );
  }
  process.stdout.write(
    `${JSON.stringify({ events: EVENTS, history: HISTORY, users: HISTORY === 'interleaved' ? USERS : Math.round(EVENTS / (UPDATES_PER_USER + 2)), postgresEventsPerSec: figures['postgres']?.eventsPerSec ?? null, sqliteEventsPerSec: figures['sqlite']?.eventsPerSec ?? null })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:replay failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
