/**
 * Projection replay benchmark: `npm run bench:replay`
 * (`tsc -b bench/replay && node --max-semi-space-size=64 bench/replay/dist/main.js`: the node flag
 * `axis projections replay` runs the replay with).
 * Seeds BENCH_EVENTS user events (default 1,000,000: users created, updated 48 times, deactivated)
 * into a fresh event store, then times `axis projections replay members` (the blue/green rebuild:
 * counting pass, the members projection into shadow tables, the switch) on SQLite files and, when
 * DATABASE_URL is set, on PostgreSQL (throw-away schemas). fsync stays on (a SQLite shadow file is
 * written with synchronous = OFF, as every replay does: it is discarded unless the replay completes).
 * Prints a table, then ONE line of JSON: {"postgresEventsPerSec":…,"sqliteEventsPerSec":…,…}.
 * Targets (issue 9): ≥ 10,000 events/s on PostgreSQL, ≥ 30,000 on SQLite.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createEventStore, type EventData, type EventStore } from '@axis/event-store';
import { replayProjection } from '@axis/platform';
import { membersProjection } from '@axis/projector';
import { openReadModel } from '@axis/read-model';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const UPDATES_PER_USER = 48;

interface Figures {
  events: number;
  seedSeconds: number;
  replaySeconds: number;
  eventsPerSec: number;
}

async function seed(store: EventStore, events: number): Promise<number> {
  const perUser = UPDATES_PER_USER + 2;
  const users = Math.max(1, Math.round(events / perUser));
  const occurredAt = '2026-01-01T00:00:00.000Z';
  let written = 0;
  const event = (type: string, data: Record<string, unknown>): EventData => {
    const eventId = randomUUID();
    return { eventId, type, data, metadata: { eventId, workspaceId: 'bench', actor: 'token:bench', occurredAt, dialect: 'rfc', schemaVersion: 1 } };
  };
  const pending: Promise<unknown>[] = [];
  for (let n = 0; n < users; n++) {
    const userId = randomUUID();
    const userName = `bench-${n}@example.com`;
    const attributes = { userName, name: { givenName: 'Bench', familyName: `N${n}` }, emails: [{ value: userName, type: 'work', primary: true }], active: true };
    const batch = [event('ACCOUNT_SCIM_USER_CREATED', { userId, userName, externalId: `ext-${n}`, active: true, attributes })];
    for (let u = 1; u <= UPDATES_PER_USER; u++) {
      const changes = u % 8 === 0 ? { emails: [{ value: `bench-${n}-${u}@example.com`, type: 'work', primary: true }] } : { displayName: `Bench ${n} v${u}`, title: `T${u}` };
      batch.push(event('ACCOUNT_SCIM_USER_UPDATED', { userId, changedAttributes: Object.keys(changes), changes }));
    }
    batch.push(event('ACCOUNT_SCIM_USER_DEACTIVATED', { userId }));
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
  const events = await seed(store, EVENTS);
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  const readModel = await openReadModel({ url: readModelUrl, ...(schemas.rm ? { schema: schemas.rm } : {}), poolSize: 3 });
  try {
    let last = 0;
    const result = await replayProjection({
      eventStore: store,
      readModel,
      readModelUrl,
      ...(schemas.rm ? { schema: schemas.rm } : {}),
      projection: membersProjection,
      tables: ['members', 'member_emails'],
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
  process.stdout.write(`\nreplay of the members projection, ${EVENTS} events requested\n`);
  process.stdout.write(`${'store'.padEnd(10)}${'events'.padStart(10)}${'seed s'.padStart(10)}${'replay s'.padStart(10)}${'events/s'.padStart(12)}\n`);
  for (const [name, figure] of Object.entries(figures)) {
    process.stdout.write(
      `${name.padEnd(10)}${String(figure.events).padStart(10)}${figure.seedSeconds.toFixed(1).padStart(10)}${figure.replaySeconds.toFixed(1).padStart(10)}${String(figure.eventsPerSec).padStart(12)}\n`,
    );
  }
  process.stdout.write(
    `${JSON.stringify({ events: EVENTS, postgresEventsPerSec: figures['postgres']?.eventsPerSec ?? null, sqliteEventsPerSec: figures['sqlite']?.eventsPerSec ?? null })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:replay failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
