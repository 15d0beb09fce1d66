/**
 * The three-process deployment on PostgreSQL the notifier system tests and bench drive: its own
 * schemas and topic, a Kafka collector that de-duplicates by `ce_id`, and helpers to provision.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Client } from 'pg';
import { freePort, startApp, stopApp, waitFor, type RunningApp } from './processes';

export type AppName = 'scim-gateway' | 'projector' | 'notifier';

export interface Deployment {
  suffix: string;
  baseUrl: string;
  token: string;
  topic: string;
  eventStoreSchema: string;
  readModelSchema: string;
  db: Client;
  apps: Map<AppName, RunningApp>;
  env: Record<string, string>;
  start(name: AppName, extraEnv?: Record<string, string>): RunningApp;
  stop(name: AppName, signal?: NodeJS.Signals): Promise<void>;
  output(): string;
  close(): Promise<void>;
}

export async function startDeployment(options: {
  databaseUrl: string;
  brokers: string;
  partitions?: number;
  env?: Record<string, string>;
  appEnv?: Partial<Record<AppName, Record<string, string>>>;
}): Promise<Deployment> {
  const suffix = randomBytes(4).toString('hex');
  const port = await freePort();
  const token = `scim_${randomBytes(24).toString('hex')}`;
  const deployment: Deployment = {
    suffix,
    baseUrl: `http://127.0.0.1:${port}`,
    token,
    topic: `platform.scim.events.notifier-${suffix}`,
    eventStoreSchema: `sys_nes_${suffix}`,
    readModelSchema: `sys_nrm_${suffix}`,
    db: new Client({ connectionString: options.databaseUrl }),
    apps: new Map(),
    env: {},
    start(name, extraEnv = {}) {
      const app = startApp(name, { ...deployment.env, ...(options.appEnv?.[name] ?? {}), ...extraEnv });
      const previous = deployment.apps.get(name);
      if (previous) {
        // Keep the earlier runs' output for failure reports.
        const before = previous.output();
        const current = app.output;
        app.output = () => `${before}\n--- restarted ---\n${current()}`;
      }
      deployment.apps.set(name, app);
      return app;
    },
    async stop(name, signal = 'SIGTERM') {
      const app = deployment.apps.get(name);
      if (app) await stopApp(app, signal);
    },
    output() {
      return [...deployment.apps.values()].map((app) => `--- ${app.name} output ---\n${app.output()}`).join('\n');
    },
    async close() {
      await Promise.all([...deployment.apps.values()].map((app) => stopApp(app)));
      await deployment.db.query(`DROP SCHEMA IF EXISTS ${deployment.eventStoreSchema} CASCADE`).catch(() => undefined);
      await deployment.db.query(`DROP SCHEMA IF EXISTS ${deployment.readModelSchema} CASCADE`).catch(() => undefined);
      await deployment.db.end().catch(() => undefined);
    },
  };
  deployment.env = {
    DATABASE_URL: options.databaseUrl,
    EVENT_STORE_SCHEMA: deployment.eventStoreSchema,
    READ_MODEL_SCHEMA: deployment.readModelSchema,
    KAFKA_BROKERS: options.brokers,
    KAFKA_TOPIC: deployment.topic,
    KAFKA_TOPIC_PARTITIONS: String(options.partitions ?? 3),
    SCIM_BEARER_TOKEN: token,
    // Measures and drives the pipeline far above an IdP's rate; the rate limit has its own test.
    SCIM_RATE_LIMIT_PER_SECOND: '0',
    PORT: String(port),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    ...(options.env ?? {}),
  };
  await deployment.db.connect();
  // The gateway first: it migrates the event store, so the others do not race it.
  deployment.start('scim-gateway');
  await waitFor('the gateway to answer', async () => (await fetch(`${deployment.baseUrl}/healthz`)).ok, 60_000);
  deployment.start('projector');
  deployment.start('notifier');
  return deployment;
}

export async function provisionUser(deployment: Deployment, label: string): Promise<{ id: string; userName: string }> {
  const userName = `${label}.${deployment.suffix}@example.com`;
  const response = await fetch(`${deployment.baseUrl}/scim/v2/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${deployment.token}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      externalId: `ext-${label}-${deployment.suffix}`,
      name: { givenName: 'Ada', familyName: label },
      emails: [{ value: userName, type: 'work', primary: true }],
      active: true,
    }),
  });
  if (response.status !== 201) throw new Error(`POST /Users answered ${response.status}: ${await response.text()}`);
  return { id: ((await response.json()) as { id: string }).id, userName };
}

export interface CollectedMessage {
  key: string;
  headers: Record<string, string>;
  value: string;
  partition: number;
  offset: string;
  receivedAt: number;
}

/** Reads a topic from the beginning; `unique()` is what a consumer de-duplicating by ce_id sees. */
export class KafkaCollector {
  readonly messages: CollectedMessage[] = [];
  private readonly seen = new Map<string, CollectedMessage>();
  private consumer: Consumer | null = null;
  private readonly listeners = new Set<(message: CollectedMessage) => void>();

