import { sleep } from './async-mutex';
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
  /** Increases whenever this process learns that something was appended (to these stream prefixes, if given). */
  changeCounter(streamPrefixes?: readonly string[]): number;
  /** Resolves on the next change signal (that may concern these prefixes), after `timeoutMs`, or when `signal` aborts. */
  waitForChange(timeoutMs: number, signal: AbortSignal, streamPrefixes?: readonly string[]): Promise<void>;
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
  // Appends to other streams cannot concern a subscription filtered by stream prefix.
  const prefixes = options.filter?.streamPrefixes;
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
      const changesBeforeRead = source.changeCounter(prefixes);
      const { events, scannedTo } = await source.readBatch(cursor, batchSize, options.filter);
      if (stopping.signal.aborted) return;
      if (events.length > 0) await handler(events);
      if (scannedTo !== null && (cursor === 'start' || scannedTo > cursor)) cursor = scannedTo;
      caughtUp = events.length < batchSize;
      // A change signalled while we were reading may be the one we just missed: read again at once.
      if (caughtUp && source.changeCounter(prefixes) === changesBeforeRead) {
        const eager = source.signalMayPrecedeVisibility && events.length === 0 && Date.now() < eagerUntil && !scannedPast(source.signalledPosition(), cursor);
        const beforeWait = source.changeCounter(prefixes);
        await source.waitForChange(eager ? Math.min(EAGER_POLL_MS, pollIntervalMs) : pollIntervalMs, stopping.signal, prefixes);
        if (source.changeCounter(prefixes) !== beforeWait) eagerUntil = Date.now() + EAGER_WINDOW_MS;
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

/**
 * A process-local wake-up signal shared by every store instance that writes the same database. A
 * change may name the streams it wrote: a subscription filtered by stream prefix then wakes (and
 * counts a change) only for changes that can concern it; a change that names none concerns all.
 */
export class ChangeNotifier {
  private counter = 0;
  /** Changes per stream prefix some subscription filters on, counted from when it first asked. */
  private readonly countersByPrefix = new Map<string, number>();
  private furthest: Position | null = null;
  private readonly waiters = new Set<{ prefixes: readonly string[] | undefined; wake: () => void }>();

  /** How many changes (that may concern these prefixes) were signalled: compare two readings. */
  changeCounter(streamPrefixes?: readonly string[]): number {
    if (!streamPrefixes?.length) return this.counter;
    let count = 0;
    for (const prefix of streamPrefixes) {
      if (!this.countersByPrefix.has(prefix)) this.countersByPrefix.set(prefix, 0);
      count += this.countersByPrefix.get(prefix)!;
    }
    return count;
  }

  signalledPosition(): Position | null {
    return this.furthest;
  }

  /** Wakes the waiters it may concern; `position`, when known, is the last one the change wrote. */
  notify(position?: Position, streamNames?: readonly string[]): void {
    if (position !== undefined && (this.furthest === null || position > this.furthest)) this.furthest = position;
    this.counter += 1;
    for (const [prefix, count] of this.countersByPrefix) if (mayConcern([prefix], streamNames)) this.countersByPrefix.set(prefix, count + 1);
    for (const waiter of [...this.waiters]) {
      if (!mayConcern(waiter.prefixes, streamNames)) continue;
      this.waiters.delete(waiter);
      waiter.wake();
    }
  }

  /** Resolves on the next change that may concern these prefixes, after `timeoutMs`, or on abort. */
  waitForChange(timeoutMs: number, signal: AbortSignal, streamPrefixes?: readonly string[]): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.waiters.delete(waiter);
        resolve();
      };
      const waiter = { prefixes: streamPrefixes?.length ? streamPrefixes : undefined, wake: finish };
      const timer = setTimeout(finish, timeoutMs);
      signal.addEventListener('abort', finish, { once: true });
      this.waiters.add(waiter);
    });
  }
}

function mayConcern(prefixes: readonly string[] | undefined, streamNames: readonly string[] | undefined): boolean {
  return prefixes === undefined || streamNames === undefined || streamNames.some((name) => prefixes.some((prefix) => name.startsWith(prefix)));
}
