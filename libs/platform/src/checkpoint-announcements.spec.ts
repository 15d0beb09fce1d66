import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { createEventStore, type EventStore, type Position } from '@axis/event-store';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { checkpointAnnouncements, checkpointChannelName } from './checkpoint-announcements';
import { CheckpointedConsumer } from './checkpointed-consumer';
import { checkpointsIn } from './checkpoints';

const silent = Object.fromEntries(['error', 'warn', 'info', 'debug'].map((level) => [level, () => undefined])) as never;

describe('checkpoint announcements', () => {
  let store: EventStore;
  let readModel: DataSource;
  let head: Position;

  beforeEach(async () => {
    store = await createEventStore(':memory:');
    readModel = await openReadModel({ url: ':memory:' });
    head = (await store.appendToStream('user-ws.1', [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'X', data: {} }])).position;
  });

  afterEach(async () => {
    await store.close();
    await readModel.destroy();
  });

  function consumerNamed(name: string, minReadIntervalMs?: number): CheckpointedConsumer {
    return new CheckpointedConsumer({ name, ...(minReadIntervalMs ? { minReadIntervalMs } : {}), handle: async () => undefined }, store, readModel, silent);
  }

  const committedOnce = (consumer: CheckpointedConsumer) => new Promise<void>((resolve) => consumer.onCommitted(() => resolve()));

  it('come from a consumer that reads at once, after its batch committed; a background consumer announces nothing', async () => {
    const heard: Array<{ consumer: string; position: Position; stored: Promise<Position | null> }> = [];
    const stopListening = checkpointAnnouncements(readModel).listen((consumer, position) =>
      heard.push({ consumer, position, stored: checkpointsIn(readModel.manager).load(consumer) }),
    );
    const waitedOn = consumerNamed('waited-on');
    const background = consumerNamed('background', 50);
    const bothCommitted = Promise.all([committedOnce(waitedOn), committedOnce(background)]);
    await Promise.all([waitedOn.start(), background.start()]);
    await bothCommitted;
    await Promise.all([waitedOn.stop(), background.stop()]);
    stopListening();

    expect(heard.map(({ consumer, position }) => [consumer, position])).toEqual([['waited-on', head]]);
    // Heard only once the checkpoint is there to read.
    expect(await heard[0]!.stored).toBe(head);
  });

  it('announce no batch that failed, only the retry that committed', async () => {
    const heard: Position[] = [];
    const stopListening = checkpointAnnouncements(readModel).listen((_consumer, position) => heard.push(position));
    let attempts = 0;
    const flaky = new CheckpointedConsumer(
      {
        name: 'flaky',
        retryDelaysMs: [5],
        async handle() {
          attempts += 1;
          if (attempts === 1) throw new Error('the batch failed');
        },
      },
      store,
      readModel,
      silent,
    );
    const committed = committedOnce(flaky);
    await flaky.start();
    await committed;
    await flaky.stop();
    stopListening();

    expect(attempts).toBe(2);
    expect(heard).toEqual([head]);
  });

  it('reach no listener that stopped listening', async () => {
    const heard: string[] = [];
    const stopListening = checkpointAnnouncements(readModel).listen((consumer) => heard.push(consumer));
    stopListening();
    checkpointAnnouncements(readModel).committed({ consumer: 'members', position: head });
    expect(heard).toEqual([]);
  });

  describe('on a SQLite file, across the threads of the process (the all-in-one gateway and its consumer thread)', () => {
    let directory: string;
    let fileReadModel: DataSource;

    beforeEach(async () => {
      directory = mkdtempSync(join(tmpdir(), 'checkpoint-announcements-'));
      fileReadModel = await openReadModel({ url: `sqlite:${join(directory, 'read-model.sqlite')}` });
    });

    afterEach(async () => {
      await fileReadModel.destroy();
      rmSync(directory, { recursive: true, force: true });
    });

    it('are posted on the file\'s channel', async () => {
      const otherThread = new BroadcastChannel(checkpointChannelName(join(directory, 'read-model.sqlite')));
      const posted = new Promise<unknown>((resolve) => (otherThread.onmessage = (message) => resolve((message as { data: unknown }).data)));
      checkpointAnnouncements(fileReadModel).committed({ consumer: 'members', position: head });
      expect(await posted).toEqual({ consumer: 'members', position: head });
      otherThread.close();
    });

    it('are heard when another thread posts them', async () => {
      const heard = new Promise<[string, Position]>((resolve) => {
        const stopListening = checkpointAnnouncements(fileReadModel).listen((consumer, position) => {
          stopListening();
          resolve([consumer, position]);
        });
      });
      const otherThread = new BroadcastChannel(checkpointChannelName(join(directory, 'read-model.sqlite')));
      otherThread.postMessage({ consumer: 'members', position: head });
      expect(await heard).toEqual(['members', head]);
      otherThread.close();
    });
  });
});
