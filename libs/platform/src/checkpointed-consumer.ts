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
}

const RETRY_DELAYS_MS = [100, 500, 1000, 2000, 5000, 10000, 30000];

/**
 * Runs one subscriber: resumes from its stored checkpoint, hands batches to the handler, and on a
 * failure logs one line and resubscribes from the last committed checkpoint with backoff.
 */
export class CheckpointedConsumer {
  private subscription: Subscription | null = null;
  private stopped = true;
  private failures = 0;
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
    if (this.failures > 0) this.logger.info({ consumer: this.name }, 'consumer recovered');
    this.failures = 0;
    for (const listener of this.listeners) listener(next);
  }

  private recover(error: unknown): void {
    this.subscription = null;
    if (this.stopped) return;
    const delay = RETRY_DELAYS_MS[Math.min(this.failures, RETRY_DELAYS_MS.length - 1)]!;
    this.failures += 1;
    this.logger.error(
      { consumer: this.name, attempt: this.failures, retryInMs: delay, error: describeError(error) },
      'consumer failed; resuming from its last checkpoint',
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.subscribe().catch((subscribeError: unknown) => this.recover(subscribeError));
    }, delay);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
