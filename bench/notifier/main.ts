/**
 * Notifier benchmark: `npm run bench:notifier` (= `tsc -b bench/notifier && node bench/notifier/dist/main.js`).
 * Needs DATABASE_URL and KAFKA_BROKERS (deploy/local/up.sh) and built apps (`npm run build`).
 * Spawns the three-process PostgreSQL deployment (gateway, projector, notifier) in throw-away
 * schemas with its own topic, then measures:
 *   1. throughput: BENCH_EVENTS (default 20,000) events appended to the store while the notifier is
 *      stopped, then the notifier started: events/s from the first to the last record a consumer
 *      receives (every record acked by the broker with acks=all before the checkpoint moves;
 *      `eventsPerSec`), and from the notifier's start to the last record, its start-up, topic
 *      creation and first read included (`eventsPerSecFromStart`: what an operator waits);
 *   2. latency: BENCH_POSTS (default 1,000) `POST /scim/v2/Users` at concurrency BENCH_CONCURRENCY
 *      (default 8): time from the gateway's 201 to the consumer receiving that user's CloudEvent.
 * The notifier runs with EVENT_STORE_POLL_INTERVAL_MS=25 (BENCH_NOTIFIER_POLL_MS) as a latency-sensitive deployment would.
 * Prints a table, then ONE line of JSON: {"eventsPerSec":…,"eventsPerSecFromStart":…,"postToConsumerP50Ms":…,"postToConsumerP99Ms":…}.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { userStreamName } from '@axis/domain';
import { createEventStore, type EventData } from '@axis/event-store';

const ROOT = resolve(__dirname, '../../..');
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 20_000);
const POSTS = Number(process.env['BENCH_POSTS'] ?? 1000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const PARTITIONS = Number(process.env['BENCH_PARTITIONS'] ?? 6);

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`${name} is not set: eval "$(deploy/local/up.sh --env)" first\n`);
    process.exit(2);
  }
  return value;
}

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function until(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 120_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, everyMs));
  }
}

function userCreated(userId: string, index: number): EventData {
  const eventId = randomUUID();
  return {
    eventId,
    type: 'ACCOUNT_SCIM_USER_CREATED',
    data: { userId, userName: `bench-${index}@example.com`, externalId: `ext-${index}`, active: true, attributes: { displayName: 'Bench User', title: 'Engineer' } },
    metadata: { eventId, workspaceId: 'default', actor: 'bench', correlationId: eventId, causationId: eventId, occurredAt: new Date().toISOString(), dialect: 'rfc', schemaVersion: 1 },
  };
}

async function main(): Promise<void> {
  const databaseUrl = required('DATABASE_URL');
  const brokers = required('KAFKA_BROKERS');
  const suffix = randomBytes(4).toString('hex');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const token = `scim_${randomBytes(24).toString('hex')}`;
  const topic = `platform.scim.events.bench-${suffix}`;
  const eventStoreSchema = `bench_nes_${suffix}`;
  const readModelSchema = `bench_nrm_${suffix}`;
  const env = {
    PATH: process.env['PATH'] ?? '',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    EVENT_STORE_SCHEMA: eventStoreSchema,
    READ_MODEL_SCHEMA: readModelSchema,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC: topic,
    KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
    SCIM_BEARER_TOKEN: token,
    // Measures and drives the pipeline far above an IdP's rate; the rate limit has its own test.
    SCIM_RATE_LIMIT_PER_SECOND: '0',
    PORT: String(port),
  };
  const processes: ChildProcess[] = [];
  const start = (name: string) => {
    const child = spawn(process.execPath, [resolve(ROOT, `apps/${name}/dist/main.js`)], {
      cwd: ROOT,
      env: name === 'notifier' ? { ...env, EVENT_STORE_POLL_INTERVAL_MS: process.env['BENCH_NOTIFIER_POLL_MS'] ?? '25' } : env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    processes.push(child);
    return child;
  };
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const kafka = new Kafka({ clientId: `bench-${suffix}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-${suffix}`, maxWaitTimeInMs: 20, maxBytesPerPartition: 4 * 1024 * 1024 });
  try {
    start('scim-gateway');
    await until('the gateway', async () => (await fetch(`${baseUrl}/healthz`).catch(() => null))?.ok === true, 60_000, 100);
    start('projector');

    // 1. Throughput: a backlog appended while the notifier is down, then drained.
    const store = await createEventStore({ url: databaseUrl, schema: eventStoreSchema });
    const appendStarted = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (;;) {
          const index = next++;
          if (index >= EVENTS) return;
          const userId = randomUUID();
          await store.appendToStream(userStreamName('default', userId), [userCreated(userId, index)], { expectedRevision: 'no_stream' });
        }
      }),
    );
    const appendSeconds = (Date.now() - appendStarted) / 1000;
    await store.close();

    const arrivals = new Map<string, number>();
    const byKey = new Map<string, number>();
    const waiting = new Map<string, (at: number) => void>();
    let received = 0;
    let firstAt = 0;
    let lastAt = 0;
    const notifierStartedAt = Date.now();
    start('notifier');
    await until('the topic', async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return (await admin.listTopics()).includes(topic);
      } finally {
        await admin.disconnect();
      }
    }, 60_000, 100);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: PARTITIONS,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const message of batch.messages) {
          const id = message.headers?.['ce_id']?.toString() ?? '';
          if (arrivals.has(id)) continue;
          arrivals.set(id, now);
          received++;
          const key = message.key?.toString() ?? '';
          byKey.set(key, now);
          waiting.get(key)?.(now);
        }
        if (!firstAt) firstAt = now;
        lastAt = now;
      },
    });
    await until('the backlog on Kafka', () => received >= EVENTS, 300_000, 10);
    const drainSeconds = (lastAt - firstAt) / 1000;
    const eventsPerSec = Math.round(EVENTS / Math.max(drainSeconds, 0.001));
    // The drain window starts at the first record; an operator waits from the notifier's start.
    const eventsPerSecFromStart = Math.round(EVENTS / Math.max((lastAt - notifierStartedAt) / 1000, 0.001));
    // The checkpoint moved only after acks: it is at the head now.
    const checkpoint = await db.query(`SELECT position FROM ${readModelSchema}.projection_checkpoints WHERE subscriber_id = 'kafka'`);
    if (checkpoint.rows.length === 0) throw new Error('no kafka checkpoint');

    // 2. Latency: POST /Users → CloudEvent at the consumer.
    const latencies: number[] = [];
    let posted = 0;
    const postStarted = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (;;) {
          const index = posted++;
          if (index >= POSTS) return;
          const userName = `latency-${index}-${suffix}@example.com`;
          const response = await fetch(`${baseUrl}/scim/v2/Users`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
            body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, externalId: `x${index}`, emails: [{ value: userName, primary: true }], active: true }),
          });
          const respondedAt = Date.now();
          if (response.status !== 201) throw new Error(`POST /Users answered ${response.status}`);
          const { id } = (await response.json()) as { id: string };
          const key = `default:${id}`;
          const seenAt = byKey.get(key) ?? (await new Promise<number>((done) => waiting.set(key, done)).finally(() => waiting.delete(key)));
          latencies.push(Math.max(0, seenAt - respondedAt));
        }
      }),
    );
    const postSeconds = (Date.now() - postStarted) / 1000;
    latencies.sort((a, b) => a - b);
    const figures = {
      events: EVENTS,
      eventsPerSec,
      eventsPerSecFromStart,
      posts: POSTS,
      concurrency: CONCURRENCY,
      postsPerSec: Math.round(POSTS / postSeconds),
      postToConsumerP50Ms: percentile(latencies, 50),
      postToConsumerP99Ms: percentile(latencies, 99),
      postToConsumerMaxMs: latencies[latencies.length - 1]!,
    };
    const rows: Array<[string, string]> = [
      ['backlog appended (events)', `${EVENTS} in ${appendSeconds.toFixed(1)} s`],
      ['event store → Kafka (acked), events/s', String(figures.eventsPerSec)],
      ['… from the notifier start, events/s', String(figures.eventsPerSecFromStart)],
      ['POST /Users', `${POSTS} at concurrency ${CONCURRENCY}, ${figures.postsPerSec}/s`],
      ['POST 201 → consumer p50 (ms)', String(figures.postToConsumerP50Ms)],
      ['POST 201 → consumer p99 (ms)', String(figures.postToConsumerP99Ms)],
      ['POST 201 → consumer max (ms)', String(figures.postToConsumerMaxMs)],
    ];
    console.log('notifier benchmark (three processes, PostgreSQL, Kafka)');
    for (const [label, value] of rows) console.log(`${label.padEnd(40)} ${value.padStart(24)}`);
    console.log(JSON.stringify(figures));
  } finally {
    await consumer.disconnect().catch(() => undefined);
    for (const child of processes) child.kill('SIGTERM');
    await Promise.all(processes.map((child) => (child.exitCode === null ? new Promise((done) => child.once('exit', done)) : null)));
    await db.query(`DROP SCHEMA IF EXISTS ${eventStoreSchema} CASCADE`).catch(() => undefined);
    await db.query(`DROP SCHEMA IF EXISTS ${readModelSchema} CASCADE`).catch(() => undefined);
    await db.end();
    const admin = kafka.admin();
    await admin.connect().then(() => admin.deleteTopics({ topics: [topic] })).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
