import {
  CheckpointConflictError,
  type EventFilter,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '@axis/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from './logger';
import { checkpointAnnouncements } from './checkpoint-announcements';
import { checkpointsIn } from './checkpoints';
import {
  consumerBatchDuration,
  consumerEventsProcessedTotal,
  consumerFailuresTotal,
  consumerLastProcessed,
  type ConsumerStateName,
  secondsSince,
  setConsumerStateMetric,
} from './metrics/metrics';
import { type ConsumerKind, consumerStates } from './consumer-states';
import { inReadModelTransaction } from './read-model-transaction';

export interface ConsumerDefinition {
  /** Checkpoint key; also the name SREs see in `projections status`. */
  name: string;
  /** A projection (rebuildable read-model rows) or a reactor (external effects, never replayed). */
  kind?: ConsumerKind;
  filter?: EventFilter;
  batchSize?: number;
  /**
   * How long, once live, the consumer may let events gather before it reads them (see
   * SubscribeOptions.minReadIntervalMs). 0 (default) for what a request waits on (read-your-writes,
   * session revocation); BACKGROUND_READ_INTERVAL_MS for effects nobody waits on in a request.
   */
  minReadIntervalMs?: number;
  /**
   * Applies a batch. Runs inside the read-model transaction that also advances the checkpoint, so
   * a projection's rows and its checkpoint commit together (exactly-once effect). A reactor's
   * external effect happens here too: the checkpoint moves only after the effect succeeded.
   * Throw a `TransientConsumerError` for an outage (broker down …): it is retried for ever and
   * never treated as a poison event.
   */
  handle(events: RecordedEvent[], manager: EntityManager): Promise<void>;
  /** Backoff between resubscriptions after a failure; the last value repeats. */
  retryDelaysMs?: readonly number[];
}

export interface ConsumerOptions {
  /** How often the consumer reads its row in `consumer_states` (pause / resume / skip). Default 1000 ms; 0 disables. */
  statePollMs?: number;
  /**
   * Consecutive non-transient failures with the same first event after which that event is retried
   * alone; if it fails alone too, the consumer stops as `failed` (a poison event). Default 5.
   */
  poisonAfterFailures?: number;
}

/** An outage rather than a bad event: retried with backoff for as long as it lasts, never poison. */
export class TransientConsumerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientConsumerError';
  }
}

/**
 * Read interval of consumers whose effects no request waits on (audit log, Kafka, webhooks, …):
 * under load they read a tenth of a second's events at once instead of waking on every append,
 * which costs each of them a read, a transaction and a checkpoint write per wake-up.
 */
export const BACKGROUND_READ_INTERVAL_MS = 100;

const RETRY_DELAYS_MS = [100, 500, 1000, 2000, 5000, 10000, 30000];
/** While a failure lasts, a reminder at warn level this often (the retries themselves log at debug). */
const STILL_FAILING_EVERY_MS = 10 * 60_000;
const DEFAULT_POISON_AFTER = 5;
const DEFAULT_STATE_POLL_MS = 1000;

interface HandlerFailure {
  event: RecordedEvent;
  batchLength: number;
  error: unknown;
}

/**
 * Runs one subscriber: resumes from its stored checkpoint, hands batches to the handler, and on a
 * failure resubscribes from the last committed checkpoint with backoff. An outage logs ONE error
 * line when it starts (further failed attempts log at debug, plus a warn reminder every ten
 * minutes) and one info line when a batch succeeds again, so a broker down for an hour does not
 * flood the logs.
 *
 * Poison events: when the handler keeps failing (not transiently) on the same first event, that
 * event is retried alone; failing alone, the consumer stops in state `failed` with the event id,
 * position and error recorded in `consumer_states` (and `axis_consumer_state`), until an operator
 * skips it (`axis projections skip`) or resumes. Operators pause and resume a consumer through the
 * same row, which the consumer polls.
 */
export class CheckpointedConsumer {
  private subscription: Subscription | null = null;
  private stopped = true;
  private state: ConsumerStateName = 'running';
  private failures = 0;
  private failingSince = 0;
  private lastReminder = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private committed: Position | null = null;
  private lastFailure: HandlerFailure | null = null;
  private suspectEventId: string | null = null;
  private suspectFailures = 0;
  private isolating = false;
  private transition: Promise<void> = Promise.resolve();
  /** Between detecting a poison event and recording it: a poll must not read the stale row as "resume". */
  private failureUnrecorded = false;
  private readonly listeners = new Set<(position: Position) => void>();

