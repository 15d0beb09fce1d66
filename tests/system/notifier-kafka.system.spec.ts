/**
 * The notifier on the shared broker, three processes on PostgreSQL: every event reaches Kafka
 * exactly once after de-duplication by ce_id, in stream order per key, conforming to
 * docs/asyncapi.yaml; a SIGKILLed notifier loses nothing; replaying the member projection re-sends
 * nothing (Kafka, webhooks, audit).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type CloudEvent, Kafka as CloudEventsKafka, type KafkaMessage as CloudEventsKafkaMessage } from 'cloudevents';
import { userStreamName, workspaceStreamName } from '@axis/domain';
import { createEventStore, type EventData, type EventStore } from '@axis/event-store';
import { WebhookCommands } from '@axis/write';
import { loadAsyncApiValidator } from '../support/asyncapi';
import {
  deliveryProblems,
  KafkaCollector,
  provisionUser,
  startDeployment,
  storedOutboundEvents,
  type Deployment,
} from '../support/notifier-deployment';
import { requiredEnv } from '../support/required-env';
import { waitFor } from '../support/processes';

jest.setTimeout(240_000);

function userEvent(workspaceId: string, userId: string, type: string, data: Record<string, unknown>, dialect = 'okta'): EventData {
  const eventId = randomUUID();
  return {
    eventId,
    type,
    data: { userId, ...data },
    metadata: {
      eventId,
      workspaceId,
      actor: 'token:test',
      correlationId: eventId,
      causationId: eventId,
      occurredAt: new Date().toISOString(),
      dialect,
      schemaVersion: 1,
      requestId: eventId,
    },
  };
}

function asCloudEventsMessage(record: { key: string; value: string; headers: Record<string, string> }): CloudEventsKafkaMessage {
  return { key: record.key, value: record.value, body: record.value, headers: record.headers };
}

/** A record decoded as a downstream consumer using the CloudEvents SDK would (binary content mode). */
function decodeCloudEvent(record: { key: string; value: string; headers: Record<string, string> }): CloudEvent<unknown> {
  const decoded = CloudEventsKafka.toEvent(asCloudEventsMessage(record));
  if (Array.isArray(decoded)) throw new Error('a record decoded as a batch of CloudEvents');
  return decoded as CloudEvent<unknown>;
}