  constructor(
    private readonly brokers: string,
    private readonly topic: string,
  ) {}

  async start(): Promise<void> {
    const kafka = new Kafka({ clientId: `collector-${randomBytes(3).toString('hex')}`, brokers: this.brokers.split(','), logLevel: logLevel.NOTHING });
    await waitFor('the notifier to create the topic', async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return (await admin.listTopics()).includes(this.topic);
      } finally {
        await admin.disconnect();
      }
    }, 90_000, 250);
    this.consumer = kafka.consumer({ groupId: `collector-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 50 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
        const collected: CollectedMessage = {
          key: message.key?.toString() ?? '',
          headers,
          value: message.value?.toString() ?? '',
          partition,
          offset: message.offset,
          receivedAt: Date.now(),
        };
        this.messages.push(collected);
        const id = headers['ce_id'] ?? '';
        if (!this.seen.has(id)) this.seen.set(id, collected);
        for (const listener of this.listeners) listener(collected);
      },
    });
  }

  onMessage(listener: (message: CollectedMessage) => void): void {
    this.listeners.add(listener);
  }

  /** First copy of every ce_id, in arrival order. */
  unique(): CollectedMessage[] {
    return [...this.seen.values()];
  }

  has(ceId: string): boolean {
    return this.seen.has(ceId);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
  }
}

/** The outbound events in the store (what must reach Kafka), by stream and revision. */
export async function storedOutboundEvents(deployment: Pick<Deployment, 'db' | 'eventStoreSchema'>): Promise<Array<{ eventId: string; streamName: string; revision: number; type: string }>> {
  const rows = await deployment.db.query(
    `SELECT event_id, stream_name, revision, event_type FROM ${deployment.eventStoreSchema}.events
      WHERE stream_name NOT LIKE 'unique-%' AND stream_name NOT LIKE 'webhook-%' ORDER BY transaction_id, global_position`,
  );
  return rows.rows.map((row: { event_id: string; stream_name: string; revision: string | number; event_type: string }) => ({
    eventId: row.event_id,
    streamName: row.stream_name,
    revision: Number(row.revision),
    type: row.event_type,
  }));
}

/**
 * Checks what a de-duplicating consumer saw against the store: every event exactly once, and
 * per key in stream order. Returns a list of problems (empty = fine).
 */
export function deliveryProblems(
  stored: Array<{ eventId: string; revision: number }>,
  collector: KafkaCollector,
): string[] {
  const problems: string[] = [];
  const unique = collector.unique();
  const expected = new Set(stored.map((event) => event.eventId));
  for (const event of stored) if (!collector.has(event.eventId)) problems.push(`missing ${event.eventId}`);
  for (const message of unique) if (!expected.has(message.headers['ce_id']!)) problems.push(`unexpected ${message.headers['ce_id']}`);
  const lastRevision = new Map<string, number>();
  for (const message of unique) {
    const revision = Number(message.headers['ce_streamrevision']);
    const previous = lastRevision.get(message.key);
    if (previous !== undefined && revision !== previous + 1) problems.push(`key ${message.key}: revision ${revision} after ${previous}`);
    if (previous === undefined && revision !== 0) problems.push(`key ${message.key}: first revision seen is ${revision}`);
    lastRevision.set(message.key, revision);
  }
  return problems.slice(0, 20);
}