  constructor(
    private readonly definition: ConsumerDefinition,
    private readonly eventStore: EventStore,
    private readonly readModel: DataSource,
    private readonly logger: Logger,
    private readonly options: ConsumerOptions = {},
  ) {}

  get name(): string {
    return this.definition.name;
  }

  get kind(): ConsumerKind | undefined {
    return this.definition.kind;
  }

  get filter(): EventFilter | undefined {
    return this.definition.filter;
  }

  /** A consumer that reads as soon as events arrive is one a request may wait for (see minReadIntervalMs). */
  private get announcesCheckpoints(): boolean {
    return (this.definition.minReadIntervalMs ?? 0) === 0;
  }

  /** Last checkpoint this process committed (null before the first batch). */
  get position(): Position | null {
    return this.committed;
  }

  /** running, paused (by an operator) or failed (a poison event). */
  get currentState(): ConsumerStateName {
    return this.state;
  }

  onCommitted(listener: (position: Position) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.stopped = false;
    // Writes go through the read-model transaction queue: on SQLite one connection is shared, and a
    // write outside it could land in (and roll back with) another consumer's open transaction.
    await inReadModelTransaction(this.readModel, (manager) =>
      consumerStates.register(manager, this.name, this.definition.kind ?? 'unknown', this.definition.filter),
    );
    const row = await consumerStates.load(this.readModel, this.name);
    this.setState(row?.state ?? 'running');
    if (this.state === 'running') await this.subscribe();
    else this.logger.warn({ consumer: this.name, state: this.state, eventId: row?.failedEventId ?? undefined }, `consumer ${this.name} starts ${this.state}`);
    const pollMs = this.options.statePollMs ?? DEFAULT_STATE_POLL_MS;
    if (pollMs > 0) this.schedulePoll(pollMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    await this.transition;
    await this.halt();
  }

  /** Reads `consumer_states` once and follows it (pause, resume, a skipped poison event). */
  async syncState(): Promise<void> {
    const next = this.transition.then(async () => {
      if (this.stopped) return;
      const row = await consumerStates.load(this.readModel, this.name);
      const wanted = row?.state ?? 'running';
      if (this.failureUnrecorded) return;
      if (wanted === this.state) {
        if (wanted === 'running' && this.subscription) await this.followExternalCheckpointMove();
        return;
      }
      const was = this.state;
      this.setState(wanted);
      if (wanted === 'running') {
        this.logger.info({ consumer: this.name, was }, `consumer ${this.name} resumed`);
        this.resetFailures();
        await this.subscribe();
      } else {
        this.logger.warn({ consumer: this.name, state: wanted }, `consumer ${this.name} ${wanted}`);
        await this.halt();
      }
    });
    this.transition = next.catch(() => undefined);
    return next;
  }

  /** An operator reset the checkpoint (`axis reactors reset`): resubscribe from where it now is. */
  private async followExternalCheckpointMove(): Promise<void> {
    const checkpoints = checkpointsIn(this.readModel.manager);
    const stored = await checkpoints.load(this.name);
    if (stored === this.committed) return;
    // Perhaps only our own batch committing right now: look again a moment later.
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (this.stopped || this.state !== 'running' || (await checkpoints.load(this.name)) !== stored || stored === this.committed) return;
    this.logger.info({ consumer: this.name, from: this.committed, to: stored }, `consumer ${this.name} checkpoint moved; resubscribing from it`);
    await this.halt();
    await this.subscribe();
  }

  private schedulePoll(pollMs: number): void {
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      this.syncState()
        .catch((error: unknown) => this.logger.debug({ consumer: this.name, error: describeError(error) }, 'consumer state poll failed'))
        .finally(() => {
          // A consumer stopped and started again meanwhile (a lease lost and regained) polls already.
          if (!this.stopped && this.pollTimer === null) this.schedulePoll(pollMs);
        });
    }, pollMs);
    this.pollTimer.unref?.();
  }

  private async halt(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.stop();
  }

  private setState(state: ConsumerStateName): void {
    this.state = state;
    setConsumerStateMetric(this.name, state);
  }

  private resetFailures(): void {
    this.suspectEventId = null;
    this.suspectFailures = 0;
    this.isolating = false;
    this.lastFailure = null;
  }

  private async subscribe(): Promise<void> {
    const after = await checkpointsIn(this.readModel.manager).load(this.definition.name);
    if (this.stopped || this.state !== 'running') return;
    this.committed = after;
    const batchSize = this.isolating ? 1 : (this.definition.batchSize ?? 500);
    const subscription = this.eventStore.subscribeToAll(
      { after: after ?? 'start', filter: this.definition.filter, batchSize, minReadIntervalMs: this.definition.minReadIntervalMs ?? 0 },
      (events) => this.apply(events),
    );
    this.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => {
        if (this.subscription === subscription) this.recover(error);
      },
    );
  }

  private async apply(events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const expected = this.committed;
    const next = events[events.length - 1]!.position;
    const started = process.hrtime.bigint();
    this.lastFailure = null;
    try {
      await inReadModelTransaction(this.readModel, async (manager) => {
        await this.definition.handle(events, manager);
        await checkpointsIn(manager).compareAndSet(this.definition.name, expected, next);
        if (this.announcesCheckpoints) await checkpointAnnouncements(this.readModel).inTransaction(manager, { consumer: this.name, position: next });
      });
    } catch (error) {
      this.lastFailure = { event: events[0]!, batchLength: events.length, error };
      throw error;
    }
    consumerBatchDuration.observe({ consumer: this.name }, secondsSince(started));
    consumerEventsProcessedTotal.inc({ consumer: this.name }, events.length);
    consumerLastProcessed.set({ consumer: this.name }, Date.now() / 1000);
    this.committed = next;
    if (this.announcesCheckpoints) checkpointAnnouncements(this.readModel).committed({ consumer: this.name, position: next });
    if (this.failures > 0) {
      this.logger.info(
        { consumer: this.name, attempts: this.failures, outageMs: Date.now() - this.failingSince },
        `consumer ${this.name} recovered after ${this.failures} failed attempt${this.failures === 1 ? '' : 's'}`,
      );
    }
    this.failures = 0;
    if (this.isolating || (this.suspectEventId !== null && this.suspectEventId !== events[0]!.eventId)) this.resetFailures();
    for (const listener of this.listeners) listener(next);
  }

  private recover(error: unknown): void {
    this.subscription = null;
    consumerFailuresTotal.inc({ consumer: this.name });
    if (this.stopped || this.state !== 'running') return;
    const failure = this.lastFailure;
    this.lastFailure = null;
    if (failure && failure.error === error && !isTransient(error)) {
      if (this.isolating && failure.batchLength === 1 && failure.event.eventId === this.suspectEventId) {
        this.poisoned(failure);
        return;
      }
      if (failure.event.eventId === this.suspectEventId) this.suspectFailures += 1;
      else {
        this.suspectEventId = failure.event.eventId;
        this.suspectFailures = 1;
      }
      if (this.suspectFailures >= (this.options.poisonAfterFailures ?? DEFAULT_POISON_AFTER)) this.isolating = true;
    }
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

  /** Stops for good on this event until an operator skips it or resumes. */
  private poisoned(failure: HandlerFailure): void {
    const poison = { eventId: failure.event.eventId, position: failure.event.position, error: describeError(failure.error) };
    this.setState('failed');
    this.failureUnrecorded = true;
    this.resetFailures();
    this.failures = 0;
    this.logger.error(
      { consumer: this.name, eventId: poison.eventId, position: poison.position, eventType: failure.event.type, error: poison.error },
      `consumer ${this.name} stopped on poison event ${poison.eventId}; skip it with: axis projections skip ${this.name} --event ${poison.eventId}`,
    );
    this.transition = this.transition
      .then(() => inReadModelTransaction(this.readModel, (manager) => consumerStates.markFailed(manager, this.name, poison)))
      .catch((error: unknown) => this.logger.error({ consumer: this.name, error: describeError(error) }, 'could not record the failed state'))
      .finally(() => {
        this.failureUnrecorded = false;
      });
  }
}

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

/** Outages (connection losses, lock timeouts, a concurrent instance) are not poison. */
export function isTransient(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof TransientConsumerError || current instanceof CheckpointConflictError) return true;
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || /^(08|53|57P|40)/.test(code))) return true;
    if (/Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(current.message)) return true;
    const inner = (current as Error & { driverError?: unknown; cause?: unknown }).driverError ?? (current as Error & { cause?: unknown }).cause;
    current = inner;
  }
  return false;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
