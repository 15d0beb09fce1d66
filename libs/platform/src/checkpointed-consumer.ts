import {
  type EventFilter,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '@axis/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from './logger';
import { checkpointsIn } from './checkpoints';
import { inReadModelTransaction } from './read-model-transaction';

export interface ConsumerDefinition {
  /** Checkpoint key; also the name SREs see in `projections status`. */
  name: string;
  filter?: EventFilter;
  batchSize?: number;
  /**
   * Applies a batch. Runs inside the read-model transaction that also advances the checkpoint, so
   * a projection's rows and its checkpoint commit together (exactly-once effect). A reactor's
   * external effect happens here too: the checkpoint moves only after the effect succeeded.
   */
  handle(events: RecordedEvent[], manager: EntityManager): Promise<void>;
  /** Backoff between resubscriptions after a failure; the last value repeats. */
  retryDelaysMs?: readonly number[];
}

const RETRY_DELAYS_MS = [100, 500, 1000, 2000, 5000, 10000, 30000];
/** While a failure lasts, a reminder at warn level this often (the retries themselves log at debug). */
const STILL_FAILING_EVERY_MS = 10 * 60_000;

/**
 * Runs one subscriber: resumes from its stored checkpoint, hands batches to the handler, and on a
 * failure resubscribes from the last committed checkpoint with backoff. An outage logs ONE error
 * line when it starts (further failed attempts log at debug, plus a warn reminder every ten
 * minutes) and one info line when a batch succeeds again, so a broker down for an hour does not
 * flood the logs.
 */
export class CheckpointedConsumer {
  private subscription: Subscription | null = null;
  private stopped = true;
  private failures = 0;
  private failingSince = 0;
  private lastReminder = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private committed: Position | null = null;
  private readonly listeners = new Set<(position: Position) => void>();

  constructor(
    private readonly definition: ConsumerDefinition,
    private readonly eventStore: EventStore,
    private readonly readModel: DataSource,
    private readonly logger: Logger,
  ) {}

  get name(): string {
    return this.definition.name;
  }

  /** Last checkpoint this process committed (null before the first batch). */
  get position(): Position | null {
    return this.committed;
  }

  onCommitted(listener: (position: Position) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.subscribe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.subscription?.stop();
    this.subscription = null;
  }

  private async subscribe(): Promise<void> {
    const after = await checkpointsIn(this.readModel.manager).load(this.definition.name);
    if (this.stopped) return;
    this.committed = after;
    const subscription = this.eventStore.subscribeToAll(
      { after: after ?? 'start', filter: this.definition.filter, batchSize: this.definition.batchSize ?? 500 },
      (events) => this.apply(events),
    );
    this.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => this.recover(error),
    );
  }

  private async apply(events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const expected = this.committed;
    const next = events[events.length - 1]!.position;
    await inReadModelTransaction(this.readModel, async (manager) => {
      await this.definition.handle(events, manager);
      await checkpointsIn(manager).compareAndSet(this.definition.name, expected, next);
    });
    this.committed = next;
    if (this.failures > 0) {
      this.logger.info(
        { consumer: this.name, attempts: this.failures, outageMs: Date.now() - this.failingSince },
        `consumer ${this.name} recovered after ${this.failures} failed attempt${this.failures === 1 ? '' : 's'}`,
      );
    }
    this.failures = 0;
    for (const listener of this.listeners) listener(next);
  }

  private recover(error: unknown): void {
    this.subscription = null;
    if (this.stopped) return;
    const delays = this.definition.retryDelaysMs ?? RETRY_DELAYS_MS;
    const delay = delays[Math.min(this.failures, delays.length - 1)]!;
    this.failures += 1;
    const now = Date.now();
    const fields = { consumer: this.name, attempt: this.failures, retryInMs: delay, error: describeError(error) };
    if (this.failures === 1) {
      this.failingSince = now;
      this.lastReminder = now;
      this.logger.error(fields, `consumer ${this.name} failed; retrying from its last checkpoint until it recovers`);
    } else if (now - this.lastReminder >= STILL_FAILING_EVERY_MS) {
      this.lastReminder = now;
      this.logger.warn({ ...fields, outageMs: now - this.failingSince }, `consumer ${this.name} still failing`);
    } else {
      this.logger.debug(fields, `consumer ${this.name} retry failed`);
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.subscribe().catch((subscribeError: unknown) => this.recover(subscribeError));
    }, delay);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
