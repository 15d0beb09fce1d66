import { randomUUID } from 'node:crypto';
import { type EventStore, SqliteEventStore, WrongExpectedRevisionError } from '@axis/event-store';
import type { Decider } from '@axis/domain';
import { decideAndAppend } from './decide-and-append';
import type { WriteContext } from './write-context';

interface Counted {
  type: 'Counted';
  data: { count: number };
}

/** Counts its events: the state is how many the stream holds. */
const counter: Decider<{ type: 'Count' }, Counted, number> = {
  decide: (_command, count) => [{ type: 'Counted', data: { count: count + 1 } }],
  evolve: (count) => count + 1,
  initialState: () => 0,
};

const context: WriteContext = { workspaceId: 'ws-1', actor: 'test', dialect: 'rfc' };

function claim(streamName: string) {
  const eventId = randomUUID();
  return { streamName, events: [{ eventId, type: 'Claimed', data: {} }], expectedRevision: 'no_stream' as const };
}

describe('decideAndAppend', () => {
  let store: EventStore;

  beforeEach(() => {
    store = SqliteEventStore.open({ filename: ':memory:' });
  });

  afterEach(() => store.close());

  it('decides a new stream on the initial state without reading it', async () => {
    const readStream = jest.spyOn(store, 'readStream');

    const result = await decideAndAppend(store, counter, 'counter-1', { type: 'Count' }, context, { newStream: true });

    expect(readStream).not.toHaveBeenCalled();
    expect(result).toMatchObject({ state: 1, revision: 0 });
  });

  it('reads and decides again when a "new" stream exists after all', async () => {
    await decideAndAppend(store, counter, 'counter-1', { type: 'Count' }, context);

    const result = await decideAndAppend(store, counter, 'counter-1', { type: 'Count' }, context, { newStream: true });

    expect(result).toMatchObject({ state: 2, revision: 1 });
    expect((await store.readStream('counter-1')).map((event) => event.data['count'])).toEqual([1, 2]);
  });

  it('commits the appends alongside with the decision, before its events', async () => {
    const result = await decideAndAppend(store, counter, 'counter-1', { type: 'Count' }, context, {
      alongside: () => [claim('claim-a'), claim('claim-b')],
    });

    const all = await store.readAll();
    expect(all.map((event) => event.streamName)).toEqual(['claim-a', 'claim-b', 'counter-1']);
    expect(result.position).toBe(all[2]!.position);
  });

  it('throws a conflict on an alongside stream without retrying, and writes nothing', async () => {
    await store.appendToStream('claim-b', claim('claim-b').events);
    const alongside = jest.fn(() => [claim('claim-a'), claim('claim-b')]);

    const error = await decideAndAppend(store, counter, 'counter-1', { type: 'Count' }, context, { alongside }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect((error as WrongExpectedRevisionError).streamName).toBe('claim-b');
    expect(alongside).toHaveBeenCalledTimes(1);
    expect(await store.readStream('counter-1')).toEqual([]);
    expect(await store.readStream('claim-a')).toEqual([]);
  });
});
