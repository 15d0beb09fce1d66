import { createEventStore, type EventStore } from '@axis/event-store';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { CheckpointedConsumer } from './checkpointed-consumer';

describe('CheckpointedConsumer outage logging', () => {
  let store: EventStore;
  let readModel: DataSource;

  beforeAll(async () => {
    store = await createEventStore(':memory:');
    readModel = await openReadModel({ url: ':memory:' });
    await store.appendToStream('user-ws.1', [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'X', data: {} }]);
  });

  afterAll(async () => {
    await store.close();
    await readModel.destroy();
  });

  it('logs one error when a failure starts, debug while it lasts, one info when it recovers', async () => {
    const lines: Array<[string, string]> = [];
    const logger = Object.fromEntries(
      ['error', 'warn', 'info', 'debug'].map((level) => [level, (_fields: unknown, msg: string) => lines.push([level, msg])]),
    ) as never;
    let calls = 0;
    const consumer = new CheckpointedConsumer(
      {
        name: 'flaky',
        retryDelaysMs: [5],
        async handle() {
          calls++;
          if (calls <= 4) throw new Error('broker down');
        },
      },
      store,
      readModel,
      logger,
    );
    let committed!: () => void;
    const done = new Promise<void>((resolve) => (committed = resolve));
    consumer.onCommitted(() => committed());
    await consumer.start();
    await done;
    await consumer.stop();
    expect(lines.filter(([level]) => level === 'error')).toHaveLength(1);
    expect(lines.filter(([level]) => level === 'debug')).toHaveLength(3);
    expect(lines.filter(([level]) => level === 'info')).toEqual([['info', 'consumer flaky recovered after 4 failed attempts']]);
  });
});
