import type { EventFilter, Position, RecordedEvent, SubscribeOptions } from './event-store.port';
import { type BatchSource, ChangeNotifier, type ScannedBatch, startPollingSubscription } from './polling-subscription';
import { encodePositionFields } from './positions';

const POLL_INTERVAL_MS = 1000;

/**
 * An in-memory store: `append` writes an event, `reveal` makes events readable up to a number (a
 * PostgreSQL reader sees only what lies below the oldest running transaction), and every read is
 * counted.
 */
class FakeSource implements BatchSource {
  readonly notifier = new ChangeNotifier();
  reads = 0;
  private events: RecordedEvent[] = [];
  private visibleUpTo = Number.POSITIVE_INFINITY;

  constructor(readonly signalMayPrecedeVisibility: boolean) {}

  append(options: { signal: 'with-position' | 'without-position' | 'none' } = { signal: 'with-position' }): Position {
    const number = this.events.length + 1;
    const position = encodePositionFields(number);
    this.events.push({
      eventId: `event-${number}`,
      type: 'TEST_EVENT',
      streamName: 'test-1',
      revision: number - 1,
      data: { number },
      metadata: {},
      position,
      recordedAt: new Date(0),
    });
    if (options.signal === 'with-position') this.notifier.notify(position);
    if (options.signal === 'without-position') this.notifier.notify();
    return position;
  }

  hideFrom(number: number): void {
    this.visibleUpTo = number - 1;
  }

  revealAll(): void {
    this.visibleUpTo = Number.POSITIVE_INFINITY;
  }

  async readBatch(after: Position | 'start', maxCount: number): Promise<ScannedBatch> {
    this.reads += 1;
    const visible = this.events.filter((event, index) => index + 1 <= this.visibleUpTo && (after === 'start' || event.position > after));
    const events = visible.slice(0, maxCount);
    const head = this.events.filter((_, index) => index + 1 <= this.visibleUpTo).at(-1)?.position ?? null;
    return { events, scannedTo: events.length === maxCount ? events.at(-1)!.position : head };
  }

  changeCounter(filter?: EventFilter): number {
    return this.notifier.changeCounter(filter);
  }

  waitForChange(timeoutMs: number, signal: AbortSignal, filter?: EventFilter): Promise<void> {
    return this.notifier.waitForChange(timeoutMs, signal, filter);
  }

  signalledPosition(): Position | null {
    return this.notifier.signalledPosition();
  }
}

function subscribe(source: FakeSource, options: Partial<SubscribeOptions> = {}) {
  const delivered: number[] = [];
  const batches: number[] = [];
  const subscription = startPollingSubscription(
    source,
    { after: 'start', batchSize: 50, ...options },
    async (events) => {
      batches.push(events.length);
      delivered.push(...events.map((event) => (event.data as { number: number }).number));
    },
    POLL_INTERVAL_MS,
  );
  return { subscription, delivered, batches };
}

