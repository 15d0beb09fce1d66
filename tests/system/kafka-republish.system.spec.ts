/**
 * Issue 9, `axis kafka republish --from <time|position> [--to …] --topic <name>` against the real
 * broker, with the three processes on PostgreSQL: the topic receives exactly the slice asked for,
 * once each, in store order per partition, as the very records the live notifier published (key,
 * CloudEvents headers, value); the action is audited. Also: `projections status` lists every
 * projection and reactor of the deployment. (The pacing is checked on counts in
 * apps/notifier/src/kafka/republish-range.int.spec.ts.)
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createEventStore, type EventStore, type RecordedEvent } from '@axis/event-store';
import { loadAsyncApiValidator } from '../support/asyncapi';
import { type CollectedMessage, KafkaCollector, provisionUser, startDeployment, storedOutboundEvents, type Deployment } from '../support/notifier-deployment';
import { requiredEnv } from '../support/required-env';
import { waitFor } from '../support/processes';
import { runCli } from '../support/workspace-admin';

jest.setTimeout(240_000);

describe('axis kafka republish (three processes on PostgreSQL, real broker)', () => {
  const databaseUrl = requiredEnv('DATABASE_URL');
  const brokers = requiredEnv('KAFKA_BROKERS');
  const kafka = new Kafka({ clientId: 'republish-system-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  let deployment: Deployment;
  let live: KafkaCollector;
  let store: EventStore;
  const collectors: KafkaCollector[] = [];

  beforeAll(async () => {
    deployment = await startDeployment({ databaseUrl, brokers, partitions: 3 });
    store = await createEventStore({ url: databaseUrl, schema: deployment.eventStoreSchema });
    live = new KafkaCollector(brokers, deployment.topic);
    await live.start();
    // Each POST /Users also writes uniqueness reservations: events in between that are never published.
    for (let n = 0; n < 12; n++) await provisionUser(deployment, `republish${n}`);
    await waitFor(
      'every event on the live topic',
      async () => {
        const stored = await storedOutboundEvents(deployment);
        return stored.length >= 12 && stored.every((event) => live.has(event.eventId));
      },
      120_000,
      200,
    );
  });

  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(deployment.output());
  });

  afterAll(async () => {
    await Promise.all([live, ...collectors].map((collector) => collector?.stop()));
    await store?.close();
    await deployment?.close();
  });

  /** Every record of the topic (as many as its high watermarks add up to, so an extra one would show). */
  async function topicRecords(topic: string): Promise<CollectedMessage[]> {
    const admin = kafka.admin();
    await admin.connect();
    const total = (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
    await admin.disconnect();
    const collector = new KafkaCollector(brokers, topic);
    collectors.push(collector);
    await collector.start();
    await waitFor(`${total} records on ${topic}`, async () => collector.messages.length >= total, 30_000, 50);
    return collector.messages;
  }

  function expectSlice(records: CollectedMessage[], slice: RecordedEvent[], history: RecordedEvent[]): void {
    expect(records.map((record) => record.headers['ce_id']).sort()).toEqual(slice.map((event) => event.eventId).sort());
    // The very records the live notifier sent.
    for (const record of records) {
      const original = live.unique().find((message) => message.headers['ce_id'] === record.headers['ce_id'])!;
      expect({ key: record.key, headers: record.headers, value: record.value }).toEqual({ key: original.key, headers: original.headers, value: original.value });
    }
    const order = new Map(history.map((event, index) => [event.eventId, index]));
    for (const partition of new Set(records.map((record) => record.partition))) {
      const indexes = records.filter((record) => record.partition === partition).map((record) => order.get(record.headers['ce_id']!)!);
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    }
  }

  it('re-sends exactly a slice between two positions, then from a time to the head, to the named topic', async () => {
    const history = await store.readAll({ after: 'start', maxCount: 10_000 });
    const outbound = new Set((await storedOutboundEvents(deployment)).map((event) => event.eventId));
    expect(history.some((event) => !outbound.has(event.eventId))).toBe(true);

    const from = history[5]!;
    const to = history[history.length - 8]!;
    const topic = `republish-${randomBytes(4).toString('hex')}`;
    const run = runCli(deployment, ['kafka', 'republish', '--from', from.position, '--to', to.position, '--topic', topic, '--rate', '40']);
    expect(run.status).toBe(0);
    // Off a terminal, progress is plain lines (total, rate, ETA), then the summary.
    expect(run.stderr.trim().split('\n')).toEqual([...run.stderr.trim().split('\n').slice(0, -1).map(() => expect.stringMatching(/^republished \d+ of at most \d+ events to .*ETA/)), expect.stringMatching(/^republished \d+ events to .* in \d+/)]);
    const slice = history.slice(6, history.length - 7).filter((event) => outbound.has(event.eventId));
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ topic, events: slice.length, lastPosition: slice[slice.length - 1]!.position });
    expectSlice(await topicRecords(topic), slice, history);

    // From a time (inclusive, on recordedAt) to the head: the first event recorded at that time onwards.
    const start = history.findIndex((event, index) => index > 10 && event.recordedAt.getTime() > history[index - 1]!.recordedAt.getTime());
    const byTime = `republish-${randomBytes(4).toString('hex')}`;
    const timed = runCli(deployment, ['kafka', 'republish', '--from', history[start]!.recordedAt.toISOString(), '--topic', byTime]);
    expect(timed.status).toBe(0);
    expect(timed.stderr.trim().split('\n').at(-1)).toMatch(/^republished \d+ events to /);
    const tail = history.slice(start).filter((event) => outbound.has(event.eventId));
    expect(JSON.parse(timed.stdout.trim())).toMatchObject({ events: tail.length });
    expectSlice(await topicRecords(byTime), tail, history);

    const audited = (await store.readStream('operations-system.log')).filter((event) => event.type === 'OPERATOR_KAFKA_REPUBLISHED');
    expect(audited.map((event) => event.data)).toEqual([
      expect.objectContaining({ topic, from: from.position, to: to.position, events: slice.length }),
      expect.objectContaining({ topic: byTime, to: null, events: tail.length }),
    ]);
    // The operator's own events are never published, not even by a republish.
    expect(live.unique().some((message) => message.headers['ce_type']?.includes('operator'))).toBe(false);
    // The republished records are the live ones (expectSlice), so these cover them too.
    const validator = loadAsyncApiValidator();
    expect(live.messages.flatMap((message) => validator.check(message))).toEqual([]);
  });

  it('refuses a bound that is neither a position nor a time', () => {
    const refused = runCli(deployment, ['kafka', 'republish', '--from', 'yesterday', '--topic', 'never-created']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('not a position or an ISO time: yesterday');
  });

  it('lists every projection and reactor in projections status', () => {
    const status = JSON.parse(runCli(deployment, ['projections', 'status', '--json']).stdout) as { consumers: Array<{ name: string; kind: string; state: string }> };
    expect(status.consumers.map(({ name, kind, state }) => ({ name, kind, state }))).toEqual([
      { name: 'audit', kind: 'reactor', state: 'running' },
      { name: 'group-membership', kind: 'reactor', state: 'running' },
      { name: 'groups', kind: 'projection', state: 'running' },
      { name: 'kafka', kind: 'reactor', state: 'running' },
      { name: 'members', kind: 'projection', state: 'running' },
      { name: 'session-revoker', kind: 'reactor', state: 'running' },
      { name: 'webhooks', kind: 'reactor', state: 'running' },
      { name: 'workspaces', kind: 'projection', state: 'running' },
    ]);
  });
});
