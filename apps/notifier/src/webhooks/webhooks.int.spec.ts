/**
 * Webhooks end to end inside one process, on SQLite and on PostgreSQL, with real HTTP receivers:
 * the reactor queues, the worker signs, retries on a short schedule, dead-letters, disables on 410.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { userStreamName } from '@axis/domain';
import { createEventStore, type EventStore } from '@axis/event-store';
import { CheckpointedConsumer, createLogger } from '@axis/platform';
import { WebhookCommands, WebhookTargetRefusedError } from '@axis/write';
import { listWebhookDeliveries, openReadModel, WebhookSubscriptionRecord } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { webhooksReactor } from './webhooks.reactor';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function receiver(answer: (count: number) => number): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answer(received.length);
      res.end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/hook`, received, server };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

const backends: Array<[string, () => Promise<{ store: EventStore; readModel: DataSource; cleanup: () => Promise<void> }>]> = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'axis-webhooks-'));
      const store = await createEventStore(`sqlite:${join(dir, 'events.sqlite')}`);
      const readModel = await openReadModel({ url: `sqlite:${join(dir, 'rm.sqlite')}` });
      return { store, readModel, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const url = process.env['DATABASE_URL'];
      if (!url) throw new Error('DATABASE_URL is not set: start the services with deploy/local/up.sh');
      const suffix = randomBytes(5).toString('hex');
      const store = await createEventStore({ url, schema: `wh_es_${suffix}` });
      const readModel = await openReadModel({ url, schema: `wh_rm_${suffix}`, poolSize: 4 });
      return {
        store,
        readModel,
        cleanup: async () => {
          const client = new Client({ connectionString: url });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS wh_es_${suffix} CASCADE`);
          await client.query(`DROP SCHEMA IF EXISTS wh_rm_${suffix} CASCADE`);
          await client.end();
        },
      };
    },
  ],
];

describe.each(backends)('webhooks on %s', (_name, open) => {
  const logger = createLogger('webhooks-test', 'silent');
  const workspaceId = `ws${randomBytes(3).toString('hex')}`;
  let store: EventStore;
  let readModel: DataSource;
  let cleanup: () => Promise<void>;
  let consumer: CheckpointedConsumer;
  let worker: WebhookDeliveryWorker;
  let commands: WebhookCommands;
  const servers: Server[] = [];

  beforeAll(async () => {
    ({ store, readModel, cleanup } = await open());
    commands = new WebhookCommands(store, { allowPrivateTargets: true });
    consumer = new CheckpointedConsumer(webhooksReactor, store, readModel, logger);
    await consumer.start();
    worker = new WebhookDeliveryWorker(
      readModel,
      commands,
      { retryDelaysMs: [100, 100, 100, 100], timeoutMs: 10_000, concurrencyPerEndpoint: 2, disableAfterFailures: 2, pollIntervalMs: 25, allowPrivateTargets: true },
      logger,
    );
    worker.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await consumer?.stop();
    for (const server of servers) server.close();
    await store?.close();
    if (readModel?.isInitialized) await readModel.destroy();
    await cleanup?.();
  });

  async function createUser(): Promise<string> {
    const userId = randomUUID();
    const eventId = randomUUID();
    await store.appendToStream(userStreamName(workspaceId, userId), [
      {
        eventId,
        type: 'ACCOUNT_SCIM_USER_CREATED',
        data: { userId, userName: `${userId}@example.com`, externalId: null, active: true, attributes: {} },
        metadata: { eventId, workspaceId, actor: 'token:test', occurredAt: new Date().toISOString(), dialect: 'okta' },
      },
    ]);
    return eventId;
  }

  it('delivers on the 4th try to a receiver that fails 3 times, with a valid Standard Webhooks signature', async () => {
    const flaky = await receiver((count) => (count <= 3 ? 503 : 204));
    servers.push(flaky.server);
    const created = await commands.create({ workspaceId, actor: 'admin:test', dialect: 'admin' }, { url: flaky.url, eventTypes: ['platform.scim.user.*'] });
    expect(created.secret).toMatch(/^whsec_/);
    await until('the subscription', async () => readModel.getRepository(WebhookSubscriptionRecord).findOneBy({ id: created.id }));
    const eventId = await createUser();

    await until('four attempts', async () => flaky.received.length >= 4);
    await new Promise((done) => setTimeout(done, 300));
    expect(flaky.received).toHaveLength(4);
    const last = flaky.received[3]!;
    expect(last.headers['webhook-id']).toBe(eventId);
    const verified = new Webhook(created.secret).verify(last.body, {
      'webhook-id': String(last.headers['webhook-id']),
      'webhook-timestamp': String(last.headers['webhook-timestamp']),
      'webhook-signature': String(last.headers['webhook-signature']),
    }) as { type: string; id: string; data: { userId: string } };
    expect(verified).toMatchObject({ type: 'platform.scim.user.created', id: eventId });
    // Every try carried the same id and body: the receiver can de-duplicate.
    expect(new Set(flaky.received.map((entry) => entry.headers['webhook-id']))).toEqual(new Set([eventId]));
    expect(new Set(flaky.received.map((entry) => entry.body)).size).toBe(1);

    const log = await until('the delivery log to show it delivered', async () => {
      const deliveries = await listWebhookDeliveries(readModel, created.id);
      return deliveries[0]?.status === 'delivered' ? deliveries : null;
    });
    expect(log[0]).toMatchObject({ eventId, attempts: 4, lastStatusCode: 204 });
    expect(log[0]!.log.map((attempt) => attempt.statusCode)).toEqual([503, 503, 503, 204]);
  });

  it('dead-letters after the last try, shows it in the log, redelivers on request, and disables a failing endpoint', async () => {
    const broken = await receiver(() => 500);
    servers.push(broken.server);
    const created = await commands.create({ workspaceId, actor: 'admin:test', dialect: 'admin' }, { url: broken.url, eventTypes: ['platform.scim.*'] });
    await until('the subscription', async () => readModel.getRepository(WebhookSubscriptionRecord).findOneBy({ id: created.id }));
    const eventId = await createUser();

    const dead = await until('the dead letter', async () => {
      const deliveries = await listWebhookDeliveries(readModel, created.id);
      return deliveries.find((delivery) => delivery.eventId === eventId && delivery.status === 'dead');
    });
    expect(dead.attempts).toBe(5); // 4 delays → 5 tries
    expect(dead.log).toHaveLength(5);
    expect(dead.log.every((attempt) => attempt.statusCode === 500)).toBe(true);
    expect(broken.received).toHaveLength(5);

    await commands.redeliver({ workspaceId, actor: 'admin:test', dialect: 'admin' }, created.id, dead.id);
    const again = await until('the redelivered dead letter', async () => {
      const deliveries = await listWebhookDeliveries(readModel, created.id);
      const delivery = deliveries.find((candidate) => candidate.id === dead.id);
      return delivery && delivery.status === 'dead' && delivery.attempts === 10 ? delivery : null;
    });
    expect(again.log.map((attempt) => attempt.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    // Two dead letters in a row (disableAfterFailures: 2) disable the endpoint.
    const subscription = await until('the endpoint to be disabled', async () => {
      const record = await readModel.getRepository(WebhookSubscriptionRecord).findOneBy({ id: created.id });
      return record && !record.enabled ? record : null;
    });
    expect(subscription.disabledReason).toBe('failing');
  });

  it('disables an endpoint at once on 410 Gone', async () => {
    const gone = await receiver(() => 410);
    servers.push(gone.server);
    const created = await commands.create({ workspaceId, actor: 'admin:test', dialect: 'admin' }, { url: gone.url, eventTypes: ['platform.scim.user.created'] });
    await until('the subscription', async () => readModel.getRepository(WebhookSubscriptionRecord).findOneBy({ id: created.id }));
    await createUser();
    const subscription = await until('the endpoint to be disabled', async () => {
      const record = await readModel.getRepository(WebhookSubscriptionRecord).findOneBy({ id: created.id });
      return record && !record.enabled ? record : null;
    });
    expect(subscription.disabledReason).toBe('gone');
    expect(gone.received).toHaveLength(1);
  });

  it('never lets a slow endpoint delay another', async () => {
    const slow = await receiver(() => 200);
    slow.server.removeAllListeners('request');
    slow.server.on('request', () => undefined); // never answers: every try times out
    servers.push(slow.server);
    const fast = await receiver(() => 200);
    servers.push(fast.server);
    await commands.create({ workspaceId, actor: 'admin:test', dialect: 'admin' }, { url: slow.url, eventTypes: ['platform.scim.user.created'] });
    const fastHook = await commands.create({ workspaceId, actor: 'admin:test', dialect: 'admin' }, { url: fast.url, eventTypes: ['platform.scim.user.created'] });
    await until('the subscription', async () => readModel.getRepository(WebhookSubscriptionRecord).findOneBy({ id: fastHook.id }));
    const eventIds = [await createUser(), await createUser(), await createUser()];
    await until('the fast endpoint to get all three', async () => fast.received.length >= 3, 3000);
    expect(fast.received.map((entry) => entry.headers['webhook-id']).sort()).toEqual([...eventIds].sort());
  });

  it('refuses private targets unless allowed', async () => {
    const strict = new WebhookCommands(store, { allowPrivateTargets: false });
    await expect(strict.create({ workspaceId, actor: 'admin:test', dialect: 'admin' }, { url: 'https://127.0.0.1/x', eventTypes: ['*'] })).rejects.toThrow(
      WebhookTargetRefusedError,
    );
    await expect(strict.create({ workspaceId, actor: 'admin:test', dialect: 'admin' }, { url: 'https://169.254.169.254/x', eventTypes: ['*'] })).rejects.toThrow(
      WebhookTargetRefusedError,
    );
  });
});