describe('startPollingSubscription', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it.each([
    [0, 'on every append'],
    [100, 'at most once per interval, in larger batches'],
  ])('with minReadIntervalMs %p, a live consumer reads %s, and receives everything in order', async (minReadIntervalMs) => {
    const source = new FakeSource(false);
    const { subscription, delivered, batches } = subscribe(source, { minReadIntervalMs, batchSize: 500 });
    await jest.advanceTimersByTimeAsync(10);

    for (let ms = 0; ms < 1000; ms++) {
      source.append();
      await jest.advanceTimersByTimeAsync(1);
    }
    await jest.advanceTimersByTimeAsync(200);
    await subscription.stop();

    expect(delivered).toEqual(Array.from({ length: 1000 }, (_, index) => index + 1));
    if (minReadIntervalMs === 0) expect(source.reads).toBeGreaterThan(500);
    else {
      // One read per interval over the 1,200 ms, plus the first.
      expect(source.reads).toBeLessThanOrEqual(1 + 1200 / minReadIntervalMs);
      expect(Math.max(...batches)).toBeGreaterThanOrEqual(50);
    }
  });

  it('catches up at once, whatever its read interval', async () => {
    const source = new FakeSource(false);
    for (let index = 0; index < 500; index++) source.append({ signal: 'none' });
    const { subscription, delivered } = subscribe(source, { minReadIntervalMs: 100 });

    await jest.advanceTimersByTimeAsync(1);
    await subscription.stop();

    expect(delivered).toHaveLength(500);
  });

  it('does not re-read after an empty read when signals follow visibility (SQLite)', async () => {
    const source = new FakeSource(false);
    const { subscription } = subscribe(source);
    await jest.advanceTimersByTimeAsync(10);
    const readsBefore = source.reads;

    source.notifier.notify(); // e.g. an append the filter drops
    await jest.advanceTimersByTimeAsync(500);
    await subscription.stop();

    expect(source.reads - readsBefore).toBe(1);
  });

  it('wakes a subscription filtered by stream prefix only for appends that may concern it; the poll still passes the rest', async () => {
    const source = new FakeSource(false);
    const { subscription } = subscribe(source, { filter: { streamPrefixes: ['group-'] } });
    await jest.advanceTimersByTimeAsync(10);
    const readsBefore = source.reads;

    for (let n = 0; n < 50; n++) {
      source.notifier.notify(undefined, { streamNames: [`user-ws.${n}`, `unique-ws-username-${n}`] });
      await jest.advanceTimersByTimeAsync(1);
    }
    const readsForOtherStreams = source.reads - readsBefore;
    source.notifier.notify(undefined, { streamNames: ['user-ws.x', 'group-ws.1'] });
    await jest.advanceTimersByTimeAsync(1);
    const readsForItsStream = source.reads - readsBefore - readsForOtherStreams;
    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    const readsAfterPoll = source.reads - readsBefore - readsForOtherStreams - readsForItsStream;
    await subscription.stop();

    expect(readsForOtherStreams).toBe(0);
    expect(readsForItsStream).toBe(1);
    expect(readsAfterPoll).toBe(1);
  });

  it('sleeps through appends that wrote only excluded streams', async () => {
    const source = new FakeSource(false);
    const { subscription } = subscribe(source, { filter: { excludeStreamPrefixes: ['unique-'] } });
    await jest.advanceTimersByTimeAsync(10);
    const readsBefore = source.reads;

    for (let n = 0; n < 50; n++) {
      source.notifier.notify(undefined, { streamNames: [`unique-ws.userName-${n}`, `unique-ws.email-${n}`] });
      await jest.advanceTimersByTimeAsync(1);
    }
    const readsForExcludedStreams = source.reads - readsBefore;
    source.notifier.notify(undefined, { streamNames: ['unique-ws.userName-x', 'user-ws.x'] });
    await jest.advanceTimersByTimeAsync(1);
    const readsForAnotherStream = source.reads - readsBefore - readsForExcludedStreams;
    await subscription.stop();

    expect(readsForExcludedStreams).toBe(0);
    expect(readsForAnotherStream).toBe(1);
  });

  it('wakes a subscription filtered by event type only for appends of those types, whatever their streams', async () => {
    const source = new FakeSource(false);
    const { subscription } = subscribe(source, { filter: { streamPrefixes: ['user-'], eventTypes: ['USER_DEACTIVATED'] } });
    await jest.advanceTimersByTimeAsync(10);
    const readsBefore = source.reads;

    for (let n = 0; n < 50; n++) {
      source.notifier.notify(undefined, { streamNames: [`user-ws.${n}`], eventTypes: ['USER_CREATED', 'USER_KEY_RESERVED'] });
      source.notifier.notify(undefined, { eventTypes: ['USER_CREATED'] });
      source.notifier.notify(undefined, { streamNames: [`group-ws.${n}`], eventTypes: ['USER_DEACTIVATED'] });
      await jest.advanceTimersByTimeAsync(1);
    }
    const readsForOtherChanges = source.reads - readsBefore;
    source.notifier.notify(undefined, { eventTypes: ['USER_CREATED', 'USER_DEACTIVATED'] });
    await jest.advanceTimersByTimeAsync(1);
    const readsForItsType = source.reads - readsBefore - readsForOtherChanges;
    await subscription.stop();

    expect(readsForOtherChanges).toBe(0);
    expect(readsForItsType).toBe(1);
  });

  it('wakes every subscription for a change that names no stream', async () => {
    const source = new FakeSource(false);
    const { subscription } = subscribe(source, { filter: { streamPrefixes: ['group-'] } });
    await jest.advanceTimersByTimeAsync(10);
    const readsBefore = source.reads;

    source.notifier.notify();
    await jest.advanceTimersByTimeAsync(1);
    await subscription.stop();

    expect(source.reads - readsBefore).toBe(1);
  });

  it('re-reads eagerly while the signalled position is not yet visible, and stops once it has been read (PostgreSQL)', async () => {
    const source = new FakeSource(true);
    const { subscription, delivered } = subscribe(source);
    await jest.advanceTimersByTimeAsync(10);

    source.hideFrom(1);
    source.append();
    await jest.advanceTimersByTimeAsync(100);
    const eagerReads = source.reads;
    expect(delivered).toEqual([]);
    expect(eagerReads).toBeGreaterThan(10);

    source.revealAll();
    await jest.advanceTimersByTimeAsync(10);
    expect(delivered).toEqual([1]);
    const readsOnceSeen = source.reads;
    await jest.advanceTimersByTimeAsync(500);
    await subscription.stop();

    expect(source.reads - readsOnceSeen).toBe(0);
  });

  it('re-reads eagerly after a signal that names no position (PostgreSQL, LISTEN just established)', async () => {
    const source = new FakeSource(true);
    const { subscription } = subscribe(source);
    await jest.advanceTimersByTimeAsync(10);
    const readsBefore = source.reads;

    source.notifier.notify();
    await jest.advanceTimersByTimeAsync(100);
    await subscription.stop();

    expect(source.reads - readsBefore).toBeGreaterThan(10);
  });
});