describe('notifier → Kafka on PostgreSQL (three processes)', () => {
  const databaseUrl = requiredEnv('DATABASE_URL');
  const brokers = requiredEnv('KAFKA_BROKERS');
  let deployment: Deployment;
  let collector: KafkaCollector;
  let store: EventStore;

  beforeAll(async () => {
    deployment = await startDeployment({ databaseUrl, brokers, partitions: 3, appEnv: { notifier: { LOG_LEVEL: 'info' } } });
    store = await createEventStore({ url: databaseUrl, schema: deployment.eventStoreSchema });
    collector = new KafkaCollector(brokers, deployment.topic);
    await collector.start();
  });

  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts || process.env['SYSTEM_TEST_VERBOSE']) process.stderr.write(deployment.output());
  });

  afterAll(async () => {
    await collector?.stop();
    await store?.close();
    await deployment?.close();
  });

  async function allDelivered(): Promise<void> {
    await waitFor(
      'every stored event on Kafka',
      async () => {
        const stored = await storedOutboundEvents(deployment);
        return stored.length > 0 && stored.every((event) => collector.has(event.eventId));
      },
      120_000,
      200,
    );
  }

  it('publishes every event exactly once after de-duplication, in stream order per key, as documented', async () => {
    const users = [];
    for (let round = 0; round < 4; round++) {
      users.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => provisionUser(deployment, `kafka${round}x${i}`)))));
    }
    // Every other user event type, on one user, straight into the store (the gateway's routes for them are the lead's).
    const [first] = users;
    const stream = userStreamName('default', first!.id);
    await store.appendToStream(stream, [userEvent('default', first!.id, 'ACCOUNT_SCIM_USER_UPDATED', { changedAttributes: ['name.givenName'], changes: { name: { givenName: 'Ada', familyName: 'B' } } })], { expectedRevision: 0 });
    await store.appendToStream(stream, [userEvent('default', first!.id, 'ACCOUNT_SCIM_USER_DEACTIVATED', {}, 'entra-2020')], { expectedRevision: 1 });
    await store.appendToStream(stream, [userEvent('default', first!.id, 'ACCOUNT_SCIM_USER_REACTIVATED', {})], { expectedRevision: 2 });
    await store.appendToStream(stream, [userEvent('default', first!.id, 'ACCOUNT_SCIM_USER_DELETED', {})], { expectedRevision: 3 });
    const workspaceId = `ws-${deployment.suffix}`;
    const workspaceEvent = (type: string, data: Record<string, unknown>) => {
      const eventId = randomUUID();
      return { eventId, type, data, metadata: { eventId, workspaceId, actor: 'operator', occurredAt: new Date().toISOString(), dialect: 'system', schemaVersion: 1 } };
    };
    await store.appendToStream(
      workspaceStreamName(workspaceId),
      [
        workspaceEvent('TENANT_WORKSPACE_CREATED', { workspaceId, slug: workspaceId }),
        workspaceEvent('TENANT_ADMIN_KEY_CREATED', { workspaceId, keyId: 'k1', sha256: 'a'.repeat(64), prefix: 'adm_AbCd1234', description: 'Alice' }),
        workspaceEvent('TENANT_ADMIN_KEY_REVOKED', { workspaceId, keyId: 'k1', prefix: 'adm_AbCd1234' }),
      ],
      { expectedRevision: 'no_stream' },
    );
    // A refused request, which the gateway may record as a rejection event: it must conform too.
    await fetch(`${deployment.baseUrl}/scim/v2/Users`, { headers: { authorization: 'Bearer scim_wrong' } });

    await allDelivered();
    await new Promise((done) => setTimeout(done, 500));
    const stored = await storedOutboundEvents(deployment);
    expect(deliveryProblems(stored, collector)).toEqual([]);

    // Every real record conforms to docs/asyncapi.yaml, and every user event type was seen.
    const validator = loadAsyncApiValidator();
    const problems = collector.unique().flatMap((message) => validator.check(message));
    expect(problems).toEqual([]);
    const seenTypes = new Set(collector.unique().map((message) => message.headers['ce_type']));
    for (const type of ['created', 'updated', 'deactivated', 'reactivated', 'deleted']) expect(seenTypes).toContain(`platform.scim.user.${type}`);
    expect(seenTypes).toContain('platform.scim.workspace.created');
    expect(seenTypes).toContain('platform.scim.admin.key-revoked');

    // The key and the CloudEvent attributes of one record.
    const created = collector.unique().find((message) => message.key === `default:${first!.id}`)!;
    expect(created.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'platform.scim.user.created',
      ce_source: '/workspaces/default/scim',
      ce_subject: `users/${first!.id}`,
      ce_workspace: 'default',
      ce_streamrevision: '0',
    });

    // The audit log has an entry per event, with its target.
    const audit = await waitFor('every audit entry', async () => {
      const rows = await deployment.db.query(`SELECT id, code, target_id, target_external_id, target_user_name, dialect, request_id FROM ${deployment.readModelSchema}.audit_entries`);
      return rows.rows.length >= stored.length ? rows.rows : null;
    });
    const createdEntry = audit.find((row: { id: string }) => row.id === created.headers['ce_id']);
    expect(createdEntry).toMatchObject({ code: 'ACCOUNT_SCIM_USER_CREATED', target_id: first!.id, target_user_name: first!.userName });
    expect(createdEntry.request_id).toBeTruthy();
    const deactivated = audit.find((row: { code: string }) => row.code === 'ACCOUNT_SCIM_USER_DEACTIVATED');
    expect(deactivated).toMatchObject({ target_id: first!.id, target_user_name: first!.userName, dialect: 'entra-2020' });
  });

  it('sends records the CloudEvents SDK decodes (Kafka binding, binary mode), every attribute as stored', async () => {
    const user = await provisionUser(deployment, 'sdk');
    const [stored] = await store.readStream(userStreamName('default', user.id));
    const record = await waitFor('the record on Kafka', async () => collector.unique().find((message) => message.headers['ce_id'] === stored!.eventId));
    expect(CloudEventsKafka.isEvent(asCloudEventsMessage(record))).toBe(true);
    const event = decodeCloudEvent(record);
    const { userName: _userName, ...data } = stored!.data as Record<string, unknown>;
    expect(event).toMatchObject({
      specversion: '1.0',
      id: stored!.eventId,
      source: '/workspaces/default/scim',
      type: 'platform.scim.user.created',
      subject: `users/${user.id}`,
      time: stored!.metadata['occurredAt'],
      datacontenttype: 'application/json',
      data: { ...data, userName: user.userName },
      // Extensions: the workspace, the event's revision in its stream, the IdP dialect; the record key as `partitionkey`.
      workspace: 'default',
      streamrevision: '0',
      dialect: 'rfc',
      partitionkey: `default:${user.id}`,
    });
    // Every record of the run decodes and passes the SDK's own validation (it throws otherwise).
    const undecodable = collector.unique().filter((other) => {
      try {
        return !decodeCloudEvent(other).validate();
      } catch {
        return true;
      }
    });
    expect(undecodable.map((other) => other.headers['ce_id'])).toEqual([]);
  });

  it('loses nothing when the notifier is SIGKILLed mid-batch and restarted', async () => {
    const before = collector.messages.length;
    // 2,000 events in 400 streams, appended fast, so the notifier is surely mid-batch when killed.
    const streams = Array.from({ length: 400 }, () => randomUUID());
    const appending = (async () => {
      for (let i = 0; i < streams.length; i += 20) {
        await Promise.all(
          streams.slice(i, i + 20).map(async (userId) => {
            const events = [
              userEvent('default', userId, 'ACCOUNT_SCIM_USER_CREATED', { userName: `${userId}@example.com`, externalId: null, active: true, attributes: {} }),
              userEvent('default', userId, 'ACCOUNT_SCIM_USER_UPDATED', { changedAttributes: ['title'], changes: { title: 'x' } }),
              userEvent('default', userId, 'ACCOUNT_SCIM_USER_DEACTIVATED', {}),
              userEvent('default', userId, 'ACCOUNT_SCIM_USER_REACTIVATED', {}),
              userEvent('default', userId, 'ACCOUNT_SCIM_USER_DELETED', {}),
            ];
            // One append per event, so batches cut through streams.
            for (let revision = 0; revision < events.length; revision++) {
              await store.appendToStream(userStreamName('default', userId), [events[revision]!], { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 });
            }
          }),
        );
      }
    })();
    await waitFor('the notifier to be publishing', async () => collector.messages.length > before + 200, 60_000, 5);
    await deployment.stop('notifier', 'SIGKILL');
    const killedAt = collector.messages.length - before;
    await appending;
    deployment.start('notifier', { LOG_LEVEL: 'info' });

    await allDelivered();
    const stored = await storedOutboundEvents(deployment);
    expect(deliveryProblems(stored, collector)).toEqual([]);
    expect(killedAt).toBeLessThan(2000);
    process.stdout.write(`SIGKILL after ${killedAt} records; ${collector.messages.length - collector.unique().length} duplicates in total (de-duplicated by ce_id)\n`);
  });

  it('re-sends nothing when the member projection is replayed', async () => {
    // A webhook receiver subscribed to everything, so a re-send on either path would show.
    const received: string[] = [];
    const deliveries: Array<{ headers: Record<string, string>; body: string }> = [];
    const server: Server = createServer((req, res) => {
      received.push(String(req.headers['webhook-id']));
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        deliveries.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)])), body: Buffer.concat(chunks).toString() });
        res.end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const commands = new WebhookCommands(store, { allowPrivateTargets: true });
      await commands.create(
        { workspaceId: 'default', actor: 'admin:test', dialect: 'admin' },
        { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, eventTypes: ['platform.scim.*'] },
      );
      const users = await Promise.all(Array.from({ length: 5 }, (_, i) => provisionUser(deployment, `replay${i}`)));
      await allDelivered();
      await waitFor('the webhook deliveries', async () => users.every((user) => collector.unique().some((message) => message.key === `default:${user.id}` && received.includes(message.headers['ce_id']!))), 60_000);
      const counts = async () => ({
        kafka: collector.messages.length,
        webhooks: received.length,
        audit: Number((await deployment.db.query(`SELECT count(*) AS n FROM ${deployment.readModelSchema}.audit_entries`)).rows[0].n),
        deliveries: Number((await deployment.db.query(`SELECT count(*) AS n FROM ${deployment.readModelSchema}.webhook_deliveries`)).rows[0].n),
      });
      await waitFor('the audit log to catch up', async () => {
        const stored = await deployment.db.query(`SELECT count(*) AS n FROM ${deployment.eventStoreSchema}.events WHERE stream_name NOT LIKE 'unique-%'`);
        return (await counts()).audit >= Number(stored.rows[0].n);
      }, 60_000, 200);
      await new Promise((done) => setTimeout(done, 1000));
      const before = await counts();
      const membersBefore = Number((await deployment.db.query(`SELECT count(*) AS n FROM ${deployment.readModelSchema}.members`)).rows[0].n);

      // Rebuild the member projection from scratch: checkpoint gone, rows gone, projector restarted.
      await deployment.stop('projector');
      await deployment.db.query(`DELETE FROM ${deployment.readModelSchema}.projection_checkpoints WHERE subscriber_id = 'members'`);
      await deployment.db.query(`DELETE FROM ${deployment.readModelSchema}.member_emails`);
      await deployment.db.query(`DELETE FROM ${deployment.readModelSchema}.members`);
      deployment.start('projector');
      await waitFor('the member projection rebuilt', async () => {
        const rows = await deployment.db.query(`SELECT count(*) AS n FROM ${deployment.readModelSchema}.members`);
        return Number(rows.rows[0].n) >= membersBefore;
      }, 60_000, 200);
      await new Promise((done) => setTimeout(done, 2000));
      expect(await counts()).toEqual(before);
      const validator = loadAsyncApiValidator();
      expect(deliveries.flatMap((delivery) => validator.checkWebhookDelivery(delivery))).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('sent only records that conform to docs/asyncapi.yaml, across every test above', () => {
    const validator = loadAsyncApiValidator();
    expect(collector.messages.length).toBeGreaterThan(0);
    expect(collector.messages.flatMap((message) => validator.check(message))).toEqual([]);
  });
});
