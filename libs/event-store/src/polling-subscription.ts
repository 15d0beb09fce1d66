import type { BatchHandler, EventFilter, Position, RecordedEvent, SubscribeOptions, Subscription } from './event-store.port';

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
  /** Increases whenever this process learns that something was appended. */
  changeCounter(): number;
  /** Resolves on the next change signal, after `timeoutMs`, or when `signal` aborts, whichever first. */
  waitForChange(timeoutMs: number, signal: AbortSignal): Promise<void>;
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
  const stopping = new AbortController();

  const run = async (): Promise<void> => {
    let cursor: Position | 'start' = options.after;
    let eagerUntil = 0;
    while (!stopping.signal.aborted) {
      const changesBeforeRead = source.changeCounter();
      const { events, scannedTo } = await source.readBatch(cursor, batchSize, options.filter);
      if (stopping.signal.aborted) return;
      if (events.length > 0) await handler(events);
      if (scannedTo !== null && (cursor === 'start' || scannedTo > cursor)) cursor = scannedTo;
      const caughtUp = events.length < batchSize;
      // A change signalled while we were reading may be the one we just missed: read again at once.
      if (caughtUp && source.changeCounter() === changesBeforeRead) {
        const eager = events.length === 0 && Date.now() < eagerUntil;
        const beforeWait = source.changeCounter();
        await source.waitForChange(eager ? Math.min(EAGER_POLL_MS, pollIntervalMs) : pollIntervalMs, stopping.signal);
        if (source.changeCounter() !== beforeWait) eagerUntil = Date.now() + EAGER_WINDOW_MS;
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

/** A process-local wake-up signal shared by every store instance that writes the same database. */
export class ChangeNotifier {
  private counter = 0;
  private readonly waiters = new Set<() => void>();

  changeCounter(): number {
    return this.counter;
  }

  notify(): void {
    this.counter += 1;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  waitForChange(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.waiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      signal.addEventListener('abort', finish, { once: true });
      this.waiters.add(finish);
    });
  }
}
