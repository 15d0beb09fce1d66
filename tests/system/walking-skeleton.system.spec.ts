/**
 * The walking skeleton through all three processes on PostgreSQL and Kafka: POST /Users appends
 * an event, the projector puts the member in the read model, GET by filter finds it, the notifier
 * publishes a CloudEvent to Kafka and writes an audit entry. Stop any process and this fails.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import { contractRecordOf, loadAsyncApiValidator } from '../support/asyncapi';
import { requiredEnv } from '../support/required-env';
import { freePort, startApp, stopApp, waitFor, type RunningApp } from '../support/processes';

const suffix = randomBytes(4).toString('hex');
const token = `scim_${randomBytes(24).toString('hex')}`;
const eventStoreSchema = `sys_es_${suffix}`;
const readModelSchema = `sys_rm_${suffix}`;
const topic = `platform.scim.events.system-${suffix}`;

describe('walking skeleton: gateway → event store → projector → read model; notifier → Kafka + audit', () => {
  const databaseUrl = requiredEnv('DATABASE_URL');
  const brokers = requiredEnv('KAFKA_BROKERS').split(',');
  const apps: RunningApp[] = [];
  const received: KafkaMessage[] = [];
  let consumer: Consumer;
  let db: Client;
  let baseUrl: string;

  beforeAll(async () => {
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: databaseUrl,
      EVENT_STORE_SCHEMA: eventStoreSchema,
      READ_MODEL_SCHEMA: readModelSchema,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC: topic,
      KAFKA_TOPIC_PARTITIONS: '3',
      SCIM_BEARER_TOKEN: token,
      PORT: String(port),
    };
    // SYSTEM_TEST_SKIP_APP=projector (or notifier) removes a hop, to see this test fail without it.
    const skipped = process.env['SYSTEM_TEST_SKIP_APP'];
    for (const name of ['scim-gateway', 'projector', 'notifier']) if (name !== skipped) apps.push(startApp(name, env));

    const kafka = new Kafka({ clientId: `system-test-${suffix}`, brokers, logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `system-test-${suffix}` });
    await consumer.connect();
    await waitFor('the notifier to create the topic', async () => (await listTopics(kafka)).includes(topic), 60_000, 250);
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });

    await waitFor('the gateway to answer', async () => (await fetch(`${baseUrl}/healthz`)).ok, 60_000);
  });

  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts || process.env['SYSTEM_TEST_VERBOSE']) {
      for (const app of apps) process.stderr.write(`--- ${app.name} output ---\n${app.output()}\n`);
    }
  });

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await Promise.all(apps.map((app) => stopApp(app)));
    if (db) {
      await db.query(`DROP SCHEMA IF EXISTS ${eventStoreSchema} CASCADE`).catch(() => undefined);
      await db.query(`DROP SCHEMA IF EXISTS ${readModelSchema} CASCADE`).catch(() => undefined);
      await db.end();
    }
  });

  it('provisions a user end to end through every hop', async () => {
    const userName = `ada.${suffix}@example.com`;
    const created = await fetch(`${baseUrl}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
        externalId: `ext-${suffix}`,
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        emails: [{ value: userName, type: 'work', primary: true }],
        active: true,
      }),
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; userName: string };
    expect(user.userName).toBe(userName);

    // 1. The event store holds the event.
    const stored = await db.query(`SELECT event_type AS type FROM ${eventStoreSchema}.events WHERE stream_name = $1`, [
      `user-default.${user.id}`,
    ]);
    expect(stored.rows.map((row) => row.type)).toEqual(['ACCOUNT_SCIM_USER_CREATED']);

    // 2. The projector put the member in the read model, and GET by filter finds it.
    const filter = encodeURIComponent(`userName eq "${userName.toUpperCase()}"`);
    const listed = await fetch(`${baseUrl}/scim/v2/Users?filter=${filter}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.status).toBe(200);
    const list = (await listed.json()) as { totalResults: number; Resources: Array<{ id: string }> };
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0]!.id).toBe(user.id);

    // 3. The notifier published the CloudEvent to Kafka.
    const message = await waitFor('the CloudEvent on Kafka', async () =>
      received.find((candidate) => candidate.key?.toString() === `default:${user.id}`),
    );
    const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
    expect(headers['ce_type']).toBe('platform.scim.user.created');
    expect(headers['ce_specversion']).toBe('1.0');
    expect(headers['ce_source']).toBe('/workspaces/default/scim');
    expect(JSON.parse(message.value!.toString())).toMatchObject({ userId: user.id, userName, externalId: `ext-${suffix}` });

    // 4. …and wrote the audit entry, with every consumer's checkpoint stored.
    const audit = await waitFor('the audit entry', async () => {
      const rows = await db.query(`SELECT * FROM ${readModelSchema}.audit_entries WHERE target_id = $1`, [user.id]);
      return rows.rows[0];
    });
    expect(audit).toMatchObject({ code: 'ACCOUNT_SCIM_USER_CREATED', id: headers['ce_id'], target_external_id: `ext-${suffix}` });
    const checkpoints = await db.query(`SELECT subscriber_id FROM ${readModelSchema}.projection_checkpoints ORDER BY 1`);
    expect(checkpoints.rows.map((row) => row.subscriber_id)).toEqual(expect.arrayContaining(['audit', 'kafka', 'members']));
  });

  it('never serves a SCIM route without a bearer token', async () => {
    for (const path of ['/scim/v2/Users', '/scim/v2/ServiceProviderConfig']) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status).toBe(401);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body['status']).toBe('401');
    }
  });

  it('published only records that conform to docs/asyncapi.yaml, the refused request included', async () => {
    await waitFor('the refused request on Kafka', async () => received.some((message) => String(message.headers?.['ce_type']) === 'platform.scim.scim-unauthorized'));
    const validator = loadAsyncApiValidator();
    expect(received.flatMap((message) => validator.check(contractRecordOf(message)))).toEqual([]);
  });
});

async function listTopics(kafka: Kafka): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}
