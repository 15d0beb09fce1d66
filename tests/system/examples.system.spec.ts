/**
 * The integration examples against a real deployment (three processes on PostgreSQL, the shared
 * Kafka broker), each as its own child process: examples/kafka-consumer decodes the topic with the
 * CloudEvents SDK and skips records it already handled; examples/webhook-receiver, the target of a
 * subscription created through the admin API, verifies Standard Webhooks signatures and
 * acknowledges a redelivery without handling it twice. The events of the flows driven here (local
 * members, merges, SCIM settings, groups, role mappings, rejections) conform to docs/asyncapi.yaml.
 */
import { randomBytes } from 'node:crypto';
import type { EventStore } from '@axis/event-store';
import { loadAsyncApiValidator } from '../support/asyncapi';
import { type Deployment, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { KafkaCollector } from '../support/notifier-deployment';
import { freePort, type RunningApp, startScript, stopApp, waitFor } from '../support/processes';
import { requiredEnv } from '../support/required-env';
import { createWorkspace, http, runCli } from '../support/workspace-admin';

jest.setTimeout(240_000);

const GROUP_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const SLUG = 'examples';

describe('examples/kafka-consumer and examples/webhook-receiver against a deployment', () => {
  const brokers = requiredEnv('KAFKA_BROKERS');
  const topic = `examples-${randomBytes(4).toString('hex')}`;
  const examples: RunningApp[] = [];
  let deployment: Deployment;
  let store: EventStore;
  let collector: KafkaCollector;
  let adminKey: string;

  beforeAll(async () => {
    deployment = await startDeployment('postgres', {
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: topic,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '100',
    });
    store = await deployment.openEventStore();
    adminKey = createWorkspace(deployment, SLUG);
    collector = new KafkaCollector(brokers, topic);
    await collector.start();
  });

  afterAll(async () => {
    await Promise.all(examples.map((example) => stopApp(example)));
    await collector?.stop();
    await store?.close();
    await deployment?.stop();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    http(deployment.baseUrl, `/api/v1/workspaces/${SLUG}${path}`, { method, headers: { authorization: `Bearer ${adminKey}` }, ...(body === undefined ? {} : { body }) });

  function startExample(name: string, script: string, env: Record<string, string>): RunningApp {
    const example = startScript(name, script, env);
    examples.push(example);
    return example;
  }

  /** The ids of the events an example printed as handled, and as skipped duplicates. */
  function linesOf(example: RunningApp, pattern: RegExp): string[] {
    return [...example.output().matchAll(pattern)].map((match) => match[1]!);
  }

  /** Local member, merge, settings, groups, role mapping, a refused request: one event of each kind. */
  async function driveWorkspace(): Promise<{ userId: string; groupId: string }> {
    const scimToken = (await admin('POST', '/scim-tokens', {})).json.token as string;
    const scim = (method: string, path: string, body?: unknown) =>
      http(deployment.baseUrl, `/workspaces/${SLUG}/scim/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' },
        ...(body === undefined ? {} : { body }),
      });
    expect((await admin('POST', '/members', { userName: 'grace.local', email: 'grace@example.com', displayName: 'Grace' })).status).toBe(201);
    const merged = await scim('POST', '/Users', { schemas: [USER_SCHEMA_URI], userName: 'grace@example.com', emails: [{ value: 'grace@example.com', primary: true }] });
    expect(merged.status).toBe(201);
    const userId = merged.json.id as string;
    const group = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: 'Admins', members: [{ value: userId }] });
    expect(group.status).toBe(201);
    const groupId = group.json.id as string;
    expect((await admin('PUT', `/role-mappings/${groupId}`, { roles: ['admin'] })).status).toBe(200);
    expect((await scim('GET', '/Users?filter=userName%20zz%20%22x%22')).status).toBe(400);
    // Last, so the flows above run with the defaults (a setting left as it is appends no event).
    expect((await admin('PUT', '/scim-settings', { rejectUnknownAttributes: true })).status).toBe(200);
    return { userId, groupId };
  }

  it('webhook receiver: verifies signatures, handles each event once, acknowledges a redelivery without handling it again', async () => {
    const port = await freePort();
    const subscription = await admin('POST', '/webhooks', { url: `http://127.0.0.1:${port}/hooks`, eventTypes: ['platform.scim.*'] });
    expect(subscription.status).toBe(201);
    const receiver = startExample('webhook-receiver', 'examples/webhook-receiver/receiver.js', {
      WEBHOOK_SECRET: subscription.json.secret as string,
      PORT: String(port),
    });
    await waitFor('the receiver to listen', async () => receiver.output().includes('listening on'));

    const { userId, groupId } = await driveWorkspace();
    const expected = [
      'platform.scim.settings.changed',
      'platform.scim.local.member-created',
      'platform.scim.user.merged',
      'platform.scim.group.created',
      'platform.scim.group.members-added',
      'platform.scim.role.mapping-set',
      'platform.scim.user.updated',
      'platform.scim.scim-invalid-filter',
    ];
    await waitFor('the receiver to handle every event', async () => expected.every((type) => receiver.output().includes(`handled ${type} `)), 60_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- receiver\n${receiver.output()}\n${deployment.output()}`);
    });
    expect(receiver.output()).toContain(`handled platform.scim.user.merged users/${userId} `);
    expect(receiver.output()).toContain(`handled platform.scim.role.mapping-set rolemappings/`);
    expect(receiver.output()).toContain(`handled platform.scim.group.created groups/${groupId} `);

    // A redelivery requested by the admin carries the same webhook-id: acknowledged (2xx), not handled again.
    const deliveries = (await admin('GET', `/webhooks/${subscription.json.id}/deliveries?status=delivered`)).json as Array<{ id: string; eventId: string; eventType: string }>;
    const merge = deliveries.find((delivery) => delivery.eventType === 'platform.scim.user.merged')!;
    // A delivery's id is a UUIDv8 derived from subscription and event (deliveryIdOf); the webhook-id header is the event id.
    expect(deliveries.map((delivery) => delivery.id)).toEqual(deliveries.map(() => expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)));
    expect((await admin('POST', `/webhooks/${subscription.json.id}/deliveries/${merge.id}/redeliver`)).status).toBe(202);
    await waitFor('the redelivery', async () => receiver.output().includes(`duplicate webhook-id=${merge.eventId}`), 30_000);
    expect(linesOf(receiver, /^handled \S+ \S+ id=(\S+)/gm).filter((id) => id === merge.eventId)).toHaveLength(1);
    await waitFor('the redelivery acknowledged', async () => {
      const log = (await admin('GET', `/webhooks/${subscription.json.id}/deliveries`)).json as Array<{ id: string; status: string; attempts: number; lastStatusCode: number | null }>;
      const again = log.find((delivery) => delivery.id === merge.id);
      return again?.status === 'delivered' && again.attempts >= 2 && again.lastStatusCode === 204;
    });

    // A forged delivery is refused before anything in it is read.
    const forged = await fetch(`http://127.0.0.1:${port}/hooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': merge.eventId, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: JSON.stringify({ type: 'platform.scim.user.deleted', data: { userId } }),
    });
    expect(forged.status).toBe(401);
    expect(receiver.output()).not.toContain('handled platform.scim.user.deleted');
  });

  it('Kafka consumer: decodes every record with the CloudEvents SDK and skips records it already handled', async () => {
    const consumer = startExample('kafka-consumer', 'examples/kafka-consumer/consumer.js', {
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: `examples-${randomBytes(4).toString('hex')}`,
    });
    const published = await waitFor('records on the topic', async () => (collector.unique().length > 0 ? collector.unique() : null));
    const ids = published.map((record) => record.headers['ce_id']!);
    await waitFor('the consumer to handle every record', async () => {
      const handled = new Set(linesOf(consumer, /^handled \S+ \S+ id=(\S+)/gm));
      return ids.every((id) => handled.has(id));
    }, 60_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- consumer\n${consumer.output()}`);
    });
    const merged = published.find((record) => record.headers['ce_type'] === 'platform.scim.user.merged')!;
    expect(consumer.output()).toContain(
      `handled platform.scim.user.merged ${merged.headers['ce_subject']} id=${merged.headers['ce_id']} workspace=${merged.headers['ce_workspace']} revision=${merged.headers['ce_streamrevision']}`,
    );

    // Republished to the same topic (from the first event's time, inclusive), the same events come again: each is skipped, none handled twice.
    const [first] = await store.readAll({ after: 'start', maxCount: 1 });
    const republish = runCli(deployment, ['kafka', 'republish', '--from', first!.recordedAt.toISOString(), '--topic', topic]);
    expect({ status: republish.status, stderr: republish.stderr }).toEqual({ status: 0, stderr: expect.stringContaining('republished') });
    await waitFor('the duplicates skipped', async () => ids.every((id) => consumer.output().includes(`duplicate id=${id}`)), 60_000);
    const handled = linesOf(consumer, /^handled \S+ \S+ id=(\S+)/gm);
    expect(handled.length).toBe(new Set(handled).size);
    expect(consumer.output()).not.toContain('not a CloudEvent');
  });

  it('published only records that conform to docs/asyncapi.yaml', () => {
    const validator = loadAsyncApiValidator();
    expect(collector.messages.flatMap((message) => validator.check(message))).toEqual([]);
  });
});
