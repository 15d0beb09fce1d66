/**
 * Event store benchmark: `npx tsc -b bench/event-store && node bench/event-store/dist/main.js`.
 * SQLite always; PostgreSQL when DATABASE_URL is set (in a throw-away schema). fsync stays on.
 * BENCH_PG_NOTIFY=false measures PostgreSQL appends without the in-transaction NOTIFY.
 * Prints a table, then ONE line of JSON: {"sqlite":{…},"postgres":{…}}.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresEventStore, SqliteEventStore, type EventData, type EventStore } from '@axis/event-store';

interface AdapterFigures {
  appendsPerSec1: number;
  appendsPerSec8: number;
  appendP50Ms: number;
  appendP99Ms: number;
  appendP50Ms1: number;
  appendP99Ms1: number;
  catchUpEventsPerSec: number;
  readAllEventsPerSec: number;
}

const SINGLE_WRITER_APPENDS = Number(process.env.BENCH_APPENDS ?? 4000);
const CONCURRENT_WRITERS = 8;
const CATCH_UP_EVENTS = Number(process.env.BENCH_CATCH_UP_EVENTS ?? 200_000);
const STREAMS = 1000;

function anEvent(index: number): EventData {
  return {
    eventId: randomUUID(),
    type: 'BenchmarkEvent',
    data: { index, userName: `user-${index}@example.com`, active: true, attributes: { displayName: 'Benchmark User', title: 'Engineer' } },
    metadata: { correlationId: randomUUID(), actor: 'bench' },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measureAppends(store: EventStore, writers: number, total: number, streamPrefix: string) {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (;;) {
        const index = next++;
        if (index >= total) return;
        const t0 = process.hrtime.bigint();
        await store.appendToStream(`${streamPrefix}${index % STREAMS}`, [anEvent(index)], { expectedRevision: 'any' });
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { perSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function preload(store: EventStore, events: number): Promise<void> {
  const batch = 500;
  for (let done = 0; done < events; done += batch) {
    await store.appendToStream(`load-${(done / batch) % STREAMS}`, Array.from({ length: batch }, (_, i) => anEvent(done + i)));
  }
}

async function measureCatchUp(store: EventStore, expected: number): Promise<number> {
  const started = process.hrtime.bigint();
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    const subscription = store.subscribeToAll({ after: 'start', batchSize: 1000 }, async (batch) => {
      received += batch.length;
      if (received >= expected) {
        void subscription.stop();
        resolve();
      }
    });
    subscription.done.catch(reject);
  });
  return received / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function measureReadAll(store: EventStore): Promise<number> {
  const started = process.hrtime.bigint();
  let read = 0;
  let after: string | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    read += page.length;
    if (page.length < 1000) break;
    after = page[page.length - 1].position;
  }
  return read / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function benchAdapter(name: string, open: () => Promise<EventStore>): Promise<AdapterFigures> {
  const store = await open();
  log(`${name}: warming up`);
  await measureAppends(store, 1, 300, 'warm-');
  log(`${name}: ${SINGLE_WRITER_APPENDS} single-event appends, 1 writer`);
  const one = await measureAppends(store, 1, SINGLE_WRITER_APPENDS, 'one-');
  log(`${name}: ${SINGLE_WRITER_APPENDS * 2} single-event appends, ${CONCURRENT_WRITERS} writers`);
  const eight = await measureAppends(store, CONCURRENT_WRITERS, SINGLE_WRITER_APPENDS * 2, 'eight-');
  log(`${name}: preloading ${CATCH_UP_EVENTS} events`);
  await preload(store, CATCH_UP_EVENTS);
  const total = 300 + SINGLE_WRITER_APPENDS * 3 + CATCH_UP_EVENTS;
  log(`${name}: catching up ${total} events`);
  const catchUp = await measureCatchUp(store, total);
  const readAll = await measureReadAll(store);
  await store.close();
  return {
    appendsPerSec1: Math.round(one.perSecond),
    appendsPerSec8: Math.round(eight.perSecond),
    appendP50Ms: round(eight.p50),
    appendP99Ms: round(eight.p99),
    appendP50Ms1: round(one.p50),
    appendP99Ms1: round(one.p99),
    catchUpEventsPerSec: Math.round(catchUp),
    readAllEventsPerSec: Math.round(readAll),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function printTable(results: Record<string, AdapterFigures>): void {
  const rows: Array<[string, keyof AdapterFigures]> = [
    ['appends/s, 1 writer', 'appendsPerSec1'],
    ['appends/s, 8 writers', 'appendsPerSec8'],
    ['append p50 ms (1 writer)', 'appendP50Ms1'],
    ['append p99 ms (1 writer)', 'appendP99Ms1'],
    ['append p50 ms (8 writers)', 'appendP50Ms'],
    ['append p99 ms (8 writers)', 'appendP99Ms'],
    ['catch-up subscription events/s', 'catchUpEventsPerSec'],
    ['readAll paging events/s', 'readAllEventsPerSec'],
  ];
  const adapters = Object.keys(results);
  const header = ['metric'.padEnd(32), ...adapters.map((a) => a.padStart(12))].join(' ');
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const [label, key] of rows) console.log([label.padEnd(32), ...adapters.map((a) => String(results[a][key]).padStart(12))].join(' '));
}

async function main(): Promise<void> {
  const results: Record<string, AdapterFigures> = {};
  const directory = mkdtempSync(join(tmpdir(), 'axis-es-bench-'));
  try {
    results.sqlite = await benchAdapter('sqlite', async () => SqliteEventStore.open({ filename: join(directory, 'bench.db') }));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }

  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const schema = `es_bench_${randomBytes(4).toString('hex')}`;
    try {
      results.postgres = await benchAdapter('postgres', () =>
        PostgresEventStore.open({
          connectionString: databaseUrl,
          schema,
          poolSize: CONCURRENT_WRITERS + 2,
          notify: process.env.BENCH_PG_NOTIFY !== 'false',
        }),
      );
    } finally {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  } else {
    log('postgres: skipped (DATABASE_URL is not set; start services with deploy/local/up.sh)');
  }

  printTable(results);
  console.log(JSON.stringify(results));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
