import { sleep } from './async-mutex';
import { isEmptyFilter, streamMatches } from './event-filter';
import type { BatchHandler, EventFilter, Position, RecordedEvent, StreamAppend, SubscribeOptions, Subscription } from './event-store.port';

export interface ScannedBatch {
  events: RecordedEvent[];
  /**
   * The furthest position the read examined: the last event returned when the batch is full, else the
   * reader's visible head. A filtered subscription resumes its scan from here instead of re-reading
   * the events the filter dropped.
   */
  scannedTo: Position | null;
}

export interface BatchSource {
  readBatch(after: Position | 'start', maxCount: number, filter: EventFilter | undefined): Promise<ScannedBatch>;
  /** Increases whenever this process learns that something was appended (that may pass `filter`, if given). */
  changeCounter(filter?: EventFilter): number;
  /** Resolves on the next change signal (that may pass `filter`), after `timeoutMs`, or when `signal` aborts. */
  waitForChange(timeoutMs: number, signal: AbortSignal, filter?: EventFilter): Promise<void>;
  /** The furthest position a change signal has named; null when none did (a signal may name none). */
  signalledPosition(): Position | null;
  /**
   * True when a signalled change may not be readable yet, so that an empty read after a signal is
   * retried eagerly (PostgreSQL). False when signals are sent only once the change is readable
   * (SQLite signals after its commit): an empty read then means there is nothing to wait for.
   */
  readonly signalMayPrecedeVisibility: boolean;
}

export const DEFAULT_SUBSCRIPTION_BATCH_SIZE = 256;

/**
 * After a change signal the new event may not be readable yet: on PostgreSQL a reader sees only what
 * lies below the oldest transaction still running, so another writer's open transaction holds the
 * notified event back for a few milliseconds. Re-read at this short interval for a while rather
 * than waiting a whole poll interval.
 */
const EAGER_POLL_MS = 5;
const EAGER_WINDOW_MS = 1000;

