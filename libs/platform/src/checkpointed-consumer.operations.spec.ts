import { createEventStore, type EventStore, type RecordedEvent } from '@axis/event-store';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { CheckpointedConsumer, TransientConsumerError } from './checkpointed-consumer';
import { checkpointsIn } from './checkpoints';
import { metricsRegistry } from './metrics/metrics';
import { consumerStates, setCheckpoint } from './consumer-states';
import { inReadModelTransaction } from './read-model-transaction';

const silent = Object.fromEntries(['error', 'warn', 'info', 'debug'].map((level) => [level, () => undefined])) as never;
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('CheckpointedConsumer operations: poison events, pause and resume', () => {
  let store: EventStore;
  let readModel: DataSource;

  beforeEach(async () => {
    store = await createEventStore(':memory:');
    readModel = await openReadModel({ url: ':memory:' });
    for (let n = 1; n <= 5; n++) await store.appendToStream(`user-ws.${n}`, [{ eventId: id(n), type: 'X', data: { n } }]);
  });

  afterEach(async () => {
    await store.close();
    await readModel.destroy();
  });

  it('stops on an event that keeps failing (alone too), records it, and goes on once the operator skips it', async () => {
    const handled: number[] = [];
    const consumer = new CheckpointedConsumer(
      {
        name: 'poisoned',
        kind: 'projection',
        retryDelaysMs: [1],
        async handle(events: RecordedEvent[]) {
          for (const event of events) if (event.data['n'] === 3) throw new Error('cannot apply event 3');
          handled.push(...events.map((event) => event.data['n'] as number));
        },
      },
      store,
      readModel,
      silent,
      { statePollMs: 20, poisonAfterFailures: 2 },
    );
    await consumer.start();
    await until(async () => (await consumerStates.load(readModel, 'poisoned'))?.state === 'failed');
    const row = (await consumerStates.load(readModel, 'poisoned'))!;
    expect(row).toMatchObject({ kind: 'projection', failedEventId: id(3), failedError: 'Error: cannot apply event 3' });
    expect(consumer.currentState).toBe('failed');
    // Events before the poison one were applied (isolated from the failing batch) and checkpointed.
    expect(handled).toEqual([1, 2]);
    const all = await store.readAll();
    expect(await checkpointsIn(readModel.manager).load('poisoned')).toBe(all[1]!.position);
    expect(row.failedPosition).toBe(all[2]!.position);
    const metricsText = await metricsRegistry.metrics();
    expect(metricsText).toContain('axis_consumer_state{consumer="poisoned",state="failed"} 1');

    // Operator: skip it (checkpoint to the poison event's position and clear the failure, one transaction).
    await inReadModelTransaction(readModel, async (manager) => {
      await setCheckpoint(manager, 'poisoned', row.failedPosition!);
      await consumerStates.setState(manager, 'poisoned', 'running', 'test');
    });
    await until(() => handled.length === 4);
    expect(handled).toEqual([1, 2, 4, 5]);
    expect(consumer.currentState).toBe('running');
    await consumer.stop();
  });

  it('never treats a transient failure as poison', async () => {
    let calls = 0;
    const consumer = new CheckpointedConsumer(
      {
        name: 'flaky',
        retryDelaysMs: [1],
        async handle() {
          calls++;
          if (calls <= 8) throw new TransientConsumerError('broker down');
        },
      },
      store,
      readModel,
      silent,
      { statePollMs: 0, poisonAfterFailures: 2 },
    );
    let committed = false;
    consumer.onCommitted(() => (committed = true));
    await consumer.start();
    await until(() => committed);
    expect(consumer.currentState).toBe('running');
    await consumer.stop();
  });

  it('pauses and resumes through consumer_states', async () => {
    const handled: number[] = [];
    const consumer = new CheckpointedConsumer(
      {
        name: 'pausable',
        async handle(events: RecordedEvent[]) {
          handled.push(...events.map((event) => event.data['n'] as number));
        },
      },
      store,
      readModel,
      silent,
      { statePollMs: 20 },
    );
    await consumer.start();
    await until(() => handled.length === 5);
    await consumerStates.setState(readModel, 'pausable', 'paused', 'test');
    await until(() => consumer.currentState === 'paused');
    await store.appendToStream('user-ws.6', [{ eventId: id(6), type: 'X', data: { n: 6 } }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handled).toHaveLength(5);
    await consumerStates.setState(readModel, 'pausable', 'running', 'test');
    await until(() => handled.length === 6);
    await consumer.stop();
  });
});
