/**
 * `republishRange` (behind `axis kafka republish`) on a PostgreSQL event store and the real Kafka
 * broker: exactly the slice asked for (position bounds exclusive/inclusive, time bounds inclusive,
 * the head at start as default end), outbound events only, in store order per partition, as the
 * kafka reactor's records; paced by a virtual clock, so the rate is checked on counts, not time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { userStreamName } from '@axis/domain';
import { createEventStore, type EventData, type EventStore, type RecordedEvent } from '@axis/event-store';
import { createLogger } from '@axis/platform';
import { toCloudEventRecord } from './cloud-event.mapper';
import type { EventPublisher } from './event-publisher.port';
import { KafkajsPublisher } from './kafkajs.publisher';
import { type Pacing, republishBatchSize, republishRange } from './republish-range';

const databaseUrl = process.env['DATABASE_URL'];
const brokers = process.env['KAFKA_BROKERS'];
if (!databaseUrl || !brokers) throw new Error('DATABASE_URL and KAFKA_BROKERS must be set: start the services with deploy/local/up.sh');

interface Received {
  key: string;
  value: string;
  headers: Record<string, string>;
  partition: number;
}

const kafka = new Kafka({ clientId: 'republish-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });

/** Every record of a topic: as many as its partitions' high watermarks add up to, so extras would show. */
async function readTopic(topic: string): Promise<Received[]> {
  const admin = kafka.admin();
  await admin.connect();
  const total = (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
  await admin.disconnect();
  const received: Received[] = [];
  const consumer = kafka.consumer({ groupId: `republish-test-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let enough!: () => void;
  const all = new Promise<void>((done) => (enough = done));
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      received.push({
        key: message.key?.toString() ?? '',
        value: message.value?.toString() ?? '',
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
        partition,
      });
      if (received.length >= total) enough();
    },
  });
  if (total > 0) await all;
  await consumer.disconnect();
  return received;
}

/** A virtual clock: time moves only when the republish sleeps. */
function virtualPacing(): Pacing & { elapsed(): number } {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += ms), elapsed: () => now };
}

/** The real publisher, with the virtual time and size of each publish noted. */
function notingPublisher(publisher: EventPublisher, pacing: Pacing, calls: Array<{ at: number; size: number }>): EventPublisher {
  return {
    start: () => publisher.start(),
    stop: () => publisher.stop(),
    publish: async (records) => {
      calls.push({ at: pacing.now(), size: records.length });
      await publisher.publish(records);
    },
  };
}

describe('republishRange on PostgreSQL and Kafka', () => {
  const schema = `rp_es_${randomBytes(4).toString('hex')}`;
  const logger = createLogger('republish-test', 'silent');
  let store: EventStore;
  /** Every event of the store, in store order. */
  let history: RecordedEvent[];
  /** The ids of the product events appended (what may be published). */
  const published = new Set<string>();
  const publishers: KafkajsPublisher[] = [];

  const publisherFor = (topic: string) => {
    const publisher = new KafkajsPublisher({ brokers: brokers.split(','), clientId: 'republish-test', topic, partitions: 3 }, logger);
    publishers.push(publisher);
    return publisher;
  };
  const topicName = () => `republish-test-${randomBytes(4).toString('hex')}`;

  const append = async (stream: string, type: string, data: Record<string, unknown>, expectedRevision: number | 'no_stream' | 'any') => {
    const eventId = randomUUID();
    const event: EventData = {
      eventId,
      type,
      data,
      metadata: { eventId, workspaceId: 'default', actor: 'token:test', correlationId: eventId, causationId: eventId, occurredAt: new Date().toISOString(), dialect: 'okta', schemaVersion: 1 },
    };
    await store.appendToStream(stream, [event], { expectedRevision });
    // Distinct recordedAt milliseconds, so time bounds cut between two known events.
    await new Promise((done) => setTimeout(done, 3));
    return eventId;
  };

  beforeAll(async () => {
    store = await createEventStore({ url: databaseUrl, schema });
    const users = Array.from({ length: 4 }, () => randomUUID());
    // Streams interleaved, one event per append; bookkeeping and operator events in between, never published.
    for (let round = 0; round < 6; round++) {
      for (const userId of users) {
        const stream = userStreamName('default', userId);
        const id =
          round === 0
            ? await append(stream, 'ACCOUNT_SCIM_USER_CREATED', { userId, userName: `${userId}@example.com`, externalId: null, active: true, attributes: {} }, 'no_stream')
            : await append(stream, 'ACCOUNT_SCIM_USER_UPDATED', { userId, changedAttributes: ['title'], changes: { title: `t${round}` } }, round - 1);
        published.add(id);
      }
      if (round === 2) {
        await append(`unique-default.username:${randomUUID()}`, 'UNIQUE_VALUE_RESERVED', { owner: users[0] }, 'any');
        await append('operations-system.log', 'OPERATOR_CONSUMER_PAUSED', { consumer: 'members' }, 'any');
      }
    }
    history = await store.readAll({ after: 'start', maxCount: 1000 });
    expect(history).toHaveLength(26);
    for (let n = 1; n < history.length; n++) expect(history[n]!.recordedAt.getTime()).toBeGreaterThan(history[n - 1]!.recordedAt.getTime());
  });

  afterAll(async () => {
    await Promise.all(publishers.map((publisher) => publisher.stop()));
    await store?.close();
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  /** What the topic must hold: these store events, once each, in store order within a partition, as the reactor maps them. */
  function expectTopicToHold(received: Received[], events: RecordedEvent[]): void {
    expect(received.map((record) => record.headers['ce_id']).sort()).toEqual(events.map((event) => event.eventId).sort());
    const order = new Map(history.map((event, index) => [event.eventId, index]));
    for (const partition of new Set(received.map((record) => record.partition))) {
      const indexes = received.filter((record) => record.partition === partition).map((record) => order.get(record.headers['ce_id']!)!);
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    }
    for (const record of received) {
      const event = events.find((candidate) => candidate.eventId === record.headers['ce_id'])!;
      const expected = toCloudEventRecord(event);
      expect({ key: record.key, value: record.value, headers: record.headers }).toEqual({ key: expected.key, value: expected.value, headers: expected.headers });
    }
  }

  it('sends exactly the events after `from` up to `to` (positions), outbound only, paced to the rate', async () => {
    const topic = topicName();
    const pacing = virtualPacing();
    const calls: Array<{ at: number; size: number }> = [];
    const rate = 8;
    const result = await republishRange({
      eventStore: store,
      publisher: notingPublisher(publisherFor(topic), pacing, calls),
      from: { position: history[4]!.position },
      to: { position: history[21]!.position },
      ratePerSecond: rate,
      pacing,
    });
    const slice = history.slice(5, 22).filter((event) => published.has(event.eventId));
    expect(slice).toHaveLength(15);
    expect(result).toEqual({ events: 15, lastPosition: slice[slice.length - 1]!.position });
    expectTopicToHold(await readTopic(topic), slice);

    // Pacing, in counts: each publish is at most a quarter second's worth, and starts only once
    // what was sent before it fits in the (virtual) time elapsed at the rate.
    expect(republishBatchSize(rate)).toBe(2);
    expect(calls.map((call) => call.size).reduce((sum, size) => sum + size, 0)).toBe(15);
    let sentBefore = 0;
    for (const call of calls) {
      expect(call.size).toBeLessThanOrEqual(2);
      expect(sentBefore).toBeLessThanOrEqual((rate * call.at) / 1000 + 1e-9);
      sentBefore += call.size;
    }
    expect(pacing.elapsed()).toBeGreaterThanOrEqual(((15 - 1) / rate) * 1000 - 1e-6);
  });

  it('takes time bounds inclusively, and ends at the head it started with', async () => {
    const topic = topicName();
    const pacing = virtualPacing();
    const calls: Array<{ at: number; size: number }> = [];
    const first = history[6]!;
    const last = history[19]!;
    const result = await republishRange({
      eventStore: store,
      publisher: notingPublisher(publisherFor(topic), pacing, calls),
      from: { time: first.recordedAt.getTime() },
      to: { time: last.recordedAt.getTime() },
      ratePerSecond: 1000,
      pacing,
    });
    const slice = history.slice(6, 20).filter((event) => published.has(event.eventId));
    expect(result.events).toBe(slice.length);
    expectTopicToHold(await readTopic(topic), slice);

    // No end given: the head at start. An event appended while it runs is not part of the slice.
    const openTopic = topicName();
    const openPacing = virtualPacing();
    let appended: string | null = null;
    const publisher = publisherFor(openTopic);
    const open = await republishRange({
      eventStore: store,
      publisher: {
        start: () => publisher.start(),
        stop: () => publisher.stop(),
        publish: async (records) => {
          appended ??= await append(userStreamName('default', randomUUID()), 'ACCOUNT_SCIM_USER_CREATED', { userId: 'late', userName: 'late@example.com', externalId: null, active: true, attributes: {} }, 'no_stream');
          await publisher.publish(records);
        },
      },
      from: { position: history[19]!.position },
      ratePerSecond: 4,
      pacing: openPacing,
    });
    expect(appended).not.toBeNull();
    const tail = history.slice(20).filter((event) => published.has(event.eventId));
    expect(open.events).toBe(tail.length);
    expectTopicToHold(await readTopic(openTopic), tail);
  });
});