/** Catch-up-then-live subscription over any store that can read a batch after a position. */
export function startPollingSubscription(
  source: BatchSource,
  options: SubscribeOptions,
  handler: BatchHandler,
  pollIntervalMs: number,
): Subscription {
  const batchSize = options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer: ${batchSize}`);
  const minReadIntervalMs = options.minReadIntervalMs ?? 0;
  // Appends of other streams or other event types cannot concern a filtered subscription.
  const interest = options.filter;
  const stopping = new AbortController();

  const run = async (): Promise<void> => {
    let cursor: Position | 'start' = options.after;
    let eagerUntil = 0;
    let caughtUp = false;
    let lastReadAt = 0;
    while (!stopping.signal.aborted) {
      // Catching up reads at once; a consumer that is live and can wait lets events accumulate.
      if (caughtUp && minReadIntervalMs > 0) await sleep(lastReadAt + minReadIntervalMs - Date.now(), stopping.signal);
      if (stopping.signal.aborted) return;
      lastReadAt = Date.now();
      const changesBeforeRead = source.changeCounter(interest);
      const { events, scannedTo } = await source.readBatch(cursor, batchSize, options.filter);
      if (stopping.signal.aborted) return;
      if (events.length > 0) await handler(events);
      if (scannedTo !== null && (cursor === 'start' || scannedTo > cursor)) cursor = scannedTo;
      caughtUp = events.length < batchSize;
      // A change signalled while we were reading may be the one we just missed: read again at once.
      if (caughtUp && source.changeCounter(interest) === changesBeforeRead) {
        const eager = source.signalMayPrecedeVisibility && events.length === 0 && Date.now() < eagerUntil && !scannedPast(source.signalledPosition(), cursor);
        const beforeWait = source.changeCounter(interest);
        await source.waitForChange(eager ? Math.min(EAGER_POLL_MS, pollIntervalMs) : pollIntervalMs, stopping.signal, interest);
        if (source.changeCounter(interest) !== beforeWait) eagerUntil = Date.now() + EAGER_WINDOW_MS;
      }
    }
  };

  const done = run();
  done.catch(() => undefined); // callers observe failures through `done`; do not report them twice
  return {
    done,
    async stop() {
      stopping.abort();
      await done.catch(() => undefined);
    },
  };
}

/** Whether the scan has passed what was signalled; a signal that named no position may lie ahead. */
function scannedPast(signalled: Position | null, cursor: Position | 'start'): boolean {
  return signalled !== null && cursor !== 'start' && cursor >= signalled;
}

/** What an append wrote, as far as its signal tells: a field left out may be anything. */
export interface AppendedChange {
  streamNames?: readonly string[];
  eventTypes?: readonly string[];
}

/** The streams and event types of committed appends, for the subscriptions' wake-up. */
export function changeOf(appends: readonly StreamAppend[]): Required<AppendedChange> {
  return {
    streamNames: appends.map((append) => append.streamName),
    eventTypes: [...new Set(appends.flatMap((append) => append.events.map((event) => event.type)))],
  };
}

/**
 * A process-local wake-up signal shared by every store instance that writes the same database. A
 * change may name the streams and event types it wrote: a filtered subscription then wakes (and
 * counts a change) only for changes that can pass its filter — a projection of groups sleeps
 * through an initial sync of users. A change that names neither concerns every subscription.
 */
export class ChangeNotifier {
  private counter = 0;
  /** Changes per filter some subscription waits with, counted from when it first asked. */
  private readonly countersByInterest = new Map<string, { filter: EventFilter; count: number }>();
  private furthest: Position | null = null;
  private readonly waiters = new Set<{ filter: EventFilter | undefined; wake: () => void }>();

  /** How many changes (that may pass `filter`) were signalled: compare two readings. */
  changeCounter(filter?: EventFilter): number {
    if (isEmptyFilter(filter)) return this.counter;
    const key = JSON.stringify([filter!.streamPrefixes ?? [], filter!.eventTypes ?? [], filter!.excludeStreamPrefixes ?? []]);
    let interest = this.countersByInterest.get(key);
    if (!interest) this.countersByInterest.set(key, (interest = { filter: filter!, count: 0 }));
    return interest.count;
  }

  signalledPosition(): Position | null {
    return this.furthest;
  }

  /** Wakes the waiters it may concern; `position`, when known, is the last one the change wrote. */
  notify(position?: Position, change?: AppendedChange): void {
    if (position !== undefined && (this.furthest === null || position > this.furthest)) this.furthest = position;
    this.counter += 1;
    for (const interest of this.countersByInterest.values()) if (mayPass(change, interest.filter)) interest.count += 1;
    for (const waiter of [...this.waiters]) {
      if (!mayPass(change, waiter.filter)) continue;
      this.waiters.delete(waiter);
      waiter.wake();
    }
  }

  /** Resolves on the next change that may pass `filter`, after `timeoutMs`, or on abort. */
  waitForChange(timeoutMs: number, signal: AbortSignal, filter?: EventFilter): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.waiters.delete(waiter);
        resolve();
      };
      const waiter = { filter: isEmptyFilter(filter) ? undefined : filter, wake: finish };
      const timer = setTimeout(finish, timeoutMs);
      signal.addEventListener('abort', finish, { once: true });
      this.waiters.add(waiter);
    });
  }
}

function mayPass(change: AppendedChange | undefined, filter: EventFilter | undefined): boolean {
  if (!change || !filter) return true;
  const { streamNames, eventTypes } = change;
  const types = filter.eventTypes ?? [];
  const streamMayPass = streamNames === undefined || streamNames.some((name) => streamMatches(name, filter));
  const typeMayPass = types.length === 0 || eventTypes === undefined || eventTypes.some((type) => types.includes(type));
  return streamMayPass && typeMayPass;
}
