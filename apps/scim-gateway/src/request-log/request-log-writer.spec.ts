import { BatchWriter, type BatchWriterOptions } from './request-log-writer';

function writerWith(overrides: Partial<BatchWriterOptions<number>> = {}) {
  const batches: number[][] = [];
  const dropped: Array<[string, number]> = [];
  const writer = new BatchWriter<number>({
    write: async (items) => {
      batches.push(items);
    },
    capacity: 10,
    batchSize: 4,
    intervalMs: 250,
    onDropped: (reason, count) => dropped.push([reason, count]),
    ...overrides,
  });
  return { writer, batches, dropped };
}

describe('BatchWriter (the request log queue)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes what is queued at the next tick of the interval, not before', async () => {
    const { writer, batches } = writerWith();
    writer.start();
    writer.enqueue(1);
    writer.enqueue(2);
    await jest.advanceTimersByTimeAsync(249);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2]]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(batches).toEqual([[1, 2]]);
    await writer.close();
  });

  it('writes a full batch at once, without waiting for the interval', async () => {
    const { writer, batches } = writerWith();
    writer.start();
    for (const item of [1, 2, 3, 4, 5]) writer.enqueue(item);
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1, 2, 3, 4], [5]]);
    await writer.close();
  });

  it('drops and counts what arrives while the queue is full', async () => {
    let release!: () => void;
    const firstWrite = new Promise<void>((resolve) => (release = resolve));
    const { writer, batches, dropped } = writerWith({
      capacity: 3,
      batchSize: 100,
      write: (items) => {
        batches.push(items);
        return batches.length === 1 ? firstWrite : Promise.resolve();
      },
    });
    expect([1, 2, 3, 4, 5].map((item) => writer.enqueue(item))).toEqual([true, true, true, false, false]);
    expect(dropped).toEqual([
      ['queue-full', 1],
      ['queue-full', 1],
    ]);
    const flushing = writer.flush();
    expect(writer.enqueue(6)).toBe(true);
    release();
    await flushing;
    expect(batches).toEqual([[1, 2, 3], [6]]);
  });

  it('writes everything still queued on close, and takes nothing after', async () => {
    const { writer, batches, dropped } = writerWith();
    writer.start();
    for (const item of [1, 2, 3, 4, 5, 6]) writer.enqueue(item);
    await writer.close();
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(batches.every((batch) => batch.length <= 4)).toBe(true);
    expect(writer.enqueue(7)).toBe(false);
    expect(dropped).toEqual([['queue-full', 1]]);
  });

  it('counts a batch that could not be written as dropped and goes on with the next', async () => {
    let fail = true;
    const { writer, batches, dropped } = writerWith({
      write: async (items) => {
        if (fail) {
          fail = false;
          throw new Error('database is locked');
        }
        batches.push(items);
      },
    });
    writer.start();
    writer.enqueue(1);
    writer.enqueue(2);
    await jest.advanceTimersByTimeAsync(250);
    expect(dropped).toEqual([['write-failed', 2]]);
    writer.enqueue(3);
    await jest.advanceTimersByTimeAsync(250);
    expect(batches).toEqual([[3]]);
    await writer.close();
  });
});
