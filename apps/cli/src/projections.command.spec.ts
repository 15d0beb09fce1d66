import { HttpConfig, loadConfig } from '@axis/config';
import { createEventStore, type EventStore, type RecordedEvent } from '@axis/event-store';
import { CheckpointedConsumer, checkpointsIn, consumerStates } from '@axis/platform';
import { OPERATIONS_STREAM } from '@axis/write';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import type { CliConfig } from './cli.config';
import { CliError } from './output';
import { buildProgram } from './program';

const silent = Object.fromEntries(['error', 'warn', 'info', 'debug'].map((level) => [level, () => undefined])) as never;
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('axis projections / reactors', () => {
  let eventStore: EventStore;
  let readModel: DataSource;
  let out: string[];
  let consumers: CheckpointedConsumer[];

  beforeEach(async () => {
    eventStore = await createEventStore(':memory:');
    readModel = await openReadModel({ url: ':memory:' });
    out = [];
    consumers = [];
    for (let n = 1; n <= 4; n++) await eventStore.appendToStream(`user-ws.${n}`, [{ eventId: id(n), type: 'X', data: { n } }]);
  });
  afterEach(async () => {
    for (const consumer of consumers) await consumer.stop();
    await eventStore.close();
    await readModel.destroy();
  });

  async function axis(...args: string[]): Promise<void> {
    const config = loadConfig(HttpConfig, {}) as CliConfig;
    const program = buildProgram({
      config,
      openStores: async () => ({ eventStore, readModel, close: async () => undefined }),
      output: { out: (line) => void out.push(line), err: () => undefined },
    });
    await program.parseAsync(['node', 'axis', ...args]);
  }

  function consumer(name: string, kind: 'projection' | 'reactor', handled: number[], poison?: number): CheckpointedConsumer {
    const created = new CheckpointedConsumer(
      {
        name,
        kind,
        filter: { streamPrefixes: ['user-'] },
        retryDelaysMs: [1],
        async handle(events: RecordedEvent[]) {
          for (const event of events) if (event.data['n'] === poison) throw new Error(`bad event ${String(poison)}`);
          handled.push(...events.map((event) => event.data['n'] as number));
        },
      },
      eventStore,
      readModel,
      silent,
      { statePollMs: 20, poisonAfterFailures: 1 },
    );
    consumers.push(created);
    return created;
  }

  it('shows a poison event in status and skips it, recorded in the audit stream', async () => {
    const handled: number[] = [];
    await consumer('members', 'projection', handled, 2).start();
    await until(async () => (await consumerStates.load(readModel, 'members'))?.state === 'failed');

    await axis('projections', 'status', '--json');
    const status = JSON.parse(out.pop()!) as { consumers: Array<Record<string, unknown>> };
    expect(status.consumers).toEqual([
      expect.objectContaining({ name: 'members', kind: 'projection', state: 'failed', failedEventId: id(2), lagEvents: 3, error: 'Error: bad event 2' }),
    ]);
    await axis('projections', 'status');
    expect(out.join('\n')).toContain(`members FAILED on event ${id(2)}`);

    await expect(axis('projections', 'skip', 'members', '--event', id(3))).rejects.toThrow(CliError);
    await axis('projections', 'skip', 'members', '--event', id(2));
    await until(() => handled.length === 3);
    expect(handled).toEqual([1, 3, 4]);
    const audit = await eventStore.readStream(OPERATIONS_STREAM);
    expect(audit.map((event) => [event.type, event.data['consumer'], event.data['skippedEventId']])).toEqual([['OPERATOR_CONSUMER_SKIPPED', 'members', id(2)]]);
    expect(audit[0]!.metadata).toMatchObject({ workspaceId: 'system', actor: 'operator' });
  });

  it('pauses and resumes a consumer', async () => {
    const handled: number[] = [];
    await consumer('audit', 'reactor', handled).start();
    await until(() => handled.length === 4);
    await axis('projections', 'pause', 'audit');
    await until(() => consumers[0]!.currentState === 'paused');
    await eventStore.appendToStream('user-ws.5', [{ eventId: id(5), type: 'X', data: { n: 5 } }]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(handled).toHaveLength(4);
    await axis('projections', 'status', '--json');
    expect(JSON.parse(out.pop()!).consumers[0]).toMatchObject({ state: 'paused', lagEvents: 1 });
    await axis('projections', 'resume', 'audit');
    await until(() => handled.length === 5);
    expect((await eventStore.readStream(OPERATIONS_STREAM)).map((event) => event.type)).toEqual(['OPERATOR_CONSUMER_PAUSED', 'OPERATOR_CONSUMER_RESUMED']);
    await expect(axis('projections', 'pause', 'nope')).rejects.toThrow(/no consumer named nope/);
  });

  it('resets a reactor only with --yes, and never a projection', async () => {
    const handled: number[] = [];
    await consumer('kafka', 'reactor', handled).start();
    await consumer('members', 'projection', []).start();
    await until(() => handled.length === 4);
    const [first] = await eventStore.readAll({ maxCount: 1 });
    await expect(axis('reactors', 'reset', 'kafka', '--to', first!.position)).rejects.toThrow(/--yes/);
    await expect(axis('reactors', 'reset', 'members', '--to', 'now', '--yes')).rejects.toThrow(/not a reactor/);
    await axis('reactors', 'reset', 'kafka', '--to', first!.position, '--yes');
    // Redelivered from event 2 on.
    await until(() => handled.length === 7);
    expect(handled).toEqual([1, 2, 3, 4, 2, 3, 4]);
    const head = await eventStore.headPosition();
    await axis('reactors', 'reset', 'kafka', '--to', 'now', '--yes');
    expect(await checkpointsIn(readModel.manager).load('kafka')).toBe(head);
    const audit = await eventStore.readStream(OPERATIONS_STREAM);
    expect(audit.map((event) => event.type)).toEqual(['OPERATOR_REACTOR_RESET', 'OPERATOR_REACTOR_RESET']);
  });
});
